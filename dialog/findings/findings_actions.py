"""Findings, actions, progress notes and the review of earlier dialogues' actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from .. import audit
from ..catalogues import areas_for_region
from ..extensions import db
from ..models import (
    Action,
    ActionNote,
    ActionReview,
    ActionStatus,
    Area,
    ContactRole,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    Party,
    PlanArea,
)
from ..timeutil import local, now_utc
from .lifecycle import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    Checker,
    FindingsError,
    begin_change,
    check_due_date,
    dialogue_day,
    locked_note,
    record_change,
)

FINDING_FIELDS = [
    "kind",
    "area_id",
    "plan_area_id",
    "description",
    "concerns",
    "spread_as_lesson",
    "escalate",
]
ACTION_FIELDS = [
    "description",
    "finding_id",
    "area_id",
    "responsible_party",
    "responsible_role",
    "due_date",
    "status",
]


@dataclass
class FindingData:
    kind: FindingKind | None
    area_id: int | None
    plan_area_id: int | None
    description: str
    concerns: Party | None = Party.JOINT
    spread_as_lesson: bool = False
    escalate: bool = False


@dataclass
class ActionData:
    description: str
    responsible_party: Party | None
    responsible_role: ContactRole | None
    due_date: date | None
    status: ActionStatus = ActionStatus.NOT_STARTED
    finding_id: int | None = None
    area_id: int | None = None


def region_areas(dialogue: Dialogue) -> list[Area]:
    return areas_for_region(dialogue.care_home.municipality.region_id)


def plan_areas() -> list[PlanArea]:
    return list(
        db.session.scalars(
            sa.select(PlanArea)
            .where(PlanArea.active.is_(True))
            .order_by(PlanArea.sort_order, PlanArea.name)
        )
    )


def _allowed_area_ids(dialogue: Dialogue, current: int | None = None) -> set[int]:
    ids = {a.id for a in region_areas(dialogue)}
    if current is not None:
        ids.add(current)  # an area later removed from the catalogue stays valid where used
    return ids


def validate_finding(
    dialogue: Dialogue,
    data: FindingData,
    *,
    current_area: int | None = None,
    checker: Checker | None = None,
) -> Checker:
    checker = checker or Checker()
    if data.kind is None:
        checker.fail("kind", "Välj typ: brist, risk eller framgångsfaktor.")
    if data.area_id is None:
        checker.fail("area_id", "Välj område.")
    elif data.area_id not in _allowed_area_ids(dialogue, current_area):
        checker.fail("area_id", "Området finns inte i regionens katalog.")
    if data.plan_area_id is not None and db.session.get(PlanArea, data.plan_area_id) is None:
        checker.fail("plan_area_id", "Området i handlingsplanen finns inte.")
    if data.concerns is None:
        checker.fail("concerns", "Välj vem iakttagelsen gäller.")
    data.description = checker.text(
        "description", "Beskrivning", data.description, max_len=DESCRIPTION_MAX
    )
    return checker


def _apply_finding(finding: Finding, data: FindingData) -> None:
    for name in FINDING_FIELDS:
        setattr(finding, name, getattr(data, name))


def add_finding(dialogue: Dialogue, data: FindingData, *, scope, actor) -> Finding:
    begin_change(scope, dialogue, None)  # adding overwrites nothing
    validate_finding(dialogue, data).raise_if_any()
    finding = Finding(dialogue=dialogue)
    _apply_finding(finding, data)
    db.session.add(finding)
    db.session.flush()
    record_change(
        dialogue,
        "lade till iakttagelse",
        finding,
        actor=actor,
        changes={k: [None, v] for k, v in audit.snapshot(finding, FINDING_FIELDS).items()}
        | locked_note(dialogue),
    )
    return finding


def update_finding(finding: Finding, data: FindingData, *, scope, expected_version, actor) -> None:
    dialogue = finding.dialogue
    begin_change(scope, dialogue, expected_version)
    validate_finding(dialogue, data, current_area=finding.area_id).raise_if_any()
    before = audit.snapshot(finding, FINDING_FIELDS)
    _apply_finding(finding, data)
    changes = audit.changes_between(before, audit.snapshot(finding, FINDING_FIELDS))
    if changes:
        record_change(
            dialogue,
            "ändrade iakttagelse",
            finding,
            actor=actor,
            changes=changes | locked_note(dialogue),
        )


def delete_finding(finding: Finding, *, scope, expected_version, actor) -> None:
    dialogue = finding.dialogue
    begin_change(scope, dialogue, expected_version)
    snapshot = audit.snapshot(finding, FINDING_FIELDS)
    for action in list(finding.actions):
        action.finding = None  # the actions stay, linked to the dialogue
    db.session.delete(finding)
    record_change(
        dialogue,
        "tog bort iakttagelse",
        finding,
        actor=actor,
        changes={k: [v, None] for k, v in snapshot.items()} | locked_note(dialogue),
    )


# --- actions --------------------------------------------------------------------------------


def validate_action(
    dialogue: Dialogue,
    data: ActionData,
    *,
    checker: Checker | None = None,
    current_area: int | None = None,
) -> Checker:
    checker = checker or Checker()
    data.description = checker.text(
        "description", "Åtgärd", data.description, max_len=DESCRIPTION_MAX
    )
    if data.responsible_party is None:
        checker.fail("responsible_party", "Välj ansvarig part.")
    if data.finding_id is not None:
        finding = db.session.get(Finding, data.finding_id)
        if finding is None or finding.dialogue_id != dialogue.id:
            checker.fail("finding_id", "Iakttagelsen hör inte till den här dialogen.")
    if data.area_id is not None and data.area_id not in _allowed_area_ids(dialogue, current_area):
        checker.fail("area_id", "Området finns inte i regionens katalog.")
    check_due_date(checker, "due_date", data.due_date, dialogue)
    return checker


def _apply_action(action: Action, data: ActionData) -> None:
    for name in ACTION_FIELDS:
        setattr(action, name, getattr(data, name))
    if action.status is ActionStatus.DONE and action.completed_at is None:
        action.completed_at = now_utc()
    elif action.status is not ActionStatus.DONE:
        action.completed_at = None
    if action.status is ActionStatus.DONE:
        action.done_on = action.done_on or local(now_utc()).date()
    else:
        action.done_on = None


def add_action(dialogue: Dialogue, data: ActionData, *, scope, actor) -> Action:
    begin_change(scope, dialogue, None)
    validate_action(dialogue, data).raise_if_any()
    action = Action(dialogue=dialogue)
    _apply_action(action, data)
    db.session.add(action)
    db.session.flush()
    record_change(
        dialogue,
        "lade till åtgärd",
        action,
        actor=actor,
        changes={k: [None, v] for k, v in audit.snapshot(action, ACTION_FIELDS).items()}
        | locked_note(dialogue),
    )
    return action


def update_action(action: Action, data: ActionData, *, scope, expected_version, actor) -> None:
    dialogue = action.dialogue
    begin_change(scope, dialogue, expected_version)
    validate_action(dialogue, data, current_area=action.area_id).raise_if_any()
    before = audit.snapshot(action, ACTION_FIELDS)
    _apply_action(action, data)
    changes = audit.changes_between(before, audit.snapshot(action, ACTION_FIELDS))
    if changes:
        record_change(
            dialogue,
            "ändrade åtgärd",
            action,
            actor=actor,
            changes=changes | locked_note(dialogue),
        )


def delete_action(action: Action, *, scope, expected_version, actor) -> None:
    dialogue = action.dialogue
    begin_change(scope, dialogue, expected_version)
    snapshot = audit.snapshot(action, ACTION_FIELDS)
    db.session.delete(action)
    record_change(
        dialogue,
        "tog bort åtgärd",
        action,
        actor=actor,
        changes={k: [v, None] for k, v in snapshot.items()} | locked_note(dialogue),
    )


def add_note(
    action: Action, note_date: date | None, text: str, *, scope, expected_version, actor
) -> ActionNote:
    """A dated progress note. Allowed until the action is closed, also on earlier dialogues."""
    dialogue = action.dialogue
    begin_change(scope, dialogue, expected_version)
    checker = Checker()
    text = checker.text("text", "Anteckning", text, max_len=NOTE_MAX)
    today = local(now_utc()).date()
    if note_date is None:
        checker.fail("note_date", "Ange datum (ÅÅÅÅ-MM-DD).")
    elif note_date < dialogue_day(dialogue):
        checker.fail(
            "note_date",
            f"Datumet kan inte vara före dialogen ({dialogue_day(dialogue).isoformat()}).",
        )
    elif note_date > today:
        checker.fail("note_date", "Datumet kan inte ligga i framtiden.")
    checker.raise_if_any()
    note = ActionNote(action=action, note_date=note_date, text=text)
    db.session.add(note)
    db.session.flush()
    record_change(
        dialogue,
        "lade till anteckning på åtgärd",
        action,
        actor=actor,
        changes={"anteckning": [None, f"{note_date.isoformat()}: {text}"]} | locked_note(dialogue),
    )
    return note


# --- follow-up of earlier dialogues' actions --------------------------------------------------


def previous_actions(dialogue: Dialogue) -> list[Action]:
    """Actions of the home's earlier dialogues that are still open, plus those this dialogue
    has already reviewed (so a closed one stays visible where it was closed)."""
    earlier = sa.select(Dialogue.id).where(
        Dialogue.care_home_id == dialogue.care_home_id,
        Dialogue.year < dialogue.year,
        Dialogue.status != DialogueStatus.CANCELLED,
    )
    reviewed = sa.select(ActionReview.action_id).where(ActionReview.dialogue_id == dialogue.id)
    open_states = [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]
    return list(
        db.session.scalars(
            sa.select(Action)
            .join(Dialogue, Action.dialogue_id == Dialogue.id)
            .where(
                Action.dialogue_id.in_(earlier),
                sa.or_(Action.status.in_(open_states), Action.id.in_(reviewed)),
            )
            .order_by(Dialogue.year, Action.due_date, Action.id)
        )
    )


def reviews_by_action(dialogue: Dialogue) -> dict[int, ActionReview]:
    return {
        r.action_id: r
        for r in db.session.scalars(
            sa.select(ActionReview).where(ActionReview.dialogue_id == dialogue.id)
        )
    }


@dataclass
class ReviewData:
    status: ActionStatus | None
    comment: str


def review_actions(
    dialogue: Dialogue, values: dict[int, ReviewData], *, scope, expected_version, actor
) -> None:
    """Record this year's review of earlier actions; the action takes the reviewed status."""
    begin_change(scope, dialogue, expected_version)
    allowed = {a.id: a for a in previous_actions(dialogue)}
    existing = reviews_by_action(dialogue)
    checker = Checker()
    for action_id, data in values.items():
        if action_id not in allowed:
            raise FindingsError("Åtgärden hör inte till boendets tidigare dialoger.")
        data.comment = checker.text(
            f"comment-{action_id}", "Kommentar", data.comment, max_len=COMMENT_MAX, required=False
        )
    checker.raise_if_any()
    changes = {}
    for action_id, data in values.items():
        if data.status is None:
            continue
        action = allowed[action_id]
        review = existing.get(action_id)
        if review is None:
            review = ActionReview(
                action=action, dialogue=dialogue, status=data.status, comment=data.comment
            )
            db.session.add(review)
        elif review.status is data.status and review.comment == data.comment:
            continue
        review.status, review.comment = data.status, data.comment
        if action.status is not data.status:
            action.status = data.status
            action.completed_at = now_utc() if data.status is ActionStatus.DONE else None
            action.done_on = dialogue_day(dialogue) if data.status is ActionStatus.DONE else None
        changes[f"åtgärd {action_id}"] = [None, f"{data.status.label}: {data.comment}".rstrip(": ")]
    if changes:
        record_change(
            dialogue,
            "följde upp tidigare åtgärder",
            dialogue,
            actor=actor,
            changes=changes | locked_note(dialogue),
        )


def findings_by_kind(dialogue: Dialogue) -> dict[FindingKind, list[Finding]]:
    rows = db.session.scalars(
        sa.select(Finding).where(Finding.dialogue_id == dialogue.id).order_by(Finding.id)
    ).all()
    return {kind: [f for f in rows if f.kind is kind] for kind in FindingKind}


def dialogue_actions(dialogue: Dialogue) -> list[Action]:
    return list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.dialogue_id == dialogue.id)
            .order_by(Action.due_date, Action.id)
        )
    )
