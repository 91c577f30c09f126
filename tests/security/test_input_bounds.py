"""Input bounds everywhere: ids no column can hold are 404, years stay within 2000–2100, control
characters are refused in every text field (on both databases), and the API answers its errors,
unknown methods included, in JSON."""

from __future__ import annotations

import io
from datetime import date, time

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import AuditEntry, Dialogue, Region
from tests.conftest import login

HUGE = ["2147483648", "9223372036854775808", "99999999999999999999"]


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(
    "url",
    [
        "/dialoger/{n}",
        "/dialoger/{n}/dokument/agenda",
        "/dialoger/{n}/kallelse.ics",
        "/register/boenden/{n}",
        "/register/kontakter/{n}/redigera",
        "/mallar/{n}/fil",
        "/utkorg/{n}",
        "/atgarder/{n}/andra",
        "/dokument/zip?dokument=agenda&ar=2027&kommun={n}",
        "/arsoversikt?kommun={n}&vardcentral={n}",
        "/register/boenden?kommun={n}",
        "/uppfoljning/?kommun={n}",
        "/dialoger/1/atgarder/ny?iakttagelse={n}",
    ],
)
def test_ids_no_column_can_hold_are_not_found(client, world, book, url, number):
    book("a1", date(2027, 3, 10))
    login(client, "admin")
    response = client.get(url.format(n=number))
    assert response.status_code in (200, 302, 400, 404)  # never 500
    if "?" not in url:
        assert response.status_code == 404


@pytest.mark.parametrize("number", HUGE)
def test_posts_with_huge_ids_change_nothing(client, app, world, book, number):
    dialogue_id = book("a1", date(2027, 3, 10))
    login(client, "admin")
    before = _count(app, AuditEntry)
    for url in (
        f"/anvandare/{number}/aktiv",
        f"/anvandare/{number}/logga-ut",
        f"/register/boenden/{number}/aktiv",
        f"/atgarder/{number}/ta-bort",
        f"/mallar/{number}/aktivera",
    ):
        assert client.post(url).status_code == 404
    response = client.post("/kallelser/skicka", data={"dialogue_ids": [number], "ar": number})
    assert response.status_code == 302
    response = client.post(
        f"/dialoger/{dialogue_id}/boka-om",
        data={
            "day": "2027-03-11",
            "start": "13:00",
            "end": "15:00",
            "location": "Rum",
            "version": number,
        },
    )
    assert response.status_code == 409  # a version no dialogue has: refused as stale
    assert _count(app, AuditEntry) == before


@pytest.mark.parametrize("day", ["0001-03-10", "1999-12-31", "2101-01-03", "9999-03-10"])
def test_bookings_outside_2000_to_2100_are_refused(client, app, world, day):
    login(client, "admin")
    response = client.post(
        f"/boenden/{world.homes['a2']}/boka",
        data={
            "day": day,
            "start": "13:00",
            "end": "15:00",
            "location": "Samlingsrummet",
            "health_centre": str(world.centres["alfa"]),
            "participants": [str(world.contacts["a2_chef"])],
        },
    )
    assert response.status_code == 400
    assert "Året måste vara mellan 2000 och 2100" in response.get_data(as_text=True)
    assert _count(app, Dialogue) == 0


def test_the_booking_service_refuses_such_years_too(app, world):
    from dialog.dialogues import Booking, BookingError, book_dialogue
    from dialog.models import CareHome

    with app.app_context():
        home = db.session.get(CareHome, world.homes["a1"])
        for year in (1, 9999):
            with pytest.raises(BookingError, match="2000 och 2100"):
                book_dialogue(
                    home,
                    Booking(day=date(year, 3, 10), start=time(13), end=time(15), location="Rum"),
                )
        db.session.rollback()
    assert _count(app, Dialogue) == 0


def test_years_in_urls_and_the_api_are_bounded(client, app, world):
    login(client, "admin")
    page = client.get("/arsoversikt?ar=1").get_data(as_text=True)
    assert "2000" in page  # shown as the nearest year allowed
    assert client.get("/dokument/zip?dokument=agenda&ar=9999").status_code == 404
    assert client.get("/uppfoljning/?ar=1").status_code == 400
    with app.app_context():
        from dialog.followup.tokens import create_token
        from dialog.models import User

        _, token = create_token(db.session.get(User, world.users["admin"]), "test")
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    for year in ("1", "1999", "2101", "99999999999999999999"):
        response = client.get(f"/api/v1/summary?year={year}", headers=headers)
        assert response.status_code == 400 and response.is_json
    assert client.get("/api/v1/summary?year=2100", headers=headers).status_code == 200


def test_a_planner_period_outside_the_years_is_refused(client, world):
    login(client, "admin")
    response = client.post(
        "/planering/arsplanerare/forslag",
        data={
            "year": "2027",
            "period_start": "0001-01-01",
            "period_end": "9999-12-31",
            "length": "120",
            "day_start": "08:00",
            "day_end": "16:00",
            "usual_start": "13:00",
        },
    )
    assert response.status_code == 400
    assert "Året måste vara mellan 2000 och 2100" in response.get_data(as_text=True)


@pytest.mark.parametrize("bad", ["Region\x00Nul", "Region\x01", "Region\x1b[31m", "Region\x7f"])
def test_control_characters_are_refused_and_nothing_is_stored(client, app, world, bad):
    login(client, "admin")
    before = (_count(app, Region), _count(app, AuditEntry))
    response = client.post("/register/regioner/ny", data={"name": bad})
    assert response.status_code == 400
    assert "osynliga styrtecken" in response.get_data(as_text=True)
    assert (_count(app, Region), _count(app, AuditEntry)) == before
    with app.app_context():
        assert not [n for n in db.session.scalars(sa.select(Region.name)) if n.startswith("Region")]


def test_control_characters_in_queries_paths_and_file_names_are_refused(client, world):
    login(client, "admin")
    assert client.get("/register/boenden?q=a%00b").status_code == 400
    assert client.get("/register/boenden%00").status_code == 400
    response = client.post(
        "/register/import",
        data={"kind": "boenden", "file": (io.BytesIO(b"namn;kommun\n"), "fil\x00.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_tabs_and_line_breaks_are_ordinary_text(client, app, world, book):
    dialogue_id = book("a1", date(2027, 3, 10))
    login(client, "admin")
    with app.app_context():
        version = db.session.get(Dialogue, dialogue_id).version
    response = client.post(
        f"/dialoger/{dialogue_id}/stall-in",
        data={"reason": "Rad ett\r\nRad två\tmed tabb", "version": str(version)},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Dialogue, dialogue_id).cancel_reason.startswith("Rad ett")


def test_an_import_with_control_characters_is_refused_whole(client, app, world):
    login(client, "admin")
    content = "namn;kommun\nDemoboendet Ny;Testkommun A\nDemo\x00boendet;Testkommun A\n"
    response = client.post(
        "/register/import",
        data={"kind": "boenden", "file": (io.BytesIO(content.encode()), "boenden.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "styrtecken" in response.get_data(as_text=True)


def test_unknown_methods_on_the_api_answer_json(client):
    for method in ("TRACE", "DELETE", "PUT", "PATCH"):
        response = client.open("/api/v1/dialogues", method=method)
        assert response.status_code == 405, method
        assert response.is_json and response.json["status"] == 405
        assert "GET" in response.headers["Allow"]
    response = client.get("/api/v1/finns-inte")
    assert response.status_code == 404 and response.is_json
    # The pages answer in Swedish HTML.
    response = client.open("/logga-in", method="TRACE")
    assert response.status_code == 405 and "Otillåten metod" in response.get_data(as_text=True)
