"""Page × role × database on the national demo data (issue 15): p50 and p95 server time.

For each database (SQLite file, and a throwaway PostgreSQL server from tests/support/pgserver):
builds the fictional country (dialog/demo/national), logs in as each demo role and requests
each main page of that role `--runs` times in-process (WSGI, no network), figure cache off.
Each role's floor is its own account page (/konto) in the same run: a logged-in page with the
layout, the session, the scope and the menu but no data of its own, so `ratio` is what the
page's own work costs on top of the framework. Targets from the issue are printed beside.

On PostgreSQL it also prints the plan of the health-centre user's dialogue scope (the OR of a
home list and the centre), which should use the dialogue indexes, not a sequential scan.

    .venv/bin/python benchmarks/roles_bench.py [--db sqlite|postgresql|both] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from followup_bench import database_kinds, national_database  # noqa: E402

ROLES = {
    # username: (role label, pages)
    "enhetschef": ("enhetschef", ["/start", "/arsoversikt", "{dialogue}"]),
    "vardcentral": ("vårdcentral", ["/start", "/arsoversikt", "{dialogue}"]),
    "mas": (
        "kommun",
        ["/start", "/arsoversikt", "{dialogue}", "/uppfoljning/", "/uppfoljning/lardomar"],
    ),
    "regional": (
        "regional",
        ["/start", "/arsoversikt", "{dialogue}", "/uppfoljning/", "/uppfoljning/lardomar"],
    ),
    "admin": (
        "administratör",
        [
            "/arsoversikt",
            "/uppfoljning/",
            "/uppfoljning/lardomar",
            "/planering/arsplanerare/",
        ],
    ),
}
TARGET_MS = {  # p95 targets of the issue: (PostgreSQL, SQLite)
    "role": (100, 200),
    "admin": (300, 500),
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def timed(client, url: str, runs: int) -> tuple[list[float], int, int]:
    """Milliseconds per request (after one warm-up), the status and the page size."""
    response = client.get(url)
    status, size = response.status_code, len(response.data)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == status, (url, response.status_code)
    return times, status, size


def measure(kind: str, database_url: str, instance: Path, runs: int) -> list[dict]:
    os.environ["DIALOG_DATABASE_URL"] = database_url
    os.environ["DIALOG_INSTANCE_PATH"] = str(instance)
    import sqlalchemy as sa

    from dialog import create_app, settle_heap
    from dialog.extensions import db
    from dialog.models import Dialogue, User
    from dialog.scope import Scope

    app = create_app(
        {"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False, "FOLLOWUP_CACHE_SECONDS": 0}
    )
    settle_heap()  # as app.py does for the served app
    rows = []
    for username, (label, pages) in ROLES.items():
        with app.app_context():
            user = db.session.scalar(sa.select(User).where(User.username == username))
            scope = Scope.of(user)
            dialogue_id = db.session.scalar(
                sa.select(Dialogue.id).where(scope.dialogue_clause()).order_by(Dialogue.id)
            )
            if kind == "postgresql" and username == "vardcentral":
                sql = sa.select(sa.func.count(Dialogue.id)).where(scope.dialogue_clause())
                compiled = sql.compile(db.engine, compile_kwargs={"literal_binds": True})
                plan = db.session.execute(sa.text(f"EXPLAIN {compiled}")).scalars().all()
                print("    plan of the vårdcentral dialogue scope:")
                for line in plan:
                    print("     ", line)
            db.session.remove()
        client = app.test_client()
        response = client.post("/logga-in", data={"login": username, "password": "demo-losenord"})
        assert response.status_code == 302, f"login {username} failed"
        floor, _status, _size = timed(client, "/konto", runs)
        floor_p50 = statistics.median(floor)
        for page in pages:
            url = page.format(dialogue=f"/dialoger/{dialogue_id}")
            times, status, size = timed(client, url, runs)
            rows.append(
                {
                    "role": label,
                    "page": page.replace("{dialogue}", "/dialoger/<id>"),
                    "status": status,
                    "kb": size / 1024,
                    "p50": statistics.median(times),
                    "p95": percentile(times, 0.95),
                    "floor": floor_p50,
                    "admin": username == "admin",
                }
            )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return rows


def report(kind: str, build_s: float, rows: list[dict]) -> None:
    column = 0 if kind == "postgresql" else 1
    print(f"\n=== {kind}: national demo built in {build_s:.1f} s")
    print(
        f"{'role':<14}{'page':<26}{'status':>7}{'kB':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'floor ms':>10}{'ratio':>7}{'target':>8}  ok"
    )
    for r in rows:
        target = TARGET_MS["admin" if r["admin"] else "role"][column]
        ok = "ja" if r["p95"] <= target else "NEJ"
        print(
            f"{r['role']:<14}{r['page']:<26}{r['status']:>7}{r['kb']:>8.0f}{r['p50']:>9.1f}"
            f"{r['p95']:>9.1f}{r['floor']:>10.1f}{r['p50'] / r['floor']:>7.1f}{target:>8}  {ok}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}; cpus: {os.cpu_count()}")
    for kind in database_kinds(args.db):
        with national_database(kind, "roles-bench") as (url, work, build_s):
            print(f"[{kind}] measuring …")
            report(kind, build_s, measure(kind, url, work, args.runs))


if __name__ == "__main__":
    main()
