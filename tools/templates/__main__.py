"""python -m tools.templates [--check]: write the default templates, or check they are current."""

from __future__ import annotations

import sys

from . import TEMPLATE_DIR, build_all


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, blob in build_all().items():
        path = TEMPLATE_DIR / name
        if check:
            if not path.exists() or path.read_bytes() != blob:
                stale.append(name)
            continue
        path.write_bytes(blob)
        print(f"wrote agenda_templates/{name}")
    if stale:
        print("Not the same as a fresh build (run `make templates`): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
