"""The minutes (protokoll): the fields only the minutes carry, and sending them.

How lessons are passed on and the next dialogue are free text (guarded); "Antecknat av" and
"Justerat av" are chosen among the dialogue's participants, so no name is typed. They belong to
the dialogue's record: they lock with it. When the dialogue is documented, the minutes are
rendered as a Word file and queued to every participant in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..documents import render_minutes
from ..extensions import db
from ..invitations import queue_minutes
from ..models import Dialogue, DialogueMinutes
from .lifecycle import COMMENT_MAX, Checker, begin_change, locked_note, record_change

LESSONS_MAX = 2000
NEXT_MAX = COMMENT_MAX


@dataclass
class MinutesData:
    lessons_passed_on: str = ""
    next_dialogue: str = ""
    recorded_by_id: int | None = None
    approved_by_id: int | None = None


FIELDS = ["lessons_passed_on", "next_dialogue", "recorded_by_id", "approved_by_id"]


def details(dialogue: Dialogue) -> DialogueMinutes | None:
    return db.session.get(DialogueMinutes, dialogue.id)


def save_details(dialogue: Dialogue, data: MinutesData, *, scope, expected_version, actor) -> bool:
    """Save the minutes' own fields. Returns False when nothing changed."""
    begin_change(scope, dialogue, expected_version)
    checker = Checker()
    data.lessons_passed_on = checker.text(
        "lessons_passed_on",
        "Hur lärdomarna förs vidare",
        data.lessons_passed_on,
        max_len=LESSONS_MAX,
        required=False,
    )
    data.next_dialogue = checker.text(
        "next_dialogue", "Nästa dialog", data.next_dialogue, max_len=NEXT_MAX, required=False
    )
    people = {p.id for p in dialogue.current_participants}
    for name in ("recorded_by_id", "approved_by_id"):
        value = getattr(data, name)
        if value is not None and value not in people:
            checker.fail(name, "Välj en av dialogens deltagare.")
    checker.raise_if_any()
    row = details(dialogue)
    before = {name: getattr(row, name) if row else None for name in FIELDS}
    if row is None:
        row = DialogueMinutes(dialogue_id=dialogue.id, lessons_passed_on="", next_dialogue="")
        db.session.add(row)
    for name in FIELDS:
        setattr(row, name, getattr(data, name))
    after = {name: getattr(row, name) for name in FIELDS}
    changes = {
        k: [before[k] or None, v or None]
        for k, v in after.items()
        if (before[k] or None) != (v or None)
    }
    if not changes:
        return False
    record_change(
        dialogue,
        "ändrade protokollets uppgifter",
        dialogue,
        actor=actor,
        changes=changes | locked_note(dialogue),
    )
    return True


def send_minutes(dialogue: Dialogue, *, actor) -> int:
    """Render the minutes and queue them to every participant; the edge commits."""
    data, filename = render_minutes(dialogue)
    return queue_minutes(dialogue, data, filename, actor=actor)
