"""Topics before the meeting: sent through the personal answer link (guarded), seen by the
organiser on the dialogue page, listed in the agenda under their area."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.invitations.links import make_token
from dialog.models import Area, AuditEntry, Dialogue, DialogueStatus, Participant, Topic
from tests.conftest import login

from .helpers import docx_text, relogin


def _token(app, dialogue_id, email) -> str:
    with app.app_context():
        participant = db.session.scalar(
            sa.select(Participant).where(
                Participant.dialogue_id == dialogue_id, Participant.email == email
            )
        )
        return make_token(participant)


def _area(app, name) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(Area.id).where(Area.name == name, Area.region_id.is_(None))
        )


def _topics(app) -> list[tuple]:
    with app.app_context():
        return [
            (t.area.name if t.area else None, t.text, t.participant.email)
            for t in db.session.scalars(sa.select(Topic).order_by(Topic.id))
        ]


def test_a_participant_sends_topics_through_the_answer_link(app, client, world, book):
    dialogue_id = book("a1", date(2027, 3, 10))
    token = _token(app, dialogue_id, "ssk.a1@test.example.org")
    page = client.get(f"/svar/{token}")
    assert page.status_code == 200 and "Ämnen inför mötet" in page.text
    assert f'action="/svar/{token}/amnen"' in page.text
    response = client.post(
        f"/svar/{token}/amnen",
        data={
            "area": str(_area(app, "Läkemedel")),
            "text": "Hur når ändrade ordinationer kvällen?",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/svar/{token}/amnen", data={"area": "", "text": "Kontaktvägar fredag eftermiddag."}
    )
    assert response.status_code == 302
    assert _topics(app) == [
        ("Läkemedel", "Hur når ändrade ordinationer kvällen?", "ssk.a1@test.example.org"),
        (None, "Kontaktvägar fredag eftermiddag.", "ssk.a1@test.example.org"),
    ]
    page = client.get(f"/svar/{token}/amnen").text
    assert "Tack! Ämnet är skickat" in page and "Läkemedel: Hur når ändrade ordinationer" in page
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "skickade in ämne inför dialogen"
        assert entry.care_home_id == world.homes["a1"] and "Kontaktvägar" not in str(entry.changes)
    # Answering uses the link up for answers, not for topics.
    assert client.post(f"/svar/{token}", data={"response": "ja"}).status_code == 200
    done = client.post(
        f"/svar/{token}/amnen", data={"area": "", "text": "Rutin för trycksårsprevention."}
    )
    assert done.status_code == 302 and len(_topics(app)) == 3


def test_bad_topics_are_refused_and_nothing_is_stored(app, client, world, book):
    dialogue_id = book("a1", date(2027, 3, 10))
    token = _token(app, dialogue_id, "at.a1@test.example.org")
    with app.app_context():
        foreign = Area(name="Bara i region Syd", region_id=world.regions["syd"])
        db.session.add(foreign)
        db.session.commit()
        foreign_id = foreign.id
    cases = [
        ({"area": "", "text": "  "}, "Skriv ämnet"),
        ({"area": "", "text": "x" * 501}, "högst 500 tecken"),
        ({"area": str(foreign_id), "text": "Ett ämne."}, "Välj ett område ur listan"),
        ({"area": "", "text": "Patienten 19450312-1234 fick fel dos."}, "patientuppgifter"),
    ]
    for values, message in cases:
        response = client.post(f"/svar/{token}/amnen", data=values)
        assert response.status_code == 400 and message in response.text, message
    assert _topics(app) == []
    for i in range(10):
        assert (
            client.post(f"/svar/{token}/amnen", data={"text": f"Ämne nummer {i}."}).status_code
            == 302
        )
    response = client.post(f"/svar/{token}/amnen", data={"text": "Ett till."})
    assert response.status_code == 400 and "redan skickat in 10 ämnen" in response.text
    assert len(_topics(app)) == 10


def test_links_that_cannot_be_used(app, client, world, book):
    assert client.post("/svar/inte-en-token/amnen", data={"text": "x"}).status_code == 404
    dialogue_id = book("a1", date(2027, 3, 10))
    token = _token(app, dialogue_id, "ssk.a1@test.example.org")
    assert client.post(f"/svar/{token}/amnen", data={"text": "x"}, csrf=False).status_code == 400
    with app.app_context():
        db.session.get(Dialogue, dialogue_id).status = DialogueStatus.CANCELLED
        db.session.commit()
    response = client.post(f"/svar/{token}/amnen", data={"text": "Ett ämne."})
    assert response.status_code == 410 and "Dialogen är inställd" in response.text
    assert "Ingenting har ändrats" in response.text
    assert _topics(app) == []


def test_the_organiser_sees_them_and_the_agenda_lists_them_under_the_area(app, client, world, book):
    dialogue_id = book("a1", date(2027, 3, 10))
    nurse = _token(app, dialogue_id, "ssk.a1@test.example.org")
    doctor = _token(app, dialogue_id, "lakare.alfa@test.example.org")
    client.post(
        f"/svar/{nurse}/amnen",
        data={"area": str(_area(app, "Fall")), "text": "Fallrisk vid nattetid."},
    )
    client.post(
        f"/svar/{doctor}/amnen",
        data={"area": str(_area(app, "Läkemedel")), "text": "Läkemedelsgenomgångar i tid."},
    )
    client.post(f"/svar/{doctor}/amnen", data={"area": "", "text": "Övrigt om kontaktvägar."})
    login(client, "vc_alfa")
    page = client.get(f"/dialoger/{dialogue_id}").text
    panel = page.split('id="amnen"')[1].split("</section>")[0]
    # Catalogue order: Läkemedel before Fall; Övrigt last. Read-only users cannot remove.
    assert panel.index("Läkemedel") < panel.index("Fall") < panel.index("Övrigt")
    assert "SÄBO-läkare" in panel and "Ta bort" not in panel
    text = docx_text(client.get(f"/dialoger/{dialogue_id}/dokument/agenda").data)
    topics = text.split("Inskickade ämnen")[1]
    assert topics.index("Läkemedel") < topics.index("Läkemedelsgenomgångar i tid.")
    assert topics.index("Läkemedelsgenomgångar i tid.") < topics.index("Fall\n")
    assert topics.index("Fall\n") < topics.index("Fallrisk vid nattetid.") < topics.index("Övrigt")
    with app.app_context():
        topic_id = db.session.scalar(sa.select(Topic.id).where(Topic.text.like("Fallrisk%")))
    assert client.post(f"/amnen/{topic_id}/ta-bort").status_code == 403
    relogin(client, "mas_b")
    assert client.post(f"/amnen/{topic_id}/ta-bort").status_code == 404
    relogin(client, "chef_a1")
    assert "Ta bort" in client.get(f"/dialoger/{dialogue_id}").text
    assert client.post(f"/amnen/{topic_id}/ta-bort").status_code == 302
    assert [t[1] for t in _topics(app)] == [
        "Läkemedelsgenomgångar i tid.",
        "Övrigt om kontaktvägar.",
    ]
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "tog bort inskickat ämne" and entry.actor == "chef_a1"
