"""Escalated findings reach MAS/MAR and the region (start page, dashboard, acknowledged with a
comment, once per level); the start page shows each role what waits; health-centre users answer
their own invitations in the app."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import (
    AuditEntry,
    Contact,
    ContactRole,
    Dialogue,
    EscalationAck,
    EscalationLevel,
    Participant,
    ResponseStatus,
)
from tests.conftest import login
from tests.findings.helpers import plain_text

from .helpers import documented


def test_mas_sees_escalated_finding_and_acknowledges_it(app, client, book):
    rec = documented(app, book)
    login(client, "mas_a")
    start = plain_text(client.get("/start"))
    assert "Lyfta till MAS/MAR och region" in start
    assert "1 iakttagelse väntar" in start
    assert "Ändrade ordinationer når inte kvällspersonalen" in start
    board = plain_text(client.get("/uppfoljning/?ar=2026"))
    assert "1 iakttagelse i ert område väntar på kvittering" in board
    response = client.post(
        f"/lyfta/{rec.escalated_id}/kvittera",
        data={"comment": "Tas upp i kommunens läkemedelsgrupp i maj."},
    )
    assert response.status_code == 302
    assert "Inget väntar på kvittering" in plain_text(client.get("/start"))
    # A second acknowledgement for the same level is refused.
    again = client.post(f"/lyfta/{rec.escalated_id}/kvittera", data={"comment": ""})
    assert again.status_code == 400 and "redan kvitterad av MAS/MAR" in plain_text(again)
    with app.app_context():
        ack = db.session.scalars(sa.select(EscalationAck)).one()
        assert ack.level is EscalationLevel.MUNICIPALITY
        assert ack.comment == "Tas upp i kommunens läkemedelsgrupp i maj."
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "kvitterade lyft iakttagelse")
        ).one()
        assert entry.actor == "mas_a" and entry.municipality_id is not None
    # The region acknowledges for itself: still open for the regional user.
    client.post("/logga-ut")
    login(client, "regional_norr")
    assert "1 iakttagelse väntar" in plain_text(client.get("/start"))
    listing = plain_text(client.get("/lyfta"))
    assert "Kvitterad av MAS/MAR" in listing and "läkemedelsgrupp i maj" in listing


def test_escalations_stay_in_scope_and_comments_are_guarded(app, client, book):
    rec = documented(app, book)
    for user in ("mas_b", "regional_syd"):
        login(client, user)
        assert "1 iakttagelse" not in plain_text(client.get("/start"))
        assert client.get(f"/lyfta/{rec.escalated_id}").status_code == 404
        assert client.post(f"/lyfta/{rec.escalated_id}/kvittera", data={}).status_code == 404
        client.post("/logga-ut")
    for user in ("chef_a1", "vc_alfa"):
        login(client, user)
        assert client.get("/lyfta").status_code == 403
        assert client.post(f"/lyfta/{rec.escalated_id}/kvittera", data={}).status_code == 403
        client.post("/logga-ut")
    login(client, "mas_a")
    response = client.post(
        f"/lyfta/{rec.escalated_id}/kvittera", data={"comment": "Ring 070-123 45 67"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EscalationAck)) == 0
    # A finding that is not escalated is not on the list.
    assert client.get(f"/lyfta/{rec.plain_finding_id}").status_code == 404


def test_start_page_lists_the_actions_each_side_follows_up(app, client, book):
    documented(app, book, due=date(2026, 5, 1))
    login(client, "vc_alfa")
    start = plain_text(client.get("/start"))
    assert "Åtgärder som er part följer upp" in start
    assert "(Vårdcentral)" in start and "(Gemensamt)" in start and "(SÄBO)" not in start
    assert "Försenad" in start
    client.post("/logga-ut")
    login(client, "chef_a1")
    start = plain_text(client.get("/start"))
    assert "(SÄBO)" in start and "(Gemensamt)" in start and "(Vårdcentral)." not in start


def test_health_centre_user_answers_own_invitation_in_the_app(app, client, world, book):
    with app.app_context():
        contact = Contact(
            name="Test vc_alfa",
            email="vc_alfa@test.example.org",
            role=ContactRole.CENTRE_MANAGER,
            health_centre_id=world.centres["alfa"],
        )
        db.session.add(contact)
        db.session.commit()
        contact_id = contact.id
    dialogue_id = book("a1", date(2099, 3, 10), contact_keys=["a1_chef", "alfa_lakare"])
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        from dialog.dialogues import participant_from_contact

        dialogue.participants.append(participant_from_contact(db.session.get(Contact, contact_id)))
        db.session.commit()
    login(client, "vc_alfa")
    start = plain_text(client.get("/start"))
    assert "Kallelser att svara på" in start and "Testboendet Ett" in start
    page = plain_text(client.get(f"/dialoger/{dialogue_id}"))
    assert "Ditt svar på kallelsen" in page and "Ditt svar: Inte svarat" in page
    response = client.post(
        f"/dialoger/{dialogue_id}/mitt-svar", data={"response": "ja", "comment": "Jag kommer."}
    )
    assert response.status_code == 302
    with app.app_context():
        me = db.session.scalar(
            sa.select(Participant).where(Participant.email == "vc_alfa@test.example.org")
        )
        assert me.response is ResponseStatus.ACCEPTED and me.response_comment == "Jag kommer."
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "svarade på kallelse")
        ).one()
        assert entry.actor == "vc_alfa"
    assert "Kallelser att svara på" not in plain_text(client.get("/start"))
    refused = client.post(
        f"/dialoger/{dialogue_id}/mitt-svar",
        data={"response": "nej", "comment": "Patienten 19121212-1212 är sjuk"},
    )
    assert refused.status_code == 400
    with app.app_context():
        me = db.session.scalar(
            sa.select(Participant).where(Participant.email == "vc_alfa@test.example.org")
        )
        assert me.response is ResponseStatus.ACCEPTED
    # Someone not invited has no answer to give.
    client.post("/logga-ut")
    login(client, "mas_a")
    assert (
        client.post(f"/dialoger/{dialogue_id}/mitt-svar", data={"response": "ja"}).status_code
        == 403
    )


def test_administrator_sees_escalations_of_held_dialogues_only(app, client, book):
    """The administrators' list reads the escalated findings nationally (another query than a
    region's): a finding escalated in a dialogue that was never held does not count."""
    from dialog.findings import count_open_escalations
    from dialog.models import DialogueStatus, User
    from dialog.scope import Scope

    documented(app, book)
    other = documented(app, book, home="b1", lock=False)
    with app.app_context():
        admin = Scope.of(db.session.scalars(sa.select(User).where(User.username == "admin")).one())
        assert count_open_escalations(admin) == 2
        dialogue = db.session.get(Dialogue, other.dialogue_id)
        dialogue.status = DialogueStatus.CANCELLED
        db.session.commit()
        assert count_open_escalations(admin) == 1
    login(client, "admin")
    board = plain_text(client.get("/uppfoljning/?ar=2026"))
    assert "1 iakttagelse" in board


def test_a_short_escalation_list_is_the_newest_of_the_whole_one(app, book):
    """The dashboard's ten come from the ids first and their rows after: the same findings, in
    the same order, as the head of the whole list, for the nation, a region and a municipality."""
    from datetime import timedelta

    from dialog.findings import open_escalations
    from dialog.models import Finding, User
    from dialog.scope import Scope

    first = documented(app, book)
    second = documented(app, book, home="b1", lock=False)
    with app.app_context():
        # Escalated on distinct days, the older one last in id order.
        older = db.session.get(Finding, first.escalated_id)
        newer = db.session.get(Finding, second.escalated_id)
        newer.escalated_at = older.escalated_at + timedelta(days=3)
        db.session.commit()
        for username in ("admin", "regional_norr", "mas_a"):
            user = db.session.scalars(sa.select(User).where(User.username == username)).one()
            scope = Scope.of(user)
            whole = [e.finding.id for e in open_escalations(scope)]
            assert whole, username
            for limit in (1, 2, 10):
                short = open_escalations(scope, limit=limit)
                assert [e.finding.id for e in short] == whole[:limit], (username, limit)
                assert all(e.finding.dialogue.care_home.name for e in short)
        admin = Scope.of(db.session.scalars(sa.select(User).where(User.username == "admin")).one())
        assert [e.finding.id for e in open_escalations(admin)] == [newer.id, older.id]
