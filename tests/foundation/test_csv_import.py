"""CSV import: preview, then all or nothing; every bad row reported with its line number."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import AuditEntry, CareHome, Contact, HealthCentre
from tests.conftest import login


def _counts(app):
    with app.app_context():
        return tuple(
            db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (CareHome, HealthCentre, Contact, AuditEntry)
        )


def _upload(client, kind: str, content: bytes, filename="fil.csv"):
    return client.post(
        "/register/import",
        data={"kind": kind, "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def _confirm(client, kind: str, content: bytes):
    import base64

    return client.post(
        "/register/import/bekrafta",
        data={"kind": kind, "payload": base64.b64encode(content).decode()},
    )


HOMES_SEMICOLON_BOM = (
    "\ufeffNamn;Adress;Kommun;Vårdcentral\r\n"
    "Nya Testgården;Provvägen 3;Testkommun A;Test-VC Alfa\r\n"
    "Äppelbo Test;;Testkommun B;\r\n"
).encode("utf-8")


def test_preview_then_import_homes_from_excel_style_file(client, app, world):
    login(client, "admin")
    before = _counts(app)
    response = _upload(client, "boenden", HOMES_SEMICOLON_BOM)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Alla 2 rader är korrekta" in page and "Nya Testgården" in page
    assert _counts(app) == before  # the preview writes nothing
    response = _confirm(client, "boenden", HOMES_SEMICOLON_BOM)
    assert response.status_code == 302
    with app.app_context():
        home = db.session.scalar(sa.select(CareHome).where(CareHome.name == "Nya Testgården"))
        assert home.address == "Provvägen 3" and home.health_centre.name == "Test-VC Alfa"
        assert db.session.scalar(sa.select(CareHome).where(CareHome.name == "Äppelbo Test"))
        assert (
            db.session.scalar(
                sa.select(sa.func.count(AuditEntry.id)).where(
                    AuditEntry.action == "skapade boendet"
                )
            )
            == 2
        )


def test_comma_separated_utf8_without_bom_and_contacts(client, app, world):
    login(client, "admin")
    content = (
        "namn,e-post,telefon,roll,boende,vårdcentral,kommun\n"
        "Ny Testperson,ny.testperson@test.example.org,010-000 00 00,Sjuksköterska,"
        "Testboendet Ett,,Testkommun A\n"
        "Annan Testperson,annan@test.example.org,,SÄBO-läkare,,Test-VC Beta,\n"
        "Tredje Testperson,tredje@test.example.org,,MAS,,,Testkommun B\n"
    ).encode()
    assert _upload(client, "kontakter", content).status_code == 200
    assert _confirm(client, "kontakter", content).status_code == 302
    with app.app_context():
        nurse = db.session.scalar(sa.select(Contact).where(Contact.name == "Ny Testperson"))
        assert nurse.care_home_id == world.homes["a1"] and nurse.role.value == "sjukskoterska"
        doctor = db.session.scalar(sa.select(Contact).where(Contact.name == "Annan Testperson"))
        assert doctor.health_centre_id == world.centres["beta"]
        mas = db.session.scalar(sa.select(Contact).where(Contact.name == "Tredje Testperson"))
        assert mas.municipality_id == world.municipalities["B"]


def test_health_centres_import(client, app, world):
    login(client, "regional_norr")
    content = "namn;region;driftsform;adress\nTest-VC Delta;Testregion Norr;privat;Väg 1\n".encode()
    assert _upload(client, "vardcentraler", content).status_code == 200
    assert _confirm(client, "vardcentraler", content).status_code == 302
    with app.app_context():
        centre = db.session.scalar(
            sa.select(HealthCentre).where(HealthCentre.name == "Test-VC Delta")
        )
        assert centre.operator.value == "privat"


BROKEN_FILES = [
    (
        "wrong encoding",
        "boenden",
        "namn;kommun\nGården Åsa;Testkommun A\n".encode("cp1252"),
        "inte sparad som UTF-8",
    ),
    ("missing columns", "boenden", b"namn;adress\nX;Y\n", "Kolumner saknas"),
    ("empty file", "boenden", b"", "Filen är tom"),
    ("header only", "boenden", b"namn;kommun\n", "inga rader"),
    (
        "10 MB file",
        "boenden",
        ("namn;kommun\n" + "Testgård;Testkommun A\n" * 500_000).encode(),
        "för stor",
    ),
]


@pytest.mark.parametrize(
    "label, kind, content, message", BROKEN_FILES, ids=[b[0] for b in BROKEN_FILES]
)
def test_broken_files_get_a_clear_error_and_nothing_is_written(
    client, app, world, label, kind, content, message
):
    login(client, "admin")
    before = _counts(app)
    response = _upload(client, kind, content)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    # Confirming the same file directly does not write anything either.
    response = _confirm(client, kind, content)
    assert response.status_code in (302, 413)  # 413: the request itself is over the upload limit
    assert _counts(app) == before


def test_every_bad_row_is_reported_and_nothing_is_written(client, app, world):
    login(client, "admin")
    content = (
        "namn;e-post;telefon;roll;boende;vårdcentral;kommun\n"
        "Okej Person;okej@test.example.org;;Sjuksköterska;Testboendet Ett;;Testkommun A\n"  # 2 ok
        ";saknar@test.example.org;;Sjuksköterska;Testboendet Ett;;Testkommun A\n"  # 3
        "Fel Post;inte-en-adress;;Sjuksköterska;Testboendet Ett;;Testkommun A\n"  # 4
        "Okänd Kommun;k@test.example.org;;Sjuksköterska;Testboendet Ett;;Påhittby\n"  # 5
        "Okänd Roll;r@test.example.org;;Trollkarl;Testboendet Ett;;Testkommun A\n"  # 6
        "Okej Person;okej@test.example.org;;Sjuksköterska;Testboendet Ett;;Testkommun A\n"  # 7 dup
        "Finns Redan;chef.a1@test.example.org;;Enhetschef;Testboendet Ett;;Testkommun A\n"  # 8
    ).encode()
    before = _counts(app)
    response = _upload(client, "kontakter", content)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for expected in [
        "Rad 3: namn saknas",
        "Rad 4: ogiltig e-postadress",
        "Rad 5: okänd kommun",
        "Rad 6: okänd roll",
        "Rad 7: dubblett av rad 2",
        "Rad 8: chef.a1@test.example.org finns redan",
    ]:
        assert expected in page, expected
    assert "Rad 2:" not in page
    assert "Importera" not in page.split("</h1>", 1)[1].split("<table", 1)[0]  # no confirm button
    assert _confirm(client, "kontakter", content).status_code == 302
    assert _counts(app) == before


def test_duplicate_home_and_unknown_references(client, app, world):
    login(client, "admin")
    content = (
        "namn;kommun;vårdcentral\n"
        "Testboendet Ett;Testkommun A;\n"
        "Ny Gård;Testkommun A;Test-VC Gamma\n"
        "Ny Gård 2;Testkommun A;Finns Inte\n"
    ).encode()
    page = _upload(client, "boenden", content).get_data(as_text=True)
    assert "Rad 2: boendet Testboendet Ett finns redan i Testkommun A" in page
    assert "Rad 3: okänd vårdcentral ”Test-VC Gamma” i kommunens region" in page
    assert "Rad 4: okänd vårdcentral ”Finns Inte”" in page


def test_mas_cannot_import_into_another_municipality(client, app, world):
    login(client, "mas_a")
    content = "namn;kommun\nSmuggelgården;Testkommun B\n".encode()
    before = _counts(app)
    page = _upload(client, "boenden", content).get_data(as_text=True)
    assert "du har inte behörighet att lägga till boenden i Testkommun B" in page
    _confirm(client, "boenden", content)
    assert _counts(app) == before


def test_cli_import_is_all_or_nothing(runner, app, world, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("namn;kommun\nCLI-gården;Testkommun C\n", encoding="utf-8-sig")
    bad = tmp_path / "bad.csv"
    bad.write_text("namn;kommun\nCLI-gården 2;Testkommun C\nTrasig;Ingenstans\n", encoding="utf-8")
    result = runner.invoke(args=["import-csv", "boenden", str(bad)])
    assert result.exit_code != 0 and "rad 3: okänd kommun" in result.output
    result = runner.invoke(args=["import-csv", "boenden", str(good)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        names = set(db.session.scalars(sa.select(CareHome.name)))
    assert "CLI-gården" in names and "CLI-gården 2" not in names
