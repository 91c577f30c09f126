"""Registers: create, edit, search, deactivate (never delete); the year view; the audit log."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import AuditEntry, CareHome, Contact, Dialogue
from tests.conftest import login


def test_mas_creates_and_edits_a_home(client, app, world):
    login(client, "mas_a")
    response = client.post(
        "/register/boenden/ny",
        data={
            "name": "Nya Provgården",
            "address": "Testvägen 9",
            "municipality": str(world.municipalities["A"]),
            "health_centre": str(world.centres["alfa"]),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        home = db.session.scalar(sa.select(CareHome).where(CareHome.name == "Nya Provgården"))
        home_id = home.id
    response = client.post(
        f"/register/boenden/{home_id}/redigera",
        data={
            "name": "Nya Provgården",
            "address": "Ny adress 1",
            "municipality": str(world.municipalities["A"]),
            "health_centre": "0",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        home = db.session.get(CareHome, home_id)
        assert home.address == "Ny adress 1" and home.health_centre_id is None
        entry = db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_id == home_id, AuditEntry.object_type == "CareHome")
            .order_by(AuditEntry.id)
        ).all()[-1]
        assert entry.changes["address"] == ["Testvägen 9", "Ny adress 1"]


def test_duplicate_home_name_in_the_same_municipality_is_refused(client, app, world):
    login(client, "mas_a")
    response = client.post(
        "/register/boenden/ny",
        data={
            "name": "testboendet ett",
            "municipality": str(world.municipalities["A"]),
            "health_centre": "0",
        },
    )
    assert response.status_code == 409
    assert "Det finns redan ett boende som heter" in response.get_data(as_text=True)


def test_mas_cannot_create_a_home_in_another_municipality(client, app, world):
    login(client, "mas_a")
    response = client.post(
        "/register/boenden/ny",
        data={
            "name": "Smuggel",
            "municipality": str(world.municipalities["B"]),
            "health_centre": "0",
        },
    )
    assert response.status_code in (400, 403)
    with app.app_context():
        assert db.session.scalar(sa.select(CareHome).where(CareHome.name == "Smuggel")) is None


def test_deactivated_home_keeps_its_history_and_leaves_the_year_view(client, app, world, book):
    dialogue_id = book("a2", date(2027, 3, 10))
    login(client, "mas_a")
    assert client.post(f"/register/boenden/{world.homes['a2']}/aktiv").status_code == 302
    with app.app_context():
        home = db.session.get(CareHome, world.homes["a2"])
        assert home.active is False
        assert db.session.get(Dialogue, dialogue_id) is not None
    year = client.get("/arsoversikt?ar=2027").get_data(as_text=True)
    assert "inaktiverats" in year  # the flash message
    assert "Testboendet Två" not in year.split("<table", 1)[1]
    page = client.get(f"/register/boenden/{world.homes['a2']}").get_data(as_text=True)
    assert "inaktiverat" in page and "2027" in page
    listing = client.get("/register/boenden").get_data(as_text=True)
    assert "Testboendet Två" not in listing
    listing = client.get("/register/boenden?inaktiva=1").get_data(as_text=True)
    assert "Testboendet Två" in listing
    # Reactivate.
    assert client.post(f"/register/boenden/{world.homes['a2']}/aktiv").status_code == 302
    with app.app_context():
        assert db.session.get(CareHome, world.homes["a2"]).active is True


def test_search_homes_and_contacts(client, world):
    login(client, "admin")
    page = client.get("/register/boenden?q=fyra").get_data(as_text=True)
    assert "Testboendet Fyra" in page and "Testboendet Ett" not in page
    page = client.get("/register/kontakter?roll=sabo_lakare").get_data(as_text=True)
    assert "Test lakare alfa" in page and "Test CHEF a1" not in page


def test_unit_manager_adds_a_contact_to_their_home_with_a_valid_email_only(client, app, world):
    login(client, "chef_a1")
    owner = f"care_home:{world.homes['a1']}"
    response = client.post(
        "/register/kontakter/ny",
        data={
            "name": "Ny Fysioterapeut",
            "email": "inte en adress",
            "role": "fysioterapeut",
            "owner": owner,
        },
    )
    assert response.status_code == 400
    assert "Ange en giltig e-postadress" in response.get_data(as_text=True)
    response = client.post(
        "/register/kontakter/ny",
        data={
            "name": "Ny Fysioterapeut",
            "email": "Fysio@Test.Example.org",
            "role": "fysioterapeut",
            "owner": owner,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.scalar(sa.select(Contact).where(Contact.name == "Ny Fysioterapeut"))
        assert contact.email == "fysio@test.example.org"
        assert contact.care_home_id == world.homes["a1"]
    # Not for another home.
    response = client.post(
        "/register/kontakter/ny",
        data={
            "name": "Fel Plats",
            "email": "fel@test.example.org",
            "role": "fysioterapeut",
            "owner": f"care_home:{world.homes['b1']}",
        },
    )
    assert response.status_code in (400, 403)


def test_names_with_line_breaks_are_flattened(app, world):
    from dialog.models import Municipality
    from dialog.registers.services import save_home

    with app.app_context():
        home = save_home(
            None,
            name="Rad ett\r\nRad två",
            address="A\nB",
            municipality=db.session.get(Municipality, world.municipalities["A"]),
            health_centre=None,
        )
        assert home.name == "Rad ett Rad två" and home.address == "A B"


def test_year_view_states_counts_filters_and_sorting(client, app, world, book):
    from dialog.dialogues.services import cancel_dialogue
    from dialog.models import DialogueStatus

    d1 = book("a1", date(2027, 3, 10))
    d2 = book("a2", date(2027, 4, 10))
    book("b1", date(2027, 2, 10))
    with app.app_context():
        cancel_dialogue(db.session.get(Dialogue, d2), "Flyttas.")
        db.session.commit()
        db.session.get(Dialogue, d1).status = DialogueStatus.HELD
        db.session.commit()
    login(client, "regional_norr")
    page = client.get("/arsoversikt?ar=2027").get_data(as_text=True)
    assert '<span class="n">3</span> aktiva boenden' in page
    assert '<span class="n">1</span> genomförd' in page
    assert '<span class="n">1</span> inställd' in page
    assert '<span class="n">1</span> planerad' in page
    assert "Testboendet Fyra" not in page  # other region
    filtered = client.get(f"/arsoversikt?ar=2027&kommun={world.municipalities['B']}")
    text = filtered.get_data(as_text=True)
    assert "Testboendet Tre" in text and "Testboendet Ett" not in text
    by_date = client.get("/arsoversikt?ar=2027&sortera=datum").get_data(as_text=True)
    assert by_date.index("Testboendet Tre") < by_date.index("Testboendet Ett")
    only_cancelled = client.get("/arsoversikt?ar=2027&status=installd").get_data(as_text=True)
    assert "Testboendet Två" in only_cancelled and "Testboendet Tre" not in only_cancelled
    other_year = client.get("/arsoversikt?ar=2026").get_data(as_text=True)
    assert '<span class="n">3</span> ej planerad' in other_year


def test_audit_log_is_scoped(client, app, world, book):
    book("a1", date(2027, 3, 10))
    book("b1", date(2027, 3, 11))
    login(client, "mas_a")
    page = client.get("/granskningslogg").get_data(as_text=True)
    assert "Testboendet Ett 2027-03-10" in page
    assert "Testboendet Tre" not in page
    client.post("/logga-ut")
    login(client, "admin")
    page = client.get("/granskningslogg").get_data(as_text=True)
    assert "Testboendet Ett" in page and "Testboendet Tre" in page


def test_audit_changes_are_shown_in_swedish_local_time():
    from dialog.audit.display import change_rows, object_label

    rows = dict(
        change_rows(
            {
                "starts_at": ["2027-03-10T12:00:00+00:00", "2027-06-10T07:00:00+00:00"],
                "active": [True, False],
                "location": [None, "Biblioteket"],
            }
        )
    )
    assert rows["Start"] == "2027-03-10 kl. 13.00 → 2027-06-10 kl. 09.00"
    assert rows["Aktiv"] == "ja → nej"
    assert rows["Plats"] == "Biblioteket"
    assert object_label("CareHome") == "Boende"
