"""Build the privacy guard's paragraph corpora from the sentence pools in this folder.

    .venv/bin/python -m tools.privacy_corpus.build

Each pool line is kind<TAB>area<TAB>sentence; the patient datum is marked ⟦…⟧ and \\n stands
for a line break. A datum sentence is placed in the middle of a paragraph of structural
sentences from the same area (any area for "*"), so the paragraph reads like minutes: 40–120
words, at least one structural sentence before and after the datum. Structural paragraphs are
made of 3–7 structural sentences of one area; every structural sentence is used in two
different paragraphs. Deterministic (seeded), so the output is reproducible.

Output: tests/privacy/corpus_<pool>.tsv with id<TAB>kind<TAB>paragraph (datum still marked).
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent.parent / "tests" / "privacy"
MIN_WORDS, MAX_WORDS = 40, 120
STRUCTURAL = "s"


def read_pool(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, area, sentence = line.split("\t")
        rows.append((kind, area, sentence))
    return rows


def words(text: str) -> int:
    return len(text.replace("⟦", "").replace("⟧", "").split())


def _fill(rng, pool: list[str], exclude: set[str], need: int) -> list[str]:
    choices = [s for s in pool if s not in exclude]
    rng.shuffle(choices)
    return choices[:need]


def datum_paragraph(rng, sentence: str, fillers: list[str]) -> str:
    for _ in range(200):
        before = rng.randint(1, 2)
        after = rng.randint(1, 2)
        chosen = _fill(rng, fillers, set(), before + after + 3)
        parts = chosen[:before] + [sentence] + chosen[before : before + after]
        extra = chosen[before + after :]
        while words(" ".join(parts)) < MIN_WORDS and extra:
            parts.append(extra.pop())
        if MIN_WORDS <= words(" ".join(parts)) <= MAX_WORDS:
            return " ".join(parts)
    raise SystemExit(f"cannot place {sentence!r} in a 40–120 word paragraph")


def structural_paragraphs(rng, by_area: dict[str, list[str]]) -> list[str]:
    out = []
    for round_ in range(2):
        for area in sorted(by_area):
            pool = list(by_area[area])
            rng.shuffle(pool)
            current: list[str] = []
            for sentence in pool:
                current.append(sentence)
                if words(" ".join(current)) >= MIN_WORDS + rng.randint(0, 35) and len(current) >= 3:
                    out.append(" ".join(current))
                    current = []
            if current:
                # Too short alone: borrow sentences from the same area until long enough.
                spare = [s for s in by_area[area] if s not in current]
                rng.shuffle(spare)
                while words(" ".join(current)) < MIN_WORDS and spare:
                    current.append(spare.pop())
                out.append(" ".join(current))
        del round_
    return [p for p in out if MIN_WORDS <= words(p) <= MAX_WORDS + 40]


def build(name: str, seed: int) -> Path:
    rng = random.Random(seed)
    rows = read_pool(HERE / f"{name}_pool.tsv")
    by_area: dict[str, list[str]] = defaultdict(list)
    for kind, area, sentence in rows:
        if kind == STRUCTURAL:
            by_area[area].append(sentence)
    all_structural = [s for pool in by_area.values() for s in pool]
    lines = [
        f"# Built by tools/privacy_corpus/build.py from {name}_pool.tsv: do not edit by hand.",
        "# id<TAB>kind<TAB>paragraph; the datum is marked ⟦…⟧, \\n is a line break.",
    ]
    n = 0
    for kind, area, sentence in rows:
        if kind == STRUCTURAL:
            continue
        fillers = by_area.get(area) or all_structural
        if len(fillers) < 6:
            fillers = all_structural
        n += 1
        lines.append(f"{name[0]}{n:04d}\t{kind}\t{datum_paragraph(rng, sentence, fillers)}")
    for paragraph in structural_paragraphs(rng, by_area):
        n += 1
        lines.append(f"{name[0]}{n:04d}\tstrukturell\t{paragraph}")
    for sentence in all_structural:
        n += 1
        lines.append(f"{name[0]}{n:04d}\tstrukturell-mening\t{sentence}")
    path = OUT / f"corpus_{name}.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    for name, seed in (("frozen", 11), ("tuned", 12)):
        if (HERE / f"{name}_pool.tsv").exists():
            print(build(name, seed))


if __name__ == "__main__":
    main()
