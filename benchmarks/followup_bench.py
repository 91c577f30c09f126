"""Benchmark of the regional follow-up (issue 6) on the national demo data.

For each database (SQLite file, and a throwaway PostgreSQL server from tests/support/pgserver):
  1. builds the fictional country (dialog/demo/national.build_national) and times it;
  2. median server time (in-process WSGI, no network) of the region dashboard (a regional user,
     one region), the national dashboard (administrator) and the Excel export (region, one
     year), each beside its floor: the same figures (or rows) from ONE hand-written SQL query
     on the same database in the same run (benchmarks/followup_floor.py), and checks that the
     floor's headline figures equal ours;
  3. serves the app with gunicorn (2 workers) and runs wrk with 50 connections against the
     region dashboard and a MAS dashboard: requests/s, p99 latency, errors.

    .venv/bin/python benchmarks/followup_bench.py [--db sqlite|postgresql|both] [--runs 9]
                                                  [--wrk-seconds 20] [--no-wrk]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_REGION_MS = 200
TARGET_REGION_RATIO = 2.0
TARGET_NATIONAL_MS = 1000


def median_ms(fn, runs: int) -> float:
    fn()  # warm up (caches, imports)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk saknas; installerar med apt-get …")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(
        sudo + ["apt-get", "install", "-y", "wrk"],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return shutil.which("wrk")


def build(database_url: str, instance: Path) -> float:
    os.environ["DIALOG_DATABASE_URL"] = database_url
    os.environ["DIALOG_INSTANCE_PATH"] = str(instance)
    from dialog import create_app
    from dialog.demo import analyze, build_national
    from dialog.extensions import db

    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        build_national(echo=lambda msg: print("   ", msg))
        db.session.commit()
        # As `flask demo-data --scale national` does: the planner's statistics after the bulk
        # load (without them PostgreSQL plans the region's pages for empty tables).
        analyze()
        elapsed = time.perf_counter() - start
        db.session.remove()
        db.engine.dispose()
    return elapsed


@contextlib.contextmanager
def national_database(kind: str, prefix: str, reuse: str | None = None):
    """(database URL, work directory, build seconds) of the national demo data on `kind`
    ("sqlite": a file; "postgresql": a throwaway server from tests/support/pgserver), built
    and analysed, or `reuse` (an existing database URL: no build, seconds NaN). Removed after."""
    work = Path(tempfile.mkdtemp(prefix=f"{prefix}-{kind}-"))
    server = None
    try:
        if reuse:
            url = reuse
        elif kind == "sqlite":
            url = f"sqlite:///{work / 'bench.sqlite3'}"
        else:
            from tests.support.pgserver import PostgresServer

            server = PostgresServer()
            server.start()
            url = server.url()
        build_s = float("nan")
        if not reuse:
            print(f"\n[{kind}] building the national demo data …")
            build_s = build(url, work)
        yield url, work, build_s
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


def database_kinds(choice: str) -> list[str]:
    return ["sqlite", "postgresql"] if choice == "both" else [choice]


def measure(database_url: str, instance: Path, runs: int) -> dict:
    from followup_floor import run_dashboard_floor, run_export_floor, summarise

    os.environ["DIALOG_DATABASE_URL"] = database_url
    os.environ["DIALOG_INSTANCE_PATH"] = str(instance)
    from dialog import create_app
    from dialog.extensions import db
    from dialog.followup import figures
    from dialog.followup.filters import Selection
    from dialog.scope import Scope

    # No figure cache here: every request computes, which is what the timing is about.
    app = create_app(
        {"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False, "FOLLOWUP_CACHE_SECONDS": 0}
    )
    today = figures.today_local()
    year = today.year - 1
    results = {}
    clients = {}
    for username in ("regional", "admin"):
        client = app.test_client()
        response = client.post("/logga-in", data={"login": username, "password": "demo-losenord"})
        assert response.status_code == 302, f"login {username} failed"
        clients[username] = client

    def page(username, url):
        def go():
            response = clients[username].get(url)
            assert response.status_code == 200, (url, response.status_code)

        return go

    with app.app_context():
        engine = db.engine
        ours = {
            "region": figures.dashboard(Selection(Scope(region_ids=frozenset({1})), year), today),
            "national": figures.dashboard(Selection(Scope(admin=True), year), today),
        }
    for key, username, region_id in (("region", "regional", 1), ("national", "admin", None)):
        url = f"/uppfoljning/?ar={year}"
        our_ms = median_ms(page(username, url), runs)
        with engine.connect() as conn:
            floor_ms = median_ms(
                lambda region_id=region_id: run_dashboard_floor(conn, region_id, year, today), runs
            )
            floor = summarise(run_dashboard_floor(conn, region_id, year, today))
        board = ours[key]
        mine = {
            "booked": board.coverage["booked"],
            "held": board.coverage["held"],
            "documented": board.coverage["documented"],
            "findings": board.findings["total"],
            "full": board.representation["full"],
            "actions": board.actions["totals"]["total"],
            "overdue": board.actions["totals"]["overdue"],
            "recurring": board.recurring["total"],
            "homes": board.coverage["active_homes"],
            "without": board.coverage["homes_without"],
        }
        results[key] = {
            "ours": our_ms,
            "floor": floor_ms,
            "agree": mine == floor,
            "mine": mine,
            "floor_figures": floor,
        }
    url = f"/uppfoljning/export.xlsx?ar={year}"
    our_ms = median_ms(page("regional", url), max(3, runs // 2))
    with engine.connect() as conn:
        floor_ms = median_ms(lambda: run_export_floor(conn, 1, year, today), runs)
        n_rows = len(run_export_floor(conn, 1, year, today))
    results["excel"] = {"ours": our_ms, "floor": floor_ms, "agree": None, "rows": n_rows}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return results


def _session_cookie(base: str, username: str) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/logga-in").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode(
        {"csrf_token": token, "login": username, "password": "demo-losenord"}
    ).encode()
    opener.open(f"{base}/logga-in", data=data).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


class GunicornServer:
    """The app under gunicorn (2 workers, 127.0.0.1 only) on the given database."""

    def __init__(self, database_url: str, instance: Path, cache: str, threads: int = 1):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(
            os.environ,
            DIALOG_DATABASE_URL=database_url,
            DIALOG_INSTANCE_PATH=str(instance),
            DIALOG_RATELIMIT_ENABLED="false",
            DIALOG_LOAD_DEMO_DATA="false",
            DIALOG_FOLLOWUP_CACHE_SECONDS=cache,
            DIALOG_LOG_LEVEL="WARNING",
        )
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "--workers",
                "2",
                "--threads",
                str(threads),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
                "app:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                requests.get(f"{self.base}/logga-in", timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def worker_peaks_mb(self) -> list[float]:
        """Peak resident memory (VmHWM) of each worker process."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        peaks = []
        for pid in children.read_text().split():
            status = Path(f"/proc/{pid}/status").read_text()
            kb = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
            peaks.append(kb / 1024)
        return peaks

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def run_wrk(database_url: str, instance: Path, seconds: int) -> list[dict]:
    """wrk against gunicorn, with the default 30-second figure cache and without it."""
    out = []
    for cache in ("30", "0"):
        out += _run_wrk(database_url, instance, seconds, cache)
    return out


def _run_wrk(database_url: str, instance: Path, seconds: int, cache: str) -> list[dict]:
    wrk = ensure_wrk()
    if wrk is None:
        print("   wrk kunde inte installeras; hoppar över lasttestet.")
        return []
    server = GunicornServer(database_url, instance, cache)
    base = server.base
    try:
        year = time.localtime().tm_year - 1
        out = []
        targets = [("region dashboard (regional)", "regional", f"/uppfoljning/?ar={year}")]
        if cache != "0":
            targets.append(("municipality dashboard (MAS)", "mas", f"/uppfoljning/?ar={year}"))
        for label, username, path in targets:
            cookie = _session_cookie(base, username)
            result = subprocess.run(
                [
                    wrk,
                    "-t2",
                    "-c50",
                    f"-d{seconds}s",
                    "--latency",
                    "--timeout",
                    "30s",
                    "-H",
                    f"Cookie: {cookie}",
                    base + path,
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            rps = float(re.search(r"Requests/sec:\s+([\d.]+)", result).group(1))
            p99 = re.search(r"99%\s+([\d.]+\w+)", result).group(1)
            total = int(re.search(r"(\d+) requests in", result).group(1))
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result)
            errors = re.search(r"Socket errors: (.*)", result)
            label_cache = f"{label}, cache {cache} s"
            out.append(
                {
                    "label": label_cache,
                    "rps": rps,
                    "p99": p99,
                    "requests": total,
                    "non2xx": int(non2xx.group(1)) if non2xx else 0,
                    "socket_errors": errors.group(1).strip() if errors else "inga",
                }
            )
        return out
    finally:
        server.stop()


def report(kind: str, build_s: float, results: dict, wrk: list[dict]) -> None:
    print(f"\n=== {kind} ===")
    print(f"National demo data built in {build_s:.0f} s (target < 180 s on SQLite)")
    print(f"{'measure':<22}{'ours ms':>10}{'floor ms':>10}{'ratio':>8}  figures equal floor")
    for key, label in (
        ("region", "region dashboard"),
        ("national", "national dashboard"),
        ("excel", "Excel export (region)"),
    ):
        r = results[key]
        ratio = r["ours"] / r["floor"] if r["floor"] else float("inf")
        agree = {True: "yes", False: "NO", None: f"({r.get('rows')} rows)"}[r["agree"]]
        print(f"{label:<22}{r['ours']:>10.1f}{r['floor']:>10.1f}{ratio:>8.2f}  {agree}")
        if r["agree"] is False:
            print("   ours: ", r["mine"], "\n   floor:", r["floor_figures"])
    region = results["region"]
    print(
        f"targets: region ≤ {TARGET_REGION_RATIO}× floor: "
        f"{'met' if region['ours'] <= TARGET_REGION_RATIO * region['floor'] else 'MISSED'}; "
        f"region < {TARGET_REGION_MS} ms: "
        f"{'met' if region['ours'] < TARGET_REGION_MS else 'MISSED'}; national < "
        f"{TARGET_NATIONAL_MS} ms: "
        f"{'met' if results['national']['ours'] < TARGET_NATIONAL_MS else 'MISSED'}"
    )
    for w in wrk:
        print(
            f"wrk 50 conn, gunicorn 2 workers, {w['label']}: {w['rps']:.1f} req/s, "
            f"p99 {w['p99']}, {w['requests']} requests, non-2xx {w['non2xx']}, "
            f"socket errors: {w['socket_errors']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--wrk-seconds", type=int, default=20)
    parser.add_argument("--no-wrk", action="store_true")
    parser.add_argument(
        "--reuse-sqlite",
        metavar="FILE",
        help="measure an existing SQLite file built earlier (skips the build)",
    )
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}; cpus: {os.cpu_count()}")
    for kind in database_kinds(args.db):
        reuse = f"sqlite:///{Path(args.reuse_sqlite).resolve()}" if args.reuse_sqlite else None
        with national_database(kind, "followup-bench", reuse if kind == "sqlite" else None) as (
            url,
            work,
            build_s,
        ):
            print(f"[{kind}] measuring …")
            results = measure(url, work, args.runs)
            wrk = [] if args.no_wrk else run_wrk(url, work, args.wrk_seconds)
            report(kind, build_s, results, wrk)


if __name__ == "__main__":
    main()
