"""The planner's start page at any size: plain rows (no ORM objects), a summary per region or
municipality, filters, sort and pages kept in every link, and each role's own homes."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from sqlalchemy import event

from dialog.models import CareHome
from dialog.planning.planner import overview
from tests.conftest import login

YEAR = date.today().year + 1
URL = "/planering/arsplanerare/"


def rows(page: str) -> list[str]:
    """The homes listed in the form, in order."""
    return re.findall(
        r'<label for="boende-\d+"><span class="visually-hidden">Planera </span>([^<]+)<', page
    )


def links(page: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', page)]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(overview, "PER_PAGE", 2)


def test_admin_pages_the_homes_and_keeps_sort_and_filters_in_links(client, world, small_pages):
    login(client, "admin")
    first = client.get(f"{URL}?ar={YEAR}&sortera=boende").text
    assert rows(first) == ["Testboendet Ett", "Testboendet Fyra"]
    assert "1–2 av 4 boenden att planera, sida 1 av 2" in first
    nxt = [h for h in links(first) if "sida=2" in h]
    assert nxt and all("sortera=boende" in h and f"ar={YEAR}" in h for h in nxt)
    second = client.get(nxt[0]).text
    assert rows(second) == ["Testboendet Tre", "Testboendet Två"]
    assert "Föregående" in second and "sida 2 av 2" in second
    # Descending, and a page past the end shows the last page rather than nothing.
    last = client.get(f"{URL}?ar={YEAR}&sortera=boende&ordning=fallande&sida=99").text
    assert rows(last) == ["Testboendet Fyra", "Testboendet Ett"]
    # The form posts back to the same place, so a refused proposal re-shows this page.
    action = re.search(
        r'<form method="post" action="([^"]+)"[^>]*class="planner-form"', second
    ).group(1)
    assert "sida=2" in action and "sortera=boende" in action


def test_admin_sees_counts_per_region_and_narrows_to_one(client, world, small_pages):
    login(client, "admin")
    page = client.get(f"{URL}?ar={YEAR}").text
    assert "4 boenden utan dialog" in page and "per region" in page
    summary = page[
        page.index("planner-groups") : page.index("</details>", page.index("planner-groups"))
    ]
    counts = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', summary))
    assert counts == {"Testregion Norr": "3", "Testregion Syd": "1"}
    # Per-centre preferences wait for a region: a country has a thousand centres.
    assert "vc-dag-" not in page and "Önskemål per vårdcentral kan anges" in page
    norr = next(h for h in links(summary) if f"region={world.regions['norr']}" in h)
    page = client.get(norr).text
    assert rows(page) == ["Testboendet Ett", "Testboendet Två"]  # page 1 of 2, by municipality
    assert "3 boenden utan dialog" in page and "per kommun" in page
    assert f'name="vc-dag-{world.centres["alfa"]}"' in page
    nxt = next(h for h in links(page) if "sida=2" in h)
    assert f"region={world.regions['norr']}" in nxt
    assert rows(client.get(nxt).text) == ["Testboendet Tre"]
    # A municipality and a health centre narrow further.
    page = client.get(f"{URL}?ar={YEAR}&kommun={world.municipalities['B']}").text
    assert rows(page) == ["Testboendet Tre"] and "per kommun" not in page
    page = client.get(
        f"{URL}?ar={YEAR}&region={world.regions['norr']}&vardcentral={world.centres['alfa']}"
    ).text
    assert sorted(rows(page)) == ["Testboendet Ett", "Testboendet Två"]
    page = client.get(f"{URL}?ar={YEAR}&kommun=999999").text
    assert rows(page) == [] and "Inga boenden matchar urvalet" in page


def test_each_role_sees_its_own_homes(client, world):
    expected = {
        "mas_a": ["Testboendet Ett", "Testboendet Två"],
        "regional_norr": ["Testboendet Ett", "Testboendet Tre", "Testboendet Två"],
        "regional_syd": ["Testboendet Fyra"],
        "chef_a1": ["Testboendet Ett"],
    }
    for username, homes in expected.items():
        login(client, username)
        page = client.get(f"{URL}?ar={YEAR}&sortera=boende").text
        assert rows(page) == homes, username
        # Another region's id in the address shows nothing of that region.
        other = client.get(f"{URL}?ar={YEAR}&region={world.regions['syd']}").text
        if username != "regional_syd":
            assert "Testboendet Fyra" not in other
        client.post("/logga-ut")
    login(client, "regional_norr")
    page = client.get(f"{URL}?ar={YEAR}").text
    assert "per kommun" in page and "per region" not in page


def test_start_page_loads_no_home_objects_and_shows_last_years_date(app, client, world, book):
    book("a2", date(YEAR - 1, 3, 10), time(9, 0), time(11, 0))
    login(client, "admin")
    loaded = []

    def count(target, context):
        loaded.append(target)

    event.listen(CareHome, "load", count)
    try:
        page = client.get(f"{URL}?ar={YEAR}&sortera=forra_aret").text
    finally:
        event.remove(CareHome, "load", count)
    assert loaded == []
    assert rows(page)[0] == "Testboendet Två"  # the only one with last year's date
    assert f"{YEAR - 1}-03-10" in page


def test_a_refused_proposal_reshows_the_same_filtered_page(client, world):
    login(client, "admin")
    a1 = world.homes["a1"]
    query = f"ar={YEAR}&region={world.regions['norr']}&sortera=boende"
    response = client.post(
        f"{URL}forslag?{query}",
        data={
            "year": str(YEAR),
            "period_start": f"{YEAR}-05-01",
            "period_end": f"{YEAR}-04-01",
            "length": "120",
            "day_start": "08:00",
            "day_end": "16:00",
            "usual_start": "13:00",
            "boende": [str(a1)],
            f"dag-{a1}": "2",
        },
    )
    assert response.status_code == 400
    page = response.text
    assert rows(page) == ["Testboendet Ett", "Testboendet Tre", "Testboendet Två"]
    assert f'id="boende-{a1}" checked' in page
    assert f'id="boende-{world.homes["a2"]}" checked' not in page
    assert re.search(rf'<select id="dag-{a1}"[^>]*>.*?<option value="2" selected>', page)
