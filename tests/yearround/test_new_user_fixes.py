"""What a new user hit, each fixed and tested: CSV duplicates, account administration, number
agreement, December, booking a home without contacts, the template upload error, demo data on
the planner's days, no internal ids, the next step and the help pages. (The 390 px layouts are
in test_browser_yearround.py.)"""

from __future__ import annotations

import base64
import io
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import (
    AuditEntry,
    CareHome,
    Contact,
    Dialogue,
    Participant,
    Role,
    User,
)
from dialog.wording import count, plural
from tests.conftest import login
from tests.findings.helpers import plain_text
from tests.support.world import PASSWORD

# --- 1. CSV import of a home whose name exists -------------------------------------------------


def _upload(client, content: bytes):
    return client.post(
        "/register/import",
        data={"kind": "boenden", "file": (io.BytesIO(content), "boenden.csv")},
        content_type="multipart/form-data",
    )


def _homes(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(CareHome))


@pytest.mark.parametrize("written", ["Ängsgården Test", "ÄNGSGÅRDEN TEST", "ängsgården  test"])
def test_csv_duplicate_of_an_existing_home_is_reported_in_the_preview(app, client, world, written):
    with app.app_context():
        db.session.add(CareHome(name="Ängsgården Test", municipality_id=world.municipalities["A"]))
        db.session.commit()
    login(client, "admin")
    before = _homes(app)
    content = f"Namn;Kommun\r\nNya Testgården;Testkommun A\r\n{written};Testkommun A\r\n".encode()
    response = _upload(client, content)
    assert response.status_code == 422
    page = plain_text(response)
    shown = " ".join(written.split())  # the page text, whitespace collapsed
    assert f"Rad 3: boendet {shown} finns redan i Testkommun A" in page
    assert "Importera" not in page
    # Confirming anyway (a forged or stale form) writes nothing and answers with the import page.
    response = client.post(
        "/register/import/bekrafta",
        data={"kind": "boenden", "payload": base64.b64encode(content).decode()},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/register/import")
    assert _homes(app) == before


# --- 2. Administrators change role and scope, reset a password, reactivate ---------------------


def test_admin_changes_role_and_scope_resets_password_and_reactivates(app, client, world):
    login(client, "admin")
    user_id = world.users["chef_a1"]
    page = client.get(f"/anvandare/{user_id}")
    assert page.status_code == 200 and "Nytt lösenord" in plain_text(page)
    response = client.post(
        f"/anvandare/{user_id}",
        data={
            "name": "Test chef_a1",
            "email": "chef_a1@test.example.org",
            "role": "vardcentral",
            "target": f"health_centre:{world.centres['alfa']}",
            "active": "y",
        },
    )
    assert response.status_code == 302
    # A role with the wrong kind of organisation is refused; nothing changes.
    response = client.post(
        f"/anvandare/{user_id}",
        data={
            "name": "Test chef_a1",
            "email": "chef_a1@test.example.org",
            "role": "kommun",
            "target": f"care_home:{world.homes['a1']}",
            "active": "y",
        },
    )
    assert response.status_code == 400
    response = client.post(f"/anvandare/{user_id}/losenord", data={"password": "kort"})
    assert response.status_code == 400
    response = client.post(
        f"/anvandare/{user_id}/losenord", data={"password": "ett-nytt-losenord-42"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/anvandare/{user_id}",
        data={
            "name": "Test chef_a1",
            "email": "chef_a1@test.example.org",
            "role": "vardcentral",
            "target": f"health_centre:{world.centres['alfa']}",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert [(s.role, s.health_centre_id) for s in user.scopes] == [
            (Role.HEALTH_CENTRE, world.centres["alfa"])
        ]
        assert not user.active and user.check_password("ett-nytt-losenord-42")
        actions = [
            e.action
            for e in db.session.scalars(
                sa.select(AuditEntry)
                .where(AuditEntry.object_type == "User", AuditEntry.object_id == user_id)
                .order_by(AuditEntry.id)
            )
        ]
        assert actions == ["ändrade användare", "satte nytt lösenord", "inaktiverade användare"]
        assert all(
            "ett-nytt-losenord" not in str(e.changes)
            for e in db.session.scalars(sa.select(AuditEntry))
        )
    client.post(
        f"/anvandare/{user_id}",
        data={
            "name": "Test chef_a1",
            "email": "chef_a1@test.example.org",
            "role": "vardcentral",
            "target": f"health_centre:{world.centres['alfa']}",
            "active": "y",
        },
    )
    client.post("/logga-ut")
    assert (
        client.post("/logga-in", data={"login": "chef_a1", "password": PASSWORD}).status_code == 401
    )
    login(client, "chef_a1", "ett-nytt-losenord-42")
    assert client.get("/anvandare").status_code == 403
    assert client.get(f"/anvandare/{user_id}").status_code == 403
    assert (
        client.post(f"/anvandare/{user_id}/losenord", data={"password": "x" * 12}).status_code
        == 403
    )


def test_admin_cannot_lock_themselves_out(app, client, world):
    login(client, "admin")
    response = client.post(
        f"/anvandare/{world.users['admin']}",
        data={
            "name": "Test admin",
            "email": "admin@test.example.org",
            "role": "kommun",
            "target": f"municipality:{world.municipalities['A']}",
            "active": "y",
        },
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, world.users["admin"]).is_admin


# --- 4. Swedish number agreement ----------------------------------------------------------------


def test_the_number_agreement_helper():
    assert count(1, "rad", "rader") == "1 rad"
    assert count(0, "rad", "rader") == "0 rader"
    assert count(3, "framgångsfaktor", "framgångsfaktorer") == "3 framgångsfaktorer"
    assert plural(1, "boende", "boenden") == "boende"


def test_counts_agree_on_the_pages(app, client, world, book):
    login(client, "admin")
    response = _upload(client, b"Namn;Kommun\r\nEnsamt Testboende;Testkommun A\r\n")
    page = plain_text(response)
    assert "Raden är korrekt" in page and "Importera 1 rad" in page
    assert "1 rader" not in page
    response = _upload(
        client, b"Namn;Kommun\r\nTestboende Ett;Testkommun A\r\nTestboende Tva;Testkommun A\r\n"
    )
    page = plain_text(response)
    assert "Alla 2 rader är korrekta" in page and "Importera 2 rader" in page
    from .helpers import documented

    rec = documented(app, book)
    panel = plain_text(client.get(f"/dialoger/{rec.dialogue_id}"))
    assert "1 brist" in panel and "1 framgångsfaktor" in panel and "0 risker" in panel
    assert "4 åtgärder" in panel
    assert "1 framgångsfaktorer" not in panel and "1 brister" not in panel


# --- 5. December opens on the year that needs booking --------------------------------------------


def _clock(monkeypatch, when: datetime):
    import dialog.timeutil

    monkeypatch.setattr(dialog.timeutil, "now_utc", lambda: when)


def test_december_opens_on_next_year_and_says_it_is_not_booked(
    app, client, world, monkeypatch, book
):
    book("a1", date(2026, 3, 10))
    _clock(monkeypatch, datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    login(client, "mas_a")
    page = plain_text(client.get("/arsoversikt"))
    assert "Årsöversikt 2027" in page
    assert "Det är december: översikten visar 2027, året som ska bokas." in page
    assert "2 boenden av 2 har ingen bokad dialog 2027 ännu." in page
    page = plain_text(client.get("/arsoversikt?ar=2026"))
    assert "Årsöversikt 2026" in page and "Dialogerna 2027 är inte bokade ännu." in page
    book("a1", date(2027, 3, 9))
    page = plain_text(client.get("/arsoversikt"))
    assert "1 boende av 2 har ingen bokad dialog 2027 ännu." in page
    _clock(monkeypatch, datetime(2026, 6, 10, 9, 0, tzinfo=UTC))
    page = plain_text(client.get("/arsoversikt"))
    assert "Årsöversikt 2026" in page and "december" not in page


# --- 6. Booking a home with no contacts of its own ------------------------------------------------


def _bare_home(app, world) -> int:
    with app.app_context():
        home = CareHome(
            name="Testboendet Fem",
            municipality_id=world.municipalities["A"],
            health_centre_id=world.centres["alfa"],
        )
        db.session.add(home)
        db.session.commit()
        return home.id


def test_booking_a_home_without_contacts_warns_and_adds_a_participant(app, client, world):
    home_id = _bare_home(app, world)
    login(client, "mas_a")
    page = plain_text(client.get(f"/boenden/{home_id}/boka"))
    assert "Testboendet Fem har inga egna kontaktpersoner." in page
    form = {
        "day": "2027-04-13",
        "start": "13:00",
        "end": "15:00",
        "location": "Samlingsrummet",
        "health_centre": str(world.centres["alfa"]),
        "participants": [str(world.contacts["alfa_lakare"])],
    }
    refused = client.post(
        f"/boenden/{home_id}/boka",
        data=form
        | {
            "new_name": "Test 19121212-1212",
            "new_email": "ny.ssk@test.example.org",
            "new_role": "sjukskoterska",
            "add_contact": "1",
        },
    )
    assert refused.status_code == 400 and "2027-04-13" in refused.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Contact)
                .where(Contact.care_home_id == home_id)
            )
            == 0
        )
    response = client.post(
        f"/boenden/{home_id}/boka",
        data=form
        | {
            "new_name": "Test Sjuksköterska Fem",
            "new_email": "ny.ssk@test.example.org",
            "new_role": "sjukskoterska",
            "add_contact": "1",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Test Sjuksköterska Fem är tillagd som kontaktperson" in html
    assert 'value="2027-04-13"' in html  # what was typed is still there
    with app.app_context():
        contact = db.session.scalars(
            sa.select(Contact).where(Contact.care_home_id == home_id)
        ).one()
        contact_id = contact.id
        assert contact.email == "ny.ssk@test.example.org"
        assert db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "skapade kontakten")
        ).one()
    assert "inga egna kontaktpersoner" not in plain_text(response)
    response = client.post(
        f"/boenden/{home_id}/boka",
        data=form | {"participants": [str(world.contacts["alfa_lakare"]), str(contact_id)]},
    )
    assert response.status_code == 302
    with app.app_context():
        emails = sorted(p.email for p in db.session.scalars(sa.select(Participant)))
        assert emails == ["lakare.alfa@test.example.org", "ny.ssk@test.example.org"]


# --- 7. A template upload's error at the top, next to the field -----------------------------------


def test_template_upload_error_is_shown_at_the_top(app, client, world):
    login(client, "admin")
    response = client.post(
        "/mallar",
        data={
            "kind": "agenda",
            "target": "alla",
            "comment": "",
            "file": (io.BytesIO(b"inte en docx"), "mall.docx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    error = html.index("Mallen sparades inte.")
    first_kind = html.index('id="mall-agenda"')
    field = html.index('id="file"')
    assert error < first_kind and field < first_kind
    assert html.count('id="ladda-upp"') == 1


# --- 8. Demo data obeys the planner's rules ---------------------------------------------------------


@pytest.mark.parametrize("today", [date(2026, 12, 14), date(2027, 5, 20)])
def test_demo_dialogues_fall_on_days_the_planner_allows(app, today):
    from dialog.demo import load_demo_data
    from dialog.planning import is_bookable
    from dialog.timeutil import local

    with app.app_context():
        load_demo_data(today=today)
        db.session.commit()
        days = [local(d.starts_at).date() for d in db.session.scalars(sa.select(Dialogue))]
    assert len(days) > 30
    bad = sorted({d for d in days if not is_bookable(d)})
    assert bad == [], bad
    assert not any(d.month == 12 and d.day == 24 for d in days)


# --- 9. No internal ids in what people read ---------------------------------------------------------


def test_invitations_panel_shows_no_internal_version(app, client, world, book):
    from tests.invitations.helpers import send_invitations

    dialogue_id = book("a1", date(2099, 3, 10))
    send_invitations(app, dialogue_id)
    login(client, "chef_a1")
    page = plain_text(client.get(f"/dialoger/{dialogue_id}"))
    assert "Alla deltagare har fått den senaste kallelsen." in page
    assert "(version" not in page


@pytest.mark.libreoffice
def test_documentation_template_hides_ids_from_readers_but_keeps_them_for_the_import(
    app, client, world, book, soffice, tmp_path
):
    from docx import Document

    from dialog.documents import minutes_layout as L
    from tests.support.office import convert_to_pdf, pdf_text

    dialogue_id = book("a1", date(2099, 3, 10))
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        uid = dialogue.calendar_uid
        participant_ids = [p.id for p in dialogue.current_participants]
    login(client, "chef_a1")
    data = client.get(f"/dialoger/{dialogue_id}/dokument/dokumentationsmall").data
    # Still there for the importer (python-docx reads hidden text like any other) ...
    document = Document(io.BytesIO(data))
    facts = {r.cells[0].text: r.cells[1].text for r in document.tables[0].rows[1:]}
    assert facts[L.FACT_DIALOGUE_ID] == str(dialogue_id) and facts[L.FACT_CALENDAR_UID] == uid
    # ... but not in what Word or LibreOffice shows and prints.
    path = tmp_path / "dokumentationsmall.docx"
    path.write_bytes(data)
    text = pdf_text(convert_to_pdf(path, tmp_path))
    assert "Boende" in text and "Testboendet Ett" in text
    assert uid not in text and uid.split("-")[0] not in text
    assert L.FACT_DIALOGUE_ID not in text and L.FACT_CALENDAR_UID not in text
    lines = [line.split() for line in text.splitlines()]
    assert not any(words and words[0] in {str(i) for i in participant_ids} for words in lines)


# --- 10. The next step on every dialogue page, and help per role ------------------------------------


def test_each_dialogue_page_says_the_next_step(app, client, world, book):
    from tests.invitations.helpers import send_invitations

    from .helpers import documented

    login(client, "mas_a")
    planned = book("a1", date(2099, 3, 10))
    page = plain_text(client.get(f"/dialoger/{planned}"))
    assert "Nästa steg: skicka kallelser" in page
    send_invitations(app, planned)
    page = plain_text(client.get(f"/dialoger/{planned}"))
    assert "Nästa steg: kontrollera representationen" in page
    rec = documented(app, book, home="a2", lock=False)
    page = plain_text(client.get(f"/dialoger/{rec.dialogue_id}"))
    assert "Nästa steg: dokumentera" in page
    with app.app_context():
        from dialog.models import DialogueStatus

        db.session.get(Dialogue, rec.dialogue_id).status = DialogueStatus.DOCUMENTED
        db.session.commit()
    page = plain_text(client.get(f"/dialoger/{rec.dialogue_id}"))
    assert "Nästa steg: följ upp åtgärderna" in page and "4 öppna åtgärder" in page


@pytest.mark.parametrize(
    "slug,heading",
    [
        ("enhetschef", "Året för enhetschefen"),
        ("vardcentral", "Året för vårdcentralen"),
        ("mas-mar", "Året för MAS och MAR"),
        ("region", "Året för regionen"),
        ("administrator", "Året för administratören"),
    ],
)
def test_help_page_per_role(client, world, slug, heading):
    login(client, "vc_alfa")
    page = plain_text(client.get(f"/hjalp/{slug}"))
    assert heading in page
    index = plain_text(client.get("/hjalp"))
    assert "Vårdcentral (din roll)" in index
    assert client.get("/hjalp/okand").status_code == 404
