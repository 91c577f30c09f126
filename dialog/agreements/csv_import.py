"""CSV import of local agreements: a preview with every bad row, then all or nothing.

The file is read like the registers' files (UTF-8, ';' or ','; see registers.read_csv). A row
whose document name or reference holds patient data refuses the whole file, and the refused
words are never shown back: the message names the line and the kind of data only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import HealthCentre, LocalAgreement, Municipality
from ..privacy import find_patient_data
from ..registers import ImportFileError, RowError, fold, read_csv
from ..scope import Scope
from . import services

KIND = "overenskommelser"
# Canonical column -> required?
COLUMNS = {
    "kommun": True,
    "vardcentral": True,
    "giltig_fran": True,
    "giltig_till": False,
    "deltagande": True,
    "dokument": True,
    "referens": False,
}
LABELS = {
    "kommun": "kommun",
    "vardcentral": "vårdcentral",
    "giltig_fran": "giltig från",
    "giltig_till": "giltig till",
    "deltagande": "deltagande i dialogen",
    "dokument": "dokument",
    "referens": "länk eller referens",
}
ALIASES = {
    "fran": "giltig_fran",
    "fran_och_med": "giltig_fran",
    "startdatum": "giltig_fran",
    "till": "giltig_till",
    "till_och_med": "giltig_till",
    "slutdatum": "giltig_till",
    "deltagande_i_dialogen": "deltagande",
    "deltagande_i_dialog": "deltagande",
    "skyldighet_att_delta": "deltagande",
    "deltagandeskyldighet": "deltagande",
    "dokumentnamn": "dokument",
    "dokumentets_namn": "dokument",
    "lank": "referens",
    "lank_eller_referens": "referens",
    "filreferens": "referens",
    "diarienummer": "referens",
    "vc": "vardcentral",
}
YES = {"ja", "j", "yes", "1", "x", "sant"}
NO = {"nej", "n", "no", "0", "falskt"}


@dataclass
class AgreementPreview:
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    actions: list[Callable[[], object]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _map_header(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        key = fold(name)
        key = ALIASES.get(key, key)
        if key in COLUMNS and key not in positions:
            positions[key] = i
    missing = [LABELS[c] for c, required in COLUMNS.items() if required and c not in positions]
    if missing:
        raise ImportFileError(
            "Kolumner saknas i första raden: "
            + ", ".join(missing)
            + ". Förväntade kolumner: "
            + "; ".join(LABELS[c] for c in COLUMNS)
            + "."
        )
    return positions


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _refuse_patient_data(records: list[tuple[int, dict[str, str]]]) -> None:
    """The whole file is refused when any free text holds patient data; the words are not
    repeated anywhere (not in the message, not in a log)."""
    found = []
    for line, record in records:
        for column in ("dokument", "referens"):
            value = record.get(column, "")
            if not value:
                continue
            hits = find_patient_data(value)
            if hits:
                kinds = ", ".join(dict.fromkeys(h.label.lower() for h in hits))
                found.append(f"rad {line}, {LABELS[column]} ({kinds})")
    if found:
        raise ImportFileError(
            "Filen innehåller något som ser ut som patientuppgifter och har inte lästs in: "
            + "; ".join(found[:10])
            + (f" och {len(found) - 10} till" if len(found) > 10 else "")
            + ". Ta bort uppgifterna ur filen och ladda upp den igen. Ingenting har sparats."
        )


def preview(raw: bytes, scope: Scope, actor=None) -> AgreementPreview:
    """Parse and check every row; nothing is written."""
    header, rows = read_csv(raw)
    positions = _map_header(header)
    if not rows:
        raise ImportFileError("Filen har en rubrikrad men inga rader att importera.")
    records = [
        (line, {c: (values[i].strip() if i < len(values) else "") for c, i in positions.items()})
        for line, values in rows
    ]
    _refuse_patient_data(records)
    checker = _Checker(scope, actor)
    result = AgreementPreview()
    for line, record in records:
        result.rows.append(record | {"_line": str(line)})
        problems = [
            f"{LABELS[c]} saknas" for c, required in COLUMNS.items() if required and not record[c]
        ]
        if not problems:
            problems, action = checker.check(line, record)
            if action is not None:
                result.actions.append(action)
        result.errors.extend(RowError(line, p) for p in problems)
    return result


def apply(result: AgreementPreview) -> int:
    """Write every row in the caller's transaction; the edge commits all or, on error, none."""
    if not result.ok:
        raise ImportFileError("Filen innehåller fel; ingenting har sparats.")
    for action in result.actions:
        action()
    db.session.flush()
    return len(result.actions)


class _Checker:
    def __init__(self, scope: Scope, actor):
        self.scope, self.actor = scope, actor
        self.municipalities: dict[str, list[Municipality]] = {}
        for m in db.session.scalars(sa.select(Municipality)):
            self.municipalities.setdefault(fold(m.name), []).append(m)
        self.centres: dict[str, list[HealthCentre]] = {}
        for c in db.session.scalars(sa.select(HealthCentre)):
            self.centres.setdefault(fold(c.name), []).append(c)
        self.seen: dict[tuple, int] = {}

    def check(self, line: int, r: dict[str, str]):
        problems = []
        municipalities = self.municipalities.get(fold(r["kommun"]), [])
        if not municipalities:
            return [f"okänd kommun ”{r['kommun']}”"], None
        editable = [m for m in municipalities if services.can_edit_for(self.scope, m)]
        if not editable:
            return [
                f"du har inte behörighet att registrera överenskommelser för {r['kommun']}"
            ], None
        centre, municipality = None, None
        for m in editable:
            centre = next(
                (
                    c
                    for c in self.centres.get(fold(r["vardcentral"]), [])
                    if c.region_id == m.region_id
                ),
                None,
            )
            if centre is not None:
                municipality = m
                break
        if centre is None:
            problems.append(f"okänd vårdcentral ”{r['vardcentral']}” i kommunens region")
        valid_from = _date(r["giltig_fran"])
        if valid_from is None:
            problems.append(f"ogiltigt datum i giltig från ”{r['giltig_fran']}” (skriv ÅÅÅÅ-MM-DD)")
        valid_to = None
        if r.get("giltig_till"):
            valid_to = _date(r["giltig_till"])
            if valid_to is None:
                problems.append(
                    f"ogiltigt datum i giltig till ”{r['giltig_till']}” (skriv ÅÅÅÅ-MM-DD)"
                )
        duty = fold(r["deltagande"])
        if duty not in YES | NO:
            problems.append(
                f"deltagande i dialogen ska vara ja eller nej, inte ”{r['deltagande']}”"
            )
        errors, name, ref = services.check_fields(
            municipality=municipality or editable[0],
            centre=centre,
            valid_from=valid_from,
            valid_to=valid_to,
            document_name=r["dokument"],
            document_ref=r.get("referens", ""),
        )
        for key, message in errors.items():
            if key in {"valid_to", "document_name", "document_ref"}:
                problems.append(message[0].lower() + message[1:])
        if problems:
            return problems, None
        key = (municipality.id, centre.id, valid_from)
        if key in self.seen:
            return [f"dubblett av rad {self.seen[key]}"], None
        self.seen[key] = line
        exists = db.session.scalar(
            sa.select(LocalAgreement.id).where(
                LocalAgreement.municipality_id == municipality.id,
                LocalAgreement.health_centre_id == centre.id,
                LocalAgreement.valid_from == valid_from,
                LocalAgreement.active.is_(True),
            )
        )
        if exists is not None:
            return [
                f"en överenskommelse mellan {municipality.name} och {centre.name} som gäller från "
                f"{valid_from.isoformat()} finns redan"
            ], None
        return [], lambda: services.save_agreement(
            None,
            municipality=municipality,
            centre=centre,
            valid_from=valid_from,
            valid_to=valid_to,
            participation_duty=duty in YES,
            document_name=name,
            document_ref=ref,
            actor=self.actor,
        )
