"""The data a template is filled with: plain dicts and strings, built from a dialogue.

Templates run in a sandbox and only ever see what is built here (see kinds.VARIABLES), never a
model object, so a replacement template cannot reach the database or the application.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import basisdata, topics
from ..catalogues import areas_for_region
from ..extensions import db
from ..models import (
    Action,
    ActionNote,
    ActionReview,
    Contact,
    ContactRole,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    Side,
)
from ..region_settings import settings_for_region
from ..timeutil import format_time_range, local, now_utc
from . import content
from . import minutes_layout as layout
from .kinds import DocumentKind
from .protocol import demo_minutes, minutes_data

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


# Code -> the word the documentation template uses for it (the importer reads the same words).
_ATTENDANCE_WORD = {code: word for word, code in layout.ATTENDANCE_VALUES.items()}
_PARTY_WORD = {code: word for word, code in layout.PARTY_VALUES.items()}
_ROLE_WORD = {code: word for word, code in layout.ROLE_VALUES.items()}
_STATUS_WORD = {code: word for word, code in layout.STATUS_VALUES.items()}


def _yes_no(value: bool) -> str:
    return "Ja" if value else "Nej"


def _person(p) -> dict:
    return {
        "id": p.id,
        "name": p.name,
        "role": p.role.label,
        "side": p.side.label,
        "email": p.email,
        "response": p.response.label,
        "attendance": _ATTENDANCE_WORD.get(p.attendance.value, "") if p.attendance else "",
        "attendance_comment": p.attendance_comment or "",
    }


def _responsible(action: Action) -> str:
    party = action.responsible_party.label
    return f"{party}, {action.responsible_role.label}" if action.responsible_role else party


def previous_actions(dialogue: Dialogue, today: date | None = None) -> list[dict]:
    """Actions of the home's earlier dialogues: all of the latest one, and any still open, with
    their latest status (overdue marked) and what this dialogue recorded about them."""
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
    today = today or local(now_utc()).date()
    latest_year = rows[0][1]
    rows = [(a, year) for a, year in rows if year == latest_year or a.status.is_open]
    ids = [a.id for a, _ in rows]
    reviews = {
        r.action_id: r
        for r in db.session.scalars(
            sa.select(ActionReview).where(
                ActionReview.dialogue_id == dialogue.id, ActionReview.action_id.in_(ids)
            )
        )
    }
    # The latest note of each action, in one query (not one per action).
    latest_notes: dict[int, tuple[str, str]] = {}
    for action_id, text, note_date in db.session.execute(
        sa.select(ActionNote.action_id, ActionNote.text, ActionNote.note_date)
        .where(ActionNote.action_id.in_(ids))
        .order_by(ActionNote.action_id, ActionNote.note_date, ActionNote.id)
    ):
        latest_notes[action_id] = (text, note_date.isoformat() if note_date else "")
    out = []
    for a, year in rows:
        overdue = bool(a.status.is_open and a.due_date and a.due_date < today)
        review = reviews.get(a.id)
        out.append(
            {
                "id": a.id,
                "year": year,
                "description": a.description,
                "responsible": _responsible(a),
                "due_date": a.due_date.isoformat() if a.due_date else "",
                "status": a.status.label,
                "overdue": overdue,
                "status_text": f"{a.status.label}, försenad" if overdue else a.status.label,
                "latest_note": latest_notes.get(a.id, ("", ""))[0],
                "latest_note_date": latest_notes.get(a.id, ("", ""))[1],
                "review_status": _STATUS_WORD.get(review.status.value, "") if review else "",
                "review_comment": review.comment if review else "",
            }
        )
    return out


def _recorded(dialogue: Dialogue) -> dict:
    """Findings and actions already recorded, in the words of the documentation template, so
    the template shows what will be kept (its rows carry the ids)."""
    findings = list(
        db.session.scalars(
            sa.select(Finding)
            .options(selectinload(Finding.area))
            .where(Finding.dialogue_id == dialogue.id)
            .order_by(Finding.id)
        )
    )
    by_kind = {
        key: [
            {
                "id": f.id,
                "area": f.area.name,
                "description": f.description,
                "concerns": _PARTY_WORD.get(f.concerns.value, ""),
                "escalate": _yes_no(f.escalate),
                "spread_as_lesson": _yes_no(f.spread_as_lesson),
            }
            for f in findings
            if f.kind is FindingKind(kind)
        ]
        for key, kind in layout.FINDING_KIND_OF_TABLE.items()
    }
    actions = [
        {
            "id": a.id,
            "area": (a.area.name if a.area else (a.finding.area.name if a.finding else "")),
            "description": a.description,
            "responsible_party": _PARTY_WORD.get(a.responsible_party.value, ""),
            "responsible_role": (
                _ROLE_WORD.get(a.responsible_role.value, "") if a.responsible_role else ""
            ),
            "due_date": a.due_date.isoformat() if a.due_date else "",
            "status": a.status.label,
        }
        for a in db.session.scalars(
            sa.select(Action)
            .options(
                selectinload(Action.area), selectinload(Action.finding).selectinload(Finding.area)
            )
            .where(Action.dialogue_id == dialogue.id)
            .order_by(Action.id)
        )
    ]
    return {**by_kind, "actions": actions}


def _empty_recorded() -> dict:
    return {key: [] for key in layout.FINDING_KIND_OF_TABLE} | {"actions": []}


def _organiser(dialogue: Dialogue) -> dict:
    """Name, e-mail and phone of the one who booked; the phone comes from the contact register
    (the same e-mail address), else from the home's unit manager."""
    user = dialogue.organiser
    name, email = (user.name, user.email) if user else ("", "")
    contacts = list(
        db.session.scalars(
            sa.select(Contact)
            .where(Contact.care_home_id == dialogue.care_home_id, Contact.active.is_(True))
            .order_by(Contact.id)
        )
    )
    same = [c for c in contacts if email and c.email.casefold() == email.casefold()]
    managers = [c for c in contacts if c.role is ContactRole.UNIT_MANAGER]
    source = (same or managers or [None])[0]
    if not name and source is not None:
        name, email = source.name, source.email
    phone = next((c.phone for c in (same or managers) if c.phone), "")
    return {"name": name, "email": email, "phone": phone}


def postal_address(address: str, municipality: str) -> str:
    """The address with the town once: "Påhittade vägen 4, Eskilstuna", never the town twice."""
    address = (address or "").strip().rstrip(",").strip()
    if not address:
        return municipality
    if municipality and municipality.casefold() in address.casefold():
        return address
    return f"{address}, {municipality}" if municipality else address


def reply_by(meeting_day: date, letter_day: date) -> date:
    """Two weeks before the meeting; at least a week after the letter, never after the day."""
    wanted = meeting_day - timedelta(days=14)
    if wanted < letter_day + timedelta(days=7):
        wanted = min(letter_day + timedelta(days=7), meeting_day - timedelta(days=1))
    return max(wanted, letter_day)


def _chair_default(people: list[dict]) -> str:
    """The home's unit manager leads the dialogue (the method's rule)."""
    for p in people:
        if p["side"] == Side.CARE_HOME.label and p["role"] == ContactRole.UNIT_MANAGER.label:
            return p["name"]
    return ""


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
    context = _common_context(dialogue, kind, today=today)
    if kind.key == "protokoll":
        context["minutes"] = minutes_data(dialogue)
    return context


def _common_context(dialogue: Dialogue, kind: DocumentKind, *, today: date | None = None) -> dict:
    home = dialogue.care_home
    municipality = home.municipality
    centre = dialogue.health_centre
    start, end = local(dialogue.starts_at), local(dialogue.ends_at)
    people = [_person(p) for p in dialogue.current_participants]
    region_id = municipality.region_id
    organiser = _organiser(dialogue)
    today = today or local(now_utc()).date()
    return {
        "document_title": kind.title,
        "generated_on": today.isoformat(),
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
            "organiser": organiser["name"],
            "organiser_email": organiser["email"],
            "organiser_phone": organiser["phone"],
            "reply_by": reply_by(start.date(), today).isoformat(),
            "chair": dialogue.chair or _chair_default(people),
            "note_taker": dialogue.note_taker,
            "minutes_checked_by": dialogue.minutes_checked_by,
            "shared_data_notes": dialogue.shared_data_notes,
            "lessons_to": dialogue.lessons_to,
            "lessons_by": dialogue.lessons_by,
            "lessons_when": dialogue.lessons_when,
            "next_dialogue_note": dialogue.next_dialogue_note,
        },
        "home": {
            "name": home.name,
            "address": home.address or "",
            "postal_address": postal_address(home.address, municipality.name),
        },
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
        "previous_actions": previous_actions(dialogue, today),
        "recorded": _recorded(dialogue),
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
            "attendance": "",
            "attendance_comment": "",
        },
        {
            "id": 2,
            "name": "Beta Demoberg",
            "role": "Sjuksköterska",
            "side": "SÄBO",
            "email": "beta@demo.example.org",
            "response": "Ja",
            "attendance": "",
            "attendance_comment": "",
        },
        {
            "id": 3,
            "name": "Gamma Testlund",
            "role": "Arbetsterapeut",
            "side": "SÄBO",
            "email": "gamma@demo.example.org",
            "response": "Kanske",
            "attendance": "",
            "attendance_comment": "",
        },
        {
            "id": 4,
            "name": "Delta Påhittad",
            "role": "SÄBO-läkare",
            "side": "Vårdcentral",
            "email": "delta@demo.example.org",
            "response": "Ja",
            "attendance": "",
            "attendance_comment": "",
        },
        {
            "id": 5,
            "name": "Epsilon Låtsasson",
            "role": "Verksamhetschef",
            "side": "Vårdcentral",
            "email": "epsilon@demo.example.org",
            "response": "Inte svarat",
            "attendance": "",
            "attendance_comment": "",
        },
    ]
    areas = _areas(region_id)
    if not areas:
        areas = [{"name": n, "questions": content.questions_for(n)} for n in content.AREA_QUESTIONS]
    return {
        "document_title": kind.title,
        "generated_on": local(now_utc()).date().isoformat(),
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
            "organiser_phone": "",
            "reply_by": "2027-03-02",
            "chair": "Alfa Exempelsson",
            "note_taker": "",
            "minutes_checked_by": "",
            "shared_data_notes": "",
            "lessons_to": "",
            "lessons_by": "",
            "lessons_when": "",
            "next_dialogue_note": "",
        },
        "home": {
            "name": "Demoboendet Solbacken",
            "address": "Exempelvägen 1",
            "postal_address": "Exempelvägen 1, Demokommunen",
        },
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
                "overdue": True,
                "status_text": "Pågår, försenad",
                "latest_note": "",
                "latest_note_date": "",
                "review_status": "",
                "review_comment": "",
            },
            {
                "id": 2,
                "year": 2026,
                "description": "Inför rutin för överrapportering vid skiftbyte.",
                "responsible": "SÄBO, Sjuksköterska",
                "due_date": "2026-06-01",
                "status": "Klar",
                "overdue": False,
                "status_text": "Klar",
                "latest_note": "",
                "latest_note_date": "",
                "review_status": "",
                "review_comment": "",
            },
        ],
        "recorded": _empty_recorded(),
        "areas": areas,
        "shared_data": list(content.SHARED_DATA),
        "required_roles": _required_roles(None),
        "next_dialogue": "Nästa dialog hålls under 2028. Enhetschefen bokar den i god tid.",
        "blank_rows": _blank_rows(),
        "minutes": demo_minutes(),
        # Sample basis data and topics.
        **basisdata.sample_document_context(2027),
        **topics.sample_document_context(),
    }
