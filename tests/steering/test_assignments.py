"""Leadership assignments: recorded by the region, reported back by the owner (guarded), overdue
on the regional dashboard and listed with their reports in the next compilation report."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Area, Assignment, AssignmentReport, AssignmentStatus, AuditEntry, Finding
from tests.conftest import login

from .helpers import audit_count, docx_text, relogin


def _form(app, world, **changes):
    with app.app_context():
        areas = {a.name: a.id for a in db.session.scalars(sa.select(Area))}
    values = {
        "region": str(world.regions["norr"]),
        "title": "Ta fram en gemensam rutin för läkemedelsgenomgångar",
        "description": "Bakgrund: återkommande risker inom läkemedel i två kommuner.",
        "assignee": "MAS-nätverket",
        "owner": f"municipality:{world.municipalities['A']}",
        "source_year": "2026",
        "source_half": "2",
        "due_date": "2020-06-30",
        "areas": [str(areas["Läkemedel"]), str(areas["Fall"])],
    }
    values.update(changes)
    return values


def _create(app, client, world, **changes) -> int:
    response = client.post("/uppdrag/nytt", data=_form(app, world, **changes))
    assert response.status_code == 302, response.text
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(Assignment.id)))


def test_region_records_an_assignment_linked_to_areas_and_findings(app, client, world, data):
    login(client, "regional_norr")
    page = client.get("/uppdrag/nytt?ar=2026&halvar=2")
    assert page.status_code == 200
    # The escalated findings and lessons of the year in the region are offered, nothing else.
    assert "viktuppföljning brister" in page.text and "delegeringar förnyas sent" in page.text
    assert "Kommun-C-markör" not in page.text
    assert re.search(
        r"<option selected value=\"2026\">|<option value=\"2026\" selected>", page.text
    ), re.findall(r"<option[^>]*2026[^>]*>", page.text)
    with app.app_context():
        escalated = db.session.scalar(
            sa.select(Finding.id).where(Finding.description.like("%viktuppföljning%"))
        )
    before = audit_count(app)
    assignment_id = _create(app, client, world, findings=[str(escalated)])
    with app.app_context():
        a = db.session.get(Assignment, assignment_id)
        assert a.region_id == world.regions["norr"]
        assert a.owner_municipality_id == world.municipalities["A"]
        assert sorted(x.name for x in a.areas) == ["Fall", "Läkemedel"]
        assert [f.id for f in a.findings] == [escalated]
        assert (a.source_year, a.source_half, a.status) == (2026, 2, AssignmentStatus.NOT_STARTED)
        entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "skapade uppdrag"
        assert entry.municipality_id == world.municipalities["A"]
    assert audit_count(app) == before + 1
    page = client.get(f"/uppdrag/{assignment_id}").text
    assert "MAS-nätverket" in page and "MAS/MAR, Testkommun A" in page and "Försenat" in page
    assert "Sammanställningen 2026 (juli–december)" in page


def test_bad_or_patient_data_input_is_refused_and_nothing_stored(app, client, world, data):
    login(client, "regional_norr")
    with app.app_context():
        other = db.session.scalar(
            sa.select(Finding.id).where(Finding.description.like("Kommun-C-markör%"))
        )
    cases = [
        (_form(app, world, title=""), "Fyll i uppdraget"),
        (_form(app, world, due_date="30/6"), "Ange datumet som ÅÅÅÅ-MM-DD"),
        (_form(app, world, owner=f"municipality:{world.municipalities['C']}"), "Välj vem som ska"),
        (_form(app, world, findings=[str(other)]), "Välj fynd från regionens dialoger"),
        (_form(app, world, description="Gäller patienten 19450312-1234."), "patientuppgifter"),
    ]
    for values, message in cases:
        response = client.post("/uppdrag/nytt", data=values)
        assert response.status_code == 400 and message in response.text, message
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 0
        assert "19450312" not in str(db.session.scalars(sa.select(AuditEntry.changes)).all())


def test_owner_reports_back_and_others_cannot(app, client, world, data):
    login(client, "regional_norr")
    assignment_id = _create(app, client, world)
    relogin(client, "mas_b")
    assert client.get(f"/uppdrag/{assignment_id}").status_code == 404
    assert (
        client.post(
            f"/uppdrag/{assignment_id}/rapportera", data={"status": "klart", "text": "Kapat"}
        ).status_code
        == 404
    )
    relogin(client, "mas_a")
    assert "Ta fram en gemensam rutin" in client.get("/uppdrag/").text
    assert client.get(f"/uppdrag/{assignment_id}/andra").status_code == 403
    # A report with patient data is refused and not stored.
    response = client.post(
        f"/uppdrag/{assignment_id}/rapportera",
        data={"status": "pagar", "text": "Anna Svensson på rum 12 fick fel dos."},
    )
    assert response.status_code == 400 and "patientuppgifter" in response.text
    response = client.post(
        f"/uppdrag/{assignment_id}/rapportera",
        data={"status": "pagar", "text": "Rutinen är utkastad och remitterad till kommunerna."},
    )
    assert response.status_code == 302
    response = client.post(
        f"/uppdrag/{assignment_id}/rapportera",
        data={"status": "klart", "text": "Rutinen är beslutad i MAS-nätverket."},
    )
    assert response.status_code == 302
    with app.app_context():
        a = db.session.get(Assignment, assignment_id)
        assert a.status is AssignmentStatus.DONE and a.closed_at is not None
        assert [r.status for r in a.reports] == [
            AssignmentStatus.IN_PROGRESS,
            AssignmentStatus.DONE,
        ]
        texts = " ".join(r.text for r in db.session.scalars(sa.select(AssignmentReport)))
        assert "Anna" not in texts
    relogin(client, "vc_alfa")
    assert client.get(f"/uppdrag/{assignment_id}").status_code == 404
    relogin(client, "chef_a1")
    assert client.get("/uppdrag/").status_code == 403


def test_overdue_assignments_on_the_regional_dashboard(app, client, world, data):
    login(client, "regional_norr")
    late = _create(app, client, world, title="Försenat uppdrag om fallrutiner")
    _create(app, client, world, title="Uppdrag i tid om hygien", due_date="2099-12-31")
    page = client.get("/uppfoljning/?ar=2026").text
    section = page.split('id="uppdrag"')[1].split("</section>")[0]
    assert "2 öppna uppdrag, varav 1 försenade" in section
    assert "Försenat uppdrag om fallrutiner" in section and "Uppdrag i tid" not in section
    assert f'href="/uppdrag/{late}"' in section
    # MAS/MAR's dashboard has no regional assignments section.
    relogin(client, "mas_a")
    assert 'id="uppdrag"' not in client.get("/uppfoljning/?ar=2026").text


def test_the_next_compilation_lists_assignments_and_reports(app, client, world, data):
    login(client, "regional_norr")
    assignment_id = _create(app, client, world, title="Gemensam rutin för viktuppföljning")
    client.post(
        f"/uppdrag/{assignment_id}/rapportera",
        data={"status": "pagar", "text": "Arbetsgrupp tillsatt med båda parter."},
    )
    year = date.today().year
    text = docx_text(client.get(f"/uppfoljning/rapport.docx?ar={year}").data)
    section = text.split("Uppdrag från ledningsgruppen")[1]
    assert (
        "Gemensam rutin för viktuppföljning | MAS-nätverket | 2020-06-30 | Pågår (försenat)" in text
    )
    assert re.search(r"\d{4}-\d\d-\d\d, Pågår: Arbetsgrupp tillsatt med båda parter\.", section)
    assert (
        "Sammanställningen 2026 (juli–december). Till MAS-nätverket; rapporterar: MAS/MAR, Testkommun A"
        in section
    )
    # Another region's report does not list it.
    relogin(client, "regional_syd")
    text = docx_text(client.get(f"/uppfoljning/rapport.docx?ar={year}").data)
    assert "Inga uppdrag från ledningsgruppen var aktuella under perioden." in text
    assert "viktuppföljning" not in text.split("Uppdrag från ledningsgruppen")[1]
