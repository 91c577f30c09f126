"""The patient-data guard on the forms, and optimistic locking between two editors."""

from __future__ import annotations

import logging
import threading

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.findings import findings_actions as records
from dialog.locking import StaleDialogueError
from dialog.models import AuditEntry, Dialogue, Finding, FindingKind, Party
from dialog.scope import Scope
from tests.conftest import login

from .helpers import PAST_DAY, area_id, finding_form, text_of, version_of

PNR = "19121212-1212"  # Skatteverket's well-known test number, belongs to nobody


def _everything_stored(app) -> str:
    """All text in the tables a refused text could end up in."""
    with app.app_context():
        parts = [f.description for f in db.session.scalars(sa.select(Finding))]
        parts += [str(e.changes) + e.summary for e in db.session.scalars(sa.select(AuditEntry))]
    return "\n".join(parts)


def test_refused_field_is_flagged_others_kept_nothing_stored(app, client, world, book, caplog):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "chef_a1")
    caplog.set_level(logging.DEBUG)
    text = f"Patienten {PNR} fick fel dos eftersom listan inte var uppdaterad."
    response = client.post(
        f"/dialoger/{dialogue_id}/iakttagelser/ny",
        data=finding_form(app, dialogue_id, description=text, escalate="y", kind="risk"),
    )
    page = text_of(response)
    assert response.status_code == 400
    assert "personnummer" in page and "Skriv strukturellt" in page
    # only the description is flagged; the other choices are kept
    assert page.count('aria-invalid="true"') == 1
    assert (
        'value="risk" checked' in page
        or 'checked value="risk"' in page
        or 'id="kind-1" name="kind" type="radio" value="risk"' in page
    )
    assert 'id="escalate" name="escalate" type="checkbox" value="y"' in page
    assert PNR not in _everything_stored(app)
    assert PNR not in caplog.text
    # the flash message went into the page, not into the session cookie
    cookie = response.headers.get("Set-Cookie", "")
    assert "1212" not in cookie
    # rewritten, it is saved
    response = client.post(
        f"/dialoger/{dialogue_id}/iakttagelser/ny",
        data=finding_form(
            app, dialogue_id, description="Läkemedelslistan uppdateras inte efter ronden."
        ),
    )
    assert response.status_code == 302


def test_guard_on_every_text_field(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "chef_a1")
    response = client.post(
        f"/dialoger/{dialogue_id}/atgarder/ny",
        data={
            "version": version_of(app, dialogue_id),
            "responsible_party": "sabo",
            "description": "Ring dottern på 070-123 45 67.",
            "due_date": "2026-06-01",
        },
    )
    assert response.status_code == 400 and "telefonnummer" in text_of(response)
    client.post(
        f"/dialoger/{dialogue_id}/atgarder/ny",
        data={
            "version": version_of(app, dialogue_id),
            "responsible_party": "sabo",
            "description": "Rutin för rond.",
            "due_date": "2026-06-01",
        },
    )
    with app.app_context():
        action_id = db.session.scalar(sa.select(sa.text("id")).select_from(sa.text("action")))
    response = client.post(
        f"/atgarder/{action_id}/anteckningar",
        data={
            "version": version_of(app, dialogue_id),
            "note_date": "2026-04-01",
            "text": "Fru Exempelsson i rum 14 har fått ny madrass.",
        },
    )
    page = text_of(response)
    assert response.status_code == 400 and "rums- eller lägenhetsnummer" in page
    assert "Fru Exempelsson" in page  # shown back to the writer to rewrite
    assert "Exempelsson" not in _everything_stored(app)


def test_stale_form_is_refused_with_clear_message_and_text_kept(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "chef_a1")
    client.post(f"/dialoger/{dialogue_id}/iakttagelser/ny", data=finding_form(app, dialogue_id))
    with app.app_context():
        finding_id = db.session.scalar(sa.select(Finding.id))
    old_version = version_of(app, dialogue_id)
    # someone else changes the dialogue in between
    other = app.test_client()
    login(other, "mas_a")
    assert (
        other.post(
            f"/iakttagelser/{finding_id}/andra",
            data=finding_form(app, dialogue_id, description="MAS har skrivit om texten."),
        ).status_code
        == 302
    )
    response = client.post(
        f"/iakttagelser/{finding_id}/andra",
        data=finding_form(
            app, dialogue_id, version=str(old_version), description="Enhetschefens version."
        ),
    )
    page = text_of(response)
    assert response.status_code == 409
    assert "ändrats av någon annan" in page and "Enhetschefens version." in page
    with app.app_context():
        assert db.session.get(Finding, finding_id).description == "MAS har skrivit om texten."


def test_two_editors_racing_cannot_both_win(app, world, book):
    """Both load version N and both pass check_version; the database lets only one commit."""
    dialogue_id = book("a1", PAST_DAY)
    with app.app_context():
        finding = Finding(
            dialogue_id=dialogue_id,
            kind=FindingKind.RISK,
            area_id=area_id(app),
            description="Ursprunglig text.",
            concerns=Party.JOINT,
        )
        db.session.add(finding)
        db.session.commit()
        finding_id = finding.id
        version = db.session.get(Dialogue, dialogue_id).version
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}
    scope = Scope(admin=True)

    def editor(name):
        with app.app_context():
            # PostgreSQL: both read version N before either writes, so the database's version
            # check (UPDATE … WHERE version = N) decides. SQLite takes the write lock when a
            # transaction begins, so there the loser waits and then sees the newer version.
            postgres = db.engine.dialect.name == "postgresql"
            if not postgres:
                barrier.wait()
            f = db.session.get(Finding, finding_id)
            _ = f.dialogue.version
            if postgres:
                barrier.wait()
            data = records.FindingData(
                kind=FindingKind.RISK,
                area_id=f.area_id,
                plan_area_id=None,
                description=f"Text från {name}.",
                concerns=Party.JOINT,
            )
            try:
                records.update_finding(f, data, scope=scope, expected_version=version, actor=None)
                db.session.commit()  # the test is the edge
                results[name] = "saved"
            except StaleDialogueError:
                results[name] = "stale"
            except Exception as error:  # a database lock timeout would be a test failure
                results[name] = repr(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=editor, args=(n,)) for n in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results.values()) == ["saved", "stale"], results
    winner = next(n for n, r in results.items() if r == "saved")
    with app.app_context():
        assert db.session.get(Finding, finding_id).description == f"Text från {winner}."
        assert db.session.get(Dialogue, dialogue_id).version == version + 1


@pytest.mark.parametrize("field", ["description"])
def test_guard_message_is_swedish_and_points_at_words(app, client, world, book, field):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "chef_a1")
    response = client.post(
        f"/dialoger/{dialogue_id}/iakttagelser/ny",
        data=finding_form(app, dialogue_id, **{field: "Gunvor föll två gånger i badrummet."}),
    )
    page = text_of(response)
    assert "”Gunvor” (namn)" in page and "en boende" in page
