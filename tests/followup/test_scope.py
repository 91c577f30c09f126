"""A MAS never sees another municipality's rows: in any page, list, export, report or API answer."""

from __future__ import annotations

import io

from docx2python import docx2python
from openpyxl import load_workbook

from tests.conftest import login

FOREIGN = (
    "Kommun-B-markör",
    "Kommun-C-markör",
    "Testboendet Tre",
    "Testboendet Fyra",
    "Testkommun B",
    "Testkommun C",
)
PAGES = [
    "/uppfoljning/?ar={y}",
    "/uppfoljning/?ar={y}&halvar=2",
    "/uppfoljning/lista/dialoger?ar={y}",
    "/uppfoljning/lista/fynd?ar={y}",
    "/uppfoljning/lista/fynd?ar={y}&alla_ar=1",
    "/uppfoljning/lista/atgarder?ar={y}",
    "/uppfoljning/lista/atgarder?ar={y}&status=forsenade",
    "/uppfoljning/lista/boenden-utan-dialog?ar={y}",
    "/uppfoljning/lista/dialoger?ar={y}&representation=full",
    "/uppfoljning/lardomar",
    "/uppfoljning/lardomar?q=hygien",
    "/uppfoljning/export-dialoger.csv?ar={y}",
    "/uppfoljning/export-deltagare.csv?ar={y}",
    "/uppfoljning/export-fynd.csv?ar={y}",
    "/uppfoljning/export-atgarder.csv?ar={y}",
]


def _assert_clean(text: str, where: str):
    for marker in FOREIGN:
        assert marker not in text, f"{marker} leaked into {where}"


def test_mas_sees_only_her_municipality_everywhere(app, client, data, api_token, world):
    login(client, "mas_a")
    for year in (2025, 2026):
        for path in PAGES:
            url = path.format(y=year)
            response = client.get(url)
            assert response.status_code == 200, url
            _assert_clean(response.data.decode("utf-8"), url)
        # Trying another municipality's filter shows nothing of it.
        other = client.get(f"/uppfoljning/?ar={year}&kommun={world.municipalities['B']}")
        assert other.status_code == 404
        _assert_clean(other.get_data(as_text=True), "dashboard filtered on B")
        other = client.get(f"/uppfoljning/lista/fynd?ar={year}&boende={world.homes['b1']}")
        _assert_clean(other.get_data(as_text=True), "findings list of b1")

        wb = load_workbook(io.BytesIO(client.get(f"/uppfoljning/export.xlsx?ar={year}").data))
        cells = " ".join(
            str(v)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
        _assert_clean(cells, f"Excel {year}")

        token = api_token("mas_a")
        for kind in ("dialogues", "findings", "actions", "summary"):
            body = client.get(
                f"/api/v1/{kind}?year={year}&per_page=500",
                headers={"Authorization": f"Bearer {token}"},
            )
            assert body.status_code == 200
            _assert_clean(body.get_data(as_text=True), f"API {kind} {year}")
        body = client.get(
            f"/api/v1/findings?year={year}&municipality_id={world.municipalities['B']}",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert body.status_code == 404  # another municipality is not even named
        _assert_clean(body.get_data(as_text=True), "API filtered on B")

    report = client.get("/uppfoljning/rapport.docx?ar=2026")
    _assert_clean(docx2python(io.BytesIO(report.data)).text, "Word report")
    # The MAS does see her own rows.
    assert "Kommun-A-markör" in client.get("/uppfoljning/lista/fynd?ar=2026").get_data(as_text=True)


def test_unit_manager_and_health_centre_scopes(client, data):
    login(client, "chef_a1")
    page = client.get("/uppfoljning/lista/dialoger?ar=2026").get_data(as_text=True)
    assert "Testboendet Ett" in page and "Testboendet Två" not in page
    client.post("/logga-ut")
    login(client, "vc_alfa")
    page = client.get("/uppfoljning/lista/fynd?ar=2026").get_data(as_text=True)
    assert "Kommun-A-markör" in page
    _assert_clean(page, "health centre's findings")


def test_login_required(client):
    response = client.get("/uppfoljning/")
    assert response.status_code == 302 and "/logga-in" in response.headers["Location"]
