"""The data a template is filled with: plain dicts and strings, built from a dialogue.

Templates run in a sandbox and only ever see what is built here (see kinds.VARIABLES), never a
model object, so a replacement template cannot reach the database or the application.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from .. import basisdata, topics
from ..catalogues import areas_for_region
from ..extensions import db
from ..models import Action, ActionStatus, Dialogue, DialogueStatus, Side
from ..region_settings import settings_for_region
from ..timeutil import format_time_range, local
from . import content
from . import minutes_layout as layout
from .kinds import DocumentKind

WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]


def _clock(value: datetime) -> str:
    return value.strftime("%H.%M")


def agenda_points(start: datetime, end: datetime) -> list[dict]:
    """Share the meeting's time between the points by weight, on five-minute steps."""
    total = max(int((end - start).total_seconds() // 60), 5 * len(content.AGENDA_POINTS))
    weights = sum(w for _, _, w in content.AGENDA_POINTS)
    points, done, acc = [], 0, 0
    for number, (title, text, weight) in enumerate(content.AGENDA_POINTS, start=1):
        acc += weight
        until = (
            total if number == len(content.AGENDA_POINTS) else 5 * round(total * acc / weights / 5)
        )
        points.append(
            {
                "number": number,
                "start": _clock(start + timedelta(minutes=done)),
                "end": _clock(start + timedelta(minutes=until)),
                "title": title,
                "text": text,
            }
        )
        done = until
    return points


def _person(p) -> dict:
    return {
        "id": p.id,
        "name": p.name,
        "role": p.role.label,
        "side": p.side.label,
        "email": p.email,
        "response": p.response.label,
    }


def _responsible(action: Action) -> str:
    party = action.responsible_party.label
    return f"{party}, {action.responsible_role.label}" if action.responsible_role else party


def previous_actions(dialogue: Dialogue) -> list[dict]:
    """Actions of the home's earlier dialogues: all of the latest one, and any still open."""
    earlier = sa.select(Dialogue.id).where(
        Dialogue.care_home_id == dialogue.care_home_id,
        Dialogue.year < dialogue.year,
        Dialogue.status != DialogueStatus.CANCELLED,
    )
    rows = db.session.execute(
        sa.select(Action, Dialogue.year)
        .join(Dialogue, Action.dialogue_id == Dialogue.id)
        .where(Action.dialogue_id.in_(earlier))
        .order_by(Dialogue.year.desc(), Action.due_date, Action.id)
    ).all()
    if not rows:
        return []
    latest_year = rows[0][1]
    return [
        {
            "id": a.id,
            "year": year,
            "description": a.description,
            "responsible": _responsible(a),
            "due_date": a.due_date.isoformat() if a.due_date else "",
            "status": a.status.label,
        }
        for a, year in rows
        if year == latest_year or a.status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)
    ]


def _required_roles(region_id: int | None) -> list[str]:
    settings = settings_for_region(region_id)
    out = []
    for side, seats in settings.required_roles.items():
        for seat in seats:
            out.append(
                f"{side.label}: "
                + " eller ".join(r.label.lower() if i else r.label for i, r in enumerate(seat))
            )
    return out


def _blank_rows() -> dict[str, list[int]]:
    return {key: list(range(n)) for key, n in layout.BLANK_ROWS.items()}


def _areas(region_id: int | None) -> list[dict]:
    return [
        {"name": a.name, "questions": content.questions_for(a.name)}
        for a in areas_for_region(region_id)
    ]


def build_context(dialogue: Dialogue, kind: DocumentKind, *, today: date | None = None) -> dict:
    home = dialogue.care_home
    municipality = home.municipality
    centre = dialogue.health_centre
    start, end = local(dialogue.starts_at), local(dialogue.ends_at)
    people = [_person(p) for p in dialogue.current_participants]
    region_id = municipality.region_id
    organiser = dialogue.organiser
    return {
        "document_title": kind.title,
        "generated_on": (today or date.today()).isoformat(),
        "dialogue": {
            "id": dialogue.id,
            "calendar_uid": dialogue.calendar_uid,
            "year": dialogue.year,
            "date": start.date().isoformat(),
            "weekday": WEEKDAYS[start.weekday()],
            "start": _clock(start),
            "end": _clock(end),
            "time_range": format_time_range(dialogue.starts_at, dialogue.ends_at),
            "location": dialogue.location or "",
            "video_link": dialogue.video_link or "",
            "status": dialogue.status.label,
            "organiser": organiser.name if organiser else "",
            "organiser_email": organiser.email if organiser else "",
        },
        "home": {"name": home.name, "address": home.address or ""},
        "municipality": {"name": municipality.name},
        "region": {"name": municipality.region.name},
        "health_centre": {
            "name": centre.name if centre else "Ingen vald",
            "address": (centre.address or "") if centre else "",
        },
        "participants": people,
        "participants_home": [p for p in people if p["side"] == Side.CARE_HOME.label],
        "participants_centre": [p for p in people if p["side"] == Side.HEALTH_CENTRE.label],
        "agenda_points": agenda_points(start, end),
        "previous_actions": previous_actions(dialogue),
        "areas": _areas(region_id),
        "shared_data": list(content.SHARED_DATA),
        "required_roles": _required_roles(region_id),
        "next_dialogue": (
            f"Nästa dialog hålls under {dialogue.year + 1}. Enhetschefen bokar "
            "den i god tid och bjuder in båda parter."
        ),
        "blank_rows": _blank_rows(),
        # --- issue 16: the home's basis data beside last year's, and the topics sent in ---
        **basisdata.document_context(home.id, dialogue.year),
        **topics.document_context(dialogue),
    }


def demo_context(kind: DocumentKind, region_id: int | None = None) -> dict:
    """A fictional dialogue, for previews and for checking an uploaded template."""
    start = datetime(2027, 3, 16, 13, 0)
    end = datetime(2027, 3, 16, 15, 0)
    people = [
        {
            "id": 1,
            "name": "Alfa Exempelsson",
            "role": "Enhetschef",
            "side": "SÄBO",
            "email": "alfa@demo.example.org",
            "response": "Ja",
        },
        {
            "id": 2,
            "name": "Beta Demoberg",
            "role": "Sjuksköterska",
            "side": "SÄBO",
            "email": "beta@demo.example.org",
            "response": "Ja",
        },
        {
            "id": 3,
            "name": "Gamma Testlund",
            "role": "Arbetsterapeut",
            "side": "SÄBO",
            "email": "gamma@demo.example.org",
            "response": "Kanske",
        },
        {
            "id": 4,
            "name": "Delta Påhittad",
            "role": "SÄBO-läkare",
            "side": "Vårdcentral",
            "email": "delta@demo.example.org",
            "response": "Ja",
        },
        {
            "id": 5,
            "name": "Epsilon Låtsasson",
            "role": "Verksamhetschef",
            "side": "Vårdcentral",
            "email": "epsilon@demo.example.org",
            "response": "Inte svarat",
        },
    ]
    areas = _areas(region_id)
    if not areas:
        areas = [{"name": n, "questions": content.questions_for(n)} for n in content.AREA_QUESTIONS]
    return {
        "document_title": kind.title,
        "generated_on": date.today().isoformat(),
        "dialogue": {
            "id": 0,
            "calendar_uid": "demo@patientsakerhetsdialog",
            "year": 2027,
            "date": "2027-03-16",
            "weekday": "tisdag",
            "start": "13.00",
            "end": "15.00",
            "time_range": "2027-03-16 kl. 13.00–15.00",
            "location": "Demoboendet Solbacken, samlingsrummet",
            "video_link": "https://video.example.org/demo",
            "status": "Planerad",
            "organiser": "Alfa Exempelsson",
            "organiser_email": "alfa@demo.example.org",
        },
        "home": {"name": "Demoboendet Solbacken", "address": "Exempelvägen 1"},
        "municipality": {"name": "Demokommunen"},
        "region": {"name": "Demoregionen"},
        "health_centre": {"name": "Demo-vårdcentralen Torget", "address": "Torget 2"},
        "participants": people,
        "participants_home": people[:3],
        "participants_centre": people[3:],
        "agenda_points": agenda_points(start, end),
        "previous_actions": [
            {
                "id": 1,
                "year": 2026,
                "description": "Ta fram en gemensam checklista för läkemedelsgenomgång.",
                "responsible": "Gemensamt, SÄBO-läkare",
                "due_date": "2026-09-30",
                "status": "Pågår",
            },
            {
                "id": 2,
                "year": 2026,
                "description": "Inför rutin för överrapportering vid skiftbyte.",
                "responsible": "SÄBO, Sjuksköterska",
                "due_date": "2026-06-01",
                "status": "Klar",
            },
        ],
        "areas": areas,
        "shared_data": list(content.SHARED_DATA),
        "required_roles": _required_roles(None),
        "next_dialogue": "Nästa dialog hålls under 2028. Enhetschefen bokar den i god tid.",
        "blank_rows": _blank_rows(),
        # --- issue 16: sample basis data and topics ---
        **basisdata.sample_document_context(2027),
        **topics.sample_document_context(),
    }
