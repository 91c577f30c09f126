"""Basis data: typed in, imported from CSV (files that look like single events are refused whole),
shown in the agenda and documentation template beside last year's, and on the dashboard."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import AuditEntry, BasisFigure, Measure
from tests.conftest import login

from .helpers import audit_count, csv_file, docx_text, relogin


def _figures(app) -> dict:
    with app.app_context():
        return {
            (f.care_home.name, f.year, f.measure): f.value
            for f in db.session.scalars(sa.select(BasisFigure))
        }


def test_mas_types_in_the_figures_of_a_home(app, client, world):
    login(client, "mas_a")
    home = world.homes["a1"]
    page = client.get(f"/underlag/boenden/{home}/2026")
    assert page.status_code == 200 and "Andel boende med riskbedömning i Senior alert" in page.text
    response = client.post(
        f"/underlag/boenden/{home}/2026",
        data={"avv_fall": "14", "senior_alert": "87,5", "hygienrond": "92 %", "avv_ovrigt": ""},
    )
    assert response.status_code == 302
    assert _figures(app) == {
        ("Testboendet Ett", 2026, Measure.FALLS): 14.0,
        ("Testboendet Ett", 2026, Measure.SENIOR_ALERT): 87.5,
        ("Testboendet Ett", 2026, Measure.HYGIENE): 92.0,
    }
    # Clearing a field removes the figure; the change is audited once per home and year.
    response = client.post(
        f"/underlag/boenden/{home}/2026",
        data={"avv_fall": "15", "senior_alert": "", "hygienrond": "92"},
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "ändrade underlag" and entry.care_home_id == home
        assert entry.changes["2026 avv_fall"] == [14.0, 15.0]
        assert entry.changes["2026 senior_alert"] == [87.5, None]
    page = client.get("/underlag/?ar=2026").text
    assert ">15<" in page and "92 %" in page


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("avv_fall", "12,5", "ett antal är ett heltal"),
        ("senior_alert", "101", "en andel är högst 100 %"),
        ("avv_lakemedel", "tolv", "skriv ett tal"),
        ("avv_trycksar", "-3", "skriv ett tal"),
    ],
)
def test_bad_figures_are_refused_and_nothing_is_saved(app, client, world, field, value, message):
    login(client, "mas_a")
    before = audit_count(app)
    response = client.post(
        f"/underlag/boenden/{world.homes['a1']}/2026", data={"avv_fall": "3", field: value}
    )
    assert response.status_code == 400 and message in response.text
    assert _figures(app) == {} and audit_count(app) == before


def test_who_may_see_and_type_in(app, client, world):
    login(client, "mas_a")
    assert client.get(f"/underlag/boenden/{world.homes['b1']}/2026").status_code == 404
    assert (
        client.post(
            f"/underlag/boenden/{world.homes['b1']}/2026", data={"avv_fall": "1"}
        ).status_code
        == 404
    )
    relogin(client, "chef_a1")
    assert client.get("/underlag/").status_code == 403
    assert (
        client.post(
            f"/underlag/boenden/{world.homes['a1']}/2026", data={"avv_fall": "1"}
        ).status_code
        == 403
    )
    relogin(client, "vc_alfa")
    assert client.get(f"/underlag/boenden/{world.homes['a1']}/2026").status_code == 403
    assert _figures(app) == {}


GOOD = (
    "Kommun;Boende;År;Mått;Värde\n"
    "Testkommun A;Testboendet Ett;2026;fall;14\n"
    "Testkommun A;Testboendet Ett;2026;Läkemedel;9\n"
    "Testkommun A;Testboendet Ett;2025;fall;19\n"
    "Testkommun A;Testboendet Två;2026;senior alert;87,5\n"
    "Testkommun B;Testboendet Tre;2026;Avvikelser: vård och behandling;4\n"
    "Testkommun B;Testboendet Tre;2026;hygienrond;90\n"
)


def _upload(client, text):
    return client.post(
        "/underlag/import",
        data={"file": csv_file(text)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_csv_import_preview_then_confirm(app, client, world):
    login(client, "regional_norr")
    response = _upload(client, GOOD)
    assert response.status_code == 200 and "Alla 6 rader är korrekta" in response.text
    assert _figures(app) == {}
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', response.text).group(1)
    assert client.post("/underlag/import/bekrafta", data={"payload": payload}).status_code == 302
    figures = _figures(app)
    assert len(figures) == 6
    assert figures[("Testboendet Ett", 2025, Measure.FALLS)] == 19
    assert figures[("Testboendet Två", 2026, Measure.SENIOR_ALERT)] == 87.5
    assert figures[("Testboendet Tre", 2026, Measure.CARE_TREATMENT)] == 4
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEntry.action).where(AuditEntry.action == "importerade underlag")
        ).all()
        assert len(actions) == 4  # one per home and year


def test_a_broken_csv_is_refused_whole(app, client, world):
    broken = GOOD + (
        "Testkommun A;Okänt boende;2026;fall;1\n"
        "Testkommun A;Testboendet Ett;20x6;fall;1\n"
        "Testkommun A;Testboendet Två;2026;blodtryck;1\n"
        "Testkommun A;Testboendet Två;2026;fall;1,5\n"
        "Testkommun A;Testboendet Två;2026;hygienrond;120\n"
        "Testkommun C;Testboendet Fyra;2026;fall;2\n"
    )
    login(client, "regional_norr")
    response = _upload(client, broken)
    assert response.status_code == 422
    text = response.text
    assert "Rad 8: okänt boende ”Okänt boende” i Testkommun A" in text
    assert "Rad 9: ogiltigt år" in text
    assert "Rad 10: okänt mått ”blodtryck”" in text
    assert "Rad 11: avvikelser: fall: ett antal är ett heltal" in text
    assert "Rad 12: hygienrond" in text and "högst 100 %" in text
    assert "Rad 13: du har inte behörighet att registrera underlag för Testboendet Fyra" in text
    assert "/underlag/import/bekrafta" not in text
    assert _figures(app) == {}


# Each file starts with a good row: the whole file is refused, not only the bad rows.
PATIENT_LEVEL = {
    "an identity number in a cell": (
        "Kommun;Boende;År;Mått;Värde;Anteckning\n"
        "Testkommun A;Testboendet Två;2026;läkemedel;3;\n"
        "Testkommun A;Testboendet Ett;2026;fall;1;19450312-1234\n",
        ["rad 3 innehåller personnummer"],
    ),
    "a person's name": (
        "Kommun;Boende;År;Mått;Värde;Kommentar\n"
        "Testkommun A;Testboendet Två;2026;läkemedel;3;\n"
        "Testkommun A;Testboendet Ett;2026;fall;1;Anna Svensson\n",
        ["rad 3 innehåller namn"],
    ),
    "a column for the person": (
        "Personnummer;Kommun;Boende;År;Mått;Värde\n"
        ";Testkommun A;Testboendet Två;2026;läkemedel;3\n"
        "x;Testkommun A;Testboendet Ett;2026;fall;1\n",
        ["kolumn 1 i rubrikraden är en uppgift om en person eller händelse"],
    ),
    "a date per row": (
        "Kommun;Boende;År;Mått;Värde;Tid\n"
        "Testkommun A;Testboendet Två;2026;läkemedel;3;\n"
        "Testkommun A;Testboendet Ett;2026;fall;1;2026-03-14\n"
        "Testkommun A;Testboendet Två;2026;fall;1;14/3/2026\n",
        ["rad 3 har ett datum", "rad 4 har ett datum"],
    ),
    "one row per event": (
        "Kommun;Boende;År;Mått;Värde\n"
        "Testkommun A;Testboendet Två;2026;läkemedel;3\n"
        "Testkommun A;Testboendet Ett;2026;fall;1\n"
        "Testkommun A;Testboendet Ett;2026;fall;1\n"
        "Testkommun A;Testboendet Ett;2026;Fall;1\n",
        ["rad 3 och 4 gäller samma boende, år och mått", "rad 3 och 5 gäller samma"],
    ),
}


@pytest.mark.parametrize("case", sorted(PATIENT_LEVEL))
def test_a_patient_level_file_is_refused_whole_without_echoing_it(app, client, world, case):
    text, reasons = PATIENT_LEVEL[case]
    login(client, "mas_a")
    before = audit_count(app)
    response = _upload(client, text)
    assert response.status_code == 400
    page = response.text
    assert "ser ut att innehålla enskilda händelser" in page and "Ingenting har sparats" in page
    for reason in reasons:
        assert reason in page, reason
    assert "19450312" not in page and "Anna Svensson" not in page
    assert "Raderna i filen" not in page  # no preview of the rows
    assert _figures(app) == {} and audit_count(app) == before


def test_cli_import_refuses_a_patient_level_file(app, runner, world, tmp_path):
    path = tmp_path / "handelser.csv"
    path.write_text(PATIENT_LEVEL["an identity number in a cell"][0], encoding="utf-8")
    result = runner.invoke(args=["import-csv", "underlag", str(path)])
    assert result.exit_code != 0 and "enskilda händelser" in result.output
    assert "19450312" not in result.output
    good = tmp_path / "underlag.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["import-csv", "underlag", str(good)])
    assert result.exit_code == 0 and "6 rader importerades" in result.output
    assert len(_figures(app)) == 6


def test_agenda_and_documentation_template_show_this_and_last_year(
    app, client, world, runner, tmp_path, book
):
    good = tmp_path / "underlag.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert runner.invoke(args=["import-csv", "underlag", str(good)]).exit_code == 0
    dialogue_id = book("a1", date(2026, 3, 10))
    login(client, "chef_a1")
    for kind in ("agenda", "dokumentationsmall"):
        response = client.get(f"/dialoger/{dialogue_id}/dokument/{kind}")
        assert response.status_code == 200
        text = docx_text(response.data)
        assert "Underlag 2026 och 2025" in text
        assert "Mått | 2025 | 2026 | Förändring" in text
        assert "Avvikelser: fall | 19 | 14 | −5" in text
        assert "Avvikelser: läkemedel | – | 9 | " in text
    # A home without figures gets a sentence instead of an empty table.
    other = book("a2", date(2026, 3, 11))
    relogin(client, "mas_a")
    text = docx_text(client.get(f"/dialoger/{other}/dokument/agenda").data)
    assert "Andel boende med riskbedömning i Senior alert (%) | – | 87,5 %" in text
    dialogue_b = book("b1", date(2025, 3, 12))
    relogin(client, "regional_norr")
    text = docx_text(client.get(f"/dialoger/{dialogue_b}/dokument/agenda").data)
    assert "Inget underlag är registrerat för 2025 eller 2024." in text


def test_dashboard_shows_basis_data_per_municipality_and_year(app, client, world, runner, tmp_path):
    good = tmp_path / "underlag.csv"
    good.write_text(
        GOOD
        + "Testkommun A;Testboendet Två;2026;fall;6\nTestkommun A;Testboendet Två;2025;senior alert;80\n"
        "Testkommun C;Testboendet Fyra;2026;fall;50\n",
        encoding="utf-8",
    )
    assert runner.invoke(args=["import-csv", "underlag", str(good)]).exit_code == 0
    login(client, "regional_norr")
    page = client.get("/uppfoljning/?ar=2026").text
    section = page.split('id="underlag"')[1].split("</section>")[0]
    trend = section.split("Underlag per år i urvalet")[1].split("</table>")[0]
    falls = re.search(r"Avvikelser: fall</th>(.*?)</tr>", trend, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', falls)
    assert cells == ["–", "–", "–", "19", "20"]  # 2022–2026: region Syd's 50 left out
    senior = re.search(r"Senior alert \(%\)</th>(.*?)</tr>", trend, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', senior)[-2:] == ["80 %", "87,5 %"]
    per_muni = section.split("per kommun (föregående år inom parentes)")[1]
    row_a = re.search(r"Testkommun A</th>(.*?)</tr>", per_muni, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*) <span class="hint">\(([^)]*)\)', row_a)[0] == (
        "20",
        "19",
    )
    assert "Testkommun C" not in section
    relogin(client, "mas_a")
    section = client.get("/uppfoljning/?ar=2026").text.split('id="underlag"')[1]
    assert "Testkommun B" not in section.split("</section>")[0]
