"""CSV import of basis data: one row per home, year and measure; all or nothing.

Only counts and shares are accepted. A file that looks like single events — a column for a
person (identity number, name, birth date), a date on the rows, identity numbers or names in
any cell (found with the patient-data guard), or several rows for the same home, year and
measure — is refused as a whole with a message that names lines and kinds, never the values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..extensions import db
from ..models import CareHome, Measure, Municipality
from ..privacy import find_patient_data
from ..registers import ImportFileError, RowError, fold, read_csv
from ..scope import Scope
from . import services

KIND = "underlag"
COLUMNS = {"kommun": True, "boende": True, "ar": True, "matt": True, "varde": True}
LABELS = {"kommun": "kommun", "boende": "boende", "ar": "år", "matt": "mått", "varde": "värde"}
ALIASES = {
    "sabo": "boende",
    "boendets_namn": "boende",
    "sarskilt_boende": "boende",
    "artal": "ar",
    "year": "ar",
    "matt_kategori": "matt",
    "kategori": "matt",
    "avvikelsekategori": "matt",
    "varde_antal": "varde",
    "antal": "varde",
    "andel": "varde",
}
# Headers that only a file about single people or events has.
PERSON_HEADERS = {
    "personnummer",
    "personnr",
    "pnr",
    "samordningsnummer",
    "namn",
    "fornamn",
    "efternamn",
    "patient",
    "patientnamn",
    "patient_id",
    "brukare",
    "brukarnamn",
    "person",
    "boendenamn_person",
    "fodelsedatum",
    "fodd",
    "alder",
    "datum",
    "handelsedatum",
    "handelse",
    "tidpunkt",
    "klockslag",
    "rum",
    "rumsnummer",
    "lagenhet",
    "lagenhetsnummer",
    "avvikelsenummer",
    "arendenummer",
}
PERSON_HEADER_PARTS = ("personnummer", "patient", "brukare", "fodelse", "datum", "namn_pa_")
# A date on a row: 2026-03-14, 14/3/2026, 14.3.2026, 20260314.
DATE_CELL = re.compile(
    r"^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?:[ T]\d{1,2}[:.]\d{2}.*)?$"
)
MEASURE_WORDS = {
    "fall": Measure.FALLS,
    "avvikelser_fall": Measure.FALLS,
    "lakemedel": Measure.MEDICATION,
    "avvikelser_lakemedel": Measure.MEDICATION,
    "trycksar": Measure.PRESSURE_ULCERS,
    "avvikelser_trycksar": Measure.PRESSURE_ULCERS,
    "vard_och_behandling": Measure.CARE_TREATMENT,
    "avvikelser_vard_och_behandling": Measure.CARE_TREATMENT,
    "informationsoverforing": Measure.INFORMATION,
    "avvikelser_informationsoverforing": Measure.INFORMATION,
    "ovrigt": Measure.OTHER,
    "ovriga": Measure.OTHER,
    "annat": Measure.OTHER,
    "ovriga_avvikelser": Measure.OTHER,
    "avvikelser_ovrigt": Measure.OTHER,
    "senior_alert": Measure.SENIOR_ALERT,
    "riskbedomning_senior_alert": Measure.SENIOR_ALERT,
    "andel_riskbedomda_senior_alert": Measure.SENIOR_ALERT,
    "lakemedelsgenomgang": Measure.MEDICATION_REVIEWS,
    "lakemedelsgenomgangar": Measure.MEDICATION_REVIEWS,
    "hygienrond": Measure.HYGIENE,
    "hygienronder": Measure.HYGIENE,
}
for _m in Measure:
    MEASURE_WORDS.setdefault(_m.value, _m)
    MEASURE_WORDS.setdefault(fold(_m.label), _m)

REFUSED = (
    "Filen ser ut att innehålla enskilda händelser eller uppgifter om personer och har inte lästs "
    "in: {reasons}. Underlaget ska vara sammanräknat – en rad per boende, år och mått med ett "
    "antal eller en andel, utan personnummer, namn eller datum för enskilda händelser. "
    "Ingenting har sparats."
)


def measure_from_text(text: str) -> Measure | None:
    key = fold(text).replace(":", "").replace("(%)", "").strip("_")
    key = re.sub(r"_+", "_", key)
    return MEASURE_WORDS.get(key)


@dataclass
class BasisPreview:
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # (home, year) -> {Measure: value}; applied by apply().
    values: dict[tuple[int, int], dict] = field(default_factory=dict)
    homes: dict[int, CareHome] = field(default_factory=dict, repr=False)
    actor: object = None

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _map_header(header: list[str]) -> dict[str, int]:
    reasons = []
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        key = fold(name)
        if key in PERSON_HEADERS or any(part in key for part in PERSON_HEADER_PARTS):
            reasons.append(
                f"kolumn {i + 1} i rubrikraden är en uppgift om en person eller händelse"
            )
            continue
        key = ALIASES.get(key, key)
        if key in COLUMNS and key not in positions:
            positions[key] = i
    if reasons:
        raise ImportFileError(REFUSED.format(reasons="; ".join(reasons)))
    missing = [LABELS[c] for c in COLUMNS if c not in positions]
    if missing:
        raise ImportFileError(
            "Kolumner saknas i första raden: "
            + ", ".join(missing)
            + ". Förväntade kolumner: "
            + "; ".join(LABELS[c] for c in COLUMNS)
            + " (en rad per boende, år och mått)."
        )
    return positions


class _Registry:
    """Homes and municipalities by folded name, read once per file."""

    def __init__(self):
        self.municipalities: dict[str, list[Municipality]] = {}
        for m in db.session.scalars(sa.select(Municipality)):
            self.municipalities.setdefault(fold(m.name), []).append(m)
        self.homes: dict[tuple[int, str], CareHome] = {
            (h.municipality_id, fold(h.name)): h for h in db.session.scalars(sa.select(CareHome))
        }

    def home(self, municipality_text: str, home_text: str) -> CareHome | None:
        for m in self.municipalities.get(fold(municipality_text), []):
            home = self.homes.get((m.id, fold(home_text)))
            if home is not None:
                return home
        return None

    def known_municipality(self, text: str) -> bool:
        return fold(text) in self.municipalities


def _refuse_single_events(
    header: list[str], rows: list[tuple[int, list[str]]], positions: dict, registry: _Registry
) -> None:
    """Raise ImportFileError when the file looks like single events or people."""
    reasons: list[str] = []
    keys: dict[tuple, int] = {}
    value_columns = {positions["ar"], positions["varde"]}
    for line, values in rows:
        cells = [v.strip() for v in values]
        kinds = set()
        dated = False
        for i, cell in enumerate(cells):
            if not cell:
                continue
            if DATE_CELL.match(cell) and i != positions["ar"]:
                dated = True
                continue
            if i in value_columns and re.fullmatch(r"[\d\s.,%]+", cell):
                continue
            # Names of homes and municipalities in the register, and the measures, are not
            # people: only unknown words are run through the guard.
            if i == positions["kommun"] and registry.known_municipality(cell):
                continue
            if i == positions["boende"] and registry.home(
                cells[positions["kommun"]] if positions["kommun"] < len(cells) else "", cell
            ):
                continue
            if i == positions["matt"] and measure_from_text(cell) is not None:
                continue
            for hit in find_patient_data(cell):
                kinds.add(hit.label.lower())
        if dated:
            reasons.append(f"rad {line} har ett datum (en händelse, inte en summa)")
        if kinds:
            reasons.append(f"rad {line} innehåller {', '.join(sorted(kinds))}")
        key = tuple(
            fold(cells[positions[c]]) if positions[c] < len(cells) else ""
            for c in ("kommun", "boende", "ar", "matt")
        )
        if all(key) and key in keys:
            reasons.append(
                f"rad {keys[key]} och {line} gäller samma boende, år och mått (en rad per "
                "händelse eller person?)"
            )
        keys.setdefault(key, line)
        if len(reasons) >= 10:
            break
    if reasons:
        raise ImportFileError(REFUSED.format(reasons="; ".join(reasons)))


def preview(raw: bytes, scope: Scope, actor=None) -> BasisPreview:
    """Parse and check every row; nothing is written."""
    header, rows = read_csv(raw)
    positions = _map_header(header)
    if not rows:
        raise ImportFileError("Filen har en rubrikrad men inga rader att importera.")
    registry = _Registry()
    _refuse_single_events(header, rows, positions, registry)
    result = BasisPreview(actor=actor)
    for line, values in rows:
        r = {c: (values[i].strip() if i < len(values) else "") for c, i in positions.items()}
        result.rows.append(r | {"_line": str(line)})
        problems = [f"{LABELS[c]} saknas" for c in COLUMNS if not r[c]]
        if problems:
            result.errors.extend(RowError(line, p) for p in problems)
            continue
        home = registry.home(r["kommun"], r["boende"])
        if home is None:
            if not registry.known_municipality(r["kommun"]):
                problems.append(f"okänd kommun ”{r['kommun']}”")
            else:
                problems.append(f"okänt boende ”{r['boende']}” i {r['kommun']}")
        elif not services.can_edit_home(scope, home):
            problems.append(f"du har inte behörighet att registrera underlag för {home.name}")
        year = int(r["ar"]) if re.fullmatch(r"\d{4}", r["ar"]) else None
        if year is None or not 2000 <= year <= 2100:
            problems.append(f"ogiltigt år ”{r['ar']}” (skriv till exempel 2026)")
        measure = measure_from_text(r["matt"])
        if measure is None:
            problems.append(
                f"okänt mått ”{r['matt']}” (fall, läkemedel, trycksår, vård och behandling, "
                "informationsöverföring, övrigt, senior alert, läkemedelsgenomgångar, hygienrond)"
            )
        value = None
        if measure is not None:
            value, problem = services.parse_value(measure, r["varde"])
            if problem:
                problems.append(problem[0].lower() + problem[1:])
        if problems:
            result.errors.extend(RowError(line, p) for p in problems)
            continue
        result.homes[home.id] = home
        result.values.setdefault((home.id, year), {})[measure] = value
    return result


def apply(result: BasisPreview) -> int:
    """Write every value in the caller's transaction (existing figures are replaced); the edge
    commits all or none. Returns the number of rows in the file."""
    if not result.ok:
        raise ImportFileError("Filen innehåller fel; ingenting har sparats.")
    for (home_id, year), values in sorted(result.values.items()):
        services.set_figures(
            result.homes[home_id], year, values, actor=result.actor, how="importerade"
        )
    db.session.flush()
    return len(result.rows)
