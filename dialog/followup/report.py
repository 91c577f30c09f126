"""The Word report "Sammanställning patientsäkerhetsdialoger SÄBO" for a period and scope.

Rendered with docxtpl, in the shared sandbox (dialog/sandbox), from
agenda_templates/sammanstallning.docx, with the dashboard's figures (figures.py), its charts as
PNG images (charts.py) and a section per municipality.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import partial
from pathlib import Path

import sqlalchemy as sa

from ..assignments import report_section
from ..extensions import db
from ..models import CareHome, HealthCentre, Municipality, Region
from ..sandbox import Picture, render_docx
from ..timeutil import format_date, now_utc
from . import by_municipality, charts, figures, rows
from .figures import KINDS, today_local
from .filters import Selection

MAX_LISTED = 200  # escalated findings and lessons listed in full up to this many
TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "agenda_templates" / "sammanstallning.docx"


def _pct(share) -> str:
    return "–" if share is None else f"{round(share * 100)} %"


def scope_label(sel: Selection) -> str:
    parts = []
    if sel.municipality_id:
        parts.append(db.session.get(Municipality, sel.municipality_id).name)
    if sel.health_centre_id:
        parts.append(db.session.get(HealthCentre, sel.health_centre_id).name)
    if parts:
        return ", ".join(parts)
    scope = sel.scope
    if scope.admin:
        return "Alla regioner"
    names = [
        r.name
        for r in db.session.scalars(
            sa.select(Region).where(Region.id.in_(scope.region_ids)).order_by(Region.name)
        )
    ]
    names += [
        m.name
        for m in db.session.scalars(
            sa.select(Municipality)
            .where(Municipality.id.in_(scope.municipality_ids))
            .order_by(Municipality.name)
        )
    ]
    names += [
        h.name
        for h in db.session.scalars(
            sa.select(CareHome).where(CareHome.id.in_(scope.care_home_ids)).order_by(CareHome.name)
        )
    ]
    names += [
        c.name
        for c in db.session.scalars(
            sa.select(HealthCentre)
            .where(HealthCentre.id.in_(scope.health_centre_ids))
            .order_by(HealthCentre.name)
        )
    ]
    return ", ".join(names) or "–"


def coverage_rows(c: dict) -> list[dict]:
    return [
        {"label": label, "value": c[key]}
        for key, label in (
            ("active_homes", "Aktiva boenden"),
            ("booked", "Bokade dialoger (ej inställda)"),
            ("held", "Genomförda dialoger"),
            ("documented", "Dokumenterade dialoger"),
            ("cancelled", "Inställda dialoger"),
            ("homes_without", "Boenden utan bokad dialog"),
        )
    ]


def _kind_counts(f: dict) -> dict:
    return {e["kind"].value: e["count"] for e in f["by_kind"]}


def municipality_text(name: str, sel: Selection, c: dict, r: dict, f: dict, a: dict) -> str:
    if not (c["booked"] or c["held"] or c["cancelled"]):
        homes = c["active_homes"]
        return (
            f"Under {sel.label} hölls inga patientsäkerhetsdialoger i {name}, och inga var bokade "
            f"({homes} aktiva {'särskilt boende' if homes == 1 else 'särskilda boenden'})."
        )
    k = _kind_counts(f)
    top = ", ".join(e["area"].lower() for e in f["by_area"][:3])
    text = (
        f"Under {sel.label} hade {name} {c['active_homes']} aktiva särskilda boenden. "
        f"{c['booked']} patientsäkerhetsdialoger bokades och {c['held']} genomfördes, "
        f"varav {c['documented']} är dokumenterade. "
    )
    if r["held"]:
        text += (
            f"{r['full']} av {r['held']} genomförda dialoger ({_pct(r['share_full'])}) "
            "hade full representation från både boendet och vårdcentralen. "
        )
    text += (
        f"Dialogerna identifierade {k.get('brist', 0)} brister, {k.get('risk', 0)} risker "
        f"och {k.get('framgangsfaktor', 0)} framgångsfaktorer"
    )
    text += f", främst inom {top}. " if top else ". "
    t = a["totals"]
    text += (
        f"Av {t['total']} överenskomna åtgärder är {t['done']} klara och {t['open']} öppna, "
        f"varav {t['overdue']} försenade."
    )
    return text


def _chart(name, board, alt_texts: dict, width_mm=150):
    png = charts.render(name, board, "png")
    alt_texts[hashlib.sha256(png).hexdigest()] = (
        charts.CHARTS[name],
        chart_description(name, board),
    )
    return Picture(png, width_mm)


def chart_description(name: str, board) -> str:
    """Alt text: what the chart shows, in words, with its figures (the tables repeat them)."""
    c, r, f, a = board.coverage, board.representation, board.findings, board.actions
    if name == "tackning":
        return (
            f"Stapeldiagram. {c['active_homes']} aktiva boenden, {c['booked']} bokade dialoger, "
            f"{c['held']} genomförda, {c['documented']} dokumenterade, {c['homes_without']} "
            "boenden utan bokad dialog."
        )
    if name == "representation":
        return (
            f"Stapeldiagram. {r['full']} av {r['held']} genomförda dialoger "
            f"({_pct(r['share_full'])}) hade full representation."
        )
    if name == "fynd":
        top = ", ".join(f"{e['area']} {e['total']}" for e in f["by_area"][:5]) or "inga fynd"
        return f"Stapeldiagram över fynd per område, flest först: {top}."
    if name == "handlingsplan":
        top = ", ".join(f"{e['plan_area']} {e['count']}" for e in f["by_plan_area"][:5])
        return f"Stapeldiagram över fynd per område i handlingsplanen: {top or 'inga fynd'}."
    if name == "atgarder":
        t = a["totals"]
        return (
            f"Stapeldiagram över åtgärder per ansvarig part: {t['total']} totalt, "
            f"{t['open']} öppna varav {t['overdue']} försenade, {t['done']} klara."
        )
    years = ", ".join(f"{t['year']}: {t['held']} genomförda" for t in board.trends)
    return f"Linjediagram över dialoger och fynd per år. {years or 'Inga år'}."


def _describe_images(alt_texts: dict, document, _context=None) -> None:
    """Every chart image gets its title and description (the alt text screen readers read),
    recognised by its picture, so a replaced template may place the charts anywhere."""
    from docx.oxml.ns import qn

    for inline in document.inline_shapes:
        blip = inline._inline.find(".//" + qn("a:blip"))
        if blip is None:
            continue
        part = document.part.related_parts.get(blip.get(qn("r:embed")))
        found = alt_texts.get(hashlib.sha256(part.blob).hexdigest()) if part is not None else None
        if found:
            doc_pr = inline._inline.docPr
            doc_pr.set("title", found[0])
            doc_pr.set("descr", found[1])


def report_context(sel: Selection, alt_texts: dict | None = None) -> dict:
    alt_texts = {} if alt_texts is None else alt_texts
    today = today_local()
    board = figures.dashboard(sel, today)
    c, r, f, a = board.coverage, board.representation, board.findings, board.actions

    def finding_entry(row):
        return {
            "home": row["home"],
            "date": format_date(row["starts_at"]),
            "kind": row["kind"].label,
            "area": row["area"],
            "description": row["description"],
        }

    # One grouped query per family for every municipality (by_municipality.py): the number of
    # queries does not grow with the number of municipalities.
    municipalities = []
    for m in by_municipality.municipalities(sel, today):
        msel = replace(sel, municipality_id=m.id)
        mc, mr, mf, ma = m.coverage, m.representation, m.findings, m.actions
        mk = _kind_counts(mf)
        quiet = not (mc["booked"] or mc["held"] or mc["cancelled"])
        municipalities.append(
            {
                "name": m.name,
                "text": municipality_text(m.name, msel, mc, mr, mf, ma),
                # One sentence, no table of zeros, for a municipality without dialogues.
                "rows": []
                if quiet
                else coverage_rows(mc)
                + [
                    {"label": "Full representation", "value": f"{mr['full']} av {mr['held']}"},
                    {"label": "Brister", "value": mk.get("brist", 0)},
                    {"label": "Risker", "value": mk.get("risk", 0)},
                    {"label": "Framgångsfaktorer", "value": mk.get("framgangsfaktor", 0)},
                    {"label": "Öppna åtgärder", "value": ma["totals"]["open"]},
                    {"label": "varav försenade", "value": ma["totals"]["overdue"]},
                    {"label": "Klara åtgärder", "value": ma["totals"]["done"]},
                ],
            }
        )
    without = db.session.scalars(figures.homes_without_dialogue_query(sel).limit(200)).all()
    k = _kind_counts(f)
    return {
        "period": sel.label,
        "year": sel.year,
        "scope_label": scope_label(sel),
        "generated": format_date(now_utc()),
        "summary_text": (
            f"Under {sel.label} bokades {c['booked']} patientsäkerhetsdialoger vid "
            f"{c['active_homes']} aktiva boenden; {c['held']} genomfördes och "
            f"{c['documented']} är dokumenterade. {c['homes_without']} boenden saknar bokad "
            f"dialog {sel.year}. {f['total']} fynd registrerades och {a['totals']['open']} "
            f"åtgärder är öppna, varav {a['totals']['overdue']} försenade."
        ),
        "coverage_rows": coverage_rows(c),
        "homes_without": ", ".join(h.name for h in without)
        + (" m.fl." if c["homes_without"] > len(without) else ""),
        "representation_text": (
            f"{r['full']} av {r['held']} genomförda dialoger ({_pct(r['share_full'])}) hade full "
            "representation enligt närvaron."
        ),
        "representation_rows": [
            {
                "label": "Båda parter",
                "complete": r["full"],
                "incomplete": r["not_full"],
                "share": _pct(r["share_full"]),
            }
        ]
        + [
            {
                "label": s["side"].label,
                "complete": s["complete"],
                "incomplete": s["incomplete"],
                "share": _pct(s["share"]),
            }
            for s in r["sides"]
        ],
        "missing_rows": [
            {"side": m["side"].label, "seat": m["seat"], "count": m["count"]} for m in r["missing"]
        ],
        "findings_text": (
            f"{f['total']} fynd: {k.get('brist', 0)} brister, {k.get('risk', 0)} "
            f"risker och {k.get('framgangsfaktor', 0)} framgångsfaktorer."
            if f["total"]
            else "Inga fynd registrerades under perioden."
        ),
        "area_rows": [
            {"area": e["area"], "total": e["total"], **{kk.value: e["counts"][kk] for kk in KINDS}}
            for e in f["by_area"]
        ],
        "plan_rows": f["by_plan_area"],
        "recurring_rows": [
            {"home": e["home"], "kind": e["kind"].label, "area": e["area"], "years": e["years"]}
            for e in board.recurring["rows"]
        ],
        "action_rows": [
            {
                "party": e["party"].label,
                **{key: e[key] for key in ("open", "overdue", "done", "cancelled", "total")},
            }
            for e in a["by_party"]
        ],
        "escalated": [
            finding_entry(x) for x in rows.findings(sel, limit=MAX_LISTED, escalated=True)
        ],
        "lessons": [finding_entry(x) for x in rows.findings(sel, limit=MAX_LISTED, lessons=True)],
        "trend_rows": [
            {
                "year": t["year"],
                "booked": t["booked"],
                "held": t["held"],
                **{kk.value: t["findings"][kk] for kk in KINDS},
            }
            for t in board.trends
        ],
        "municipalities": municipalities,
        # The leadership group's assignments and the owners' reports back.
        "assignments": report_section(sel.scope, *sel.bounds, municipality_id=sel.municipality_id),
        "chart_coverage": _chart("tackning", board, alt_texts),
        "chart_representation": _chart("representation", board, alt_texts),
        "chart_findings": _chart("fynd", board, alt_texts),
        "chart_plan": _chart("handlingsplan", board, alt_texts),
        "chart_actions": _chart("atgarder", board, alt_texts),
        "chart_trends": _chart("trender", board, alt_texts),
    }


TITLE = "Sammanställning patientsäkerhetsdialoger SÄBO"


def filename(sel: Selection) -> str:
    """Like the other documents' names: words with å, ä and ö, the period last."""
    part = f"{sel.year}" + (f" halvår {sel.half}" if sel.half else "")
    return f"{TITLE} {part}.docx"


def build_report(sel: Selection, template_path: Path | None = None) -> bytes:
    """The report as .docx bytes, filled in the sandbox's render process like every Word
    document (bounded in time and size). Raises RenderFailed."""
    template = Path(template_path or TEMPLATE_PATH).read_bytes()
    alt_texts: dict = {}
    context = report_context(sel, alt_texts)
    return render_docx(
        template,
        context,
        # Every chart gets its alt text, found by its picture (a replaced template may move it).
        finish=partial(_describe_images, alt_texts),
        properties={
            "title": f"{TITLE} {sel.label}",
            "language": "sv-SE",
            "author": "Patientsäkerhetsdialog SÄBO",
            "last_modified_by": "Patientsäkerhetsdialog SÄBO",
            # The render time, not the template's build date.
            "created": now_utc().replace(microsecond=0, tzinfo=None),
            "modified": now_utc().replace(microsecond=0, tzinfo=None),
            "revision": 1,
        },
    )
