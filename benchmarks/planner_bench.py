"""Benchmark of the year planner's algorithm (dialog/planning/planner.py).

Synthetic registers generated here, deterministic per seed: a county of 60 homes and a
national-sized set of 2,000 homes (21 regions). Health centres serve 1-5 homes with one
physician and one manager each; unit managers often lead 2-3 homes; some physicians serve two
centres; most homes have last year's date, some a weekday or morning/afternoon preference, and
a tenth already have this year's dialogue booked (their people are then busy that day).

Prints, per size: time to propose, hard conflicts left, soft-rule misses by rule, and the ratio
to the issue's targets (under 1 s for a county, under 10 s for the country).

With --db sqlite|postgresql it also builds the national demo data (dialog/demo/national,
one year of dialogues) in a throwaway database and times the whole service path, queries
included: planner_service.propose_plan for one region's homes and for all 2,000.

    .venv/bin/python benchmarks/planner_bench.py [--seed N] [--db sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import random
import sys
import time as clock
from collections import Counter
from datetime import date, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dialog.planning.planner.algorithm import (  # noqa: E402
    SOFT_RULES,
    BlockedPeriod,
    Booked,
    Home,
    Person,
    PlanRequest,
    Preference,
    check,
    propose,
    swedish_days_off,
)
from dialog.region_settings import DEFAULT_BLOCKED_PERIODS, expand_blocked_periods  # noqa: E402

YEAR = 2027
TODAY = date(2026, 11, 22)


def _working_day(rng: random.Random, year: int) -> date:
    while True:
        day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        if day.weekday() < 5 and not (6 <= day.month <= 8 or day.month == 12):
            return day


def synthetic(n_homes: int, n_regions: int, seed: int) -> PlanRequest:
    rng = random.Random(seed)
    people: dict[str, Person] = {}

    def person(key: str, name: str, role: str) -> str:
        people.setdefault(key, Person(key, name, role))
        return key

    homes, booked = [], []
    home_id = centre_id = 0
    per_region = n_homes // n_regions
    for region in range(1, n_regions + 1):
        count = per_region + (1 if region <= n_homes - per_region * n_regions else 0)
        made, physicians = 0, []
        manager = None
        while made < count:
            centre_id += 1
            if physicians and rng.random() < 0.15:
                physician = rng.choice(physicians)  # serves two centres
            else:
                physician = person(
                    f"lakare{centre_id}@ex.org", f"Läkare {centre_id}", "SÄBO-läkare"
                )
                physicians.append(physician)
            centre_chief = person(
                f"vc{centre_id}@ex.org", f"VC-chef {centre_id}", "Verksamhetschef"
            )
            for _ in range(min(rng.randint(1, 5), count - made)):
                home_id += 1
                made += 1
                if manager is None or rng.random() < 0.5:
                    manager = person(f"chef{home_id}@ex.org", f"Enhetschef {home_id}", "Enhetschef")
                staff = (
                    manager,
                    person(f"ssk{home_id}@ex.org", f"Sjuksköterska {home_id}", "Sjuksköterska"),
                    person(f"at{home_id}@ex.org", f"Arbetsterapeut {home_id}", "Arbetsterapeut"),
                    physician,
                    centre_chief,
                )
                previous = _working_day(rng, YEAR - 1) if rng.random() < 0.7 else None
                pref = Preference()
                if rng.random() < 0.3:
                    pref = Preference(
                        weekday=rng.choice([None, 0, 1, 2, 3, 4]),
                        part=rng.choice([None, "fm", "em"]),
                    )
                if rng.random() < 0.1:  # already booked: busy, not to be planned
                    day = _working_day(rng, YEAR)
                    booked.append(
                        Booked(home_id, f"Boende {home_id}", day, time(13), time(15), staff)
                    )
                    continue
                homes.append(
                    Home(
                        home_id,
                        f"Boende {home_id}",
                        staff,
                        centre_id,
                        region,
                        previous,
                        time(13) if previous else None,
                        pref,
                    )
                )
    blocked = [BlockedPeriod(*p) for p in expand_blocked_periods(DEFAULT_BLOCKED_PERIODS, YEAR)]
    return PlanRequest(
        year=YEAR,
        period_start=date(YEAR, 1, 11),
        period_end=date(YEAR, 12, 17),
        today=TODAY,
        homes=homes,
        people=people,
        booked=booked,
        days_off=swedish_days_off([YEAR]),
        blocked={r: blocked for r in range(1, n_regions + 1)},
    )


def run(
    label: str,
    n_homes: int,
    n_regions: int,
    target: float,
    seed: int,
    period: tuple[date, date] | None = None,
) -> None:
    request = synthetic(n_homes, n_regions, seed)
    if period is not None:
        request.period_start, request.period_end = period
    started = clock.perf_counter()
    plan = propose(request)
    elapsed = clock.perf_counter() - started
    # The independent re-check must agree with the proposal's own marks.
    assert check(request, plan.slots) == plan.issues
    soft = Counter(i.rule for items in plan.issues.values() for i in items if not i.hard)
    print(
        f"{label}: {len(request.homes)} homes to plan ({n_homes} in register, "
        f"{len(request.booked)} already booked), {len(request.people)} people"
    )
    print(f"  time {elapsed:.3f} s  (target < {target:.0f} s, ratio {elapsed / target:.3f})")
    print(
        f"  hard conflicts left: {plan.hard_count} in {len(plan.hard_homes())} homes; "
        f"plan-wide problems named: {len(plan.problems)}"
    )
    print(
        f"  soft-rule misses: {plan.soft_count} "
        + ", ".join(f"{SOFT_RULES[r]}: {soft.get(r, 0)}" for r in SOFT_RULES)
    )
    for problem in plan.problems[:3]:
        print(f"  problem shown to the user: {problem.message}")


def run_db(kind: str) -> None:
    """The service path on the national demo data: queries + planner, as the page runs it."""
    import os
    import tempfile

    from dialog import create_app
    from dialog.demo import analyze, build_national
    from dialog.extensions import db
    from dialog.planning.planner import service as planner_service
    from dialog.scope import Scope

    server = None
    if kind == "postgresql":
        from tests.support.pgserver import PostgresServer

        server = PostgresServer()
        server.start()
        url = server.url()
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/planner-bench.sqlite3"
    os.environ["DIALOG_DATABASE_URL"] = url
    os.environ.setdefault("DIALOG_INSTANCE_PATH", tempfile.mkdtemp())
    try:
        app = create_app({"TESTING": True})
        with app.app_context():
            db.create_all()
            started = clock.perf_counter()
            build_national(echo=lambda *a: None, years=1, today=TODAY)
            db.session.commit()
            analyze()
            print(f"{kind}: national demo data built in {clock.perf_counter() - started:.1f} s")
            params = dict(year=YEAR, period_start=date(YEAR, 1, 11), period_end=date(YEAR, 12, 17))
            for label, scope, target in (
                ("region 1", Scope(region_ids=frozenset({1})), 1.0),
                ("whole country", Scope(admin=True), 10.0),
            ):
                started = clock.perf_counter()
                result = planner_service.propose_plan(
                    scope, planner_service.PlannerParams(**params), TODAY
                )
                elapsed = clock.perf_counter() - started
                plan = result.plan
                print(
                    f"  {label}: {len(plan.slots)} homes, {elapsed:.3f} s incl. queries "
                    f"(target < {target:.0f} s, ratio {elapsed / target:.3f}); "
                    f"hard conflicts {plan.hard_count}, soft-rule misses {plan.soft_count}"
                )
            db.session.remove()
            db.engine.dispose()
    finally:
        if server is not None:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], action="append", default=[])
    args = parser.parse_args()
    run("County", 60, 1, 1.0, args.seed)
    run("Country", 2000, 21, 10.0, args.seed)
    # Stress: the county squeezed into one week; shared people cannot reach every home.
    run("County, one week only", 60, 1, 1.0, args.seed, (date(YEAR, 9, 13), date(YEAR, 9, 17)))
    for kind in args.db:
        run_db(kind)


if __name__ == "__main__":
    main()
