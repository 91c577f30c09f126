"""Rules for recording a dialogue: who may change it, attendance, held and documented.

Every change goes through `record_change`: the dialogue's version (optimistic locking, see
dialog/locking.py) is bumped and the audit entry written; the edge commits. Two people editing
the same dialogue cannot silently overwrite each other. Free text passes the patient-data guard before anything is
touched; refused text is never stored, logged or put in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .. import audit
from ..extensions import db
from ..locking import check_version, flush_change
from ..models import Attendance, Dialogue, DialogueStatus, FindingKind, ResponseStatus
from ..privacy import PatientDataError, ensure_no_patient_data, find_patient_data
from ..region_settings import settings_for_region
from ..representation import is_full, representation
from ..timeutil import local, now_utc

DESCRIPTION_MAX = 2000
COMMENT_MAX = 1000
NOTE_MAX = 1000
# Due dates further ahead than this are taken for typing errors.
MAX_YEARS_AHEAD = 5


class FindingsError(ValueError):
    """A rule was broken; the Swedish message is shown as it is."""


class LockedError(FindingsError):
    pass


class ValidationFailed(FindingsError):
    """One or more fields are wrong: errors maps a field name to its Swedish message.
    Messages about patient data quote the refused words: show them only to the writer."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("Formuläret innehåller fel. Inget har sparats.")


@dataclass
class Checker:
    """Collects field errors so every wrong field is flagged at once."""

    errors: dict[str, str] = field(default_factory=dict)

    def text(
        self, name: str, label: str, value: str | None, *, max_len: int, required: bool = True
    ) -> str:
        value = (value or "").strip()
        if not value:
            if required:
                self.errors[name] = f"Fyll i {label.lower()}."
            return ""
        if len(value) > max_len:
            self.errors[name] = (
                f"{label} får vara högst {max_len} tecken (nu {len(value)}). Korta texten."
            )
            return value
        try:
            ensure_no_patient_data(value, label)
        except PatientDataError as error:
            self.errors[name] = error.field_message
        return value

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(dict(self.errors))


# --- who may change what ------------------------------------------------------------------


def is_locked(dialogue: Dialogue) -> bool:
    return dialogue.status is DialogueStatus.DOCUMENTED


def can_change_locked(scope, dialogue: Dialogue) -> bool:
    """After documentation only MAS/MAR of the municipality, the region or administrators."""
    home = dialogue.care_home
    return (
        scope.admin
        or home.municipality_id in scope.municipality_ids
        or home.municipality.region_id in scope.region_ids
    )


def can_record(scope, dialogue: Dialogue) -> bool:
    if dialogue.status is DialogueStatus.CANCELLED or not scope.can_manage_dialogue(dialogue):
        return False
    return not is_locked(dialogue) or can_change_locked(scope, dialogue)


def ensure_can_record(scope, dialogue: Dialogue) -> None:
    if dialogue.status is DialogueStatus.CANCELLED:
        raise LockedError("Dialogen är inställd och kan inte dokumenteras.")
    if is_locked(dialogue) and not can_change_locked(scope, dialogue):
        raise LockedError(
            "Dialogen är dokumenterad och låst. Bara MAS/MAR eller en "
            "administratör kan ändra den nu."
        )


def dialogue_day(dialogue: Dialogue) -> date:
    return local(dialogue.starts_at).date()


def check_due_date(
    checker: Checker, name: str, value: date | None, dialogue: Dialogue, *, required: bool = True
) -> None:
    if value is None:
        if required:
            checker.fail(name, "Ange när åtgärden ska vara klar (ÅÅÅÅ-MM-DD).")
        return
    start = dialogue_day(dialogue)
    if value < start:
        checker.fail(name, f"Datumet kan inte vara före dialogen ({start.isoformat()}).")
    elif value > start + timedelta(days=365 * MAX_YEARS_AHEAD):
        checker.fail(
            name, f"Datumet ligger mer än {MAX_YEARS_AHEAD} år efter dialogen. Kontrollera årtalet."
        )


# --- recording a change ------------------------------------------------------------------


def record_change(
    dialogue: Dialogue, action: str, obj, *, changes: dict, actor, summary: str = ""
) -> None:
    """Bump the dialogue's version, flush and audit; a lost race becomes StaleDialogueError."""
    flush_change(dialogue)
    audit.record(action, obj, changes=changes, where=dialogue, actor=actor, summary=summary)


def begin_change(scope, dialogue: Dialogue, expected_version: int | None) -> None:
    ensure_can_record(scope, dialogue)
    check_version(dialogue, expected_version)


def locked_note(dialogue: Dialogue) -> dict:
    return {"efter_dokumentation": [None, True]} if is_locked(dialogue) else {}


# --- the meeting's notes ------------------------------------------------------------------

# Dialogue attribute -> (label, longest text, may name a staff member)
NOTES = {
    "chair": ("Mötesledare", 160, True),
    "note_taker": ("Antecknat av", 160, True),
    "minutes_checked_by": ("Justerat av", 160, True),
    "shared_data_notes": ("Underlag som togs upp", 4000, False),
    "lessons_to": ("Lärdomar förs vidare till", 500, False),
    "lessons_by": ("Lärdomar förs vidare av", 500, True),
    "lessons_when": ("Lärdomar förs vidare när", 500, False),
    "next_dialogue_note": ("Nästa dialog", 500, False),
}


def check_note(checker: Checker, attr: str, value: str | None) -> str:
    """A note passes the patient-data guard; those naming who led, wrote or checked the
    minutes may hold a staff member's name (never a personal identity number and the like)."""
    label, max_len, person = NOTES[attr]
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > max_len:
        checker.fail(attr, f"{label} får vara högst {max_len} tecken (nu {len(value)}).")
        return value
    hits = [h for h in find_patient_data(value) if not (person and h.kind == "namn")]
    if hits:
        checker.fail(attr, PatientDataError(label, hits).field_message)
    return value


def record_notes(
    dialogue: Dialogue, values: dict[str, str], *, scope, expected_version: int | None, actor
) -> None:
    begin_change(scope, dialogue, expected_version)
    checker = Checker()
    cleaned = {attr: check_note(checker, attr, values.get(attr)) for attr in NOTES}
    checker.raise_if_any()
    changes = {}
    for attr, value in cleaned.items():
        if (getattr(dialogue, attr) or "") != value:
            changes[attr] = [getattr(dialogue, attr) or "", value]
            setattr(dialogue, attr, value)
    if changes:
        record_change(
            dialogue,
            "ändrade anteckningar från mötet",
            dialogue,
            changes=changes | locked_note(dialogue),
            actor=actor,
        )


# --- attendance and status ----------------------------------------------------------------


def achieved_representation(dialogue: Dialogue):
    """Seats filled by those who actually came (or sent a stand-in)."""
    settings = settings_for_region(dialogue.care_home.municipality.region_id)
    status = representation(
        dialogue.current_participants,
        settings.required_roles,
        counts=lambda p: p.attendance in (Attendance.ATTENDED, Attendance.STAND_IN),
    )
    return status, is_full(status)


def attendance_recorded(dialogue: Dialogue) -> bool:
    people = dialogue.current_participants
    return bool(people) and all(p.attendance is not None for p in people)


def record_attendance(
    dialogue: Dialogue,
    values: dict[int, Attendance | None],
    *,
    scope,
    expected_version: int | None,
    actor,
    mark_held: bool = False,
    comments: dict[int, str] | None = None,
) -> str | None:
    """Save the attendance; with mark_held also mark the dialogue held.

    A refused status change never throws the attendance away: it is saved, and the refusal is
    returned (Swedish) for the page to show. Returns None when everything asked for was done.
    """
    begin_change(scope, dialogue, expected_version)
    people = {p.id: p for p in dialogue.current_participants}
    unknown = [pid for pid in list(values) + list(comments or {}) if pid not in people]
    if unknown:
        raise FindingsError("En deltagare hör inte till den här dialogen.")
    checker = Checker()
    cleaned = {
        pid: checker.text(
            f"attendance-comment-{pid}", "Kommentar", text, max_len=COMMENT_MAX, required=False
        )
        for pid, text in (comments or {}).items()
    }
    checker.raise_if_any()  # refused text is never stored nor put in the audit log
    changes = {}
    for pid, text in cleaned.items():
        participant = people[pid]
        if (participant.attendance_comment or "") != text:
            changes[f"kommentar {participant.name} ({participant.role.label})"] = [
                participant.attendance_comment or "",
                text,
            ]
            participant.attendance_comment = text
    for pid, value in values.items():
        participant = people[pid]
        if participant.attendance is not value:
            changes[f"{participant.name} ({participant.role.label})"] = [
                participant.attendance.value if participant.attendance else None,
                value.value if value else None,
            ]
            participant.attendance = value
    refused = None
    if mark_held:
        try:
            changes.update(_set_held(dialogue))
        except FindingsError as error:
            refused = str(error)
    if changes:
        changes.update(locked_note(dialogue))
        record_change(dialogue, "registrerade närvaro", dialogue, changes=changes, actor=actor)
    return refused


def suggested_attendance(dialogue: Dialogue) -> dict[int, Attendance]:
    """Attendance as the answers suggest it, for people not yet recorded: accepted -> deltog;
    someone whose stand-in came -> ersättare deltog; declined without a stand-in -> deltog inte.
    Only a suggestion in the form: nothing is saved until the user saves it."""
    people = dialogue.current_participants
    stood_in_for = {p.stand_in_for_id for p in people if p.stand_in_for_id is not None}
    suggestions = {}
    for p in people:
        if p.attendance is not None:
            continue
        if p.id in stood_in_for:
            suggestions[p.id] = Attendance.STAND_IN
        elif p.response is ResponseStatus.ACCEPTED:
            suggestions[p.id] = Attendance.ATTENDED
        elif p.response is ResponseStatus.DECLINED:
            suggestions[p.id] = Attendance.ABSENT
    return suggestions


def _set_held(dialogue: Dialogue) -> dict:
    if dialogue.status is not DialogueStatus.PLANNED:
        return {}
    day = dialogue_day(dialogue)
    if day > local(now_utc()).date():
        raise FindingsError(
            f"Dialogen kan markeras som genomförd först på mötesdagen ({day.isoformat()})."
        )
    dialogue.status = DialogueStatus.HELD
    dialogue.held_at = now_utc()
    return {"status": ["planerad", "genomford"]}


def mark_held(dialogue: Dialogue, *, scope, expected_version: int | None, actor) -> None:
    begin_change(scope, dialogue, expected_version)
    if dialogue.status is not DialogueStatus.PLANNED:
        raise FindingsError("Bara en planerad dialog kan markeras som genomförd.")
    changes = _set_held(dialogue)
    record_change(
        dialogue, "markerade dialog som genomförd", dialogue, changes=changes, actor=actor
    )


def documenting_problems(dialogue: Dialogue) -> list[str]:
    """What stands in the way of documenting and locking, in words (empty: nothing)."""
    problems = []
    if dialogue.status is DialogueStatus.PLANNED:
        problems.append("Dialogen är inte markerad som genomförd.")
    if not attendance_recorded(dialogue):
        problems.append("Närvaron är inte registrerad för alla deltagare.")
    return problems


def mark_documented(dialogue: Dialogue, *, scope, expected_version: int | None, actor) -> int:
    """Lock the dialogue: from now on only MAS/MAR or administrators change the record (the
    actions stay open to follow-up). The minutes go to every participant in the same
    transaction. Returns the number of minutes mails queued."""
    begin_change(scope, dialogue, expected_version)
    if dialogue.status is not DialogueStatus.HELD:
        raise FindingsError("Markera först dialogen som genomförd.")
    if not attendance_recorded(dialogue):
        raise FindingsError(
            "Registrera närvaro för alla deltagare innan dialogen markeras som dokumenterad."
        )
    dialogue.status = DialogueStatus.DOCUMENTED
    dialogue.documented_at = now_utc()
    record_change(
        dialogue,
        "markerade dialog som dokumenterad",
        dialogue,
        actor=actor,
        changes={"status": ["genomford", "dokumenterad"]},
    )
    from .minutes import send_minutes  # minutes uses this module's rules

    return send_minutes(dialogue, actor=actor)


UNLOCK_REASON_MAX = 500


def reopen(
    dialogue: Dialogue, *, scope, expected_version: int | None, actor, reason: str = ""
) -> None:
    """MAS/MAR or an administrator opens a documented dialogue for the unit manager again.

    A reason is required (guarded like every free text) and goes into the audit log."""
    if not is_locked(dialogue):
        raise FindingsError("Dialogen är inte låst.")
    if not can_change_locked(scope, dialogue):
        raise LockedError("Bara MAS/MAR eller en administratör kan låsa upp dialogen.")
    check_version(dialogue, expected_version)
    checker = Checker()
    reason = checker.text("reason", "Anledning", reason, max_len=UNLOCK_REASON_MAX)
    checker.raise_if_any()
    dialogue.status = DialogueStatus.HELD
    dialogue.documented_at = None
    record_change(
        dialogue,
        "låste upp dokumenterad dialog",
        dialogue,
        actor=actor,
        summary=reason[:300],
        changes={"status": ["dokumenterad", "genomford"], "anledning": [None, reason]},
    )


@dataclass
class Summary:
    invited: int
    attended: int
    recorded: bool
    full: bool
    kinds: dict[str, int]
    actions: int


def findings_summary(dialogue: Dialogue) -> Summary:
    """The counts shown in the panel on the dialogue page."""
    import sqlalchemy as sa

    from ..models import Action, Finding

    people = dialogue.current_participants
    _, full = achieved_representation(dialogue)
    kinds = {k.value: 0 for k in FindingKind}
    for kind, count in db.session.execute(
        sa.select(Finding.kind, sa.func.count())
        .where(Finding.dialogue_id == dialogue.id)
        .group_by(Finding.kind)
    ):
        kinds[kind.value] = count
    actions = db.session.scalar(
        sa.select(sa.func.count()).select_from(Action).where(Action.dialogue_id == dialogue.id)
    )
    return Summary(
        invited=len(people),
        attended=sum(
            1 for p in people if p.attendance in (Attendance.ATTENDED, Attendance.STAND_IN)
        ),
        recorded=attendance_recorded(dialogue),
        full=full,
        kinds=kinds,
        actions=actions or 0,
    )
