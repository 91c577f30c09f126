"""Recording attendance, findings, actions and follow-up through the web forms."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import (
    Action,
    ActionReview,
    ActionStatus,
    Attendance,
    AuditEntry,
    Dialogue,
    DialogueStatus,
    Finding,
    Party,
)
from tests.conftest import login

from .helpers import PAST_DAY, finding_form, text_of, version_of


def _participants(app, dialogue_id):
    with app.app_context():
        return [
            (p.id, p.role.value, p.side.value)
            for p in db.session.get(Dialogue, dialogue_id).current_participants
        ]


def test_attendance_gives_achieved_representation_and_marks_held(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "chef_a1")
    people = _participants(app, dialogue_id)
    data = {"version": version_of(app, dialogue_id), "mark_held": "1"}
    for pid, role, _ in people:
        # the physician sends a stand-in, the nurse does not come
        data[f"attendance-{pid}"] = {"sjukskoterska": "deltog_ej", "sabo_lakare": "ersattare"}.get(
            role, "deltog"
        )
    response = client.post(f"/dialoger/{dialogue_id}/narvaro", data=data)
    assert response.status_code == 302
    page = text_of(client.get(f"/dialoger/{dialogue_id}/dokumentation"))
    assert "Full representation uppnåddes inte." in page
    assert "Sjuksköterska – saknas" in page
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert dialogue.status is DialogueStatus.HELD and dialogue.held_at is not None
        roles = {p.role.value: p.attendance for p in dialogue.current_participants}
        assert roles["sabo_lakare"] is Attendance.STAND_IN
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "registrerade närvaro")
            )
            == 1
        )
    # the dialogue page shows the panel
    assert "deltog" in text_of(client.get(f"/dialoger/{dialogue_id}"))


def test_cannot_mark_future_dialogue_held(app, client, world, book):
    dialogue_id = book("a1", date(2027, 3, 9))
    login(client, "chef_a1")
    response = client.post(
        f"/dialoger/{dialogue_id}/genomford", data={"version": version_of(app, dialogue_id)}
    )
    assert response.status_code == 409
    assert "först på mötesdagen" in text_of(response)


def test_finding_and_action_with_notes(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "chef_a1")
    response = client.post(
        f"/dialoger/{dialogue_id}/iakttagelser/ny",
        data=finding_form(app, dialogue_id, spread_as_lesson="y"),
    )
    assert response.status_code == 302, text_of(response)
    with app.app_context():
        finding = db.session.scalar(sa.select(Finding))
        assert finding.spread_as_lesson and not finding.escalate
        finding_id = finding.id
    response = client.post(
        f"/dialoger/{dialogue_id}/atgarder/ny",
        data={
            "version": version_of(app, dialogue_id),
            "description": "Rutin för rond tas fram.",
            "finding_id": str(finding_id),
            "responsible_party": "sabo",
            "responsible_role": "sjukskoterska",
            "due_date": "2026-09-30",
            "status": "pagar",
        },
    )
    assert response.status_code == 302, text_of(response)
    with app.app_context():
        action = db.session.scalar(sa.select(Action))
        assert action.finding_id == finding_id and action.status is ActionStatus.IN_PROGRESS
        action_id = action.id
    response = client.post(
        f"/atgarder/{action_id}/anteckningar",
        data={
            "version": version_of(app, dialogue_id),
            "note_date": "2026-04-02",
            "text": "Utkast till rutin klart.",
        },
    )
    assert response.status_code == 302, text_of(response)
    page = text_of(client.get(f"/atgarder/{action_id}/andra"))
    assert "2026-04-02" in page and "Utkast till rutin klart." in page
    # a note dated before the dialogue is refused
    response = client.post(
        f"/atgarder/{action_id}/anteckningar",
        data={
            "version": version_of(app, dialogue_id),
            "note_date": "2025-01-01",
            "text": "Tidigt.",
        },
    )
    assert response.status_code == 400 and "före dialogen" in text_of(response)


def test_bad_input_gets_clear_messages_and_saves_nothing(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "chef_a1")
    url = f"/dialoger/{dialogue_id}/iakttagelser/ny"
    response = client.post(url, data=finding_form(app, dialogue_id, kind="", area_id=""))
    page = text_of(response)
    assert response.status_code == 400
    assert "Välj typ" in page and "Välj område" in page
    # the typed description is kept
    assert "Ordinationer uppdateras inte efter ronden." in page
    response = client.post(url, data=finding_form(app, dialogue_id, description="x" * 2001))
    assert response.status_code == 400 and "högst 2000 tecken" in text_of(response)
    response = client.post(
        f"/dialoger/{dialogue_id}/atgarder/ny",
        data={
            "version": version_of(app, dialogue_id),
            "description": "Ny rutin.",
            "responsible_party": "sabo",
            "due_date": "2026-01-01",
        },
    )
    assert response.status_code == 400 and "före dialogen" in text_of(response)
    response = client.post(
        f"/dialoger/{dialogue_id}/atgarder/ny",
        data={
            "version": version_of(app, dialogue_id),
            "description": "Ny rutin.",
            "responsible_party": "sabo",
            "due_date": "2036-01-01",
        },
    )
    assert response.status_code == 400 and "mer än 5 år" in text_of(response)
    response = client.post(
        f"/dialoger/{dialogue_id}/atgarder/ny",
        data={
            "version": version_of(app, dialogue_id),
            "description": "Ny rutin.",
            "responsible_party": "sabo",
            "due_date": "30/6",
        },
    )
    assert response.status_code == 400 and "ÅÅÅÅ-MM-DD" in text_of(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Action)) == 0


def test_html_is_escaped_everywhere(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "chef_a1")
    evil = '<script>alert("x")</script><b>fet</b> rutin saknas'
    response = client.post(
        f"/dialoger/{dialogue_id}/iakttagelser/ny",
        data=finding_form(app, dialogue_id, description=evil),
    )
    assert response.status_code == 302
    for url in (f"/dialoger/{dialogue_id}/dokumentation", f"/dialoger/{dialogue_id}"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<b>fet</b>" not in html
    html = client.get(f"/dialoger/{dialogue_id}/dokumentation").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_previous_actions_are_reviewed(app, client, world, book):
    old_id = book("a1", date(2025, 3, 11))
    new_id = book("a1", PAST_DAY)
    with app.app_context():
        old = db.session.get(Dialogue, old_id)
        db.session.add_all(
            [
                Action(
                    dialogue=old,
                    description="Inför vätskelista.",
                    responsible_party=Party.CARE_HOME,
                    due_date=date(2025, 9, 1),
                ),
                Action(
                    dialogue=old,
                    description="Redan klar.",
                    responsible_party=Party.JOINT,
                    status=ActionStatus.DONE,
                ),
            ]
        )
        db.session.commit()
        open_id = db.session.scalar(
            sa.select(Action.id).where(Action.description == "Inför vätskelista.")
        )
    login(client, "chef_a1")
    page = text_of(client.get(f"/dialoger/{new_id}/dokumentation"))
    assert "Inför vätskelista." in page and "Redan klar." not in page
    response = client.post(
        f"/dialoger/{new_id}/uppfoljning",
        data={
            "version": version_of(app, new_id),
            f"status-{open_id}": "klar",
            f"comment-{open_id}": "Listan används på alla avdelningar.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        review = db.session.scalar(sa.select(ActionReview))
        assert review.dialogue_id == new_id and review.status is ActionStatus.DONE
        assert db.session.get(Action, open_id).status is ActionStatus.DONE
    # closed here, still shown here with its comment
    assert "Listan används på alla avdelningar." in text_of(
        client.get(f"/dialoger/{new_id}/dokumentation")
    )


def test_documented_locks_for_unit_manager_but_not_for_mas(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "chef_a1")
    client.post(f"/dialoger/{dialogue_id}/iakttagelser/ny", data=finding_form(app, dialogue_id))
    data = {"version": version_of(app, dialogue_id), "mark_held": "1"}
    for pid, _, _ in _participants(app, dialogue_id):
        data[f"attendance-{pid}"] = "deltog"
    assert client.post(f"/dialoger/{dialogue_id}/narvaro", data=data).status_code == 302
    # Locking asks first and says what follows; a POST without the confirmation locks nothing.
    confirm = client.get(f"/dialoger/{dialogue_id}/dokumenterad")
    assert confirm.status_code == 200 and "Det här händer när du låser" in text_of(confirm)
    response = client.post(
        f"/dialoger/{dialogue_id}/dokumenterad", data={"version": version_of(app, dialogue_id)}
    )
    assert response.status_code == 200 and "Ja, dokumentera och lås" in text_of(response)
    with app.app_context():
        assert db.session.get(Dialogue, dialogue_id).status is DialogueStatus.HELD
    response = client.post(
        f"/dialoger/{dialogue_id}/dokumenterad",
        data={"version": version_of(app, dialogue_id), "confirmed": "ja"},
    )
    assert response.status_code == 302
    with app.app_context():
        finding_id = db.session.scalar(sa.select(Finding.id))
        assert db.session.get(Dialogue, dialogue_id).status is DialogueStatus.DOCUMENTED
    response = client.post(
        f"/iakttagelser/{finding_id}/andra",
        data=finding_form(app, dialogue_id, description="Ändrad efteråt."),
    )
    assert response.status_code == 403 and "låst" in text_of(response)
    assert client.get(f"/iakttagelser/{finding_id}/andra").status_code == 302
    client.post("/logga-ut")
    login(client, "mas_a")
    response = client.post(
        f"/iakttagelser/{finding_id}/andra",
        data=finding_form(app, dialogue_id, description="Rättad av MAS."),
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "ändrade iakttagelse")
        ).one()
        assert entry.actor == "mas_a" and entry.changes["efter_dokumentation"] == [None, True]
        assert db.session.get(Finding, finding_id).description == "Rättad av MAS."


def test_health_centre_sees_but_cannot_record(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "vc_alfa")
    assert client.get(f"/dialoger/{dialogue_id}/dokumentation").status_code == 200
    response = client.post(
        f"/dialoger/{dialogue_id}/iakttagelser/ny", data=finding_form(app, dialogue_id)
    )
    assert response.status_code == 403
    client.post("/logga-ut")
    login(client, "mas_b")
    assert client.get(f"/dialoger/{dialogue_id}/dokumentation").status_code == 404


def test_post_without_csrf_is_refused(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    login(client, "chef_a1")
    response = client.post(
        f"/dialoger/{dialogue_id}/iakttagelser/ny", data=finding_form(app, dialogue_id), csrf=False
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 0


def test_mas_unlocks_documented_dialogue(app, client, world, book):
    dialogue_id = book("a1", PAST_DAY)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        for p in dialogue.current_participants:
            p.attendance = Attendance.ATTENDED
        dialogue.status = DialogueStatus.DOCUMENTED
        db.session.commit()
    login(client, "chef_a1")
    response = client.post(
        f"/dialoger/{dialogue_id}/las-upp",
        data={"version": version_of(app, dialogue_id), "reason": "Vill ändra"},
    )
    assert response.status_code == 403
    client.post("/logga-ut")
    login(client, "mas_a")
    page = text_of(client.get(f"/dialoger/{dialogue_id}/dokumentation"))
    assert "Lås upp för enhetschefen" in page
    # A reason is required: without one nothing changes.
    response = client.post(
        f"/dialoger/{dialogue_id}/las-upp", data={"version": version_of(app, dialogue_id)}
    )
    assert response.status_code == 400 and "Fyll i anledning" in text_of(response)
    with app.app_context():
        assert db.session.get(Dialogue, dialogue_id).status is DialogueStatus.DOCUMENTED
    response = client.post(
        f"/dialoger/{dialogue_id}/las-upp",
        data={
            "version": version_of(app, dialogue_id),
            "reason": "Närvaron för vårdcentralen behöver rättas.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Dialogue, dialogue_id).status is DialogueStatus.HELD
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "låste upp dokumenterad dialog")
        ).one()
        assert entry.actor == "mas_a"
        assert entry.changes["anledning"] == [None, "Närvaron för vårdcentralen behöver rättas."]
