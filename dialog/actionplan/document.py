"""The local action plan as a Word document, from agenda_templates/handlingsplan.docx (built by
tools/templates/actionplan.py) filled with docxtpl."""

from __future__ import annotations

import io
from pathlib import Path

from docxtpl import DocxTemplate

from ..models import PlanAreaKind
from ..timeutil import format_date, now_utc
from .services import GROUP_TITLES, PlanContent

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "agenda_templates" / "handlingsplan.docx"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def context(content: PlanContent) -> dict:
    target = content.target
    owner = target.name if target.municipality else f"{target.name} (regionens samlade plan)"
    groups = []
    for kind in (PlanAreaKind.FOUNDATION, PlanAreaKind.FOCUS):
        areas = [s for s in content.sections if s.kind is kind]
        if areas:
            groups.append({"title": GROUP_TITLES[kind], "areas": [_area(s) for s in areas]})
    loose = [s for s in content.sections if s.kind is None]
    if loose:
        groups.append({"title": "Övrigt", "areas": [_area(s) for s in loose]})
    return {
        "year": content.year,
        "owner": owner,
        "generated": format_date(now_utc()),
        "intro": (
            f"Underlaget är årets patientsäkerhetsdialoger mellan särskilda boenden och "
            f"vårdcentraler i {target.name}: {content.dialogues} dialoger med "
            f"{content.findings} fynd och {content.actions} åtgärder under {content.year}."
        ),
        "summary_rows": [
            {
                "plan_area": s.name,
                "findings": len(s.findings),
                "actions": len(s.actions),
                "open": s.open_actions,
            }
            for s in content.sections
        ],
        "groups": groups,
    }


def _area(section) -> dict:
    return {
        "name": section.name,
        "text": section.text,
        "findings": section.findings,
        "actions": section.actions,
    }


def build_document(content: PlanContent) -> bytes:
    tpl = DocxTemplate(str(TEMPLATE_PATH))
    tpl.render(context(content), autoescape=True)
    props = tpl.core_properties
    props.title = f"Lokal handlingsplan för patientsäkerhet {content.year} – {content.target.name}"
    props.language = "sv-SE"
    props.author = "Patientsäkerhetsdialog SÄBO"
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def filename(content: PlanContent) -> str:
    safe = "".join(c if c.isalnum() or c in " -" else " " for c in content.target.name).strip()
    return f"Lokal handlingsplan {content.year} {safe}.docx"
