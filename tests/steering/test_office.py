"""The local action plan and the compilation report's assignments section, rendered by LibreOffice:
the PDF's text read back, and the pages with the new content as PNG to look at
(test-artifacts/documents/steering-*.png)."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Action, ActionStatus, Area, Finding, Party, PlanArea
from tests.conftest import login
from tests.support.office import ARTIFACTS, convert_to_pdf, pdf_page_count, pdf_text

from .helpers import relogin

pytestmark = pytest.mark.libreoffice


def _page_with(pdf, text: str) -> int:
    """The first page (1-based) whose text holds the words."""
    for number in range(1, pdf_page_count(pdf) + 1):
        out = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        if text in " ".join(out.split()):
            return number
    raise AssertionError(f"{text!r} is on no page")


def _page_png(pdf, number: int, name: str):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", str(number), "-l", str(number), "-singlefile"]
        + [str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    png = prefix.with_suffix(".png")
    assert png.stat().st_size > 10000
    return png


def test_action_plan_renders_in_libreoffice(app, client, world, data, soffice, tmp_path):
    with app.app_context():
        plan = {p.name: p.id for p in db.session.scalars(sa.select(PlanArea))}
        finding = db.session.scalar(
            sa.select(Finding).where(Finding.description.like("%läkemedelslistor%"))
        )
        db.session.add(
            Action(
                dialogue_id=data.dialogues["d2"],
                finding_id=finding.id,
                description="Kommun-A-markör: gemensam läkemedelslista i journalen.",
                responsible_party=Party.JOINT,
                status=ActionStatus.IN_PROGRESS,
                due_date=date(2020, 3, 31),
            )
        )
        db.session.commit()
    login(client, "mas_a")
    client.post(
        "/handlingsplan/texter",
        data={
            "ar": "2026",
            "kommun": str(world.municipalities["A"]),
            f"text-{plan['Engagerad ledning och tydlig styrning']}": (
                "Ledningen följer läkemedelsriskerna varje kvartal och rapporterar till nämnden."
            ),
        },
    )
    response = client.get(
        f"/handlingsplan/handlingsplan.docx?ar=2026&kommun={world.municipalities['A']}"
    )
    assert response.status_code == 200
    docx = tmp_path / "handlingsplan.docx"
    docx.write_bytes(response.data)
    pdf = convert_to_pdf(docx, tmp_path)
    text = " ".join(pdf_text(pdf).split())
    assert "Lokal handlingsplan för patientsäkerhet 2026" in text
    assert "Testkommun A · Lokal handlingsplan 2026" in text  # the running header
    assert "Ledningen följer läkemedelsriskerna varje kvartal" in text
    assert "Grundförutsättningar" in text and "Fokusområden" in text
    for name in ("Patienten som medskapare", "Öka riskmedvetenhet och beredskap"):
        assert name in text
    assert "(försenad)" in text  # the linked action is overdue
    assert "Inga åtgärder inom området." in text
    assert "{{" not in text and "{%" not in text
    _page_png(pdf, 1, "steering-action-plan-page1")
    _page_png(
        pdf,
        _page_with(pdf, "Ej kopplat till handlingsplanens områden Fynd"),
        "steering-action-plan-rest",
    )


def test_compilation_report_assignments_section_renders(
    app, client, world, data, soffice, tmp_path
):
    login(client, "regional_norr")
    response = client.post(
        "/uppdrag/nytt",
        data={
            "region": str(world.regions["norr"]),
            "title": "Gemensam rutin för viktuppföljning på alla boenden",
            "assignee": "MAS-nätverket och primärvårdens ledning",
            "owner": f"municipality:{world.municipalities['A']}",
            "source_year": "2026",
            "source_half": "1",
            "due_date": "2020-09-30",
        },
    )
    assert response.status_code == 302
    assignment_id = int(response.headers["Location"].rsplit("/", 1)[1])
    relogin(client, "mas_a")
    client.post(
        f"/uppdrag/{assignment_id}/rapportera",
        data={"status": "pagar", "text": "Rutinen är remitterad till kommunerna i länet."},
    )
    relogin(client, "regional_norr")
    year = date.today().year
    response = client.get(f"/uppfoljning/rapport.docx?ar={year}")
    assert response.status_code == 200
    docx = tmp_path / "sammanstallning.docx"
    docx.write_bytes(response.data)
    pdf = convert_to_pdf(docx, tmp_path)
    text = " ".join(pdf_text(pdf).split())
    assert "Uppdrag från ledningsgruppen" in text and "Återrapporter" in text
    assert "Gemensam rutin för viktuppföljning" in text
    assert "Rutinen är remitterad till kommunerna i länet." in text
    assert "Sammanställningen 2026 (januari–juni)" in text
    assert "(försenat)" in text
    _page_png(
        pdf, _page_with(pdf, "Gemensam rutin för viktuppföljning"), "steering-report-assignments"
    )
    _page_png(pdf, _page_with(pdf, "Rutinen är remitterad"), "steering-report-assignment-reports")


def test_agenda_and_minutes_template_with_basis_data_and_topics_render(
    app, client, world, book, runner, soffice, tmp_path
):
    from dialog.invitations.links import make_token
    from dialog.models import Participant

    csv = tmp_path / "underlag.csv"
    csv.write_text(
        "Kommun;Boende;År;Mått;Värde\n"
        "Testkommun A;Testboendet Ett;2027;fall;14\n"
        "Testkommun A;Testboendet Ett;2026;fall;19\n"
        "Testkommun A;Testboendet Ett;2027;senior alert;92\n"
        "Testkommun A;Testboendet Ett;2026;senior alert;85,5\n"
        "Testkommun A;Testboendet Ett;2027;läkemedelsgenomgångar;31\n",
        encoding="utf-8",
    )
    assert runner.invoke(args=["import-csv", "underlag", str(csv)]).exit_code == 0
    dialogue_id = book("a1", date(2027, 3, 10))
    with app.app_context():
        nurse = db.session.scalar(
            sa.select(Participant).where(
                Participant.dialogue_id == dialogue_id,
                Participant.email == "ssk.a1@test.example.org",
            )
        )
        token = make_token(nurse)
        area = db.session.scalar(sa.select(Area.id).where(Area.name == "Läkemedel"))
    client.post(
        f"/svar/{token}/amnen",
        data={"area": str(area), "text": "Hur når ändrade ordinationer kvällspersonalen?"},
    )
    login(client, "chef_a1")
    for kind, anchor in (("agenda", "Inskickade ämnen"), ("dokumentationsmall", "Underlag 2027")):
        docx = tmp_path / f"{kind}.docx"
        docx.write_bytes(client.get(f"/dialoger/{dialogue_id}/dokument/{kind}").data)
        pdf = convert_to_pdf(docx, tmp_path)
        text = " ".join(pdf_text(pdf).split())
        assert "Underlag 2027 och 2026" in text
        assert "Avvikelser: fall 19 14 −5" in text
        assert "87,5 %" not in text and "85,5 % 92 % +6,5 procentenheter" in text
        if kind == "agenda":
            topics = text.split("Inskickade ämnen")[1]
            assert re.match(r" Ämnen som .*? per område: Läkemedel \W? ?Hur når ändrade", topics)
        _page_png(pdf, _page_with(pdf, anchor), f"steering-{kind}-basis")
