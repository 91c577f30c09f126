"""The minutes (protokoll): what was recorded, as plain data for the Word template.

One variable, `minutes`, beside the common ones (dialogue, home, participants …): attendance
per side with stand-ins, findings by kind and area, the agreed actions, the review of earlier
actions, how lessons are passed on, what is escalated, the next dialogue, "Antecknat av" and
"Justerat av" (the meeting's notes on the dialogue). Like the rest of the context it holds only strings, lists and dicts.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Action,
    ActionReview,
    Attendance,
    Dialogue,
    Finding,
    FindingKind,
    Side,
)
from ..region_settings import settings_for_region
from ..representation import is_full, representation
from ..timeutil import format_date

KIND_TITLES = {
    FindingKind.DEFICIENCY: "Brister",
    FindingKind.RISK: "Risker",
    FindingKind.SUCCESS_FACTOR: "Framgångsfaktorer",
}
NOT_RECORDED = "Inte registrerad"


def _person(p) -> dict:
    return {
        "name": p.name,
        "role": p.role.label,
        "attendance": p.attendance.label if p.attendance else NOT_RECORDED,
        "stand_in_for": p.stand_in_for.name if p.stand_in_for is not None else "",
    }


def _party(action: Action) -> str:
    party = action.responsible_party.label
    return f"{party}, {action.responsible_role.label}" if action.responsible_role else party


def _representation_text(dialogue: Dialogue) -> str:
    settings = settings_for_region(dialogue.care_home.municipality.region_id)
    status = representation(
        dialogue.current_participants,
        settings.required_roles,
        counts=lambda p: p.attendance in (Attendance.ATTENDED, Attendance.STAND_IN),
    )
    if is_full(status):
        return "Full representation uppnåddes."
    missing = [
        f"{side.label}: {seat.label.lower() if seat.label[1:].islower() else seat.label}"
        for side, st in status.items()
        for seat in st.missing
    ]
    return "Full representation uppnåddes inte. Saknades: " + "; ".join(missing) + "."


def lessons_passed_on(dialogue: Dialogue) -> str:
    """To whom, by whom and when the lessons are passed on, as one sentence per part."""
    parts = [
        (label, value.strip())
        for label, value in (
            ("Till", dialogue.lessons_to or ""),
            ("Av", dialogue.lessons_by or ""),
            ("När", dialogue.lessons_when or ""),
        )
        if value.strip()
    ]
    return " ".join(f"{label}: {value.rstrip('.')}." for label, value in parts)


def minutes_data(dialogue: Dialogue) -> dict:
    people = dialogue.current_participants
    findings = db.session.scalars(
        sa.select(Finding).where(Finding.dialogue_id == dialogue.id).order_by(Finding.id)
    ).all()
    groups = []
    for kind in FindingKind:
        items = sorted(
            (f for f in findings if f.kind is kind), key=lambda f: (f.area.name.lower(), f.id)
        )
        groups.append(
            {
                "title": KIND_TITLES[kind],
                "entries": [
                    {
                        "area": f.area.name,
                        "description": f.description,
                        "concerns": f.concerns.label,
                        "escalate": "Ja" if f.escalate else "Nej",
                        "lesson": "Ja" if f.spread_as_lesson else "Nej",
                    }
                    for f in items
                ],
            }
        )
    actions = db.session.scalars(
        sa.select(Action)
        .where(Action.dialogue_id == dialogue.id)
        .order_by(Action.due_date, Action.id)
    ).all()
    reviews = db.session.scalars(
        sa.select(ActionReview)
        .where(ActionReview.dialogue_id == dialogue.id)
        .order_by(ActionReview.id)
    ).all()
    return {
        "documented_on": format_date(dialogue.documented_at) if dialogue.documented_at else "",
        "attendance_home": [_person(p) for p in people if p.side is Side.CARE_HOME],
        "attendance_centre": [_person(p) for p in people if p.side is Side.HEALTH_CENTRE],
        "representation": _representation_text(dialogue),
        "findings": groups,
        "actions": [
            {
                "description": a.description,
                "area": (a.finding.area.name if a.finding else (a.area.name if a.area else "")),
                "responsible": _party(a),
                "due_date": a.due_date.isoformat() if a.due_date else "",
                "status": a.status.label,
            }
            for a in actions
        ],
        "reviewed": [
            {
                "year": r.action.dialogue.year,
                "description": r.action.description,
                "responsible": _party(r.action),
                "status": r.status.label,
                "comment": r.comment,
            }
            for r in reviews
        ],
        "lessons": [f.description for f in findings if f.spread_as_lesson],
        "escalated": [
            f"{f.kind.label} ({f.area.name}): {f.description}" for f in findings if f.escalate
        ],
        "lessons_passed_on": lessons_passed_on(dialogue),
        "next_dialogue": dialogue.next_dialogue_note or "",
        "recorded_by": dialogue.note_taker or "",
        "approved_by": dialogue.minutes_checked_by or "",
    }


def demo_minutes() -> dict:
    """A fictional record, for the preview and for checking an uploaded template."""
    return {
        "documented_on": "2027-03-19",
        "attendance_home": [
            {
                "name": "Alfa Exempelsson",
                "role": "Enhetschef",
                "attendance": "Deltog",
                "stand_in_for": "",
            },
            {
                "name": "Beta Demoberg",
                "role": "Sjuksköterska",
                "attendance": "Ersättare deltog",
                "stand_in_for": "",
            },
            {
                "name": "Zeta Provsson",
                "role": "Sjuksköterska",
                "attendance": "Deltog",
                "stand_in_for": "Beta Demoberg",
            },
        ],
        "attendance_centre": [
            {
                "name": "Delta Påhittad",
                "role": "SÄBO-läkare",
                "attendance": "Deltog",
                "stand_in_for": "",
            },
        ],
        "representation": "Full representation uppnåddes inte. Saknades: Vårdcentral: "
        "Verksamhetschef.",
        "findings": [
            {
                "title": "Brister",
                "entries": [
                    {
                        "area": "Läkemedel",
                        "description": "Ändrade ordinationer når inte kvällspersonalen.",
                        "concerns": "Gemensamt",
                        "escalate": "Nej",
                        "lesson": "Nej",
                    }
                ],
            },
            {"title": "Risker", "entries": []},
            {
                "title": "Framgångsfaktorer",
                "entries": [
                    {
                        "area": "Palliativ vård",
                        "description": "Brytpunktssamtal planeras gemensamt.",
                        "concerns": "Gemensamt",
                        "escalate": "Nej",
                        "lesson": "Ja",
                    }
                ],
            },
        ],
        "actions": [
            {
                "description": "Inför en gemensam rutin för ändrade ordinationer.",
                "area": "Läkemedel",
                "responsible": "Gemensamt, Sjuksköterska",
                "due_date": "2027-06-30",
                "status": "Ej påbörjad",
            }
        ],
        "reviewed": [
            {
                "year": 2026,
                "description": "Ta fram en checklista för läkemedelsgenomgång.",
                "responsible": "Gemensamt",
                "status": "Klar",
                "comment": "Checklistan används sedan hösten.",
            }
        ],
        "lessons": ["Brytpunktssamtal planeras gemensamt."],
        "escalated": [],
        "lessons_passed_on": "Enhetschefen tar upp lärdomarna på arbetsplatsträffen i april.",
        "next_dialogue": "Vecka 11 2028; enhetschefen bokar.",
        "recorded_by": "Beta Demoberg, Sjuksköterska",
        "approved_by": "Alfa Exempelsson, Enhetschef",
    }
