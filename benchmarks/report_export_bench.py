"""The compilation report (Word) and the Excel export at national scale (issue 15).

For each database (SQLite file, and a throwaway PostgreSQL server from tests/support/pgserver):
builds the fictional country (dialog/demo/national), then times in-process (WSGI, no network)
the regional report and Excel export (the demo's regional user, one region) and the national
ones (administrator): median and p95 of `--runs` requests after one warm-up. Beside each, a
floor measured in the same run:

  - report: the docxtpl render of the same template in the same render process with the
    context computed beforehand (what filling Word costs at all); the context itself (queries
    and six PNG charts) is timed apart, with its number of queries;
  - xlsx: XlsxWriter in constant-memory mode writing the same number of rows and columns of
    constant values (the same cell types) with no query (what writing the file costs at all).

Memory: each Excel export runs once more in a forked child and reports the growth of the
child's peak resident set (C allocations of the drivers included) and the tracemalloc peak of
Python objects, regional beside national: flat memory means about the same for both.

    .venv/bin/python benchmarks/report_export_bench.py [--db sqlite|postgresql|both] [--runs 7]
                                                       [--reuse-sqlite FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from followup_bench import database_kinds, national_database  # noqa: E402

TARGET_MS = {  # from the issue
    ("report", "region"): 800,
    ("report", "national"): 2000,
    ("xlsx", "region"): 300,
    ("xlsx", "national"): 3000,
}
SCOPES = {"region": "regional", "national": "admin"}  # demo user of each


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def timed(fn, runs: int) -> list[float]:
    fn()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def xlsx_floor(counts: dict[str, int]) -> None:
    """XlsxWriter, constant memory, the same sheets, rows and cell types; constant values."""
    import xlsxwriter

    from dialog.followup.exports import COLUMNS

    with tempfile.TemporaryFile() as out:
        wb = xlsxwriter.Workbook(out, {"constant_memory": True})
        header = wb.add_format({"bold": True, "bg_color": "#DDE7EE", "pattern": 1})
        dated = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        for kind, (title, columns) in COLUMNS.items():
            ws = wb.add_worksheet(title)
            for c, (_, heading, _, width) in enumerate(columns):
                ws.set_column(c, c, width)
                ws.write_string(0, c, heading, header)
            ws.freeze_panes(1, 0)
            plan = [
                (c, ws.write_number, 46000.5, dated)
                if kind_ in ("date", "datetime")
                else (c, ws.write_number, 12345, None)
                if kind_ == "int"
                else (c, ws.write_string, "Testboendet Ett i Kommunen", None)
                for c, (_, _, kind_, _) in enumerate(columns)
            ]
            for r in range(1, counts[kind] + 1):
                for c, write, value, fmt in plan:
                    if fmt is None:
                        write(r, c, value)
                    else:
                        write(r, c, value, fmt)
            ws.autofilter(0, 0, counts[kind], len(columns) - 1)
        wb.close()


def _in_child(fn) -> dict:
    """Run fn() in a forked child: {"rss_mb": growth of the peak RSS, "traced_mb": ...}."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        result = {}
        try:
            from dialog.extensions import db

            db.engine.dispose(close=False)  # never share the parent's connections
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            fn()  # warm: imports and caches are not what is measured
            warm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            tracemalloc.start()
            fn()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            result = {
                "rss_mb": (after - before) / 1024,
                "rss_second_mb": (after - warm) / 1024,
                "traced_mb": peak / 2**20,
            }
        except Exception as exc:  # noqa: BLE001 (reported to the parent)
            result = {"error": repr(exc)}
        os.write(write_end, json.dumps(result).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def measure(database_url: str, instance: Path, runs: int) -> dict:
    os.environ["DIALOG_DATABASE_URL"] = database_url
    os.environ["DIALOG_INSTANCE_PATH"] = str(instance)
    from functools import partial

    import sqlalchemy as sa

    from dialog import create_app
    from dialog.extensions import db
    from dialog.followup import exports, report, rows
    from dialog.followup.figures import today_local
    from dialog.followup.filters import Selection
    from dialog.models import User
    from dialog.sandbox import render_docx
    from dialog.scope import Scope

    app = create_app(
        {"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False, "FOLLOWUP_CACHE_SECONDS": 0}
    )
    year = today_local().year - 1
    template = report.TEMPLATE_PATH.read_bytes()
    results: dict = {}
    for key, username in SCOPES.items():
        client = app.test_client()
        response = client.post("/logga-in", data={"login": username, "password": "demo-losenord"})
        assert response.status_code == 302, f"login {username} failed"

        def get(url, client=client):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert len(response.data) > 1000

        report_ms = timed(partial(get, f"/uppfoljning/rapport.docx?ar={year}"), runs)
        xlsx_ms = timed(partial(get, f"/uppfoljning/export.xlsx?ar={year}"), runs)

        with app.test_request_context():
            user = db.session.scalar(sa.select(User).where(User.username == username))
            sel = Selection(Scope.of(user), year)
            counter = {"n": 0}

            def count(*_args, counter=counter):
                counter["n"] += 1

            sa.event.listen(db.engine, "before_cursor_execute", count)
            alt_texts: dict = {}
            context = report.report_context(sel, alt_texts)
            sa.event.remove(db.engine, "before_cursor_execute", count)
            context_ms = timed(lambda sel=sel: report.report_context(sel, {}), max(3, runs // 2))
            from dialog.followup import charts, figures

            board = figures.dashboard(sel)
            charts_ms = timed(
                lambda board=board: [charts.render(n, board, "png") for n in charts.CHARTS],
                max(3, runs // 2),
            )
            render_floor = timed(
                lambda context=context, alt_texts=alt_texts: render_docx(
                    template, context, finish=partial(report._describe_images, alt_texts)
                ),
                runs,
            )
            counts = {kind: rows.count(kind, sel) for kind in exports.COLUMNS}
            xlsx_floor_ms = timed(lambda counts=counts: xlsx_floor(counts), max(3, runs // 2))
            write = getattr(exports, "xlsx_file", None)
            build_file = (
                (lambda sel=sel, write=write: write(sel).close())
                if write
                else (lambda sel=sel: exports.build_xlsx(sel))
            )
            memory = _in_child(build_file)
            db.session.remove()
        results[key] = {
            "report": report_ms,
            "report_floor": render_floor,
            "context": context_ms,
            "charts": charts_ms,
            "queries": counter["n"],
            "municipalities": len(context["municipalities"]),
            "xlsx": xlsx_ms,
            "xlsx_floor": xlsx_floor_ms,
            "rows": counts,
            "memory": memory,
        }
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return results


def print_report(kind: str, build_s: float, results: dict) -> None:
    print(f"\n=== {kind}: national demo built in {build_s:.1f} s")
    print(
        f"{'measure':<22}{'p50 ms':>9}{'p95 ms':>9}{'floor ms':>10}{'ratio':>7}"
        f"{'target ms':>11}  met"
    )
    for what, floor_key in (("report", "report_floor"), ("xlsx", "xlsx_floor")):
        for scope in ("region", "national"):
            r = results[scope]
            p50, p95 = statistics.median(r[what]), percentile(r[what], 0.95)
            floor = statistics.median(r[floor_key])
            target = TARGET_MS[(what, scope)]
            print(
                f"{what + ' ' + scope:<22}{p50:>9.0f}{p95:>9.0f}{floor:>10.0f}"
                f"{p50 / floor:>7.2f}{target:>11}  {'ja' if p95 < target else 'NEJ'}"
            )
    for scope in ("region", "national"):
        r = results[scope]
        print(
            f"report {scope}: {r['municipalities']} municipalities, {r['queries']} queries; "
            f"context {statistics.median(r['context']):.0f} ms of which six PNG charts "
            f"{statistics.median(r['charts']):.0f} ms"
        )
    for scope in ("region", "national"):
        r = results[scope]
        m = r["memory"]
        total = sum(r["rows"].values())
        if "error" in m:
            print(f"xlsx {scope}: memory not measured ({m['error']})")
            continue
        print(
            f"xlsx {scope}: {total} rows {r['rows']}; peak RSS growth {m['rss_mb']:.1f} MB "
            f"(second run {m['rss_second_mb']:.1f} MB), Python peak {m['traced_mb']:.1f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--reuse-sqlite",
        metavar="FILE",
        help="measure an existing SQLite file built earlier (skips the build)",
    )
    args = parser.parse_args()
    print(f"{datetime.now():%Y-%m-%d %H:%M}; load average at start: {os.getloadavg()}")
    for kind in database_kinds(args.db):
        reuse = f"sqlite:///{Path(args.reuse_sqlite).resolve()}" if args.reuse_sqlite else None
        with national_database(
            kind, "report-export-bench", reuse if kind == "sqlite" else None
        ) as (url, work, build_s):
            print(f"[{kind}] measuring …")
            print_report(kind, build_s, measure(url, work, args.runs))


if __name__ == "__main__":
    main()
