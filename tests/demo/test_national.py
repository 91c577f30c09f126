"""The national demo data (`flask demo-data --scale national`) at a small size, on both
databases: what the bulk load stores reads back as the models expect, the indexes are back,
and the audit history is there, in order, scoped, with fictional actors and no patient data."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from dialog.demo import build_national
from dialog.extensions import db
from dialog.findings.action_followup import timeline
from dialog.models import (
    Action,
    ActionStatus,
    AuditEntry,
    CareHome,
    Dialogue,
    DialogueStatus,
    Finding,
    Municipality,
    Participant,
    User,
)
from dialog.privacy.scan import scan
from dialog.timeutil import STOCKHOLM
from tests.conftest import login
from tests.support.tally import counted, recurring_counted, recurring_tallied, tallied

TODAY = date(2026, 12, 2)
HOMES, YEARS = 60, 3


@pytest.fixture
def national(app):
    with app.app_context():
        totals = build_national(echo=lambda _: None, homes=HOMES, years=YEARS, today=TODAY)
        db.session.commit()
    return totals


def test_the_load_reads_back_as_the_models_expect(app, national):
    with app.app_context():
        for model, key in (
            (Dialogue, "dialogues"),
            (Participant, "participants"),
            (Finding, "findings"),
            (Action, "actions"),
            (AuditEntry, "audit_entries"),
        ):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == national[key]
        # Enums, timestamps and flags written by the bulk path compare in SQL as the ORM does.
        documented = db.session.scalar(
            sa.select(sa.func.count(Dialogue.id)).where(
                Dialogue.status == DialogueStatus.DOCUMENTED,
                Dialogue.documented_at > datetime(TODAY.year - YEARS, 12, 31, tzinfo=UTC),
            )
        )
        assert 0 < documented < national["dialogues"]
        dialogue = db.session.scalars(sa.select(Dialogue).order_by(Dialogue.id)).first()
        assert dialogue.starts_at.tzinfo is not None and dialogue.starts_at.year == TODAY.year - 2
        assert isinstance(dialogue.status, DialogueStatus)
        done = db.session.scalars(
            sa.select(Action).where(Action.status == ActionStatus.DONE).limit(5)
        ).all()
        assert done and all(a.completed_at.tzinfo is not None for a in done)
        # The indexes (and PostgreSQL's foreign keys) dropped for the load are back, as the
        # models define them.
        inspector = sa.inspect(db.session.connection())
        for table in ("participant", "finding", "action", "audit_entry"):
            found = {i["name"] for i in inspector.get_indexes(table)}
            expected = {i.name for i in db.metadata.tables[table].indexes}
            assert expected <= found, (table, expected - found)
            keys = {k["name"] for k in inspector.get_foreign_keys(table)}
            expected = {k.name for k in db.metadata.tables[table].foreign_key_constraints}
            assert expected <= keys or db.engine.dialect.name == "sqlite", (table, expected - keys)
        # The findings' tally was counted once after the load, and its triggers are back.
        assert tallied() == counted()
        assert recurring_tallied() == recurring_counted() != {}
        # New rows after the load get fresh ids (PostgreSQL sequences moved past the load).
        finding = Finding(
            dialogue_id=dialogue.id,
            kind=db.session.scalars(sa.select(Finding.kind)).first(),
            area_id=db.session.scalars(sa.select(Finding.area_id)).first(),
            description="Rutinen för överrapportering ses över.",
        )
        db.session.add(finding)
        db.session.commit()
        assert finding.id > national["findings"]
        assert tallied() == counted()
        assert recurring_tallied() == recurring_counted()


def test_every_dialogue_has_its_audit_history_in_order(app, national):
    with app.app_context():
        assert 3 * national["dialogues"] <= national["audit_entries"] <= 6 * national["dialogues"]
        by_dialogue = defaultdict(list)
        for entry in db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == "Dialogue")
            .order_by(AuditEntry.object_id, AuditEntry.at, AuditEntry.id)
        ):
            by_dialogue[entry.object_id].append(entry)
        where = {
            h: (r, m)
            for h, m, r in db.session.execute(
                sa.select(CareHome.id, CareHome.municipality_id, Municipality.region_id).join(
                    Municipality
                )
            )
        }
        end_of_today = datetime.combine(TODAY, time(23, 0), tzinfo=STOCKHOLM)
        dialogues = db.session.scalars(sa.select(Dialogue)).all()
        assert len(by_dialogue) == len(dialogues)
        for d in dialogues:
            verbs = [e.action for e in by_dialogue[d.id]]
            assert verbs[0] == "bokade dialog", verbs
            assert ("ställde in dialog" in verbs) == (d.status is DialogueStatus.CANCELLED)
            assert ("registrerade närvaro" in verbs) == (d.held_at is not None)
            assert ("markerade dialog som dokumenterad" in verbs) == (
                d.status is DialogueStatus.DOCUMENTED
            )
            if d.status is DialogueStatus.DOCUMENTED:
                assert verbs[-2:] == ["registrerade närvaro", "markerade dialog som dokumenterad"]
            for e in by_dialogue[d.id]:
                assert (e.region_id, e.municipality_id) == where[d.care_home_id]
                assert e.care_home_id == d.care_home_id
                assert e.at <= end_of_today
        # Booked the way the booking service logs it.
        first = by_dialogue[dialogues[0].id][0]
        assert set(first.changes) == {
            "year",
            "starts_at",
            "ends_at",
            "location",
            "video_link",
            "health_centre_id",
        }
        # Actions followed up: real actions of documented dialogues, with a status change.
        followed = db.session.execute(
            sa.select(AuditEntry, Action, Dialogue.status)
            .join(Action, Action.id == AuditEntry.object_id)
            .join(Dialogue, Dialogue.id == Action.dialogue_id)
            .where(AuditEntry.object_type == "Action")
        ).all()
        assert followed
        for entry, action, status in followed:
            assert entry.action == "följde upp åtgärd"
            assert status is DialogueStatus.DOCUMENTED
            assert entry.changes["status"][1] == action.status.value
            assert entry.care_home_id is not None
        action = followed[0][1]
        assert [t.what for t in timeline(action)] == ["Följde upp åtgärd"]


def test_the_audit_history_is_fictional_and_free_of_patient_data(app, national):
    with app.app_context():
        assert scan().clean
        actors = set(db.session.scalars(sa.select(AuditEntry.actor).distinct()))
        assert actors and all(re.fullmatch(r"(enhetschef|vardcentral)(\.\d+)?", a) for a in actors)
        # Home 1's manager is the demo login enhetschef: its own history carries its account.
        own = db.session.scalar(
            sa.select(sa.func.count(AuditEntry.id))
            .join(User, User.id == AuditEntry.user_id)
            .where(User.username == "enhetschef")
        )
        assert own >= YEARS - 1
        people = set(db.session.scalars(sa.select(Participant.name).distinct()))
        texts = " ".join(db.session.scalars(sa.select(AuditEntry.summary)))
        assert not any(name in texts for name in people)


def test_audit_pages_show_the_history(app, client, national):
    login(client, "admin", "demo-losenord")
    page = client.get("/granskningslogg").text
    assert "bokade dialog" in page or "markerade dialog som dokumenterad" in page
    assert f"{national['audit_entries']} händelser" in page.replace("\u00a0", " ")


def test_analyze_leaves_statistics_for_the_planner(app, national):
    """After the bulk load the planner's statistics are there (without them PostgreSQL and
    SQLite plan the region's pages as if the tables were empty)."""
    from dialog.demo import analyze

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.session.execute(sa.text("ANALYZE sqlite_schema"))  # creates sqlite_stat1
            db.session.execute(sa.text("DELETE FROM sqlite_stat1"))
            stats = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'finding'"
        else:
            db.session.execute(
                sa.text("DELETE FROM pg_statistic WHERE starelid = 'finding'::regclass")
            )
            stats = "SELECT count(*) FROM pg_statistic WHERE starelid = 'finding'::regclass"
        db.session.commit()
        assert db.session.execute(sa.text(stats)).scalar() == 0
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            vacuums_before = _vacuums_of("finding")
        analyze()
        assert db.session.execute(sa.text(stats)).scalar() > 0
        if db.engine.dialect.name == "postgresql":
            # Vacuumed too (the visibility map lets index-only scans skip the table): one
            # manual VACUUM more of the table than before.
            assert _vacuums_of("finding") == vacuums_before + 1


def _vacuums_of(table: str) -> int:
    """Manual VACUUMs of the table so far (read in a transaction of its own: PostgreSQL keeps
    one snapshot of the statistics per transaction)."""
    with db.engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = :t"), {"t": table}
        ).scalar()
