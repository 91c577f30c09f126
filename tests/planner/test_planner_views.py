"""The planner's pages through the test client: plan -> adjust -> book, and bad input."""

import re
from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Dialogue
from tests.conftest import login

YEAR = date.today().year + 1
FORM = {
    "year": str(YEAR),
    "period_start": f"{YEAR}-01-11",
    "period_end": f"{YEAR}-12-17",
    "length": "120",
    "day_start": "08:00",
    "day_end": "16:00",
    "usual_start": "13:00",
}


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def dialogue_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Dialogue.id)))


def proposal_form(response) -> dict:
    """The proposal page's form as a browser would submit it."""
    html = response.get_data(as_text=True)
    form = html[html.index('id="planner-form"') :]
    data: dict = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or name.group(1) == "csrf_token":
            continue
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        data.setdefault(name.group(1), []).append(value.group(1) if value else "")
    return data


def test_link_menu_and_role_check(client, world):
    login(client, "vc_alfa")
    assert "Planera året" not in text(client.get(f"/arsoversikt?ar={YEAR}"))
    assert client.get("/planering/arsplanerare/").status_code == 403
    client.post("/logga-ut")
    login(client, "mas_a")
    page = text(client.get(f"/arsoversikt?ar={YEAR}"))
    assert "Planera året" in page
    page = text(client.get(f"/planering/arsplanerare/?ar={YEAR}"))
    assert "Testboendet Ett" in page and "Testboendet Två" in page
    assert "Testboendet Tre" not in page  # another municipality


def test_plan_adjust_and_book_without_javascript(app, client, world):
    login(client, "regional_norr")
    homes = [world.homes[k] for k in ("a1", "a2", "b1")]
    response = client.post(
        "/planering/arsplanerare/forslag", data=FORM | {"boende": [str(h) for h in homes]}
    )
    assert response.status_code == 200
    assert "Inga konflikter" in text(response)
    data = proposal_form(response)
    assert sorted(int(v) for v in data["boende"]) == sorted(homes)

    # Put both homes of Test-VC Alfa on one day: the shared physician cannot be in both.
    a1, a2 = world.homes["a1"], world.homes["a2"]
    data[f"datum-{a2}"] = data[f"datum-{a1}"]
    data[f"start-{a2}"], data[f"slut-{a2}"] = "09:00", "11:00"
    response = client.post("/planering/arsplanerare/kontrollera", data=data)
    page = text(response)
    assert "Konflikt" in page and "Test lakare alfa (SÄBO-läkare)" in page
    assert "Ingen på två boenden samma dag (restid)" in page

    response = client.post("/planering/arsplanerare/boka", data=data)
    assert response.status_code == 409
    assert "Ingenting är bokat" in text(response)
    assert dialogue_count(app) == 0

    # The JSON re-check used by planner.js says the same thing.
    response = client.post(
        "/planering/arsplanerare/kontrollera", data=data, headers={"Accept": "application/json"}
    )
    rows = {r["home_id"]: r for r in response.get_json()["rows"]}
    assert [i["rule"] for i in rows[a2]["issues"] if i["hard"]] == ["restid"]
    assert response.get_json()["hard"] == 2

    # Leave a2 out of this booking: the rest is booked, invitations queued.
    data.pop(f"boka-{a2}")
    response = client.post("/planering/arsplanerare/boka", data=data)
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "2 dialoger är bokade och 10 kallelser är köade för utskick" in page
    with app.app_context():
        booked = db.session.scalars(sa.select(Dialogue.care_home_id)).all()
    assert sorted(booked) == sorted([a1, world.homes["b1"]])


def test_bad_input_gives_clear_messages_and_books_nothing(app, client, world):
    login(client, "mas_a")
    cases = [
        (
            {"period_start": f"{YEAR}-05-01", "period_end": f"{YEAR}-04-01"},
            "Periodens sista dag ligger före den första.",
        ),
        ({"period_start": "", "period_end": ""}, "Ange periodens första dag"),
        ({"period_start": f"{YEAR}-07-01", "period_end": f"{YEAR}-07-31"}, "Alla dagar i perioden"),
        (
            {
                "year": str(YEAR - 2),
                "period_start": f"{YEAR - 2}-03-01",
                "period_end": f"{YEAR - 2}-03-31",
            },
            "Perioden har redan passerat",
        ),
        ({"boende": [str(world.homes["b1"])]}, "inte bland de boenden du kan planera"),
        ({"day_start": "15:00", "day_end": "16:00"}, "får inte plats"),
        ({"boende": []}, "Välj minst ett boende"),
    ]
    for change, message in cases:
        data = FORM | {"boende": [str(world.homes["a1"])]} | change
        response = client.post("/planering/arsplanerare/forslag", data=data)
        assert response.status_code == 400, message
        assert message in text(response), message
    response = client.post(
        "/planering/arsplanerare/boka",
        data=FORM
        | {
            "boende": [str(world.homes["b1"])],
            f"boka-{world.homes['b1']}": "1",
            f"datum-{world.homes['b1']}": f"{YEAR}-03-10",
            f"start-{world.homes['b1']}": "13:00",
            f"slut-{world.homes['b1']}": "15:00",
        },
    )
    assert response.status_code == 302
    assert "inte bland de boenden" in text(client.get(response.headers["Location"]))
    assert dialogue_count(app) == 0


def test_booking_needs_csrf(app, client, world):
    login(client, "mas_a")
    a1 = world.homes["a1"]
    data = FORM | {
        "boende": [str(a1)],
        f"boka-{a1}": "1",
        f"datum-{a1}": f"{YEAR}-03-10",
        f"start-{a1}": "13:00",
        f"slut-{a1}": "15:00",
    }
    assert client.post("/planering/arsplanerare/boka", data=data, csrf=False).status_code == 400
    assert dialogue_count(app) == 0
    assert client.post("/planering/arsplanerare/boka", data=data).status_code == 302
    assert dialogue_count(app) == 1


def test_unit_manager_plans_own_home_and_bad_rows_are_explained(app, client, world):
    login(client, "chef_a1")
    page = text(client.get(f"/planering/arsplanerare/?ar={YEAR}"))
    assert "Testboendet Ett" in page and "Testboendet Två" not in page
    a1 = world.homes["a1"]
    data = FORM | {
        "boende": [str(a1)],
        f"boka-{a1}": "1",
        f"datum-{a1}": "10/3",
        f"start-{a1}": "13:00",
        f"slut-{a1}": "15:00",
    }
    response = client.post(
        "/planering/arsplanerare/kontrollera", data=data, headers={"Accept": "application/json"}
    )
    row = response.get_json()["rows"][0]
    assert row["error"].startswith("Ogiltigt datum")
    response = client.post("/planering/arsplanerare/boka", data=data)
    assert response.status_code == 400 and "rätta de felaktiga raderna" in text(response)
    # A Saturday and a meeting past the day's end are named by rule.
    data |= {f"datum-{a1}": f"{YEAR}-09-04", f"slut-{a1}": "17:00"}
    if date(YEAR, 9, 4).weekday() < 5:
        data[f"datum-{a1}"] = f"{YEAR}-09-0{4 + (5 - date(YEAR, 9, 4).weekday())}"
    page = text(client.post("/planering/arsplanerare/kontrollera", data=data))
    assert "Bara arbetsdagar:" in page and "Inom mötestiderna:" in page
    assert dialogue_count(app) == 0


def test_the_year_view_pages_long_lists_and_keeps_the_filters(app, client, world, monkeypatch):
    from dialog.planning import services as year_services

    monkeypatch.setattr(year_services, "PER_PAGE", 2)
    login(client, "admin")
    first = client.get("/arsoversikt?ar=2027&sortera=boende").text
    assert first.count('<tr data-home-id="') == 2
    assert "1–2 av 4, sida 1 av 2" in first
    # The summary still counts every home of the selection, not only this page's.
    assert ">4</span> aktiva boenden" in first
    assert "sida=2" in first and "sortera=boende" in first.split("sida=2")[0].rsplit("href", 1)[1]
    second = client.get("/arsoversikt?ar=2027&sortera=boende&sida=2").text
    assert second.count('<tr data-home-id="') == 2
    assert "3–4 av 4, sida 2 av 2" in second and "Föregående" in second
    names = [
        page.split('class="year-home"><a href="')[i].split(">")[1].split("<")[0]
        for page in (first, second)
        for i in (1, 2)
    ]
    assert names == sorted(names, key=str.lower) and len(set(names)) == 4
    # A page past the end shows the last one rather than nothing.
    assert "sida 2 av 2" in client.get("/arsoversikt?ar=2027&sida=99").text
