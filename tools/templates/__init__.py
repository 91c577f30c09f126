"""Builders of the shipped Word templates in agenda_templates/ (`make templates`).

The templates are committed; a test rebuilds them and fails when a committed file differs from
a fresh build, so a change to a builder always comes with the rebuilt file.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "agenda_templates"


def build_all() -> dict[str, bytes]:
    """File name in agenda_templates/ -> the bytes a fresh build gives."""
    from . import actionplan, defaults, docx_build, protokoll, report

    files = {
        f"{key}.docx": docx_build.to_bytes(build()) for key, build in defaults.BUILDERS.items()
    }
    files["protokoll.docx"] = docx_build.to_bytes(protokoll.build_protokoll())
    files["sammanstallning.docx"] = report.build()
    files["handlingsplan.docx"] = actionplan.build()
    return files
