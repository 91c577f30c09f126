"""The Word report "Sammanställning patientsäkerhetsdialoger SÄBO" for a period and scope.

Rendered with docxtpl from agenda_templates/sammanstallning.docx, with the dashboard's figures
(figures.py), its charts as PNG images (charts.py) and a section per municipality.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import sqlalchemy as sa
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from ..assignments import report_section
from ..extensions import db
from ..models import CareHome, HealthCentre, Municipality, Region
from ..timeutil import format_date, now_utc
from . import charts, figures, rows
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


def _chart(tpl, name, board, width_mm=150):
    return InlineImage(tpl, io.BytesIO(charts.render(name, board, "png")), width=Mm(width_mm))


def report_context(tpl, sel: Selection) -> dict:
    today = today_local()
    board = figures.dashboard(sel, today)
    c, r, f, a = board.coverage, board.representation, board.findings, board.actions
    finding_rows = rows.findings(sel)

    def finding_entry(row):
        return {
            "home": row["home"],
            "date": format_date(row["starts_at"]),
            "kind": row["kind"].label,
            "area": row["area"],
            "description": row["description"],
        }

    municipality_ids = list(
        db.session.scalars(
            sa.select(CareHome.municipality_id)
            .where(*sel.home_conditions())
            .distinct()
            .union(
                sa.select(CareHome.municipality_id)
                .join(figures.Dialogue, figures.Dialogue.care_home_id == CareHome.id)
                .where(*sel.dialogue_conditions())
            )
        )
    )
    municipalities = []
    for m in db.session.scalars(
        sa.select(Municipality)
        .where(Municipality.id.in_(municipality_ids))
        .order_by(Municipality.name)
    ):
        msel = replace(sel, municipality_id=m.id)
        mc, mr = figures.coverage(msel), figures.representation_figures(msel)
        mf, ma = figures.findings(msel), figures.actions(msel, today)
        mk = _kind_counts(mf)
        municipalities.append(
            {
                "name": m.name,
                "text": municipality_text(m.name, msel, mc, mr, mf, ma),
                "rows": coverage_rows(mc)
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
        "escalated": [finding_entry(x) for x in finding_rows if x["escalate"]][:MAX_LISTED],
        "lessons": [finding_entry(x) for x in finding_rows if x["spread_as_lesson"]][:MAX_LISTED],
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
        # Issue 16: the leadership group's assignments and the owners' reports back.
        "assignments": report_section(sel.scope, *sel.bounds, municipality_id=sel.municipality_id),
        "chart_coverage": _chart(tpl, "tackning", board),
        "chart_representation": _chart(tpl, "representation", board),
        "chart_findings": _chart(tpl, "fynd", board),
        "chart_plan": _chart(tpl, "handlingsplan", board),
        "chart_actions": _chart(tpl, "atgarder", board),
        "chart_trends": _chart(tpl, "trender", board),
    }


def build_report(sel: Selection, template_path: Path | None = None) -> bytes:
    tpl = DocxTemplate(str(template_path or TEMPLATE_PATH))
    tpl.render(report_context(tpl, sel), autoescape=True)
    tpl.core_properties.title = f"Sammanställning patientsäkerhetsdialoger SÄBO {sel.label}"
    tpl.core_properties.language = "sv-SE"
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
