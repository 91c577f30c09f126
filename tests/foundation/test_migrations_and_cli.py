"""Migrations create exactly the schema the models describe; setup and demo-data commands."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from dialog import create_app
from dialog.extensions import db
from tests.support.tally import counted, recurring_counted, recurring_tallied, tallied


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A brand-new empty database of the kind under test."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"fresh_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(
        database_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield database_url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_app(empty_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DIALOG_DATABASE_URL", empty_database_url)
    monkeypatch.setenv("DIALOG_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "test"})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _index_names() -> set[str]:
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":  # the inspector leaves out expression indexes here
            return set(conn.scalars(sa.text("SELECT name FROM sqlite_master WHERE type='index'")))
        return set(conn.scalars(sa.text("SELECT indexname FROM pg_indexes")))


def test_migrations_create_exactly_the_models_schema(fresh_app):
    from flask_migrate import upgrade

    with fresh_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        # Expression indexes cannot be compared by autogenerate on SQLite: check them by name.
        assert {
            "uq_document_template_active",
            "uq_document_template_version",
            "uq_dialogue_home_year_live",
            "uq_action_plan_text_target",
        } <= _index_names()
    assert diff == [], f"models and migrations differ: {diff}"


def test_setup_migrates_loads_demo_data_once_and_demo_is_fictional(fresh_app):
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert "Demoinloggningar" in result.output and "admin" in result.output
    from dialog.models import (
        CareHome,
        Contact,
        Dialogue,
        DialogueStatus,
        HealthCentre,
        Municipality,
    )

    with fresh_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Municipality.id))) == 9
        homes = db.session.scalars(sa.select(CareHome.name)).all()
        assert 25 <= len(homes) <= 35 and all(h.startswith("Demoboendet ") for h in homes)
        centres = db.session.scalars(sa.select(HealthCentre.name)).all()
        assert len(centres) == 10 and all(c.startswith("Demo-vårdcentralen ") for c in centres)
        emails = db.session.scalars(sa.select(Contact.email)).all()
        assert all(e.endswith(".example.org") for e in emails)
        states = set(db.session.scalars(sa.select(Dialogue.status)).all())
        assert {
            DialogueStatus.PLANNED,
            DialogueStatus.DOCUMENTED,
            DialogueStatus.HELD,
            DialogueStatus.CANCELLED,
        } <= states or len(states) >= 3
        years = set(db.session.scalars(sa.select(Dialogue.year)).all())
        assert len(years) >= 2
        count = db.session.scalar(sa.select(sa.func.count(CareHome.id)))
        # The migrated schema's triggers kept the findings' tally while the demo was written.
        kept = tallied()
        assert kept and kept == counted()
        assert recurring_tallied() == recurring_counted() != {}
    # A second start reuses the data.
    result = runner.invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    with fresh_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CareHome.id))) == count
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code != 0 and "redan data" in result.output


def test_demo_logins_work(fresh_app):
    from dialog.demo import DEMO_PASSWORD
    from tests.conftest import CSRFClient

    fresh_app.test_client_class = CSRFClient
    assert fresh_app.test_cli_runner().invoke(args=["setup"]).exit_code == 0
    for username in ["admin", "regional", "mas", "enhetschef", "vardcentral"]:
        client = fresh_app.test_client()
        response = client.post("/logga-in", data={"login": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get("/arsoversikt").status_code == 200
