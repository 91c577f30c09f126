"""Reading a filled-in documentation template (.docx) back into rows, with every problem marked.

The layout is dialog.documents.minutes_layout: tables are found by their header row (or, when
the header was changed, recognised by their Word table title so the message can say which table
was reshaped). Nothing is saved here; see import_saving.py.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

import docx
from docx.oxml.ns import qn

from ..documents import minutes_layout as L
from ..models import Action, Dialogue, DialogueStatus
from ..privacy import PatientDataError, ensure_no_patient_data
from .findings_actions import region_areas
from .lifecycle import COMMENT_MAX, DESCRIPTION_MAX, Checker, check_due_date


@dataclass
class Problem:
    where: str  # "Brister, rad 2" – shown to the user
    message: str


@dataclass
class AttendanceRow:
    row: int
    participant_id: int | None
    name: str
    attendance: str | None  # Attendance value
    role: str | None = None  # ContactRole value, for new stand-ins
    side: str | None = None  # Side value, for new stand-ins


@dataclass
class ReviewRow:
    row: int
    action_id: int
    description: str
    status: str | None  # ActionStatus value
    comment: str


@dataclass
class FindingRow:
    row: int
    kind: str  # FindingKind value
    area_id: int | None
    area_name: str
    description: str
    concerns: str | None
    escalate: bool
    spread_as_lesson: bool


@dataclass
class ActionRow:
    row: int
    area_id: int | None
    area_name: str
    description: str
    responsible_party: str | None
    responsible_role: str | None
    due_date: str | None  # ISO


@dataclass
class ImportResult:
    fatal: str | None = None
    problems: list[Problem] = field(default_factory=list)
    attendance: list[AttendanceRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.fatal is None and not self.problems

    @property
    def empty(self) -> bool:
        return not (self.attendance or self.reviews or self.findings or self.actions)

    def to_payload(self) -> dict:
        return {
            "attendance": [asdict(r) for r in self.attendance],
            "reviews": [asdict(r) for r in self.reviews],
            "findings": [asdict(r) for r in self.findings],
            "actions": [asdict(r) for r in self.actions],
        }

    @classmethod
    def from_payload(cls, data: dict) -> ImportResult:
        return cls(
            attendance=[AttendanceRow(**r) for r in data.get("attendance", [])],
            reviews=[ReviewRow(**r) for r in data.get("reviews", [])],
            findings=[FindingRow(**r) for r in data.get("findings", [])],
            actions=[ActionRow(**r) for r in data.get("actions", [])],
        )


class _Fatal(Exception):
    pass


DAMAGED = (
    "Filen kunde inte läsas som ett Word-dokument (.docx). Den kan vara skadad eller "
    "sparad i ett annat format. Spara den som .docx och försök igen."
)
NOT_OURS = (
    "Dokumentet är inte en dokumentationsmall från den här tjänsten (uppgiften om "
    "dialog-ID saknas). Ladda ner dokumentationsmallen från dialogens sida och fyll i den."
)
OTHER_DIALOGUE = (
    "Dokumentet gäller en annan dialog än den här. Ladda ner dokumentationsmallen "
    "från just den här dialogens sida och fyll i den."
)


def _cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs).strip()


def _caption(table) -> str | None:
    tbl_pr = table._tbl.tblPr
    if tbl_pr is None:
        return None
    caption = tbl_pr.find(qn("w:tblCaption"))
    return caption.get(qn("w:val")) if caption is not None else None


def _choice(value: str, mapping: dict, problems: list[Problem], where: str, what: str):
    if not value.strip():
        return None
    wanted = L.normalise(value)
    for word, code in mapping.items():
        if L.normalise(word) == wanted:
            return code
    allowed = ", ".join(f"”{w}”" for w in mapping)
    problems.append(Problem(where, f"{what} ”{value}” känns inte igen. Skriv något av: {allowed}."))
    return None


def _guarded(value: str, label: str, max_len: int, problems: list[Problem], where: str) -> str:
    if len(value) > max_len:
        problems.append(
            Problem(where, f"{label} är för lång ({len(value)} tecken, högst {max_len}).")
        )
        return value
    try:
        ensure_no_patient_data(value, label)
    except PatientDataError as error:
        problems.append(Problem(where, f"{label}: {error.field_message}"))
    return value


def _open(data: bytes):
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise _Fatal(DAMAGED) from error
    except Exception as error:  # lxml errors on a damaged part, and the like
        raise _Fatal(DAMAGED) from error


def _identify(document, dialogue: Dialogue, tables: dict) -> None:
    facts = tables.get(L.FACTS)
    dialogue_id = uid = None
    if facts is not None:
        for row in facts.rows[1:]:
            cells = row.cells
            if len(cells) < 2:
                continue
            label, value = L.normalise(_cell_text(cells[0])), _cell_text(cells[1])
            if label == L.normalise(L.FACT_DIALOGUE_ID):
                dialogue_id = value
            elif label == L.normalise(L.FACT_CALENDAR_UID):
                uid = value
    if not dialogue_id or not uid:
        parsed = L.parse_identifier(document.core_properties.identifier or "")
        if parsed is not None:
            dialogue_id, uid = dialogue_id or str(parsed[0]), uid or parsed[1]
    if not dialogue_id or not uid:
        raise _Fatal(NOT_OURS)
    if dialogue_id.strip() != str(dialogue.id) or uid.strip() != dialogue.calendar_uid:
        raise _Fatal(OTHER_DIALOGUE)


def _find_tables(document, problems: list[Problem]) -> dict:
    found, reshaped = {}, set()
    titles = {L.normalise(t): key for key, t in L.TABLE_TITLES.items()}
    for table in document.tables:
        if not table.rows:
            continue
        header = [_cell_text(c) for c in table.rows[0].cells]
        key = L.table_key(header)
        if key is not None:
            found.setdefault(key, table)
            continue
        caption_key = titles.get(L.normalise(_caption(table) or ""))
        if caption_key is not None and caption_key not in found:
            reshaped.add(caption_key)
    for key in reshaped - set(found):
        expected = " | ".join(L.TABLES[key])
        problems.append(
            Problem(
                L.TABLE_TITLES[key],
                (
                    f"Tabellen har ändrats: rubrikraden stämmer inte med mallen. Den ska vara: {expected}. "
                    "Lägg inte till, ta bort eller byt namn på kolumner."
                ),
            )
        )
    return found


def _rows(table, key: str, problems: list[Problem]):
    """(row number, {column: text}) for each non-blank data row."""
    columns = L.COLUMNS[key]
    for number, row in enumerate(table.rows[1:], start=1):
        cells = row.cells
        texts = [_cell_text(c) for c in cells]
        if not any(texts):
            continue
        if len(cells) != len(columns):
            problems.append(
                Problem(
                    f"{L.TABLE_TITLES[key]}, rad {number}",
                    f"Raden har {len(cells)} kolumner men ska ha {len(columns)}. "
                    "Tabellen har ändrats.",
                )
            )
            continue
        yield number, dict(zip(columns, texts))


def read_document(data: bytes, dialogue: Dialogue) -> ImportResult:
    result = ImportResult()
    try:
        document = _open(data)
        tables = _find_tables(document, result.problems)
        _identify(document, dialogue, tables)
    except _Fatal as error:
        return ImportResult(fatal=str(error))
    if dialogue.status is DialogueStatus.CANCELLED:
        return ImportResult(fatal="Dialogen är inställd och kan inte dokumenteras.")
    _read_attendance(tables.get(L.ATTENDANCE), dialogue, result)
    _read_reviews(tables.get(L.PREVIOUS_ACTIONS), dialogue, result)
    areas = {L.normalise(a.name): a for a in region_areas(dialogue)}
    for key in (L.DEFICIENCIES, L.RISKS, L.SUCCESS_FACTORS):
        _read_findings(tables.get(key), key, areas, result)
    _read_actions(tables.get(L.ACTIONS), dialogue, areas, result)
    if result.ok and result.empty:
        result.problems.append(Problem("Dokumentet", "Dokumentet innehåller inga ifyllda rader."))
    return result


def _read_attendance(table, dialogue: Dialogue, result: ImportResult) -> None:
    if table is None:
        return
    people = {p.id: p for p in dialogue.current_participants}
    for number, row in _rows(table, L.ATTENDANCE, result.problems):
        where = f"{L.TABLE_TITLES[L.ATTENDANCE]}, rad {number}"
        attendance = _choice(
            row["attendance"], L.ATTENDANCE_VALUES, result.problems, where, "Närvaro"
        )
        if row["comment"]:
            _guarded(row["comment"], "Kommentar", COMMENT_MAX, result.problems, where)
        if row["id"]:
            pid = int(row["id"]) if row["id"].isdigit() else None
            if pid not in people:
                result.problems.append(
                    Problem(
                        where, f"Deltagaren med ID ”{row['id']}” finns inte i den här dialogen."
                    )
                )
                continue
            result.attendance.append(AttendanceRow(number, pid, people[pid].name, attendance))
            continue
        # Written in by hand: someone who came without an invitation.
        role = _choice(row["role"], L.ROLE_VALUES, result.problems, where, "Roll")
        side = _choice(row["side"], L.SIDE_VALUES, result.problems, where, "Part")
        if not row["name"]:
            result.problems.append(Problem(where, "Ange namnet på den som deltog."))
        if role is None or side is None:
            result.problems.append(Problem(where, "Ange roll och part för en ny deltagare."))
        if attendance is None:
            result.problems.append(Problem(where, "Ange närvaro för en ny deltagare."))
        if len(row["name"]) > 160:
            result.problems.append(Problem(where, "Namnet är för långt (högst 160 tecken)."))
        result.attendance.append(AttendanceRow(number, None, row["name"], attendance, role, side))


def _read_reviews(table, dialogue: Dialogue, result: ImportResult) -> None:
    if table is None:
        return
    from ..extensions import db

    for number, row in _rows(table, L.PREVIOUS_ACTIONS, result.problems):
        where = f"{L.TABLE_TITLES[L.PREVIOUS_ACTIONS]}, rad {number}"
        action = db.session.get(Action, int(row["id"])) if row["id"].isdigit() else None
        if (
            action is None
            or action.dialogue.care_home_id != dialogue.care_home_id
            or action.dialogue.year >= dialogue.year
        ):
            result.problems.append(
                Problem(
                    where,
                    f"Åtgärden med ID ”{row['id']}” hör inte till boendets tidigare dialoger.",
                )
            )
            continue
        status = _choice(row["status"], L.STATUS_VALUES, result.problems, where, "Status nu")
        comment = (
            _guarded(row["comment"], "Kommentar", COMMENT_MAX, result.problems, where)
            if row["comment"]
            else ""
        )
        if status is None and not comment:
            continue
        if status is None:
            result.problems.append(Problem(where, "Ange status nu när du skriver en kommentar."))
        result.reviews.append(ReviewRow(number, action.id, action.description, status, comment))


def _area(name: str, areas: dict, problems: list[Problem], where: str, required: bool):
    if not name:
        if required:
            problems.append(Problem(where, "Område saknas."))
        return None
    area = areas.get(L.normalise(name))
    if area is None:
        known = ", ".join(a.name for a in areas.values())
        problems.append(
            Problem(
                where, f"Okänt område ”{name}”. Använd ett område ur regionens katalog: {known}."
            )
        )
    return area


def _read_findings(table, key: str, areas: dict, result: ImportResult) -> None:
    if table is None:
        return
    for number, row in _rows(table, key, result.problems):
        where = f"{L.TABLE_TITLES[key]}, rad {number}"
        area = _area(row["area"], areas, result.problems, where, required=True)
        if not row["description"]:
            result.problems.append(Problem(where, "Beskrivningen saknas."))
        description = _guarded(
            row["description"], "Beskrivning", DESCRIPTION_MAX, result.problems, where
        )
        concerns = _choice(row["concerns"], L.PARTY_VALUES, result.problems, where, "Gäller")
        escalate = _choice(row["escalate"], L.YES_NO_VALUES, result.problems, where, "Lyfts")
        spread = _choice(
            row["spread_as_lesson"], L.YES_NO_VALUES, result.problems, where, "Sprids som lärdom"
        )
        result.findings.append(
            FindingRow(
                number,
                L.FINDING_KIND_OF_TABLE[key],
                area.id if area else None,
                row["area"],
                description,
                concerns or "gemensamt",
                bool(escalate),
                bool(spread),
            )
        )


def _read_actions(table, dialogue: Dialogue, areas: dict, result: ImportResult) -> None:
    if table is None:
        return
    for number, row in _rows(table, L.ACTIONS, result.problems):
        where = f"{L.TABLE_TITLES[L.ACTIONS]}, rad {number}"
        area = _area(row["area"], areas, result.problems, where, required=False)
        if not row["description"]:
            result.problems.append(Problem(where, "Åtgärden saknar beskrivning."))
        description = _guarded(
            row["description"], "Åtgärd", DESCRIPTION_MAX, result.problems, where
        )
        party = _choice(
            row["responsible_party"], L.PARTY_VALUES, result.problems, where, "Ansvarig part"
        )
        if party is None and not row["responsible_party"]:
            result.problems.append(Problem(where, "Ansvarig part saknas."))
        role = _choice(
            row["responsible_role"], L.ROLE_VALUES, result.problems, where, "Ansvarig roll"
        )
        due = None
        if row["due_date"]:
            try:
                due = datetime.strptime(row["due_date"].strip(), L.DATE_FORMAT).date()
            except ValueError:
                result.problems.append(
                    Problem(where, f"Datumet ”{row['due_date']}” är inte ett datum som ÅÅÅÅ-MM-DD.")
                )
        checker = Checker()
        if due is not None or not row["due_date"]:
            check_due_date(checker, "due_date", due, dialogue)
        for message in checker.errors.values():
            result.problems.append(Problem(where, message))
        result.actions.append(
            ActionRow(
                number,
                area.id if area else None,
                row["area"],
                description,
                party,
                role,
                due.isoformat() if isinstance(due, date) else None,
            )
        )
