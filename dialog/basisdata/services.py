"""Basis data (underlag) per home and year: counts and shares only, never single events.

MAS/MAR bring deviations by category (as counted in the region's deviation system), the share
of residents with a Senior alert risk assessment, medication reviews done and hygiene-round
results. They are typed in per home and year or imported from CSV (csv_import.py); the agenda
and the documentation template show them beside last year's, the dashboards per municipality
and region with trends.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..models import BasisFigure, CareHome, Measure, Municipality
from ..scope import Scope

MEASURES = list(Measure)
SHORT_LABELS = {
    Measure.FALLS: "Fall",
    Measure.MEDICATION: "Läkemedel",
    Measure.PRESSURE_ULCERS: "Trycksår",
    Measure.CARE_TREATMENT: "Vård och behandling",
    Measure.INFORMATION: "Informations\u00adöverföring",
    Measure.OTHER: "Övriga avvikelser",
    Measure.SENIOR_ALERT: "Senior alert (%)",
    Measure.MEDICATION_REVIEWS: "Läkemedels\u00adgenomgångar",
    Measure.HYGIENE: "Hygienrond (%)",
}
MAX_COUNT = 100_000
TREND_YEARS = 5


class BasisError(ValueError):
    """errors maps a measure's code (or "year") to a Swedish message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


# --- scope -------------------------------------------------------------------------------------


def can_use(scope: Scope) -> bool:
    """The basis-data pages: MAS/MAR, the region and administrators (who bring the data)."""
    return scope.is_follow_up_user


def can_edit_home(scope: Scope, home: CareHome) -> bool:
    return scope.can_edit_home_register(home)


# --- values ------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def parse_value(measure: Measure, text: str | None) -> tuple[float | None, str | None]:
    """(value, None) or (None, Swedish message). Empty text = no value."""
    raw = (text or "").strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    if not raw:
        return None, None
    if not _NUMBER.match(raw):
        return (
            None,
            f"{measure.label}: skriv ett tal, till exempel 12{' eller 87,5' if measure.is_share else ''}.",
        )
    value = float(raw.replace(",", "."))
    if measure.is_share:
        if value > 100:
            return None, f"{measure.label}: en andel är högst 100 %."
        return round(value, 1), None
    if value != math.floor(value):
        return None, f"{measure.label}: ett antal är ett heltal."
    if value > MAX_COUNT:
        return (
            None,
            f"{measure.label}: högst {MAX_COUNT} (är det ett antal för ett boende och år?).",
        )
    return value, None


def format_value(measure: Measure, value: float | None) -> str:
    if value is None:
        return "–"
    if measure.is_share:
        text = f"{value:.1f}".replace(".", ",").removesuffix(",0")
        return f"{text} %"
    return f"{int(round(value))}"


def format_change(measure: Measure, this: float | None, last: float | None) -> str:
    if this is None or last is None:
        return ""
    diff = this - last
    if abs(diff) < 0.05:
        return "±0"
    sign = "+" if diff > 0 else "−"
    if measure.is_share:
        return f"{sign}{abs(diff):.1f}".replace(".", ",").removesuffix(",0") + " procentenheter"
    return f"{sign}{int(round(abs(diff)))}"


# --- reading ----------------------------------------------------------------------------------


def figures_for_homes(home_ids: list[int], years: list[int]) -> dict[tuple[int, int], dict]:
    """{(home id, year): {Measure: value}} in one query."""
    if not home_ids or not years:
        return {}
    out: dict[tuple[int, int], dict] = defaultdict(dict)
    for home_id, year, measure, value in db.session.execute(
        sa.select(
            BasisFigure.care_home_id, BasisFigure.year, BasisFigure.measure, BasisFigure.value
        ).where(BasisFigure.care_home_id.in_(home_ids), BasisFigure.year.in_(years))
    ):
        out[(home_id, year)][measure] = value
    return out


def comparison_rows(home_id: int, year: int) -> list[dict]:
    """The home's figures for the year beside the year before: plain text for a document."""
    figures = figures_for_homes([home_id], [year, year - 1])
    this, last = figures.get((home_id, year), {}), figures.get((home_id, year - 1), {})
    return [
        {
            "measure": m.label,
            "this_year": format_value(m, this.get(m)),
            "last_year": format_value(m, last.get(m)),
            "change": format_change(m, this.get(m), last.get(m)),
        }
        for m in MEASURES
        if m in this or m in last
    ]


def document_context(home_id: int, year: int) -> dict:
    """The variables the agenda and the documentation template use (documents.kinds)."""
    return {
        "basis_data": comparison_rows(home_id, year),
        "basis_years": {"this": year, "last": year - 1},
    }


def sample_document_context(year: int = 2027) -> dict:
    """Made-up figures for previews and the shared material."""
    sample = {
        Measure.FALLS: (14, 19),
        Measure.MEDICATION: (9, 7),
        Measure.PRESSURE_ULCERS: (2, 3),
        Measure.CARE_TREATMENT: (4, 4),
        Measure.INFORMATION: (6, 8),
        Measure.OTHER: (1, 2),
        Measure.SENIOR_ALERT: (92.0, 85.5),
        Measure.MEDICATION_REVIEWS: (31, 28),
        Measure.HYGIENE: (88.0, 81.0),
    }
    return {
        "basis_data": [
            {
                "measure": m.label,
                "this_year": format_value(m, this),
                "last_year": format_value(m, last),
                "change": format_change(m, this, last),
            }
            for m, (this, last) in sample.items()
        ],
        "basis_years": {"this": year, "last": year - 1},
    }


# --- the dashboards ----------------------------------------------------------------------------


@dataclass
class BasisSummary:
    """Basis data for a set of homes: per municipality for the year (and the year before), the
    whole selection, and the trend over the last five years."""

    year: int
    years: list[int]
    measures: list[Measure]
    municipalities: list[dict]  # name, homes {year: n}, values {year: {Measure: value}}
    total: dict  # homes {year: n}, values {year: {Measure: value}}

    @property
    def short(self) -> dict:
        return SHORT_LABELS

    @property
    def empty(self) -> bool:
        return not any(self.total["homes"].values())

    def cell(self, values: dict, year: int, measure: Measure) -> str:
        return format_value(measure, values.get(year, {}).get(measure))


def basis_summary(home_conditions: list, year: int) -> BasisSummary:
    """Sums of counts and mean shares (each reporting home weighs the same), per municipality and
    year: one grouped query, however many municipalities there are."""
    years = list(range(year - TREND_YEARS + 1, year + 1))
    rows = db.session.execute(
        sa.select(
            Municipality.id,
            Municipality.name,
            BasisFigure.year,
            BasisFigure.measure,
            sa.func.sum(BasisFigure.value),
            sa.func.count(BasisFigure.id),
        )
        .join(CareHome, CareHome.id == BasisFigure.care_home_id)
        .join(Municipality, Municipality.id == CareHome.municipality_id)
        .where(*home_conditions, BasisFigure.year.in_(years))
        .group_by(Municipality.id, Municipality.name, BasisFigure.year, BasisFigure.measure)
    ).all()
    per_muni: dict[int, dict] = {}
    total_sum: dict = defaultdict(lambda: defaultdict(float))
    total_n: dict = defaultdict(lambda: defaultdict(int))
    for mid, name, y, measure, value_sum, n in rows:
        entry = per_muni.setdefault(
            mid, {"name": name, "sum": defaultdict(dict), "n": defaultdict(dict)}
        )
        entry["sum"][y][measure] = value_sum
        entry["n"][y][measure] = n
        total_sum[y][measure] += value_sum
        total_n[y][measure] += n

    def values(sums, counts) -> dict:
        return {
            y: {
                m: (sums[y][m] / counts[y][m] if m.is_share else sums[y][m])
                for m in sums[y]
                if counts[y][m]
            }
            for y in sums
        }

    def homes(counts) -> dict:
        return {y: max(counts[y].values(), default=0) for y in counts}

    municipalities = [
        {"name": e["name"], "values": values(e["sum"], e["n"]), "homes": homes(e["n"])}
        for e in sorted(per_muni.values(), key=lambda e: e["name"])
    ]
    return BasisSummary(
        year=year,
        years=years,
        measures=MEASURES,
        municipalities=municipalities,
        total={"values": values(total_sum, total_n), "homes": homes(total_n)},
    )


# --- saving ------------------------------------------------------------------------------------


def _audit_home_year(home: CareHome, year: int, changes: dict, actor, how: str) -> None:
    if changes:
        audit.record(
            f"{how} underlag",
            home,
            where=home,
            actor=actor,
            changes={f"{year} {k}": v for k, v in changes.items()},
            summary=f"{home.name} {year}",
        )


def set_figures(
    home: CareHome, year: int, values: dict[Measure, float | None], *, actor=None, how="ändrade"
) -> int:
    """Set (or with None remove) the home's figures for the year; returns how many changed.
    Flushes, never commits; audited as one entry per home and year."""
    existing = {
        f.measure: f
        for f in db.session.scalars(
            sa.select(BasisFigure).where(
                BasisFigure.care_home_id == home.id, BasisFigure.year == year
            )
        )
    }
    changes = {}
    for measure, value in values.items():
        row = existing.get(measure)
        old = row.value if row is not None else None
        if old == value:
            continue
        if value is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(
                BasisFigure(care_home_id=home.id, year=year, measure=measure, value=value)
            )
        else:
            row.value = value
        changes[measure.value] = [old, value]
    db.session.flush()
    _audit_home_year(home, year, changes, actor, how)
    return len(changes)


def save_form(home: CareHome, year: int, texts: dict[str, str], *, actor=None) -> int:
    """The typed-in form: every measure's text; BasisError names every bad one, saves none."""
    errors, values = {}, {}
    if not 2000 <= year <= 2100:
        raise BasisError({"year": "Välj ett år mellan 2000 och 2100."})
    for measure in MEASURES:
        value, problem = parse_value(measure, texts.get(measure.value))
        if problem:
            errors[measure.value] = problem
        values[measure] = value
    if errors:
        raise BasisError(errors)
    return set_figures(home, year, values, actor=actor)
