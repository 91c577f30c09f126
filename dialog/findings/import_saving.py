"""Saving a previewed import: all or nothing, in one transaction, re-validated on the way in.

The preview carries the rows in a signed form field (never the uploaded file): the signature
proves the rows are what this server read and checked, and they are checked again here anyway.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..models import (
    Action,
    ActionReview,
    ActionStatus,
    Attendance,
    ContactRole,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    Participant,
    Party,
    Side,
)
from ..timeutil import local, now_utc
from .findings_actions import (
    ActionData,
    FindingData,
    reviews_by_action,
    validate_action,
    validate_finding,
)
from .import_reading import ImportResult
from .lifecycle import (
    Checker,
    FindingsError,
    ValidationFailed,
    begin_change,
    dialogue_day,
    locked_note,
    record_change,
)

SALT = "findings-docx-import"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def sign(dialogue: Dialogue, result: ImportResult) -> str:
    return _serializer().dumps(
        {"dialogue": dialogue.id, "version": dialogue.version, "rows": result.to_payload()}
    )


def unsign(dialogue: Dialogue, token: str) -> tuple[ImportResult, int]:
    try:
        data = _serializer().loads(token or "")
    except BadSignature:
        raise FindingsError("Förhandsgranskningen kunde inte läsas. Läs in filen igen.") from None
    if data.get("dialogue") != dialogue.id:
        raise FindingsError("Förhandsgranskningen gäller en annan dialog. Läs in filen igen.")
    return ImportResult.from_payload(data["rows"]), data.get("version")


def save_import(
    dialogue: Dialogue, result: ImportResult, *, scope, expected_version, actor
) -> dict:
    """Apply the rows; returns the counts. Raises ValidationFailed and nothing is saved."""
    begin_change(scope, dialogue, expected_version)
    checker = Checker()
    people = {p.id: p for p in dialogue.current_participants}
    counts = {"närvaro": 0, "uppföljningar": 0, "iakttagelser": 0, "åtgärder": 0}

    for row in result.attendance:
        value = Attendance(row.attendance) if row.attendance else None
        if row.participant_id is not None:
            person = people.get(row.participant_id)
            if person is None:
                checker.fail(f"attendance-{row.row}", "En deltagare finns inte längre i dialogen.")
                continue
            if person.attendance is not value:
                person.attendance = value
                counts["närvaro"] += 1
        elif row.name and row.role and row.side and value is not None:
            dialogue.participants.append(
                Participant(
                    name=row.name[:160],
                    email="",
                    role=ContactRole(row.role),
                    side=Side(row.side),
                    attendance=value,
                )
            )
            counts["närvaro"] += 1

    existing_reviews = reviews_by_action(dialogue)
    for row in result.reviews:
        action = db.session.get(Action, row.action_id)
        if (
            action is None
            or action.dialogue.care_home_id != dialogue.care_home_id
            or action.dialogue.year >= dialogue.year
            or row.status is None
        ):
            checker.fail(f"review-{row.row}", "En åtgärd att följa upp hör inte till boendet.")
            continue
        comment = checker.text(
            f"review-{row.row}", "Kommentar", row.comment, max_len=1000, required=False
        )
        status = ActionStatus(row.status)
        review = existing_reviews.get(action.id)
        if review is None:
            review = ActionReview(action=action, dialogue=dialogue, status=status, comment=comment)
            db.session.add(review)
        review.status, review.comment = status, comment
        if action.status is not status:
            action.status = status
            action.completed_at = now_utc() if status is ActionStatus.DONE else None
        counts["uppföljningar"] += 1

    known = {(f.kind.value, f.area_id, f.description.strip()) for f in dialogue_findings(dialogue)}
    new_findings: list[Finding] = []
    for row in result.findings:
        data = FindingData(
            kind=FindingKind(row.kind),
            area_id=row.area_id,
            plan_area_id=None,
            description=row.description,
            concerns=Party(row.concerns) if row.concerns else Party.JOINT,
            spread_as_lesson=row.spread_as_lesson,
            escalate=row.escalate,
        )
        sub = validate_finding(dialogue, data)
        _merge(checker, sub, f"finding-{row.kind}-{row.row}")
        if sub.errors or (row.kind, row.area_id, data.description) in known:
            continue  # a second import of the same document adds nothing twice
        finding = Finding(
            dialogue=dialogue,
            kind=data.kind,
            area_id=data.area_id,
            description=data.description,
            concerns=data.concerns,
            spread_as_lesson=data.spread_as_lesson,
            escalate=data.escalate,
        )
        db.session.add(finding)
        new_findings.append(finding)
        counts["iakttagelser"] += 1
    db.session.flush()

    all_findings = dialogue_findings(dialogue)
    known_actions = {
        (a.description.strip(), a.due_date)
        for a in db.session.scalars(db.select(Action).where(Action.dialogue_id == dialogue.id))
    }
    for row in result.actions:
        due = date.fromisoformat(row.due_date) if row.due_date else None
        same_area = [
            f for f in all_findings if row.area_id is not None and f.area_id == row.area_id
        ]
        data = ActionData(
            description=row.description,
            responsible_party=Party(row.responsible_party) if row.responsible_party else None,
            responsible_role=ContactRole(row.responsible_role) if row.responsible_role else None,
            due_date=due,
            finding_id=same_area[0].id if len(same_area) == 1 else None,
            area_id=row.area_id,
        )
        sub = validate_action(dialogue, data)
        _merge(checker, sub, f"action-{row.row}")
        if sub.errors or (data.description, due) in known_actions:
            continue
        action = Action(
            dialogue=dialogue,
            description=data.description,
            responsible_party=data.responsible_party,
            responsible_role=data.responsible_role,
            due_date=due,
            finding_id=data.finding_id,
            area_id=data.area_id,
        )
        db.session.add(action)
        counts["åtgärder"] += 1

    if checker.errors:
        db.session.rollback()
        raise ValidationFailed(checker.errors)
    came = any(
        p.attendance in (Attendance.ATTENDED, Attendance.STAND_IN)
        for p in dialogue.current_participants
    )
    if (
        came
        and dialogue.status is DialogueStatus.PLANNED
        and dialogue_day(dialogue) <= local(now_utc()).date()
    ):
        # The template was filled in at the meeting: it was held.
        dialogue.status = DialogueStatus.HELD
        dialogue.held_at = now_utc()
        counts["markerad som genomförd"] = 1
    record_change(
        dialogue,
        "läste in dokumentationsmall",
        dialogue,
        actor=actor,
        changes={"inläst": [None, counts]} | locked_note(dialogue),
    )
    return counts


def _merge(checker: Checker, sub: Checker, prefix: str) -> None:
    for name, message in sub.errors.items():
        checker.errors[f"{prefix}-{name}"] = message


def dialogue_findings(dialogue: Dialogue) -> list[Finding]:
    return list(
        db.session.scalars(
            db.select(Finding).where(Finding.dialogue_id == dialogue.id).order_by(Finding.id)
        )
    )
