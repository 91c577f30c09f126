"""The follow-up of actions through the year, also after the dialogue is locked.

Findings lock with the dialogue; actions do not. The side that owns an action updates its
status (ej påbörjad, pågår, klar with the day it was done, avbruten with a reason) and writes
progress notes:
- the unit manager of the home: the home's (SÄBO) and joint actions;
- a health-centre user of the home's health centre: the centre's and joint actions;
- MAS/MAR of the municipality, regional users of the region and administrators: every action.
Every change is audited on the action; the audit entries are its timeline. A follow-up does
not touch the dialogue's version (it changes no part of the record a form was drawn from); it
is refused when the action itself changed since the form was drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..models import (
    Action,
    ActionNote,
    ActionStatus,
    AuditEntry,
    Dialogue,
    DialogueStatus,
    Party,
    User,
)
from ..timeutil import local, now_utc, today_local
from .lifecycle import COMMENT_MAX, NOTE_MAX, Checker, FindingsError, dialogue_day

STALE_ACTION = (
    "Åtgärden har ändrats av någon annan sedan du öppnade sidan. Ladda om sidan och gör "
    "uppföljningen igen; det du skrev finns kvar i formuläret."
)
HOME_PARTIES = {Party.CARE_HOME, Party.JOINT}
CENTRE_PARTIES = {Party.HEALTH_CENTRE, Party.JOINT}


class StaleActionError(FindingsError):
    def __init__(self):
        super().__init__(STALE_ACTION)


# --- who may follow up what ------------------------------------------------------------------


def oversees(scope, dialogue: Dialogue) -> bool:
    """MAS/MAR of the municipality, the region's users and administrators: every action."""
    home = dialogue.care_home
    return (
        scope.admin
        or home.municipality_id in scope.municipality_ids
        or home.municipality.region_id in scope.region_ids
    )


def serves(scope, dialogue: Dialogue) -> bool:
    """A user of the health centre that takes part in (or serves the home of) the dialogue."""
    centres = {dialogue.health_centre_id, dialogue.care_home.health_centre_id} - {None}
    return bool(centres & scope.health_centre_ids)


def parties_for(scope, dialogue: Dialogue) -> set[Party]:
    """The responsible parties whose actions this user may follow up in this dialogue."""
    if oversees(scope, dialogue):
        return set(Party)
    parties: set[Party] = set()
    if dialogue.care_home_id in scope.care_home_ids:
        parties |= HOME_PARTIES
    if serves(scope, dialogue):
        parties |= CENTRE_PARTIES
    return parties


def open_for_follow_up(dialogue: Dialogue) -> bool:
    """Actions are followed up once the meeting is held, and through the year after the lock."""
    return dialogue.status in (DialogueStatus.HELD, DialogueStatus.DOCUMENTED)


def can_follow_up(scope, action: Action) -> bool:
    dialogue = action.dialogue
    return open_for_follow_up(dialogue) and action.responsible_party in parties_for(scope, dialogue)


def refusal(scope, action: Action) -> str:
    """Why this user may not follow up this action (Swedish, shown as it is)."""
    dialogue = action.dialogue
    if dialogue.status is DialogueStatus.CANCELLED:
        return "Dialogen är inställd; dess åtgärder följs inte upp."
    if not open_for_follow_up(dialogue):
        return "Åtgärder följs upp när dialogen har hållits."
    owner = action.responsible_party.label
    return f"Åtgärden ägs av {owner}. Den följs upp av den parten, av MAS/MAR eller av regionen."


# --- the change ------------------------------------------------------------------------------


@dataclass
class FollowUp:
    status: ActionStatus | None
    done_on: date | None = None
    cancel_reason: str = ""
    note: str = ""
    note_date: date | None = None
    # The action's updated_at as the form saw it (isoformat); None: no check.
    seen: str | None = None


def stamp(action: Action) -> str:
    return action.updated_at.isoformat() if action.updated_at else ""


def _check(action: Action, data: FollowUp) -> Checker:
    checker = Checker()
    today = today_local()
    start = dialogue_day(action.dialogue)
    if data.status is None:
        checker.fail("status", "Välj status: ej påbörjad, pågår, klar eller avbruten.")
    if data.status is ActionStatus.DONE:
        if data.done_on is None:
            checker.fail("done_on", "Ange när åtgärden blev klar (ÅÅÅÅ-MM-DD).")
        elif data.done_on < start:
            checker.fail("done_on", f"Datumet kan inte vara före dialogen ({start.isoformat()}).")
        elif data.done_on > today:
            checker.fail("done_on", "Datumet kan inte ligga i framtiden.")
    if data.status is ActionStatus.CANCELLED:
        data.cancel_reason = checker.text(
            "cancel_reason", "Anledning", data.cancel_reason, max_len=COMMENT_MAX
        )
    else:
        data.cancel_reason = ""
    data.note = checker.text("note", "Anteckning", data.note, max_len=NOTE_MAX, required=False)
    if data.note:
        if data.note_date is None:
            data.note_date = today
        elif data.note_date < start:
            checker.fail("note_date", f"Datumet kan inte vara före dialogen ({start.isoformat()}).")
        elif data.note_date > today:
            checker.fail("note_date", "Datumet kan inte ligga i framtiden.")
    return checker


def _lock_and_compare(action: Action, seen: str | None) -> None:
    """Lock the action's row for this transaction and refuse a form drawn from an older one."""
    current = db.session.execute(
        sa.select(Action.updated_at).where(Action.id == action.id).with_for_update()
    ).scalar_one()
    if seen is not None and current.isoformat() != seen:
        raise StaleActionError()


def follow_up(action: Action, data: FollowUp, *, scope, actor) -> dict:
    """Apply one follow-up (status, done date or reason, a note). Returns the audited changes.

    Raises LockedError-like FindingsError when the user may not, ValidationFailed (with every
    wrong field) for bad input, StaleActionError when the action changed meanwhile.
    """
    if not can_follow_up(scope, action):
        raise FindingsError(refusal(scope, action))
    _check(action, data).raise_if_any()
    _lock_and_compare(action, data.seen)
    changes: dict[str, list] = {}
    if data.status is not action.status:
        changes["status"] = [action.status.value, data.status.value]
        action.status = data.status
    done_on = data.done_on if data.status is ActionStatus.DONE else None
    if done_on != action.done_on:
        changes["done_on"] = [_iso(action.done_on), _iso(done_on)]
        action.done_on = done_on
    action.completed_at = (
        (action.completed_at or now_utc()) if data.status is ActionStatus.DONE else None
    )
    if data.cancel_reason != (action.cancel_reason or ""):
        changes["cancel_reason"] = [action.cancel_reason or None, data.cancel_reason or None]
        action.cancel_reason = data.cancel_reason
    if data.note:
        db.session.add(ActionNote(action=action, note_date=data.note_date, text=data.note))
        changes["anteckning"] = [None, f"{data.note_date.isoformat()}: {data.note}"]
    if not changes:
        return {}
    action.updated_at = now_utc()
    db.session.flush()
    if action.dialogue.status is DialogueStatus.DOCUMENTED:
        changes["efter_dokumentation"] = [None, True]
    audit.record(
        "följde upp åtgärd",
        action,
        where=action.dialogue,
        actor=actor,
        summary=action.description[:120],
        changes=changes,
    )
    return changes


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- reading ---------------------------------------------------------------------------------


def is_overdue(action: Action, today: date | None = None) -> bool:
    today = today or today_local()
    return action.status.is_open and action.due_date is not None and action.due_date < today


def last_note(action: Action) -> ActionNote | None:
    return max(action.notes, key=lambda n: (n.note_date, n.id), default=None)


STATUS_LABELS = {s.value: s.label for s in ActionStatus}
FIELD_WORDS = {
    "status": "Status",
    "done_on": "Klar den",
    "cancel_reason": "Anledning",
    "anteckning": "Anteckning",
    "description": "Åtgärd",
    "due_date": "Klart senast",
    "responsible_party": "Ansvarig part",
    "responsible_role": "Ansvarig roll",
    "finding_id": "Iakttagelse",
    "area_id": "Område",
}
PARTY_LABELS = {p.value: p.label for p in Party}
HIDDEN_FIELDS = {"efter_dokumentation", "finding_id", "area_id"}


@dataclass
class TimelineEntry:
    at: datetime
    who: str
    what: str
    details: list[tuple[str, str]]


def _value(field: str, value) -> str:
    if value in (None, ""):
        return "–"
    if field == "status":
        return STATUS_LABELS.get(value, str(value))
    if field == "responsible_party":
        return PARTY_LABELS.get(value, str(value))
    return str(value)


def timeline(action: Action) -> list[TimelineEntry]:
    """Every audited change of the action, oldest first, in words people read."""
    rows = db.session.execute(
        sa.select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.object_type == "Action", AuditEntry.object_id == action.id)
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    entries = []
    for entry, name in rows:
        details = []
        for field, value in (entry.changes or {}).items():
            if field in HIDDEN_FIELDS:
                continue
            label = FIELD_WORDS.get(field, field.replace("_", " ").capitalize())
            if isinstance(value, list) and len(value) == 2:
                old, new = value
                if field == "anteckning":
                    text = _value(field, new)
                elif old is None:
                    text = _value(field, new)
                else:
                    text = f"{_value(field, old)} → {_value(field, new)}"
            else:
                text = _value(field, value)
            details.append((label, text))
        entries.append(
            TimelineEntry(
                at=entry.at,
                who=name or ("systemet" if entry.actor == "system" else entry.actor),
                what=entry.action.capitalize(),
                details=details,
            )
        )
    return entries


def local_day(value: datetime) -> date:
    return local(value).date()
