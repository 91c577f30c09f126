"""Shared material: the region's active templates with sample values and a text on the method,
for the region's users — and for anyone once the region turns that on."""

from __future__ import annotations

import io

import sqlalchemy as sa
from docx import Document

from dialog.extensions import db
from dialog.models import AuditEntry, MaterialSettings
from tests.conftest import login

from .helpers import docx_text, relogin

KINDS = ["agenda", "dokumentationsmall", "kallelse", "stodmaterial"]


def test_every_user_finds_the_material_of_their_region(app, client, world):
    for username in ("mas_a", "chef_a1", "vc_alfa", "regional_norr", "admin"):
        relogin(client, username)
        response = client.get("/material/")
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/material/{world.regions['norr']}")
        page = client.get(f"/material/{world.regions['norr']}").text
        assert "Så går dialogen till" in page and "ingen granskning" in page
        for kind in KINDS:
            assert f"/material/{world.regions['norr']}/{kind}.docx" in page
        # Only the region (and administrators) change the page's settings.
        assert ("Inställningar för regionen" in page) == (username in ("regional_norr", "admin"))
    relogin(client, "mas_a")
    assert client.get(f"/material/{world.regions['syd']}").status_code == 404
    assert client.get(f"/material/{world.regions['syd']}/agenda.docx").status_code == 404


def test_downloads_are_the_regions_templates_with_sample_values(app, client, world):
    from dialog.documents import KINDS as DOCUMENT_KINDS
    from dialog.documents.services import activate_template, default_template_bytes, upload_template

    # The region's own agenda: the shipped one with a marker paragraph, uploaded and activated.
    document = Document(io.BytesIO(default_template_bytes(DOCUMENT_KINDS["agenda"])))
    document.add_paragraph("Regionens egen agenda för Testregion Norr.")
    out = io.BytesIO()
    document.save(out)
    with app.app_context():
        row = upload_template(
            DOCUMENT_KINDS["agenda"], world.regions["norr"], out.getvalue(), "agenda.docx", "", None
        )
        activate_template(row, None)
        db.session.commit()
    login(client, "chef_a1")
    texts = {}
    for kind in KINDS:
        response = client.get(f"/material/{world.regions['norr']}/{kind}.docx")
        assert response.status_code == 200
        assert response.mimetype.endswith("wordprocessingml.document")
        texts[kind] = docx_text(response.data)
        assert "Demoboendet Solbacken" in texts[kind]
        assert "{{" not in texts[kind] and "{%" not in texts[kind]
    assert "Regionens egen agenda för Testregion Norr." in texts["agenda"]
    assert "Avvikelser: fall | 19 | 14 | −5" in texts["agenda"]
    assert "Hur når ändrade ordinationer kvällspersonalen" in texts["agenda"]
    assert (
        "Andel boende med riskbedömning i Senior alert (%) | 85,5 % | 92 %"
        in texts["dokumentationsmall"]
    )
    assert "Stödmaterial för enhetschefer" in texts["stodmaterial"]
    assert "Kallelse" in texts["kallelse"]
    # Region Syd has no own agenda: the shipped one, without the marker.
    relogin(client, "regional_syd")
    other = docx_text(client.get(f"/material/{world.regions['syd']}/agenda.docx").data)
    assert "Regionens egen agenda" not in other and "Demoboendet Solbacken" in other
    assert client.get(f"/material/{world.regions['syd']}/okand.docx").status_code == 404


def test_the_region_opens_the_page_to_everyone(app, client, world):
    norr, syd = world.regions["norr"], world.regions["syd"]
    response = client.get(f"/material/{norr}")
    assert response.status_code == 302 and "/logga-in" in response.headers["Location"]
    assert client.get(f"/material/{norr}/agenda.docx").status_code == 302
    login(client, "regional_norr")
    response = client.post(
        f"/material/{norr}/installningar",
        data={
            "public": "y",
            "method_text": "Vår metod: en dialog per boende och år.\n\nStrukturellt, utan patientuppgifter.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        settings = db.session.scalar(sa.select(MaterialSettings))
        assert settings.public is True and settings.region_id == norr
        entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "ändrade delat material" and entry.region_id == norr
    client.post("/logga-ut")
    page = client.get(f"/material/{norr}")
    assert page.status_code == 200
    assert (
        "Vår metod: en dialog per boende och år." in page.text
        and "Inställningar för regionen" not in page.text
    )
    assert client.get(f"/material/{norr}/kallelse.docx").status_code == 200
    assert client.get(f"/material/{syd}").status_code == 302  # Syd has not opened its page
    # Turned off again: closed to anonymous visitors.
    login(client, "regional_norr")
    client.post(f"/material/{norr}/installningar", data={"method_text": ""})
    client.post("/logga-ut")
    assert client.get(f"/material/{norr}").status_code == 302


def test_settings_are_guarded_and_only_for_the_region(app, client, world):
    norr = world.regions["norr"]
    login(client, "mas_a")
    assert client.post(f"/material/{norr}/installningar", data={"public": "y"}).status_code == 403
    relogin(client, "regional_syd")
    assert client.post(f"/material/{norr}/installningar", data={"public": "y"}).status_code == 404
    relogin(client, "regional_norr")
    response = client.post(
        f"/material/{norr}/installningar",
        data={"public": "y", "method_text": "Ring 070-123 45 67 om patienten."},
    )
    assert response.status_code == 400 and "patientuppgifter" in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(MaterialSettings.id))) == 0
