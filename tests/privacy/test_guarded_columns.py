"""The model layer's choke point: every text column is guarded or exempt with a reason, and a
flush refuses refused text on every guarded column, whoever sets it."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.privacy import PatientDataError
from dialog.privacy.columns import INFO_KEY, guarded_columns, is_text_column

PATIENT_TEXT = {
    "text": "Gunvor i rum 14 föll, 19121212-1212.",
    "name": "Anna Andersson 19121212-1212",
    "org": "Boendet 19121212-1212",
    "phone": "19121212-1212",
    "link": "https://video.example.org/19121212-1212",
}


def _text_columns():
    for mapper in db.Model.registry.mappers:
        for attr in mapper.column_attrs:
            for column in attr.columns:
                if is_text_column(column):
                    yield mapper.class_, column


def test_every_text_column_is_guarded_or_exempt_with_a_reason(app):
    undeclared = []
    with app.app_context():
        for model, column in _text_columns():
            spec = column.info.get(INFO_KEY) or {}
            if "mode" in spec:
                assert spec["mode"] in PATIENT_TEXT, (model, column.name)
                assert spec["label"], (model, column.name)
            elif not (spec.get("exempt") or "").strip():
                undeclared.append(f"{column.table.name}.{column.name}")
        guarded = guarded_columns()
    print("\nGuarded columns (table.column: mode, label):")
    for g in guarded:
        print(f"  {g.table}.{g.column}: {g.mode}, {g.label}")
    assert not undeclared, (
        "Text columns that are neither guarded nor exempt with a reason: "
        + ", ".join(undeclared)
        + " — declare them with info=guarded(mode, label) or info=exempt(reason) "
        "(dialog/privacy/columns.py)."
    )
    # The columns the issue names are among the guarded ones.
    names = {f"{g.table}.{g.column}" for g in guarded}
    for wanted in (
        "dialogue.location",
        "dialogue.video_link",
        "dialogue.cancel_reason",
        "participant.name",
        "participant.response_comment",
        "finding.description",
        "action.description",
        "action_note.text",
        "action_review.comment",
        "document_template.filename",
        "document_template.comment",
        "contact.name",
    ):
        assert wanted in names, wanted


def _one_of_each(book, world):
    """A dialogue with a finding, an action, a note, a review, a template, a token and settings,
    so every guarded column has a row to change."""
    from dialog.models import (
        Action,
        ActionNote,
        ActionReview,
        ActionStatus,
        Area,
        Dialogue,
        Finding,
        FindingKind,
        Party,
        PlanArea,
        RegionSettings,
        ResponseStatus,
        User,
    )
    from dialog.models.api import ApiToken
    from dialog.models.documents import DocumentTemplate
    from dialog.models.findings import EscalationAck, EscalationLevel
    from dialog.models.invitations import AnswerSource, CounterProposal, ResponseEvent
    from dialog.models.steering import (
        Assignment,
        AssignmentReport,
        AssignmentStatus,
        LocalAgreement,
        MaterialSettings,
        PlanText,
    )
    from dialog.models.topics import Topic

    dialogue_id = book("a1", date(2027, 3, 10), time(9), time(11))
    dialogue = db.session.get(Dialogue, dialogue_id)
    area = db.session.scalars(sa.select(Area)).first()
    finding = Finding(
        dialogue=dialogue, kind=FindingKind.RISK, area=area, description="Rutinen saknas."
    )
    action = Action(
        dialogue=dialogue,
        finding=finding,
        description="Ta fram rutin.",
        responsible_party=Party.JOINT,
    )
    db.session.add_all(
        [
            finding,
            action,
            ActionNote(action=action, note_date=date(2027, 4, 1), text="Påbörjad."),
            ActionReview(
                action=action, dialogue=dialogue, status=ActionStatus.IN_PROGRESS, comment="Pågår."
            ),
            DocumentTemplate(
                kind="agenda",
                version=1,
                filename="agenda.docx",
                comment="Ny mall.",
                size=1,
                sha256="0" * 64,
                content=b"x",
            ),
            ApiToken(
                user_id=world.users["admin"],
                name="Export",
                prefix="abc",
                token_hash="1" * 64,
            ),
            RegionSettings(region_id=world.regions["norr"], blocked_periods=[]),
        ]
    )
    db.session.flush()
    participant = dialogue.participants[0]
    db.session.add_all(
        [
            EscalationAck(
                finding_id=finding.id, level=EscalationLevel.MUNICIPALITY, comment="Sett."
            ),
            ResponseEvent(
                dialogue_id=dialogue.id,
                participant_id=participant.id,
                response=ResponseStatus.ACCEPTED,
                source=AnswerSource.LINK,
                comment="Kommer.",
            ),
            CounterProposal(
                dialogue_id=dialogue.id,
                participant_id=participant.id,
                starts_at=dialogue.starts_at,
                ends_at=dialogue.ends_at,
                comment="Senare passar bättre.",
            ),
        ]
    )
    db.session.flush()
    region_id = world.regions["norr"]
    plan_area = db.session.scalars(sa.select(PlanArea)).first()
    assignment = Assignment(
        region_id=region_id,
        title="Ta fram en länsgemensam rutin.",
        assignee="Primärvårdens ledning",
        source_year=2027,
        due_date=date(2027, 12, 31),
    )
    db.session.add_all(
        [
            LocalAgreement(
                municipality_id=world.municipalities["A"],
                health_centre_id=dialogue.health_centre_id,
                valid_from=date(2026, 1, 1),
                document_name="Lokal överenskommelse",
            ),
            assignment,
            AssignmentReport(
                assignment=assignment, status=AssignmentStatus.IN_PROGRESS, text="Påbörjat."
            ),
            PlanText(year=2027, region_id=region_id, plan_area_id=plan_area.id, text="Text."),
            MaterialSettings(region_id=region_id, method_text="Om metoden."),
            Topic(dialogue_id=dialogue.id, text="Rutiner vid ändrade ordinationer."),
        ]
    )
    db.session.flush()
    assert plan_area is not None
    assert db.session.scalars(sa.select(User)).first() is not None


@pytest.mark.parametrize("spec", guarded_columns(), ids=lambda g: f"{g.table}.{g.column}")
def test_a_flush_refuses_patient_data_in_every_guarded_column(app, world, book, spec):
    with app.app_context():
        _one_of_each(book, world)
        db.session.commit()
        row = db.session.scalars(sa.select(spec.model)).first()
        assert row is not None, spec
        value = PATIENT_TEXT[spec.mode]
        setattr(row, spec.key, [{"name": value}] if spec.is_json else value)
        with pytest.raises(PatientDataError) as info:
            db.session.flush()
        assert info.value.field_label == spec.label
        assert "1212" not in str(info.value)  # the error's text holds no refused words
        db.session.rollback()
        column = getattr(spec.model, spec.key)
        stored = db.session.scalars(sa.select(column)).all()
        assert all("19121212" not in str(v) for v in stored)


def test_audit_changes_are_checked_by_the_column_they_describe(app, world):
    from dialog import audit
    from dialog.models import AuditEntry, CareHome

    with app.app_context():
        home = db.session.get(CareHome, world.homes["a1"])
        audit.record("ändrade", home, changes={"location": [None, "Hos Gunvor i rum 14"]})
        with pytest.raises(PatientDataError):
            db.session.flush()
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0
        # A staff name under a name key passes.
        audit.record("ändrade", home, changes={"added": [None, ["Anna Andersson"]]})
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 1


def test_orm_update_and_insert_statements_are_checked_too(app, world, book):
    from dialog.models import Finding

    with app.app_context():
        _one_of_each(book, world)
        db.session.commit()
        with pytest.raises(PatientDataError):
            db.session.execute(sa.update(Finding).values(description=PATIENT_TEXT["text"]))
        db.session.rollback()
        row = db.session.scalars(sa.select(Finding)).first()
        with pytest.raises(PatientDataError):
            db.session.execute(
                sa.insert(Finding),
                [
                    {
                        "dialogue_id": row.dialogue_id,
                        "kind": row.kind,
                        "area_id": row.area_id,
                        "description": PATIENT_TEXT["text"],
                    }
                ],
            )
        db.session.rollback()
        assert all("19121212" not in d for d in db.session.scalars(sa.select(Finding.description)))
        # Structural text goes through the same statements untouched.
        db.session.execute(sa.update(Finding).values(description="Rutinen saknas."))
        db.session.commit()
