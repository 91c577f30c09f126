"""The report's section per municipality from grouped queries (by_municipality.py): the same
figures as figures.py gives for each municipality on its own, and a number of queries that does
not grow with the number of municipalities."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.followup import by_municipality, figures, report
from dialog.followup.filters import Selection
from dialog.models import (
    Action,
    ActionStatus,
    Area,
    Attendance,
    CareHome,
    ContactRole,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    HealthCentre,
    Municipality,
    Participant,
    Party,
    PlanArea,
    ResponseStatus,
    Side,
)
from dialog.scope import Scope
from dialog.timeutil import local_to_utc

TODAY = date(2026, 11, 20)

# Who attends each extra municipality's dialogue: some full, some not (representation varies).
FULL = [
    (Side.CARE_HOME, ContactRole.UNIT_MANAGER),
    (Side.CARE_HOME, ContactRole.NURSE),
    (Side.CARE_HOME, ContactRole.OCCUPATIONAL_THERAPIST),
    (Side.HEALTH_CENTRE, ContactRole.HOME_PHYSICIAN),
    (Side.HEALTH_CENTRE, ContactRole.CENTRE_MANAGER),
]


def add_municipalities(world, count: int, *, start: int = 0) -> list[int]:
    """`count` more municipalities in region Norr, each with two homes (one without a
    dialogue), a dialogue in 2026 (varied status and attendance), findings and actions."""
    areas = db.session.scalars(sa.select(Area).order_by(Area.name)).all()
    plan = db.session.scalars(sa.select(PlanArea).order_by(PlanArea.sort_order)).all()
    statuses = [
        DialogueStatus.DOCUMENTED,
        DialogueStatus.HELD,
        DialogueStatus.PLANNED,
        DialogueStatus.CANCELLED,
    ]
    ids = []
    for i in range(start, start + count):
        m = Municipality(name=f"Extrakommun {i:02d}", region_id=world.regions["norr"])
        centre = HealthCentre(name=f"Extra-VC {i:02d}", region_id=world.regions["norr"])
        home = CareHome(name=f"Extraboendet {i:02d}", municipality=m, health_centre=centre)
        idle = CareHome(name=f"Extraboendet {i:02d} B", municipality=m, health_centre=centre)
        db.session.add_all([m, centre, home, idle])
        db.session.flush()
        status = statuses[i % len(statuses)]
        start_at = local_to_utc(date(2026, 2 + i % 9, 10), time(9, 0))
        d = Dialogue(
            care_home=home,
            health_centre_id=centre.id,
            year=2026,
            starts_at=start_at,
            ends_at=start_at + timedelta(hours=2),
            location="Rummet",
            status=status,
        )
        held = status in (DialogueStatus.HELD, DialogueStatus.DOCUMENTED)
        for k, (side, role) in enumerate(FULL[: 5 - i % 3]):
            d.participants.append(
                Participant(
                    name=f"Extra {i} {k}",
                    email=f"extra{i}.{k}@test.example.org",
                    role=role,
                    side=side,
                    response=ResponseStatus.ACCEPTED,
                    attendance=Attendance.ATTENDED if held else None,
                )
            )
        if held:
            d.held_at = d.ends_at
        db.session.add(d)
        db.session.flush()
        for k in range(1 + i % 4):
            f = Finding(
                dialogue_id=d.id,
                kind=[FindingKind.RISK, FindingKind.DEFICIENCY, FindingKind.SUCCESS_FACTOR][k % 3],
                area=areas[(i + k) % len(areas)],
                plan_area=plan[k % len(plan)] if k % 2 else None,
                description=f"Extrakommun {i}: iakttagelse {k}.",
                concerns=Party.JOINT,
                escalate=k == 1,
            )
            db.session.add(f)
            db.session.flush()
            db.session.add(
                Action(
                    dialogue_id=d.id,
                    finding_id=f.id,
                    description=f"Extrakommun {i}: åtgärd {k}.",
                    responsible_party=[Party.CARE_HOME, Party.HEALTH_CENTRE, Party.JOINT][k % 3],
                    status=[ActionStatus.NOT_STARTED, ActionStatus.DONE][k % 2],
                    due_date=date(2026, 3, 1) if k % 2 == 0 else date(2099, 1, 1),
                )
            )
        ids.append(m.id)
    db.session.commit()
    return ids


def _selections(world):
    norr = Scope(region_ids=frozenset({world.regions["norr"]}))
    admin = Scope(admin=True)
    return [
        Selection(admin, 2026),
        Selection(admin, 2025),
        Selection(admin, 2026, half=1),
        Selection(admin, 2026, half=2),
        Selection(norr, 2026),
        Selection(norr, 2026, health_centre_id=world.centres["alfa"]),
        Selection(Scope(municipality_ids=frozenset({world.municipalities["A"]})), 2026),
        Selection(admin, 2026, municipality_id=world.municipalities["B"]),
    ]


def _expected_municipalities(sel: Selection) -> list[str]:
    """The report's municipalities as the loop before by_municipality found them."""
    ids = set(
        db.session.scalars(
            sa.select(CareHome.municipality_id)
            .where(*sel.home_conditions())
            .union(
                sa.select(CareHome.municipality_id)
                .join(Dialogue, Dialogue.care_home_id == CareHome.id)
                .where(*sel.dialogue_conditions())
            )
        )
    )
    return sorted(db.session.get(Municipality, i).name for i in ids)


def test_grouped_figures_equal_the_figures_of_each_municipality(app, data, world):
    with app.app_context():
        add_municipalities(world, 8)
        checked = 0
        for sel in _selections(world):
            found = by_municipality.municipalities(sel, TODAY)
            assert [m.name for m in found] == _expected_municipalities(sel), sel
            for m in found:
                msel = replace(sel, municipality_id=m.id)
                assert m.coverage == figures.coverage(msel), (sel, m.name)
                assert m.representation == figures.representation_figures(msel), (sel, m.name)
                assert m.findings == figures.findings(msel), (sel, m.name)
                assert m.actions == figures.actions(msel, TODAY), (sel, m.name)
                checked += 1
        # The data set is not trivial: figures differ between municipalities.
        national = by_municipality.municipalities(Selection(Scope(admin=True), 2026), TODAY)
        assert len(national) == 11
        assert len({m.representation["full"] for m in national}) > 1
        assert len({m.findings["total"] for m in national}) > 2
        assert len({m.actions["totals"]["overdue"] for m in national}) > 1
        assert {m.coverage["homes_without"] for m in national} >= {0, 1}
        assert checked > 40


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


def _report_queries(app, world) -> int:
    counter = QueryCounter()
    sel = Selection(Scope(region_ids=frozenset({world.regions["norr"]})), 2026)
    with app.test_request_context():
        sa.event.listen(db.engine, "before_cursor_execute", counter)
        try:
            context = report.report_context(sel)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", counter)
    return counter.count, context


@pytest.mark.parametrize("sizes", [(2, 6)])
def test_report_queries_do_not_grow_with_municipalities(app, data, world, sizes):
    small, large = sizes
    with app.app_context():
        add_municipalities(world, small)
    few, context = _report_queries(app, world)
    assert len(context["municipalities"]) == 2 + small
    with app.app_context():
        add_municipalities(world, large - small, start=small)
    many, context = _report_queries(app, world)
    assert len(context["municipalities"]) == 2 + large
    assert many == few, (few, many)
    assert few < 40, few
