"""The local action plan: texts per plan area (guarded), the Word document structured by the
national plan's foundations and focus areas, the region's plan, and the dashboard's spread."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Action, ActionStatus, AuditEntry, Finding, Party, PlanArea, PlanText
from tests.conftest import login

from .helpers import docx_text, relogin


def _plan_areas(app) -> dict[str, int]:
    with app.app_context():
        return {p.name: p.id for p in db.session.scalars(sa.select(PlanArea))}


def _link_an_action(app, data):
    """An action of municipality A's 2026 dialogue on the finding linked to the first foundation."""
    with app.app_context():
        finding = db.session.scalar(
            sa.select(Finding).where(Finding.description.like("%läkemedelslistor skiljer sig%"))
        )
        db.session.add(
            Action(
                dialogue_id=data.dialogues["d2"],
                finding_id=finding.id,
                description="Kommun-A-markör: gemensam läkemedelslista i journalen.",
                responsible_party=Party.JOINT,
                status=ActionStatus.IN_PROGRESS,
                due_date=date(2027, 3, 31),
            )
        )
        db.session.commit()


def test_mas_writes_texts_per_area_and_patient_data_is_refused(app, client, world, data):
    plan = _plan_areas(app)
    login(client, "mas_a")
    page = client.get("/handlingsplan/?ar=2026")
    assert page.status_code == 200
    assert "Lokal handlingsplan 2026: Testkommun A" in page.text
    for name in ("Engagerad ledning och tydlig styrning", "Öka riskmedvetenhet och beredskap"):
        assert name in page.text
    key = plan["Engagerad ledning och tydlig styrning"]
    response = client.post(
        "/handlingsplan/texter",
        data={
            "ar": "2026",
            "kommun": str(world.municipalities["A"]),
            f"text-{key}": "Ledningen följer läkemedelsrisker varje kvartal.",
            f"text-{plan['Säker vård här och nu']}": "Boende 19450312-1234 föll.",
        },
    )
    assert response.status_code == 400 and "patientuppgifter" in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PlanText.id))) == 0
    response = client.post(
        "/handlingsplan/texter",
        data={
            "ar": "2026",
            "kommun": str(world.municipalities["A"]),
            f"text-{key}": "Ledningen följer läkemedelsrisker varje kvartal.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(sa.select(PlanText))
        assert (row.year, row.municipality_id, row.plan_area_id) == (
            2026,
            world.municipalities["A"],
            key,
        )
        entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "ändrade lokal handlingsplan"
        assert entry.municipality_id == world.municipalities["A"]
    assert (
        "Ledningen följer läkemedelsrisker varje kvartal."
        in client.get("/handlingsplan/?ar=2026").text
    )


def test_the_word_document_follows_the_national_plan(app, client, world, data):
    _link_an_action(app, data)
    plan = _plan_areas(app)
    login(client, "mas_a")
    client.post(
        "/handlingsplan/texter",
        data={
            "ar": "2026",
            "kommun": str(world.municipalities["A"]),
            f"text-{plan['Engagerad ledning och tydlig styrning']}": "Ledningen följer upp varje kvartal.",
        },
    )
    response = client.get(
        f"/handlingsplan/handlingsplan.docx?ar=2026&kommun={world.municipalities['A']}"
    )
    assert response.status_code == 200
    assert "Lokal handlingsplan 2026 Testkommun A.docx" in response.headers["Content-Disposition"]
    text = docx_text(response.data)
    assert "Lokal handlingsplan för patientsäkerhet 2026" in text
    assert "2 dialoger med 3 fynd och 4 åtgärder under 2026" in text
    order = [
        "Grundförutsättningar",
        "Engagerad ledning och tydlig styrning",
        "Ledningen följer upp varje kvartal.",
        "Risk (Läkemedel, Testboendet Ett): Kommun-A-markör: läkemedelslistor skiljer sig.",
        "Fokusområden",
        "Tillförlitliga och säkra system och processer",
        "Framgångsfaktor (Palliativ vård, Testboendet Ett)",
        "Övrigt",
        "Ej kopplat till handlingsplanens områden",
        "Brist (Nutrition, Testboendet Ett)",
    ]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions), order
    assert (
        "Kommun-A-markör: gemensam läkemedelslista i journalen. | Testboendet Ett | "
        "Gemensamt | 2027-03-31 | Pågår" in text
    )
    assert "Kommun-A-markör: vikt. | Testboendet Ett | Vårdcentral | 2099-12-31 | Pågår" in text
    assert "Engagerad ledning och tydlig styrning | 1 | 1 | 1" in text  # summary row
    assert "Kommun-B-markör" not in text and "Kommun-C-markör" not in text


def test_the_regions_plan_gathers_its_municipalities(app, client, world, data):
    login(client, "regional_norr")
    page = client.get(f"/handlingsplan/?ar=2026&region={world.regions['norr']}").text
    assert "(regionen)" in page
    text = docx_text(
        client.get(f"/handlingsplan/handlingsplan.docx?ar=2026&region={world.regions['norr']}").data
    )
    assert "Testregion Norr (regionens samlade plan)" in text
    assert "Kommun-A-markör" in text and "Kommun-B-markör" in text and "Kommun-C-markör" not in text
    relogin(client, "mas_a")
    assert client.get(f"/handlingsplan/?ar=2026&region={world.regions['norr']}").status_code == 404
    assert (
        client.get(f"/handlingsplan/?ar=2026&kommun={world.municipalities['B']}").status_code == 404
    )
    relogin(client, "chef_a1")
    assert client.get("/handlingsplan/").status_code == 403


def test_dashboard_shows_how_actions_spread_over_the_plan_areas(app, client, world, data):
    _link_an_action(app, data)
    login(client, "regional_norr")
    page = client.get("/uppfoljning/?ar=2026").text
    section = page.split('id="handlingsplanens-omraden"')[1].split("</section>")[0]

    def row(name):
        cells = re.search(re.escape(name) + r"</th>(.*?)</tr>", section, re.S).group(1)
        return re.findall(r'<td class="num">(\d+)</td>', cells)

    assert row("Engagerad ledning och tydlig styrning") == ["1", "1"]
    # B's delegation plan hangs on a finding in the third focus area; A's other three actions
    # have no plan area (one of them open).
    assert row("Säker vård här och nu") == ["1", "1"]
    assert row("Öka kunskap om inträffade vårdskador") == ["0", "0"]
    assert row("Ej kopplat till handlingsplanens områden") == ["3", "1"]
    assert sum(int(row(n)[0]) for n in _plan_areas(app)) + 3 == 5
