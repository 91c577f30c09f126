"""Load test (issue 15): 50 logged-in users on two gunicorn workers, national demo data.

For each database (SQLite file, and a throwaway PostgreSQL server from tests/support/pgserver):
builds the fictional country (dialog/demo/national), serves it with gunicorn (2 workers, sync
or `--threads N` each, 127.0.0.1 only) and runs wrk with 50 connections for `--seconds` per scenario:

- 50 sessions: 5 administrators, 15 regional users and 30 MAS (kommun) users, each session
  with its own login cookie, spread over the year view, the follow-up dashboard and a dialogue
  page in its scope (a wrk Lua script rotates the 150 requests);
- the same with the figure cache off (DIALOG_FOLLOWUP_CACHE_SECONDS=0) and on (30 s);
- the same (cache off) while one administrator uploads a Word template and another imports a
  CSV file of homes over and over (through the real forms, CSRF and all): how many of those
  writes land, and that no read fails meanwhile. The homes go to a municipality outside the
  measured sessions' scopes (see municipality_name()), and a few rounds of both writes run
  before the measurement (each worker's first upload starts its render process);
- the floor: a static file from the same server with the same wrk settings;
- with `--per-page`: each of the three pages alone (same 50 sessions, cache off), and the mix
  those rates allow at most (three requests cost the sum of the three pages' times, so the
  mix cannot beat 3 / (1/year view + 1/dashboard + 1/dialogue page)).

Each server first answers every request of the mix once (templates and queries compiled).

Prints requests/s, p50/p99, errors (non-2xx and socket errors), ratio to the floor and the
peak memory (VmHWM) of each gunicorn worker; targets from the issue beside.

    .venv/bin/python benchmarks/load_bench.py [--db sqlite|postgresql|both] [--seconds 20]
        [--per-page]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from followup_bench import (  # noqa: E402
    GunicornServer,
    database_kinds,
    ensure_wrk,
    national_database,
)

SESSIONS = {"admin": 5, "regional": 15, "mas": 30}
TARGET_RPS = {"postgresql": 150, "sqlite": 100}
TARGET_P99_MS = 1000
PASSWORD = "demo-losenord"

LUA = """
local requests = {
%s
}
local threads = 0
function setup(thread)
  -- the second thread starts half-way through the list
  thread:set("offset", threads * math.floor(#requests / 2))
  threads = threads + 1
end
function init(args)
  counter = offset or 0
end
function request()
  counter = counter + 1
  local r = requests[(counter %% #requests) + 1]
  return wrk.format("GET", r[1], {["Cookie"] = r[2]})
end
"""


def dialogue_pages(database_url: str, instance: Path) -> dict[str, str]:
    """A dialogue page in each user's scope (the newest held dialogue they can see)."""
    os.environ["DIALOG_DATABASE_URL"] = database_url
    os.environ["DIALOG_INSTANCE_PATH"] = str(instance)
    import sqlalchemy as sa

    from dialog import create_app
    from dialog.extensions import db
    from dialog.models import Dialogue, User
    from dialog.scope import Scope

    app = create_app({"RATELIMIT_ENABLED": False})
    pages = {}
    with app.app_context():
        for username in SESSIONS:
            user = db.session.scalar(sa.select(User).where(User.username == username))
            dialogue_id = db.session.scalar(
                sa.select(Dialogue.id)
                .where(Scope.of(user).dialogue_clause())
                .order_by(Dialogue.year.desc(), Dialogue.id)
            )
            pages[username] = f"/dialoger/{dialogue_id}"
        db.session.remove()
        db.engine.dispose()
    return pages


def municipality_name(database_url: str) -> str:
    """The municipality the CSV import adds its homes to: one outside the regional and the
    MAS sessions' scopes. Fifty homes an import, a few imports a second, into the MAS
    sessions' own municipality (7 homes) grew it to 900 homes within the run, so the scenario
    measured a municipality 100 times larger rather than reads beside writes. The
    administrators' national pages still see every imported home."""
    import sqlalchemy as sa

    from dialog import create_app
    from dialog.extensions import db
    from dialog.models import Municipality, User
    from dialog.scope import Scope

    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        scopes = [
            Scope.of(db.session.scalars(sa.select(User).where(User.username == name)).one())
            for name in ("regional", "mas")
        ]
        regions = set().union(*(s.region_ids for s in scopes))
        municipalities = set().union(*(s.municipality_ids for s in scopes))
        name = db.session.scalar(
            sa.select(Municipality.name)
            .where(
                Municipality.active.is_(True),
                Municipality.region_id.not_in(regions),
                Municipality.id.not_in(municipalities),
            )
            .order_by(Municipality.id)
        )
        db.session.remove()
        db.engine.dispose()
    return name


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    token = csrf(session.get(f"{base}/logga-in", timeout=30).text)
    response = session.post(
        f"{base}/logga-in",
        data={"csrf_token": token, "login": username, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, f"login {username}: {response.status_code}"
    return session


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def run_wrk(wrk: str, base: str, seconds: int, requests_lua: list[tuple[str, str]] | None):
    args = [wrk, "-t2", "-c50", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if requests_lua:
            rows = ",\n".join(f'  {{"{path}", "{cookie}"}}' for path, cookie in requests_lua)
            script.write(LUA % rows)
            args += ["-s", script.name]
        else:
            script.write("")
    url = base + ("/" if requests_lua else "/static/app.css")
    try:
        out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(map(int, socket.groups())) if socket else 0,
    }


class Writers:
    """One administrator uploads a Word template, another imports a CSV of homes, in a loop."""

    def __init__(self, base: str, municipality: str):
        self.base = base
        self.municipality = municipality
        self.stop = threading.Event()
        self.counts = {"uploads": 0, "imports": 0, "failed": 0}
        self.rounds = 0
        self.failures: list[str] = []
        self.threads = [
            threading.Thread(target=self._loop, args=(self._upload,), daemon=True),
            threading.Thread(target=self._loop, args=(self._import,), daemon=True),
        ]

    def start(self, warm_up_rounds: int = 4):
        self.uploader = login(self.base, "admin")
        self.importer = login(self.base, "admin")
        # Steady state, not the first upload of each worker: that one starts the worker's
        # render process and compiles the template (about 1.5 s of CPU, once per worker).
        for _ in range(warm_up_rounds):
            self._upload()
            self._import()
        self.counts = {"uploads": 0, "imports": 0, "failed": 0}
        for thread in self.threads:
            thread.start()

    def finish(self) -> dict:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)
        return self.counts

    def _loop(self, step):
        while not self.stop.is_set():
            try:
                step()
            except Exception as error:  # noqa: BLE001 (counted and shown, the loop goes on)
                self.counts["failed"] += 1
                self.failures.append(repr(error)[:200])

    def _upload(self):
        page = self.uploader.get(f"{self.base}/mallar", timeout=60).text
        target = re.search(r'<select[^>]*name="target"[^>]*>\s*<option[^>]*value="([^"]*)"', page)
        data = (ROOT / "agenda_templates" / "agenda.docx").read_bytes()
        response = self.uploader.post(
            f"{self.base}/mallar",
            data={
                "csrf_token": csrf(page),
                "kind": "agenda",
                "target": target.group(1) if target else "",
                "comment": "Lasttest",
            },
            files={"file": ("agenda.docx", data)},
            allow_redirects=False,
            timeout=120,
        )
        if response.status_code != 302:
            raise RuntimeError(f"upload answered {response.status_code}")
        self.counts["uploads"] += 1

    def _import(self):
        page = self.importer.get(f"{self.base}/register/import", timeout=60).text
        # New homes each round (a home already in the register is refused, as for a user).
        # Letters only: long digit runs in a name would (rightly) trip the patient-data guard.
        self.rounds += 1
        batch = "".join(chr(ord("A") + int(d)) for d in f"{os.getpid()}{self.rounds}")
        rows = ["namn;kommun"] + [
            f"Lasttestgården {batch} {n};{self.municipality}" for n in range(1, 51)
        ]
        preview = self.importer.post(
            f"{self.base}/register/import",
            data={"csrf_token": csrf(page), "kind": "boenden"},
            files={"file": ("boenden.csv", "\n".join(rows).encode("utf-8"))},
            timeout=120,
        )
        if preview.status_code != 200:
            raise RuntimeError(f"import preview answered {preview.status_code}")
        payload = re.search(r'name="payload"[^>]*value="([^"]+)"', preview.text).group(1)
        done = self.importer.post(
            f"{self.base}/register/import/bekrafta",
            data={"csrf_token": csrf(preview.text), "kind": "boenden", "payload": payload},
            allow_redirects=False,
            timeout=120,
        )
        if done.status_code != 302:
            raise RuntimeError(f"import confirm answered {done.status_code}")
        self.counts["imports"] += 1


PAGE_LABELS = ("year view", "dashboard", "dialogue page")


def session_mix(base: str, pages: dict[str, str]) -> list[tuple[str, str]]:
    """The 150 requests of the 50 sessions, each with its own login cookie."""
    mix = []
    for username, n in SESSIONS.items():
        for _ in range(n):
            cookie = cookie_header(login(base, username))
            for path in ("/arsoversikt", "/uppfoljning/", pages[username]):
                mix.append((path, cookie))
    # Interleave the roles so every stretch of requests has the same mix.
    return mix[::3] + mix[1::3] + mix[2::3]


def warm(base: str, mix: list[tuple[str, str]]) -> None:
    # One pass over the mix first: each worker compiles its templates and queries once.
    for path, cookie in mix:
        requests.get(base + path, headers={"Cookie": cookie}, timeout=120)


def page_label(path: str) -> str:
    return {"/arsoversikt": "year view", "/uppfoljning/": "dashboard"}.get(path, "dialogue page")


def per_page(wrk: str, url: str, work: Path, seconds: int, threads: int, pages) -> list[dict]:
    """Each page of the mix alone (cache off), and the mix rate those allow at most."""
    server = GunicornServer(url, work, "0", threads)
    try:
        mix = session_mix(server.base, pages)
        warm(server.base, mix)
        results = []
        for label in PAGE_LABELS:
            alone = [(path, cookie) for path, cookie in mix if page_label(path) == label]
            results.append(
                {"label": f"{label} alone, cache off", **run_wrk(wrk, server.base, seconds, alone)}
            )
    finally:
        server.stop()
    bound = len(results) / sum(1 / r["rps"] for r in results)
    results.append({"label": "bound on the mix from those", "bound": bound})
    return results


def scenarios(
    kind: str, url: str, work: Path, seconds: int, threads: int, by_page: bool = False
) -> list[dict]:
    wrk = ensure_wrk()
    if wrk is None:
        raise SystemExit("wrk could not be installed")
    pages = dialogue_pages(url, work)
    municipality = municipality_name(url)
    results = []
    for label, cache, writing in (
        ("50 sessions, cache off", "0", False),
        ("50 sessions, cache 30 s", "30", False),
        ("50 sessions, cache off, upload + CSV import", "0", True),
    ):
        server = GunicornServer(url, work, cache, threads)
        try:
            mix = session_mix(server.base, pages)
            warm(server.base, mix)
            if not results:
                floor = run_wrk(wrk, server.base, seconds, None)
                results.append({"label": "floor: static file", **floor})
            writers = Writers(server.base, municipality) if writing else None
            if writers:
                writers.start()
            result = run_wrk(wrk, server.base, seconds, mix)
            if writers:
                result["writes"] = writers.finish()
                result["write_failures"] = writers.failures[:3]
            result["worker_peak_mb"] = server.worker_peaks_mb()
            results.append({"label": label, **result})
        finally:
            server.stop()
        if by_page and not writing and cache == "0":
            # Before the writes: every CSV import adds fifty homes the administrators then see.
            results += per_page(wrk, url, work, seconds, threads, pages)
    return results


def report(kind: str, build_s: float, results: list[dict]) -> None:
    floor = results[0]["rps"]
    print(f"\n=== {kind}: national demo data built in {build_s:.0f} s ===")
    print(
        f"{'scenario':<46}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'floor/ours':>11}{'worker peak MB':>16}"
    )
    for r in results:
        if "bound" in r:
            print(f"{r['label']:<46}{r['bound']:>9.0f}")
            continue
        errors = r["non2xx"] + r["socket_errors"]
        peaks = ", ".join(f"{p:.0f}" for p in r.get("worker_peak_mb", []))
        ratio = floor / r["rps"] if r["rps"] else float("inf")
        print(
            f"{r['label']:<46}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p99']:>9.0f}{errors:>8}"
            f"{ratio:>10.1f}x{peaks:>16}"
        )
        if "writes" in r:
            w = r["writes"]
            print(
                f"{'':<4}meanwhile: {w['uploads']} template uploads and {w['imports']} CSV "
                f"imports landed, {w['failed']} failed {r.get('write_failures') or ''}"
            )
    print(
        f"targets: ≥ {TARGET_RPS[kind]} req/s, p99 < {TARGET_P99_MS} ms, zero errors "
        "(cache off, also during the upload and the import)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (1: sync workers)"
    )
    parser.add_argument(
        "--reuse",
        metavar="DATABASE_URL",
        help="an already built national demo database (skips the build; one --db only)",
    )
    parser.add_argument(
        "--per-page", action="store_true", help="also each page alone and the mix they allow"
    )
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}; cpus: {os.cpu_count()}")
    for kind in database_kinds(args.db):
        with national_database(kind, "load-bench", args.reuse) as (url, work, build_s):
            print(f"[{kind}] load, 2 workers × {args.threads} thread(s) …")
            report(
                kind,
                build_s,
                scenarios(kind, url, work, args.seconds, args.threads, args.per_page),
            )


if __name__ == "__main__":
    main()
