"""Actions stay open to follow-up after the lock: who may update what, with the rules and the
audited timeline; findings stay locked."""

from __future__ import annotations

import sqlalchemy as sa

from dialog.extensions import db
from dialog.findings import action_followup
from dialog.models import Action, ActionNote, ActionStatus, AuditEntry, Finding
from dialog.timeutil import today_local
from tests.conftest import login
from tests.findings.helpers import plain_text

from .helpers import documented


def _stamp(app, action_id: int) -> str:
    with app.app_context():
        return action_followup.stamp(db.session.get(Action, action_id))


def _follow(client, app, action_id, **fields):
    data = {"status": "pagar", "seen": _stamp(app, action_id)} | fields
    return client.post(f"/atgarder/{action_id}/uppfoljning", data=data)


def test_health_centre_follows_up_its_own_and_joint_actions_after_the_lock(app, client, book):
    rec = documented(app, book)
    login(client, "vc_alfa")
    page = client.get(f"/atgarder/{rec.actions['vardcentral']}")
    assert page.status_code == 200 and "Spara uppföljningen" in plain_text(page)
    response = _follow(
        client,
        app,
        rec.actions["vardcentral"],
        note="Checklistan är skickad till läkarna för synpunkter.",
    )
    assert response.status_code == 302
    assert _follow(client, app, rec.actions["gemensamt"]).status_code == 302
    # The home's own actions and the region's are not the centre's to update.
    assert _follow(client, app, rec.actions["sabo"]).status_code == 403
    assert _follow(client, app, rec.actions["regionen"]).status_code == 403
    page = plain_text(client.get(f"/atgarder/{rec.actions['sabo']}"))
    assert "Åtgärden ägs av SÄBO" in page and "Spara uppföljningen" not in page
    with app.app_context():
        action = db.session.get(Action, rec.actions["vardcentral"])
        assert action.status is ActionStatus.IN_PROGRESS
        assert [n.text for n in action.notes] == [
            "Checklistan är skickad till läkarna för synpunkter."
        ]
        entry = db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.object_type == "Action", AuditEntry.object_id == action.id
            )
        ).one()
        assert entry.actor == "vc_alfa" and entry.action == "följde upp åtgärd"
        assert entry.changes["status"] == ["ej_paborjad", "pagar"]
        assert entry.changes["efter_dokumentation"] == [None, True]
        assert db.session.get(Action, rec.actions["sabo"]).status is ActionStatus.NOT_STARTED
    # The timeline on the action shows who did what, in words.
    timeline = plain_text(client.get(f"/atgarder/{rec.actions['vardcentral']}"))
    assert "Test vc_alfa · Följde upp åtgärd" in timeline
    assert "Status: Ej påbörjad → Pågår" in timeline
    assert "Anteckning: " in timeline and "skickad till läkarna" in timeline


def test_unit_manager_follows_up_the_homes_actions_but_not_the_centres(app, client, book):
    rec = documented(app, book)
    login(client, "chef_a1")
    assert _follow(client, app, rec.actions["sabo"]).status_code == 302
    assert _follow(client, app, rec.actions["gemensamt"]).status_code == 302
    assert _follow(client, app, rec.actions["vardcentral"]).status_code == 403
    # Findings stay locked for the unit manager.
    response = client.post(
        f"/iakttagelser/{rec.plain_finding_id}/andra",
        data={"kind": "brist", "description": "Ändrad efteråt", "concerns": "gemensamt"},
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Finding, rec.plain_finding_id).kind.value == "framgangsfaktor"


def test_mas_and_region_follow_up_every_action_in_scope_only(app, client, book):
    rec = documented(app, book)
    login(client, "mas_a")
    for party in ("sabo", "vardcentral", "gemensamt", "regionen"):
        assert _follow(client, app, rec.actions[party], note=f"MAS: {party}").status_code == 302
    client.post("/logga-ut")
    login(client, "regional_norr")
    assert (
        _follow(
            client, app, rec.actions["regionen"], status="klar", done_on=str(today_local())
        ).status_code
        == 302
    )
    client.post("/logga-ut")
    login(client, "mas_b")
    assert client.get(f"/atgarder/{rec.actions['sabo']}").status_code == 404
    assert _follow(client, app, rec.actions["sabo"]).status_code == 404
    client.post("/logga-ut")
    login(client, "regional_syd")
    assert _follow(client, app, rec.actions["sabo"]).status_code == 404
    with app.app_context():
        done = db.session.get(Action, rec.actions["regionen"])
        assert done.status is ActionStatus.DONE and done.done_on == today_local()


def test_done_needs_a_date_and_cancelled_a_reason(app, client, book):
    rec = documented(app, book)
    action_id = rec.actions["sabo"]
    login(client, "chef_a1")
    response = _follow(client, app, action_id, status="klar", done_on="")
    assert response.status_code == 400 and "Ange när åtgärden blev klar" in plain_text(response)
    response = _follow(client, app, action_id, status="klar", done_on="2099-01-01")
    assert response.status_code == 400 and "framtiden" in plain_text(response)
    response = _follow(client, app, action_id, status="avbruten", note="Skrivet först.")
    text = plain_text(response)
    assert response.status_code == 400 and "Fyll i anledning" in text
    assert "Skrivet först." in text  # what the user typed is kept in the form
    response = _follow(
        client, app, action_id, status="avbruten", cancel_reason="Ersätts av regionens rutin."
    )
    assert response.status_code == 302
    with app.app_context():
        action = db.session.get(Action, action_id)
        assert action.status is ActionStatus.CANCELLED
        assert action.cancel_reason == "Ersätts av regionens rutin."
        assert action.done_on is None


def test_patient_data_in_a_note_is_refused_and_never_stored(app, client, book):
    rec = documented(app, book)
    action_id = rec.actions["sabo"]
    login(client, "chef_a1")
    secret = "Gäller 19121212-1212 på rum 4"
    response = _follow(client, app, action_id, note=secret)
    assert response.status_code == 400
    assert "Uppföljningen är inte sparad" in plain_text(response)
    with client.session_transaction() as session:
        assert "19121212" not in str(session.get("_flashes", []))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ActionNote)) == 0
        entries = db.session.scalars(sa.select(AuditEntry)).all()
        assert not any("19121212" in str(e.changes) for e in entries)
        assert db.session.get(Action, action_id).status is ActionStatus.NOT_STARTED


def test_a_stale_form_is_refused_and_keeps_what_was_typed(app, client, book):
    rec = documented(app, book)
    action_id = rec.actions["gemensamt"]
    old = _stamp(app, action_id)
    login(client, "mas_a")
    assert _follow(client, app, action_id, status="pagar").status_code == 302
    client.post("/logga-ut")
    login(client, "chef_a1")
    response = client.post(
        f"/atgarder/{action_id}/uppfoljning",
        data={"status": "klar", "done_on": str(today_local()), "seen": old, "note": "Min text"},
    )
    assert response.status_code == 409
    text = plain_text(response)
    assert "ändrats av någon annan" in text and "Min text" in text
    with app.app_context():
        assert db.session.get(Action, action_id).status is ActionStatus.IN_PROGRESS


def test_follow_up_is_not_offered_before_the_meeting(app, client, book, world):
    from dialog.models import Dialogue, DialogueStatus

    rec = documented(app, book, lock=False)
    with app.app_context():
        dialogue = db.session.get(Dialogue, rec.dialogue_id)
        dialogue.status = DialogueStatus.PLANNED
        db.session.commit()
    login(client, "chef_a1")
    response = _follow(client, app, rec.actions["sabo"])
    assert response.status_code == 403
    page = client.get(f"/atgarder/{rec.actions['sabo']}")
    assert page.status_code == 200
    assert "Åtgärder följs upp när dialogen har hållits" in plain_text(page)
