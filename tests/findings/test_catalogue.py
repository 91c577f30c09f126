"""Editing the area catalogue per region."""

from __future__ import annotations

import sqlalchemy as sa

from dialog.catalogues import areas_for_region
from dialog.extensions import db
from dialog.models import Area
from tests.conftest import login

from .helpers import plain_text


def test_region_builds_own_catalogue(app, client, world):
    norr = world.regions["norr"]
    login(client, "regional_norr")
    assert client.get("/omraden").status_code == 302
    assert client.post(f"/regioner/{norr}/omraden", data={"op": "start"}).status_code == 302
    assert (
        client.post(
            f"/regioner/{norr}/omraden", data={"op": "add", "name": "Nattlig tillsyn"}
        ).status_code
        == 302
    )
    response = client.post(f"/regioner/{norr}/omraden", data={"op": "add", "name": "fall"})
    assert response.status_code == 400 and "finns redan" in plain_text(response)
    response = client.post(f"/regioner/{norr}/omraden", data={"op": "add", "name": "Gunvors rum"})
    assert response.status_code == 400 and "patientuppgifter" in plain_text(response)
    with app.app_context():
        bpsd = db.session.scalar(sa.select(Area).where(Area.region_id == norr, Area.name == "BPSD"))
        bpsd_id = bpsd.id
    assert (
        client.post(f"/regioner/{norr}/omraden", data={"op": "hide", "area": bpsd_id}).status_code
        == 302
    )
    with app.app_context():
        names = [a.name for a in areas_for_region(norr)]
        assert "Nattlig tillsyn" in names and "BPSD" not in names
        assert "BPSD" in [a.name for a in areas_for_region(world.regions["syd"])]


def test_catalogue_scope(app, client, world):
    login(client, "regional_norr")
    assert client.get(f"/regioner/{world.regions['syd']}/omraden").status_code == 404
    client.post("/logga-ut")
    login(client, "chef_a1")
    assert client.get(f"/regioner/{world.regions['norr']}/omraden").status_code == 404
    assert client.get("/omraden").status_code == 403
