"""The planner's queries do not grow with the number of regions: a national proposal spans 21
regions and reads their settings (blocked periods) in one query, not one per region."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import sqlalchemy as sa
from sqlalchemy import event

from dialog.extensions import db
from dialog.models import (
    CareHome,
    Contact,
    ContactRole,
    HealthCentre,
    Municipality,
    Region,
    RegionSettings,
    User,
)
from dialog.planning.planner import service
from dialog.scope import Scope
from tests.conftest import login

YEAR = date.today().year + 1
TODAY = date(YEAR - 1, 11, 22)


@contextmanager
def statements():
    found: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        found.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield found
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def add_regions(first: int, count: int) -> list[int]:
    """`count` more regions, each with one municipality, health centre, home and contacts; the
    first of them has settings of its own (autumn blocked)."""
    homes = []
    for number in range(first, first + count):
        region = Region(name=f"Mängdregion {number}")
        municipality = Municipality(name=f"Mängdkommun {number}", region=region)
        centre = HealthCentre(name=f"Mängd-VC {number}", region=region)
        home = CareHome(
            name=f"Mängdhemmet {number}", municipality=municipality, health_centre=centre
        )
        db.session.add_all([region, municipality, centre, home])
        db.session.add_all(
            [
                Contact(
                    name=f"Mängd chef {number}",
                    role=ContactRole.UNIT_MANAGER,
                    email=f"chef.{number}@mangd.example.org",
                    care_home=home,
                ),
                Contact(
                    name=f"Mängd läkare {number}",
                    role=ContactRole.HOME_PHYSICIAN,
                    email=f"lakare.{number}@mangd.example.org",
                    health_centre=centre,
                ),
            ]
        )
        db.session.flush()
        if number == first:
            db.session.add(
                RegionSettings(
                    region_id=region.id,
                    blocked_periods=[{"name": "Höstpaus", "start": "09-01", "end": "11-30"}],
                )
            )
        homes.append(home.id)
    db.session.commit()
    return homes


def propose_all(world):
    admin = db.session.get(User, world.users["admin"])
    params = service.PlannerParams(
        year=YEAR, period_start=date(YEAR, 1, 11), period_end=date(YEAR, 12, 17)
    )
    with statements() as found:
        result = service.propose_plan(Scope.of(admin), params, TODAY)
    db.session.rollback()
    return result, found


def settings_reads(found: list[str]) -> int:
    return sum(1 for s in found if "region_settings" in s.lower())


def test_a_proposal_reads_every_regions_settings_in_one_query(app, world):
    with app.app_context():
        result, small = propose_all(world)
        regions_small = {h.region_id for h in result.plan.request.homes}
        assert len(regions_small) == 2
        assert settings_reads(small) == 1

        homes = add_regions(1, 6)
        result, large = propose_all(world)
        regions_large = {h.region_id for h in result.plan.request.homes}
        assert len(regions_large) == 8
        assert settings_reads(large) == 1, [s for s in large if "region_settings" in s]
        assert len(large) == len(small), "the proposal's queries grew with the regions"
        # The one query still gives each region its own settings: the first new region has
        # its autumn blocked, the others keep the default summer block.
        own = result.plan.slots[homes[0]].day
        assert not date(YEAR, 9, 1) <= own <= date(YEAR, 11, 30)
        assert all(
            not date(YEAR, 6, 15) <= result.plan.slots[h].day <= date(YEAR, 8, 15)
            for h in homes[1:]
        )
        blocked_names = {
            region_id: {p.name for p in periods}
            for region_id, periods in result.plan.request.blocked.items()
        }
        first_region = db.session.scalar(
            sa.select(Municipality.region_id)
            .join(CareHome, CareHome.municipality_id == Municipality.id)
            .where(CareHome.id == homes[0])
        )
        assert blocked_names[first_region] == {"Höstpaus"}
        assert sum(1 for names in blocked_names.values() if "Sommar" in names) == 7


def test_the_proposal_page_reads_the_settings_once_across_regions(app, client, world):
    with app.app_context():
        homes = add_regions(1, 5)
    login(client, "admin")
    form = {
        "year": str(YEAR),
        "period_start": f"{YEAR}-01-11",
        "period_end": f"{YEAR}-12-17",
        "length": "120",
        "day_start": "08:00",
        "day_end": "16:00",
        "usual_start": "13:00",
        "boende": [str(h) for h in [*world.homes.values(), *homes]],
    }
    with app.app_context(), statements() as found:
        response = client.post("/planering/arsplanerare/forslag", data=form)
    assert response.status_code == 200
    assert "Mängdhemmet 5" in response.text
    assert settings_reads(found) == 1
