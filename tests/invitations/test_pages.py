"""Pages: sending, representation, year view, outbox, downloads, calendar feeds, scope."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Dialogue, Participant, ResponseStatus
from dialog.models.invitations import OutboxMessage, OutboxStatus
from tests.conftest import login
from tests.invitations.helpers import book_with_organiser
from tests.invitations.support import read_vobject


def test_send_from_dialogue_page_writes_eml_files_in_embedded_mode(app, world, book, client):
    dialogue_id = book_with_organiser(app, world, book)
    login(client, "chef_a1")
    page = client.get(f"/dialoger/{dialogue_id}")
    assert "Skicka kallelser (5)" in page.text
    assert "Representationen är inte full" in page.text
    response = client.post(f"/dialoger/{dialogue_id}/kallelser", follow_redirects=True)
    assert "5 kallelser har lagts i utkorgen" in response.text
    assert "Alla deltagare har fått den senaste kallelsen" in response.text
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage)).all()
        assert len(rows) == 5 and all(r.status is OutboxStatus.SENT for r in rows)
        files = sorted(Path(app.config["MAIL_DIRECTORY"]).glob("*.eml"))
        assert [f.name for f in files] == sorted(r.eml_path for r in rows)
        assert files[0].read_bytes() == next(r.raw for r in rows if r.eml_path == files[0].name)


def test_health_centre_user_may_not_send_and_others_see_nothing(app, world, book, client):
    dialogue_id = book_with_organiser(app, world, book)
    login(client, "vc_alfa")
    assert client.get(f"/dialoger/{dialogue_id}").status_code == 200
    assert client.post(f"/dialoger/{dialogue_id}/kallelser").status_code == 403
    assert client.post("/kallelser/skicka", data={"dialogue_ids": [dialogue_id]}).status_code == 403
    assert client.get("/utkorg").status_code == 403
    client.post("/logga-ut")
    login(client, "mas_b")
    assert client.post(f"/dialoger/{dialogue_id}/kallelser").status_code == 404
    assert client.get(f"/dialoger/{dialogue_id}/kallelse.ics").status_code == 404
    assert client.post(f"/dialoger/{dialogue_id}/kallelser", csrf=False).status_code in (400, 404)


def test_csrf_is_required(app, world, book, client):
    dialogue_id = book_with_organiser(app, world, book)
    login(client, "chef_a1")
    assert client.post(f"/dialoger/{dialogue_id}/kallelser", csrf=False).status_code == 400


def test_year_view_bulk_send_and_representation_warning(app, world, book, client):
    first = book_with_organiser(app, world, book, home="a1", day=date(2027, 3, 10))
    second = book_with_organiser(
        app, world, book, home="a2", day=date(2027, 3, 11), contact_keys=["a2_chef"]
    )
    login(client, "mas_a")
    page = client.get("/arsoversikt?ar=2027")
    assert page.status_code == 200
    assert 'form="bulk-invite"' in page.text
    assert "Representation saknas: Sjuksköterska" in page.text  # a2 invited only its manager
    assert "Representation ej bekräftad" in page.text  # a1 invited all, nobody answered yet
    response = client.post(
        "/kallelser/skicka",
        data={"dialogue_ids": [str(first), str(second)], "ar": "2027"},
        follow_redirects=True,
    )
    assert "6 kallelser har lagts i utkorgen. (2 dialoger)" in response.text
    with app.app_context():
        for p in db.session.scalars(sa.select(Participant).where(Participant.dialogue_id == first)):
            p.response = ResponseStatus.ACCEPTED
        db.session.commit()
    page = client.get("/arsoversikt?ar=2027")
    assert page.text.count("Full representation") == 1


def test_year_view_queries_do_not_grow_with_rows(app, world, book, client):
    from sqlalchemy import event

    login(client, "admin")
    counts = []
    for home, day in (
        ("a1", date(2027, 3, 10)),
        ("a2", date(2027, 3, 11)),
        ("b1", date(2027, 3, 12)),
        ("c1", date(2027, 3, 15)),
    ):
        book_with_organiser(app, world, book, home=home, day=day)
        with app.app_context():
            statements = []
            listener = lambda *args, _seen=statements, **kwargs: _seen.append(1)  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                assert client.get("/arsoversikt?ar=2027").status_code == 200
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
            counts.append(len(statements))
    # Two regions' settings may add one query; participants are one query for all rows.
    assert counts[-1] - counts[0] <= 2, counts


def test_representation_panel_per_side(app, world, book, client):
    dialogue_id = book_with_organiser(app, world, book)
    with app.app_context():
        for p in db.session.scalars(
            sa.select(Participant).where(Participant.dialogue_id == dialogue_id)
        ):
            p.response = (
                ResponseStatus.ACCEPTED if p.side.value == "sabo" else ResponseStatus.DECLINED
            )
        db.session.commit()
    login(client, "chef_a1")
    page = client.get(f"/dialoger/{dialogue_id}").text
    assert "SÄBO: full representation" in page
    assert "Vårdcentral: representationen är inte full" in page
    assert "Vårdcentral: SÄBO-läkare – ingen kallad som kan komma" in page


def test_ics_download_is_publish_without_attendees(app, world, book, client):
    dialogue_id = book_with_organiser(app, world, book)
    login(client, "vc_alfa")  # read-only users may download it too
    response = client.get(f"/dialoger/{dialogue_id}/kallelse.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    result = read_vobject(response.text)
    assert result["method"] == "PUBLISH" and result["events"][0]["attendees"] == []
    with app.app_context():
        assert result["events"][0]["uid"] == db.session.get(Dialogue, dialogue_id).calendar_uid


def test_calendar_feed_is_personal_scoped_and_revocable(app, world, book, client):
    mine = book_with_organiser(app, world, book, home="a1")
    book_with_organiser(app, world, book, home="b1")
    login(client, "mas_a")
    created = client.post("/konto/kalenderflode")
    url = re.search(r'value="(http[^"]+/kalender/[^"]+\.ics)"', created.text).group(1)
    path = "/" + url.split("/", 3)[3]
    client.post("/logga-ut")
    feed = client.get(path)  # no login: the secret in the address is the key
    assert feed.status_code == 200
    events = read_vobject(feed.text)["events"]
    with app.app_context():
        assert [e["uid"] for e in events] == [db.session.get(Dialogue, mine).calendar_uid]
    assert client.get("/kalender/gissad-adress.ics").status_code == 404
    login(client, "mas_a")
    assert "Du har ett aktivt kalenderflöde" in client.get("/konto").text
    client.post("/konto/kalenderflode/sparra")
    assert client.get(path).status_code == 404


def test_outbox_page_lists_opens_and_downloads(app, world, book, client):
    dialogue_id = book_with_organiser(app, world, book)
    login(client, "chef_a1")
    client.post(f"/dialoger/{dialogue_id}/kallelser")
    client.post("/logga-ut")
    login(client, "admin")
    page = client.get("/utkorg")
    assert page.status_code == 200 and "Utkorg" in page.text
    assert page.text.count("<tr>") >= 6
    with app.app_context():
        row = db.session.scalars(sa.select(OutboxMessage)).first()
    opened = client.get(f"/utkorg/{row.id}")
    assert "text/calendar (method=REQUEST)" in opened.text and "BEGIN:VCALENDAR" in opened.text
    download = client.get(f"/utkorg/{row.id}.eml")
    assert download.mimetype == "message/rfc822" and download.data == row.raw


def test_resend_to_one_participant(app, world, book, client):
    dialogue_id = book_with_organiser(app, world, book)
    login(client, "chef_a1")
    client.post(f"/dialoger/{dialogue_id}/kallelser")
    with app.app_context():
        nurse = db.session.scalar(
            sa.select(Participant).where(Participant.email == "ssk.a1@test.example.org")
        )
        nurse_id = nurse.id
    response = client.post(
        f"/dialoger/{dialogue_id}/kallelser/igen",
        data={"participant_id": nurse_id},
        follow_redirects=True,
    )
    assert "Kallelsen har skickats igen till Test SSK a1" in response.text
    with app.app_context():
        to_nurse = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.recipient == "ssk.a1@test.example.org")
        ).all()
        assert len(to_nurse) == 2 and len({m.message_id for m in to_nurse}) == 2
    other = book_with_organiser(app, world, book, home="a2", day=date(2027, 3, 11))
    assert (
        client.post(
            f"/dialoger/{other}/kallelser/igen", data={"participant_id": nurse_id}
        ).status_code
        == 404
    )
