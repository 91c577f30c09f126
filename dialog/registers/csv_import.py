"""CSV import of homes, health centres and contacts: a preview, then all or nothing.

Files come from Excel as Swedish users save them: UTF-8 with or without BOM, separated by ';'
(Swedish locale) or ','. Every bad row is reported with its line number; while any row is bad,
nothing is written.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..bounds import has_control_characters
from ..extensions import db
from ..models import CareHome, Contact, ContactRole, HealthCentre, Municipality, Operator, Region
from ..privacy import find_patient_data
from ..scope import Scope
from . import services

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000

KIND_LABELS = {"boenden": "Boenden", "vardcentraler": "Vårdcentraler", "kontakter": "Kontakter"}

# Canonical column -> accepted header spellings (folded: lower case, no accents or spaces).
COLUMNS = {
    "boenden": {"namn": True, "adress": False, "kommun": True, "vardcentral": False},
    "vardcentraler": {"namn": True, "region": True, "driftsform": False, "adress": False},
    "kontakter": {
        "namn": True,
        "epost": True,
        "telefon": False,
        "roll": True,
        "boende": False,
        "vardcentral": False,
        "kommun": False,
    },
}
ALIASES = {
    "email": "epost",
    "mail": "epost",
    "e_post": "epost",
    "namn_pa_boende": "namn",
    "huvudman": "driftsform",
    "operator": "driftsform",
    "tel": "telefon",
    "telefonnummer": "telefon",
    "sabo": "boende",
}
COLUMN_LABELS = {
    "namn": "namn",
    "adress": "adress",
    "kommun": "kommun",
    "vardcentral": "vårdcentral",
    "region": "region",
    "driftsform": "driftsform",
    "epost": "e-post",
    "telefon": "telefon",
    "roll": "roll",
    "boende": "boende",
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, size, header)."""


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportPreview:
    kind: str
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Built objects ready to save, with the line they came from.
    actions: list[Callable[[], object]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("-", "_").replace(" ", "_")


def decode(raw: bytes) -> str:
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            f"Filen är för stor ({len(raw) / 1024 / 1024:.1f} MB). Högst 5 MB kan importeras åt "
            "gången; dela upp filen."
        )
    if not raw.strip(b"\xef\xbb\xbf \r\n\t"):
        raise ImportFileError("Filen är tom.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "Filen är inte sparad som UTF-8. Spara den i Excel som ”CSV UTF-8 "
            "(kommaavgränsad)” och försök igen."
        ) from None


def read_csv(raw: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows (with their line numbers) of an uploaded CSV file, or
    ImportFileError. Shared by every CSV import (see register_csv_importer)."""
    return _read_rows(decode(raw))


def fold(text: str) -> str:
    """A header or value folded for matching: lower case, no accents, _ for spaces and dashes."""
    return _fold(text)


def _read_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        rows = []
        for values in reader:
            if len(rows) >= MAX_IMPORT_ROWS:
                raise ImportFileError(f"Filen har fler än {MAX_IMPORT_ROWS} rader. Dela upp den.")
            if any(v.strip() for v in values):
                rows.append((reader.line_num, values))
    except csv.Error as error:
        raise ImportFileError(
            f"Filen kan inte läsas som CSV (rad {reader.line_num}): {error}."
        ) from None
    return header, rows


def _map_header(kind: str, header: list[str]) -> dict[str, int]:
    wanted = COLUMNS[kind]
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        key = _fold(name)
        key = ALIASES.get(key, key)
        if key in wanted and key not in positions:
            positions[key] = i
    missing = [
        COLUMN_LABELS[c] for c, required in wanted.items() if required and c not in positions
    ]
    if missing:
        raise ImportFileError(
            "Kolumner saknas i första raden: "
            + ", ".join(missing)
            + ". Förväntade kolumner: "
            + "; ".join(COLUMN_LABELS[c] for c in wanted)
            + "."
        )
    return positions


def preview(kind: str, raw: bytes, scope: Scope, actor=None) -> ImportPreview:
    """Parse and check every row; nothing is written."""
    if kind not in COLUMNS:
        raise ImportFileError("Välj vad filen innehåller: boenden, vårdcentraler eller kontakter.")
    header, rows = _read_rows(decode(raw))
    positions = _map_header(kind, header)
    result = ImportPreview(kind=kind)
    if not rows:
        raise ImportFileError("Filen har en rubrikrad men inga rader att importera.")
    checker = _RowChecker(kind, scope, actor)
    for line, values in rows:
        record = {c: (values[i].strip() if i < len(values) else "") for c, i in positions.items()}
        result.rows.append(record | {"_line": str(line)})
        problems = [
            f"{COLUMN_LABELS[c]} saknas"
            for c, required in COLUMNS[kind].items()
            if required and not record.get(c)
        ]
        problems += _patient_data_problems(kind, record)
        problems += [
            f"{COLUMN_LABELS[c]} innehåller osynliga styrtecken (till exempel NUL)"
            for c, value in record.items()
            if has_control_characters(value)
        ]
        if not problems:
            problems, action = checker.check(record | {"_line": str(line)})
            if action is not None:
                result.actions.append(action)
        for problem in problems:
            result.errors.append(RowError(line, problem))
    return result


# The guard's mode for each free-text column of an import (the model layer checks them again
# when the rows are saved). Problems name the column and the kinds, never the words.
_GUARDED_COLUMNS = {"namn": "org", "adress": "org", "telefon": "phone"}


def _patient_data_problems(kind: str, record: dict[str, str]) -> list[str]:
    problems = []
    for column, mode in _GUARDED_COLUMNS.items():
        value = record.get(column) or ""
        if column == "namn" and kind == "kontakter":
            mode = "name"
        hits = find_patient_data(value, mode=mode) if value else []
        if hits:
            kinds = ", ".join(dict.fromkeys(h.label.lower() for h in hits))
            problems.append(f"{COLUMN_LABELS[column]} innehåller patientuppgifter ({kinds})")
    return problems


def apply(result: ImportPreview) -> int:
    """Write every row in the caller's transaction; the edge commits all or, on error, none."""
    if not result.ok:
        raise ImportFileError("Filen innehåller fel; ingenting har sparats.")
    try:
        for action in result.actions:
            action()
        db.session.flush()
    except IntegrityError:
        # A row the preview could not foresee (another user saved the same name meanwhile):
        # nothing is written, and the user gets the preview again instead of an error page.
        raise ImportFileError(
            "Något i filen finns redan i registret (kanske sparat av någon annan nyss). "
            "Ingenting har sparats; ladda upp filen igen för att se vilka rader det gäller."
        ) from None
    return len(result.actions)


class _RowChecker:
    """Checks one row at a time against the database and against earlier rows of the file."""

    def __init__(self, kind: str, scope: Scope, actor):
        self.kind, self.scope, self.actor = kind, scope, actor
        self.seen: dict[tuple, int] = {}
        self.municipalities = {
            _fold(m.name): m for m in db.session.scalars(sa.select(Municipality))
        }
        self.regions = {_fold(r.name): r for r in db.session.scalars(sa.select(Region))}
        self.centres: dict[str, list[HealthCentre]] = {}
        for c in db.session.scalars(sa.select(HealthCentre)):
            self.centres.setdefault(_fold(c.name), []).append(c)

    def check(self, record: dict[str, str]):
        return getattr(self, f"_check_{self.kind}")(record)

    def _duplicate(self, key: tuple, line_hint: str) -> str | None:
        if key in self.seen:
            return f"dubblett av rad {self.seen[key]}"
        self.seen[key] = int(line_hint)
        return None

    def _centre_in(self, name: str, region_id: int):
        return next(
            (c for c in self.centres.get(_fold(name), []) if c.region_id == region_id), None
        )

    def _check_boenden(self, r):
        problems = []
        municipality = self.municipalities.get(_fold(r["kommun"]))
        if municipality is None:
            return [f"okänd kommun ”{r['kommun']}”"], None
        if not self.scope.can_create_home_in(municipality):
            return [f"du har inte behörighet att lägga till boenden i {municipality.name}"], None
        centre = None
        if r.get("vardcentral"):
            centre = self._centre_in(r["vardcentral"], municipality.region_id)
            if centre is None:
                problems.append(f"okänd vårdcentral ”{r['vardcentral']}” i kommunens region")
        if services.home_named(municipality.id, r["namn"]) is not None:
            problems.append(f"boendet {r['namn']} finns redan i {municipality.name}")
        dup = self._duplicate(("home", municipality.id, services.name_key(r["namn"])), r["_line"])
        if dup:
            problems.append(dup)
        if len(r["namn"]) > 160:
            problems.append("namnet är längre än 160 tecken")
        if problems:
            return problems, None
        return [], lambda: services.save_home(
            None,
            name=r["namn"],
            address=r.get("adress", ""),
            municipality=municipality,
            health_centre=centre,
            actor=self.actor,
        )

    def _check_vardcentraler(self, r):
        problems = []
        region = self.regions.get(_fold(r["region"]))
        if region is None:
            return [f"okänd region ”{r['region']}”"], None
        if not self.scope.can_create_health_centre_in(region):
            return [f"du har inte behörighet att lägga till vårdcentraler i {region.name}"], None
        operator = Operator.PUBLIC
        if r.get("driftsform"):
            operator = {
                "offentlig": Operator.PUBLIC,
                "privat": Operator.PRIVATE,
                "regionen": Operator.PUBLIC,
            }.get(_fold(r["driftsform"]))
            if operator is None:
                problems.append(f"okänd driftsform ”{r['driftsform']}” (offentlig eller privat)")
        if self._centre_in(r["namn"], region.id) is not None:
            problems.append(f"vårdcentralen {r['namn']} finns redan i {region.name}")
        dup = self._duplicate(("centre", region.id, r["namn"].lower()), r["_line"])
        if dup:
            problems.append(dup)
        if problems:
            return problems, None
        return [], lambda: services.save_health_centre(
            None,
            name=r["namn"],
            address=r.get("adress", ""),
            operator=operator,
            region=region,
            actor=self.actor,
        )

    def _check_kontakter(self, r):
        problems = []
        role = ContactRole.from_text(r["roll"])
        if role is None:
            problems.append(f"okänd roll ”{r['roll']}”")
        try:
            email = services.normalise_email(r["epost"])
        except services.RegisterError:
            problems.append(f"ogiltig e-postadress ”{r['epost']}”")
            email = None
        owner, owner_problem = self._contact_owner(r)
        if owner_problem:
            problems.append(owner_problem)
        if owner is not None and email and role is not None:
            fields = services.owner_fields(owner)
            exists = db.session.scalar(
                sa.select(Contact.id).where(
                    Contact.email == email,
                    Contact.role == role,
                    Contact.active.is_(True),
                    *[
                        getattr(Contact, k).is_(None) if v is None else getattr(Contact, k) == v
                        for k, v in fields.items()
                    ],
                )
            )
            if exists is not None:
                problems.append(f"{email} finns redan som {role.label.lower()} hos {owner.name}")
            dup = self._duplicate(
                ("contact", type(owner).__name__, owner.id, email, role), r["_line"]
            )
            if dup:
                problems.append(dup)
        if problems:
            return problems, None
        return [], lambda: services.save_contact(
            None,
            name=r["namn"],
            email=email,
            phone=r.get("telefon", ""),
            role=role,
            owner=owner,
            actor=self.actor,
        )

    def _contact_owner(self, r):
        municipality = None
        if r.get("kommun"):
            municipality = self.municipalities.get(_fold(r["kommun"]))
            if municipality is None:
                return None, f"okänd kommun ”{r['kommun']}”"
        if r.get("boende"):
            if municipality is None:
                return None, "ange kommun för boendet"
            home_id = services.home_named(municipality.id, r["boende"])
            home = db.session.get(CareHome, home_id) if home_id is not None else None
            if home is None:
                return None, f"okänt boende ”{r['boende']}” i {municipality.name}"
            if not self.scope.can_manage_home(home):
                return None, f"du har inte behörighet för {home.name}"
            return home, None
        if r.get("vardcentral"):
            matches = self.centres.get(_fold(r["vardcentral"]), [])
            allowed = [
                c
                for c in matches
                if self.scope.can_edit_health_centre(c) or c.id in self.scope.health_centre_ids
            ]
            if not matches:
                return None, f"okänd vårdcentral ”{r['vardcentral']}”"
            if not allowed:
                return None, f"du har inte behörighet för {matches[0].name}"
            return allowed[0], None
        if municipality is not None:
            if not self.scope.can_view_municipality(municipality):
                return None, f"du har inte behörighet för {municipality.name}"
            return municipality, None
        return None, "ange boende (med kommun), vårdcentral eller kommun"
