"""What a previewed import will do, and doing exactly that: all or nothing, in one transaction.

`plan_import` compares the rows read from the file with what is recorded and says, per table,
what will be added, changed and left as it is (a blank cell never overwrites). The preview
shows that plan; the confirm carries the rows in a signed form field (never the uploaded file)
together with the dialogue's version and a digest of the plan. `save_import` refuses when the
dialogue changed since the preview (optimistic locking: the version, and the plan computed
again must have the same digest), then applies the plan. Services flush; the view commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..documents import minutes_layout as L
from ..extensions import db
from ..locking import StaleDialogueError, check_version
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
CHANGED_SINCE_PREVIEW = (
    "Dialogen har ändrats i tjänsten sedan förhandsgranskningen, så det som visades stämmer "
    "inte längre. Inget har sparats. Läs in filen igen för att se en ny förhandsgranskning."
)
NEW, CHANGED, SAME = "ny", "ändras", "oförändrad"
STATE_LABELS = {NEW: "Läggs till", CHANGED: "Ändras", SAME: "Lämnas som den är"}


@dataclass
class PlanRow:
    label: str  # what the row is about ("Test SSK a1", "Brister, rad 2: Läkemedel")
    state: str  # NEW, CHANGED or SAME
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)


@dataclass
class PlanTable:
    title: str
    rows: list[PlanRow] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)


@dataclass
class Plan:
    tables: list[PlanTable]
    operations: list[Callable[[], None]]
    checker: Checker
    counts: dict[str, int]

    @property
    def has_changes(self) -> bool:
        return any(r.state != SAME for t in self.tables for r in t.rows)

    def digest(self) -> str:
        shape = [[t.title, [[r.label, r.state, r.changes] for r in t.rows]] for t in self.tables]
        return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()


def _label(enum_cls, value) -> str:
    if value is None:
        return ""
    return enum_cls(value).label if not isinstance(value, enum_cls) else value.label


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Ja" if value else "Nej")


class _Planner:
    def __init__(self, dialogue: Dialogue, result: ImportResult):
        self.dialogue = dialogue
        self.result = result
        self.checker = Checker()
        self.ops: list[Callable[[], None]] = []
        self.counts = {"närvaro": 0, "uppföljningar": 0, "iakttagelser": 0, "åtgärder": 0}
        self.counts["anteckningar"] = 0

    def row(self, table: PlanTable, label: str, changes: list, *, new: bool = False) -> str:
        state = NEW if new else (CHANGED if changes else SAME)
        table.rows.append(PlanRow(label, state, changes))
        return state

    # -- attendance
    def attendance(self) -> PlanTable:
        table = PlanTable(L.TABLE_TITLES[L.ATTENDANCE])
        people = {p.id: p for p in self.dialogue.current_participants}
        for row in self.result.attendance:
            value = Attendance(row.attendance) if row.attendance else None
            if row.participant_id is not None:
                person = people.get(row.participant_id)
                if person is None:
                    self.checker.fail(
                        f"attendance-{row.row}", "En deltagare finns inte längre i dialogen."
                    )
                    continue
                changes = []
                if value is not None and person.attendance is not value:
                    changes.append(("Närvaro", _label(Attendance, person.attendance), value.label))
                comment = (row.comment or "").strip()
                if row.comment is not None and comment != (person.attendance_comment or ""):
                    comment = self.checker.text(
                        f"attendance-{row.row}", "Kommentar", comment, max_len=1000
                    )
                    changes.append(("Kommentar", person.attendance_comment or "", comment))
                label = f"{person.name} ({person.role.label})"
                if self.row(table, label, changes) == CHANGED:
                    self.counts["närvaro"] += 1

                    def apply(person=person, value=value, row=row, comment=comment):
                        if value is not None:
                            person.attendance = value
                        if row.comment is not None:
                            person.attendance_comment = comment

                    self.ops.append(apply)
            elif row.name and row.role and row.side and value is not None:
                same = [
                    p
                    for p in people.values()
                    if L.normalise(p.name) == L.normalise(row.name) and p.role.value == row.role
                ]
                label = f"{row.name} ({ContactRole(row.role).label}, ny deltagare)"
                if same:  # already added by an earlier import of the same file
                    self.row(table, label, [])
                    continue
                self.row(
                    table,
                    label,
                    [("Närvaro", "", value.label)]
                    + ([("Kommentar", "", row.comment)] if row.comment else []),
                    new=True,
                )
                self.counts["närvaro"] += 1
                self.ops.append(
                    lambda row=row, value=value: self.dialogue.participants.append(
                        Participant(
                            name=row.name[:160],
                            email="",
                            role=ContactRole(row.role),
                            side=Side(row.side),
                            attendance=value,
                            attendance_comment=(row.comment or "")[:1000],
                        )
                    )
                )
        return table

    # -- follow-up of earlier actions
    def reviews(self) -> PlanTable:
        table = PlanTable(L.TABLE_TITLES[L.PREVIOUS_ACTIONS])
        existing = reviews_by_action(self.dialogue)
        for row in self.result.reviews:
            action = db.session.get(Action, row.action_id)
            if (
                action is None
                or action.dialogue.care_home_id != self.dialogue.care_home_id
                or action.dialogue.year >= self.dialogue.year
            ):
                self.checker.fail(
                    f"review-{row.row}", "En åtgärd att följa upp hör inte till boendet."
                )
                continue
            review = existing.get(action.id)
            status = ActionStatus(row.status) if row.status else (review.status if review else None)
            if status is None:
                self.checker.fail(
                    f"review-{row.row}", "Ange status nu när du skriver en kommentar."
                )
                continue
            comment = (
                self.checker.text(
                    f"review-{row.row}", "Kommentar", row.comment, max_len=1000, required=False
                )
                if row.comment is not None
                else (review.comment if review else "")
            )
            changes = []
            before_status = review.status if review else None
            if before_status is not status:
                changes.append(("Status nu", _label(ActionStatus, before_status), status.label))
            if comment != (review.comment if review else ""):
                changes.append(("Kommentar", review.comment if review else "", comment))
            if action.status is not status:
                changes.append(("Åtgärdens status", action.status.label, status.label))
            state = self.row(table, action.description, changes, new=review is None)
            if state == SAME:
                continue
            self.counts["uppföljningar"] += 1

            def apply(action=action, review=review, status=status, comment=comment):
                target = review
                if target is None:
                    target = ActionReview(action=action, dialogue=self.dialogue, status=status)
                    db.session.add(target)
                target.status, target.comment = status, comment
                if action.status is not status:
                    action.status = status
                    action.completed_at = now_utc() if status is ActionStatus.DONE else None

            self.ops.append(apply)
        return table

    # -- findings
    def findings(self) -> PlanTable:
        table = PlanTable("Brister, risker och framgångsfaktorer")
        recorded = list(
            db.session.scalars(
                db.select(Finding)
                .where(Finding.dialogue_id == self.dialogue.id)
                .order_by(Finding.id)
            )
        )
        known = {(f.kind.value, f.area_id, f.description.strip()) for f in recorded}
        for row in self.result.findings:
            where = f"finding-{row.kind}-{row.row}"
            label_prefix = f"{row.table or FindingKind(row.kind).label}, rad {row.row}"
            if row.finding_id is not None:
                finding = db.session.get(Finding, row.finding_id)
                if finding is None or finding.dialogue_id != self.dialogue.id:
                    self.checker.fail(where, "En iakttagelse finns inte längre i dialogen.")
                    continue
                data = FindingData(
                    kind=FindingKind(row.kind),
                    area_id=row.area_id if row.area_id is not None else finding.area_id,
                    plan_area_id=finding.plan_area_id,
                    description=row.description if row.description else finding.description,
                    concerns=Party(row.concerns) if row.concerns else finding.concerns,
                    spread_as_lesson=(
                        finding.spread_as_lesson
                        if row.spread_as_lesson is None
                        else row.spread_as_lesson
                    ),
                    escalate=finding.escalate if row.escalate is None else row.escalate,
                )
                sub = validate_finding(self.dialogue, data, current_area=finding.area_id)
                self._merge(sub, where)
                changes = self._finding_changes(finding, data)
                if self.row(table, f"{label_prefix}: {finding.description}", changes) == CHANGED:
                    self.counts["iakttagelser"] += 1
                    self.ops.append(
                        lambda finding=finding, data=data: _apply_finding(finding, data)
                    )
                continue
            data = FindingData(
                kind=FindingKind(row.kind),
                area_id=row.area_id,
                plan_area_id=None,
                description=row.description or "",
                concerns=Party(row.concerns) if row.concerns else Party.JOINT,
                spread_as_lesson=bool(row.spread_as_lesson),
                escalate=bool(row.escalate),
            )
            sub = validate_finding(self.dialogue, data)
            self._merge(sub, where)
            key = (row.kind, row.area_id, data.description.strip())
            label = f"{label_prefix}: {data.description}"
            if key in known:  # a second import of the same document adds nothing twice
                self.row(table, label, [])
                continue
            known.add(key)
            self.row(
                table,
                label,
                [
                    ("Område", "", row.area_name),
                    ("Gäller", "", data.concerns.label),
                    ("Lyfts till MAS/MAR och region", "", _yes_no(data.escalate)),
                    ("Sprids som lärdom", "", _yes_no(data.spread_as_lesson)),
                ],
                new=True,
            )
            self.counts["iakttagelser"] += 1
            self.ops.append(
                lambda data=data: db.session.add(
                    Finding(
                        dialogue=self.dialogue,
                        kind=data.kind,
                        area_id=data.area_id,
                        description=data.description,
                        concerns=data.concerns,
                        spread_as_lesson=data.spread_as_lesson,
                        escalate=data.escalate,
                    )
                )
            )
        return table

    @staticmethod
    def _finding_changes(finding: Finding, data: FindingData) -> list:
        from ..models import Area

        changes = []
        if finding.kind is not data.kind:
            changes.append(("Typ", finding.kind.label, data.kind.label))
        if finding.area_id != data.area_id:
            area = db.session.get(Area, data.area_id) if data.area_id else None
            changes.append(("Område", finding.area.name, area.name if area else ""))
        if finding.description.strip() != data.description.strip():
            changes.append(("Beskrivning", finding.description, data.description))
        if finding.concerns is not data.concerns:
            changes.append(("Gäller", finding.concerns.label, data.concerns.label))
        if finding.escalate != data.escalate:
            changes.append(
                ("Lyfts till MAS/MAR och region", _yes_no(finding.escalate), _yes_no(data.escalate))
            )
        if finding.spread_as_lesson != data.spread_as_lesson:
            changes.append(
                (
                    "Sprids som lärdom",
                    _yes_no(finding.spread_as_lesson),
                    _yes_no(data.spread_as_lesson),
                )
            )
        return changes

    # -- actions
    def actions(self) -> PlanTable:
        table = PlanTable(L.TABLE_TITLES[L.ACTIONS])
        recorded = list(
            db.session.scalars(db.select(Action).where(Action.dialogue_id == self.dialogue.id))
        )
        known = {(a.description.strip(), a.due_date) for a in recorded}
        for row in self.result.actions:
            where = f"action-{row.row}"
            due = date.fromisoformat(row.due_date) if row.due_date else None
            if row.action_id is not None:
                action = db.session.get(Action, row.action_id)
                if action is None or action.dialogue_id != self.dialogue.id:
                    self.checker.fail(where, "En åtgärd finns inte längre i dialogen.")
                    continue
                data = ActionData(
                    description=row.description or action.description,
                    responsible_party=(
                        Party(row.responsible_party)
                        if row.responsible_party
                        else action.responsible_party
                    ),
                    responsible_role=(
                        ContactRole(row.responsible_role)
                        if row.responsible_role
                        else action.responsible_role
                    ),
                    due_date=due or action.due_date,
                    status=action.status,
                    finding_id=action.finding_id,
                    area_id=row.area_id if row.area_id is not None else action.area_id,
                )
                sub = validate_action(self.dialogue, data, current_area=action.area_id)
                if due is None:
                    sub.errors.pop("due_date", None)  # kept as it was
                self._merge(sub, where)
                changes = _action_changes(action, data)
                label = f"Rad {row.row}: {action.description}"
                if self.row(table, label, changes) == CHANGED:
                    self.counts["åtgärder"] += 1
                    self.ops.append(lambda action=action, data=data: _apply_action(action, data))
                continue
            data = ActionData(
                description=row.description or "",
                responsible_party=Party(row.responsible_party) if row.responsible_party else None,
                responsible_role=ContactRole(row.responsible_role)
                if row.responsible_role
                else None,
                due_date=due,
                area_id=row.area_id,
            )
            sub = validate_action(self.dialogue, data)
            self._merge(sub, where)
            label = f"Rad {row.row}: {data.description}"
            if (data.description.strip(), due) in known:
                self.row(table, label, [])
                continue
            known.add((data.description.strip(), due))
            self.row(
                table,
                label,
                [
                    ("Område", "", row.area_name),
                    (
                        "Ansvarig",
                        "",
                        _label(Party, data.responsible_party)
                        + (f", {data.responsible_role.label}" if data.responsible_role else ""),
                    ),
                    ("Klart senast", "", due.isoformat() if due else ""),
                ],
                new=True,
            )
            self.counts["åtgärder"] += 1
            self.ops.append(lambda data=data: self._add_action(data))
        return table

    def _add_action(self, data: ActionData) -> None:
        # Link to the finding of the same area when there is exactly one.
        same_area = [
            f
            for f in db.session.scalars(
                db.select(Finding).where(Finding.dialogue_id == self.dialogue.id)
            )
            if data.area_id is not None and f.area_id == data.area_id
        ]
        db.session.add(
            Action(
                dialogue=self.dialogue,
                description=data.description,
                responsible_party=data.responsible_party,
                responsible_role=data.responsible_role,
                due_date=data.due_date,
                finding_id=same_area[0].id if len(same_area) == 1 else None,
                area_id=data.area_id,
            )
        )

    # -- notes
    def notes(self) -> PlanTable:
        table = PlanTable(L.TABLE_TITLES[L.NOTES])
        labels = {attr: label for label, attr in L.NOTE_FIELDS.items()}
        for attr, value in self.result.notes.items():
            if attr not in labels:
                continue
            value = value.strip()
            before = getattr(self.dialogue, attr) or ""
            changes = [(labels[attr], before, value)] if value != before else []
            state = self.row(table, labels[attr], changes, new=bool(changes) and not before)
            if state != SAME:
                self.counts["anteckningar"] += 1
                self.ops.append(lambda attr=attr, value=value: setattr(self.dialogue, attr, value))
        return table

    def _merge(self, sub: Checker, prefix: str) -> None:
        for name, message in sub.errors.items():
            self.checker.errors[f"{prefix}-{name}"] = message


def _action_changes(action: Action, data: ActionData) -> list:
    from ..models import Area

    changes = []
    if action.description.strip() != data.description.strip():
        changes.append(("Åtgärd", action.description, data.description))
    if action.area_id != data.area_id:
        before = action.area.name if action.area else ""
        area = db.session.get(Area, data.area_id) if data.area_id else None
        changes.append(("Område", before, area.name if area else ""))
    if action.responsible_party is not data.responsible_party:
        changes.append(
            ("Ansvarig part", action.responsible_party.label, _label(Party, data.responsible_party))
        )
    if action.responsible_role is not data.responsible_role:
        changes.append(
            (
                "Ansvarig roll",
                _label(ContactRole, action.responsible_role),
                _label(ContactRole, data.responsible_role),
            )
        )
    if action.due_date != data.due_date:
        changes.append(
            (
                "Klart senast",
                action.due_date.isoformat() if action.due_date else "",
                data.due_date.isoformat() if data.due_date else "",
            )
        )
    return changes


def _apply_finding(finding: Finding, data: FindingData) -> None:
    for name in ("kind", "area_id", "description", "concerns", "spread_as_lesson", "escalate"):
        setattr(finding, name, getattr(data, name))


def _apply_action(action: Action, data: ActionData) -> None:
    for name in ("description", "area_id", "responsible_party", "responsible_role", "due_date"):
        setattr(action, name, getattr(data, name))


def plan_import(dialogue: Dialogue, result: ImportResult) -> Plan:
    """What saving these rows would do, per table; nothing is changed."""
    planner = _Planner(dialogue, result)
    with db.session.no_autoflush:
        tables = [
            planner.attendance(),
            planner.reviews(),
            planner.findings(),
            planner.actions(),
            planner.notes(),
        ]
    return Plan([t for t in tables if t.rows], planner.ops, planner.checker, planner.counts)


# --- the signed confirm ---------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def sign(dialogue: Dialogue, result: ImportResult, plan: Plan) -> str:
    return _serializer().dumps(
        {
            "dialogue": dialogue.id,
            "version": dialogue.version,
            "digest": plan.digest(),
            "rows": result.to_payload(),
        }
    )


def unsign(dialogue: Dialogue, token: str) -> tuple[ImportResult, int | None, str]:
    try:
        data = _serializer().loads(token or "")
    except BadSignature:
        raise FindingsError("Förhandsgranskningen kunde inte läsas. Läs in filen igen.") from None
    if data.get("dialogue") != dialogue.id:
        raise FindingsError("Förhandsgranskningen gäller en annan dialog. Läs in filen igen.")
    return ImportResult.from_payload(data["rows"]), data.get("version"), data.get("digest", "")


def save_import(
    dialogue: Dialogue, result: ImportResult, *, scope, expected_version, digest: str, actor
) -> dict:
    """Apply exactly what the preview showed; returns the counts. Raises StaleDialogueError
    when the dialogue changed since the preview, ValidationFailed when a row no longer holds;
    in both cases nothing is changed."""
    begin_change(scope, dialogue, None)
    try:
        check_version(dialogue, expected_version)
    except StaleDialogueError:
        raise StaleDialogueError(CHANGED_SINCE_PREVIEW) from None
    plan = plan_import(dialogue, result)
    if plan.digest() != digest:
        raise StaleDialogueError(CHANGED_SINCE_PREVIEW)
    if plan.checker.errors:
        raise ValidationFailed(plan.checker.errors)
    for operation in plan.operations:
        operation()
    db.session.flush()
    counts = {k: v for k, v in plan.counts.items() if v}
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
