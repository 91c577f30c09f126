"""Recurring findings (a home, a kind, an area in two or more of the last five years, the latest
being the selected year) against a plain Python count of the same rows.

PostgreSQL and SQLite compute them with different queries (figures.recurring), from the findings
or from the recurring tally the triggers keep; every path must agree with the independent count,
including the first year, the five-year window and the order.
"""

from collections import defaultdict
from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.followup import figures
from dialog.followup.filters import Selection
from dialog.models import Area, Dialogue, DialogueStatus, Finding, FindingKind, Party, User
from dialog.scope import Scope

from .dataset import _dialogue

RISK, DEFICIENCY, SUCCESS = FindingKind.RISK, FindingKind.DEFICIENCY, FindingKind.SUCCESS_FACTOR


def _history(world):
    areas = db.session.scalars(sa.select(Area).order_by(Area.id)).all()[:3]
    plan = {
        # home: {year: [(kind, area index), ...]}
        "a1": {
            2021: [(RISK, 1)],  # outside the window of 2026
            2022: [(RISK, 0), (DEFICIENCY, 2)],
            2023: [(DEFICIENCY, 1), (SUCCESS, 0)],
            2025: [(RISK, 0), (RISK, 0), (DEFICIENCY, 2)],  # twice in one year counts once
            2026: [(RISK, 0), (DEFICIENCY, 1), (RISK, 1), (SUCCESS, 0)],
        },
        "a2": {
            2024: [(RISK, 2)],
            2025: [(RISK, 2), (DEFICIENCY, 0)],  # not in 2026: not recurring in 2026
            2026: [(DEFICIENCY, 2), (DEFICIENCY, 0)],
        },
        "b1": {
            2022: [(DEFICIENCY, 0)],
            2023: [(DEFICIENCY, 0)],
            2024: [(DEFICIENCY, 0)],
            2025: [(DEFICIENCY, 0)],
            2026: [(DEFICIENCY, 0), (RISK, 2)],
        },
    }
    for home, years in plan.items():
        for year, found in years.items():
            d = _dialogue(world, home, date(year, 4, 14), DialogueStatus.DOCUMENTED)
            for kind, area in found:
                db.session.add(
                    Finding(
                        dialogue_id=d.id,
                        kind=kind,
                        area=areas[area],
                        description="Rutinen för överrapportering följs inte fullt ut.",
                        concerns=Party.JOINT,
                    )
                )
    db.session.flush()


def _expected(sel: Selection) -> tuple[int, list[tuple]]:
    first = sel.year - figures.RECURRING_YEARS + 1
    years = defaultdict(set)
    rows = db.session.execute(
        sa.select(Dialogue.care_home_id, Dialogue.year, Finding.kind, Finding.area_id)
        .join(Dialogue, Dialogue.id == Finding.dialogue_id)
        .where(*sel.dialogue_conditions(period=False))
    )
    for home, year, kind, area in rows:
        if kind is not SUCCESS and first <= year <= sel.year:
            years[(home, kind, area)].add(year)
    found = [
        (home, kind, area, len(ys), min(ys))
        for (home, kind, area), ys in years.items()
        if len(ys) >= 2 and max(ys) == sel.year
    ]
    found.sort(key=lambda r: (-r[3], r[0], r[2], r[1].value))
    return len(found), found


def test_recurring_agrees_with_a_plain_count(app, world):
    with app.test_request_context():
        _history(world)
        names = dict(db.session.execute(sa.select(Area.id, Area.name)).all())
        cases = [
            # Whole homes: read from the recurring tally (models/tallies.py).
            ("admin", {}, True),
            ("regional_norr", {}, True),
            ("mas_a", {}, True),
            ("admin", {"municipality_id": world.municipalities["A"]}, True),
            # A health centre's dialogues: counted from the findings.
            ("vc_alfa", {}, False),
            ("admin", {"health_centre_id": world.centres["alfa"]}, False),
        ]
        for username, filters, from_tally in cases:
            user = db.session.get(User, world.users[username])
            for year in (2025, 2026):
                sel = Selection(scope=Scope.of(user), year=year, **filters)
                first = year - figures.RECURRING_YEARS + 1
                assert figures._tally_applies(sel, first) is from_tally, (username, filters)
                total, rows = _expected(sel)
                got = figures.recurring(sel, limit=50)
                assert got["total"] == total, (username, filters, year)
                assert [
                    (r["home_id"], r["kind"], r["area"], r["years"], r["first_year"])
                    for r in got["rows"]
                ] == [(h, k, names[a], n, f) for h, k, a, n, f in rows], (username, filters, year)
        # The dataset really has each case: 5 years, a pair skipping a year, one outside.
        admin = Selection(scope=Scope.of(db.session.get(User, world.users["admin"])), year=2026)
        counts = sorted(r[3] for r in _expected(admin)[1])
        assert counts == [2, 2, 3, 5]
        assert figures.recurring(admin, limit=2)["total"] == 4
