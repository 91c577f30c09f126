"""The dashboard, the API summary, the Excel and CSV exports and the Word report show the same
figures, and they equal an independent computation from the raw rows."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx2python import docx2python

from dialog.followup.figures import today_local
from tests.conftest import login

from .dataset import independent_figures
from .helpers import csv_rows, dashboard_numbers, xlsx_sheets

CASES = [
    # user, year, region names, municipality names
    ("regional_norr", 2026, {"Testregion Norr"}, None),
    ("mas_a", 2025, None, {"Testkommun A"}),
    ("admin", 2026, None, None),
]


@pytest.mark.parametrize("username,year,regions,municipalities", CASES)
def test_every_view_agrees_with_the_raw_rows(
    app, client, data, api_token, username, year, regions, municipalities
):
    with app.app_context():
        expected = independent_figures(regions, municipalities, year, today_local())
    login(client, username)

    # Dashboard: every number is a link; read the numbers by their labels.
    page = client.get(f"/uppfoljning/?ar={year}")
    assert page.status_code == 200
    nums = dashboard_numbers(page.get_data(as_text=True))
    assert nums["bokade dialoger"][0] == expected["booked"]
    assert nums["genomförda dialoger"][0] == expected["held"]
    assert nums["dokumenterade dialoger"][0] == expected["documented"]
    assert nums["full representation"][0] == expected["full"]
    assert nums["alla fynd"][0] == sum(expected["findings"].values())
    for kind, label in (
        ("brist", "Brist"),
        ("risk", "Risk"),
        ("framgangsfaktor", "Framgångsfaktor"),
    ):
        assert nums[f"{label}, alla områden"][0] == expected["findings"][kind]
    for key, label in (
        ("open", "öppna"),
        ("overdue", "försenade"),
        ("done", "klara"),
        ("cancelled", "avbrutna"),
        ("total", "alla åtgärder"),
    ):
        assert nums[label][0] == expected["actions"][key], label

    # The list behind a number holds that many rows.
    for label in ("genomförda dialoger", "alla fynd", "försenade", "full representation"):
        n, href = nums[label]
        listing = client.get(href).get_data(as_text=True)
        assert f"{n} {'rad' if n == 1 else 'rader'}." in listing, label

    # API summary.
    token = api_token(username)
    summary = client.get(
        f"/api/v1/summary?year={year}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert summary["coverage"]["booked"] == expected["booked"]
    assert summary["coverage"]["held"] == expected["held"]
    assert summary["coverage"]["documented"] == expected["documented"]
    assert summary["representation"]["full"] == expected["full"]
    assert summary["findings"]["by_kind"] == expected["findings"]
    assert summary["actions"]["totals"] == expected["actions"]
    # API lists: totals agree.
    for kind, n in (
        ("dialogues", expected["booked"] + expected["cancelled"]),
        ("findings", sum(expected["findings"].values())),
        ("actions", expected["actions"]["total"]),
    ):
        body = client.get(
            f"/api/v1/{kind}?year={year}&per_page=2", headers={"Authorization": f"Bearer {token}"}
        ).get_json()
        assert body["total"] == n
        assert len(body["items"]) == min(2, n)

    # Excel: sheets, real dates, sums.
    response = client.get(f"/uppfoljning/export.xlsx?ar={year}")
    sheets = xlsx_sheets(response.data)
    assert list(sheets) == ["Dialoger", "Deltagare", "Fynd", "Åtgärder"]
    dialogues = sheets["Dialoger"]
    assert len(dialogues) == expected["booked"] + expected["cancelled"]
    assert (
        sum(1 for r in dialogues if r["Status"] in ("Genomförd", "Dokumenterad"))
        == expected["held"]
    )
    assert sum(1 for r in dialogues if r["Full representation"] == "Ja") == expected["full"]
    for r in dialogues:
        assert r["Start"].year == year  # a real datetime cell, not text
    findings = sheets["Fynd"]
    for kind, label in (
        ("brist", "Brist"),
        ("risk", "Risk"),
        ("framgangsfaktor", "Framgångsfaktor"),
    ):
        assert sum(1 for r in findings if r["Slag"] == label) == expected["findings"][kind]
    actions = sheets["Åtgärder"]
    assert len(actions) == expected["actions"]["total"]
    assert sum(1 for r in actions if r["Försenad"] == "Ja") == expected["actions"]["overdue"]
    assert sum(1 for r in actions if r["Status"] == "Klar") == expected["actions"]["done"]
    assert all(isinstance(r["Klart senast"], (date, type(None))) for r in actions)

    # CSV: the same rows.
    assert len(csv_rows(client.get(f"/uppfoljning/export-fynd.csv?ar={year}").data)) == len(
        findings
    )
    assert len(csv_rows(client.get(f"/uppfoljning/export-atgarder.csv?ar={year}").data)) == len(
        actions
    )
    assert len(csv_rows(client.get(f"/uppfoljning/export-deltagare.csv?ar={year}").data)) == len(
        sheets["Deltagare"]
    )

    # Word report: the summary sentence carries the same figures.
    report = client.get(f"/uppfoljning/rapport.docx?ar={year}")
    assert report.status_code == 200
    text = docx2python(io.BytesIO(report.data)).text
    assert f"bokades {expected['booked']} patientsäkerhetsdialoger" in text
    assert f"{expected['held']} genomfördes och {expected['documented']} är dokumenterade" in text
    assert f"{sum(expected['findings'].values())} fynd registrerades" in text
    assert (
        f"{expected['actions']['open']} åtgärder är öppna, varav "
        f"{expected['actions']['overdue']} försenade"
    ) in text


def test_half_year_and_filters(app, client, data, world):
    login(client, "regional_norr")
    first = dashboard_numbers(client.get("/uppfoljning/?ar=2026&halvar=1").get_data(as_text=True))
    second = dashboard_numbers(client.get("/uppfoljning/?ar=2026&halvar=2").get_data(as_text=True))
    # a1 in March; a2 (planned, September) and b1 (held, October) in the second half.
    assert first["bokade dialoger"][0] == 1 and second["bokade dialoger"][0] == 2
    assert first["genomförda dialoger"][0] == 1 and second["genomförda dialoger"][0] == 1
    only_b = dashboard_numbers(
        client.get(f"/uppfoljning/?ar=2026&kommun={world.municipalities['B']}").get_data(
            as_text=True
        )
    )
    assert only_b["bokade dialoger"][0] == 1
    assert only_b["Risk, alla områden"][0] == 1
    by_centre = dashboard_numbers(
        client.get(f"/uppfoljning/?ar=2026&vardcentral={world.centres['alfa']}").get_data(
            as_text=True
        )
    )
    assert by_centre["bokade dialoger"][0] == 2


def test_representation_missing_roles_and_recurring(app, client, data):
    login(client, "regional_norr")
    html = client.get("/uppfoljning/?ar=2026").get_data(as_text=True)
    nums = dashboard_numbers(html)
    # a1 2026: the nurse was absent; b1: the physician came as a stand-in, which counts.
    assert nums["ej full representation"][0] == 1
    assert nums["saknad Sjuksköterska"][0] == 1
    assert nums["fullständig representation SÄBO"][0] == 1
    assert nums["fullständig representation Vårdcentral"][0] == 2
    listing = client.get(nums["fullständig representation SÄBO"][1]).get_data(as_text=True)
    assert "Testboendet Tre" in listing and "Testboendet Ett" not in listing
    assert nums["aktiva boenden"][0] == 3
    assert "3 rader." in client.get(nums["aktiva boenden"][1]).get_data(as_text=True)
    listing = client.get(nums["saknad Sjuksköterska"][1]).get_data(as_text=True)
    assert "Testboendet Ett" in listing and "Testboendet Tre" not in listing
    # Läkemedel risk at a1 in 2025 and 2026 recurs.
    key = "Risk Läkemedel vid Testboendet Ett"
    assert nums[key][0] == 2
    assert "2 rader." in client.get(nums[key][1]).get_data(as_text=True)
    # Coverage gap 2025: a2 (only a cancelled one) and b1 (none).
    gap = dashboard_numbers(client.get("/uppfoljning/?ar=2025").get_data(as_text=True))
    assert gap["boenden utan dialog"][0] == 2
    page = client.get(gap["boenden utan dialog"][1]).get_data(as_text=True)
    assert "Testboendet Två" in page and "Testboendet Tre" in page


def test_bad_filters_are_refused(client, data):
    login(client, "regional_norr")
    assert client.get("/uppfoljning/?ar=abc").status_code == 400
    assert client.get("/uppfoljning/?halvar=3").status_code == 400
    assert client.get("/uppfoljning/lista/fynd?slag=nej").status_code == 400
    assert client.get("/uppfoljning/lista/okand").status_code == 404
    assert client.get("/uppfoljning/diagram/okand.svg").status_code == 404


def test_charts_are_svg_images(client, data):
    login(client, "regional_norr")
    for name in ("tackning", "representation", "fynd", "handlingsplan", "atgarder", "trender"):
        response = client.get(f"/uppfoljning/diagram/{name}.svg?ar=2026")
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert b"<svg" in response.data[:500]
