"""Reading a filled-in documentation template back into rows, with every problem marked and
everything typed that is not read listed ("Inte inläst") with where it stood.

The layout is dialog.documents.minutes_layout: tables are found by their header row wherever
they stand (moved, copied, nested), rows are read on the table's grid (merged cells, added,
deleted and reordered rows), text in tracked changes is read as it now stands (word_file.py).
A blank cell is None here: it leaves what is recorded as it is. The patient-data guard runs on
everything typed anywhere in the file (cells, comments, headers, footers, text boxes, alt
text), and refuses the import naming the place. Nothing is saved here; see import_plan.py.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from ..documents import minutes_layout as L
from ..extensions import db
from ..models import Action, Dialogue, DialogueStatus, Finding
from ..privacy import PatientDataError, find_patient_data
from .findings_actions import region_areas
from .lifecycle import COMMENT_MAX, DESCRIPTION_MAX, Checker, check_due_date
from .word_file import UnreadableFile, WordFile, digits_blurred, read_word_file

NAME_MAX = 160
NOTE_MAX = {"shared_data_notes": 4000}  # the rest: the column's length
NOTE_COLUMN_MAX = 500
PERSON_MAX = 160


@dataclass
class Problem:
    where: str  # "Brister, rad 2" – shown to the user
    message: str


@dataclass
class Unread:
    where: str  # "Text efter rubriken ”Närvaro”", "Kommentar i Word vid Brister, rad 2"
    text: str
    why: str = ""


@dataclass
class AttendanceRow:
    row: int
    participant_id: int | None
    name: str
    attendance: str | None  # Attendance value; None = blank, keep what is recorded
    comment: str | None = None  # None = blank, keep
    role: str | None = None  # ContactRole value, for new stand-ins
    side: str | None = None  # Side value, for new stand-ins


@dataclass
class ReviewRow:
    row: int
    action_id: int
    description: str
    status: str | None  # ActionStatus value; None = blank
    comment: str | None  # None = blank


@dataclass
class FindingRow:
    row: int
    kind: str  # FindingKind value (the table it stood in)
    finding_id: int | None
    area_id: int | None
    area_name: str
    description: str | None
    concerns: str | None
    escalate: bool | None
    spread_as_lesson: bool | None
    table: str = ""  # the table's title, for the preview


@dataclass
class ActionRow:
    row: int
    action_id: int | None
    area_id: int | None
    area_name: str
    description: str | None
    responsible_party: str | None
    responsible_role: str | None
    due_date: str | None  # ISO


@dataclass
class ImportResult:
    fatal: str | None = None
    problems: list[Problem] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    attendance: list[AttendanceRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # Dialogue attribute -> typed value

    @property
    def ok(self) -> bool:
        return self.fatal is None and not self.problems

    @property
    def empty(self) -> bool:
        return not (self.attendance or self.reviews or self.findings or self.actions or self.notes)

    def to_payload(self) -> dict:
        return {
            "attendance": [asdict(r) for r in self.attendance],
            "reviews": [asdict(r) for r in self.reviews],
            "findings": [asdict(r) for r in self.findings],
            "actions": [asdict(r) for r in self.actions],
            "notes": dict(self.notes),
            "unread": [asdict(u) for u in self.unread],
        }

    @classmethod
    def from_payload(cls, data: dict) -> ImportResult:
        return cls(
            attendance=[AttendanceRow(**r) for r in data.get("attendance", [])],
            reviews=[ReviewRow(**r) for r in data.get("reviews", [])],
            findings=[FindingRow(**r) for r in data.get("findings", [])],
            actions=[ActionRow(**r) for r in data.get("actions", [])],
            notes=dict(data.get("notes", {})),
            unread=[Unread(**u) for u in data.get("unread", [])],
        )


class _Fatal(Exception):
    pass


NOT_OURS = (
    "Dokumentet är inte en dokumentationsmall från den här tjänsten (uppgiften om "
    "dialog-ID saknas). Ladda ner dokumentationsmallen från dialogens sida och fyll i den."
)
OTHER_DIALOGUE = (
    "Dokumentet gäller en annan dialog än den här. Ladda ner dokumentationsmallen "
    "från just den här dialogens sida och fyll i den."
)
NOTHING_READ = (
    "Inget i dokumentet kunde läsas in: tabellerna är tomma eller känns inte igen. Om du "
    "skrev med spårade ändringar påslagna och ändå ser detta: godkänn ändringarna i Word "
    "(Granska > Godkänn alla), spara och läs in filen igen."
)


def _same(a: str, b: str) -> bool:
    return L.normalise(a) == L.normalise(b)


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


def _length(value: str, label: str, max_len: int, problems: list[Problem], where: str) -> str:
    if len(value) > max_len:
        problems.append(
            Problem(where, f"{label} är för lång ({len(value)} tecken, högst {max_len}).")
        )
    return value


# --- the tables, found by their header ------------------------------------------------------


@dataclass
class _Found:
    key: str
    columns: tuple[str, ...]
    table: object  # word_file.Table


def _match_tables(word: WordFile) -> tuple[list[_Found], list]:
    found, unknown = [], []
    for table in word.tables:
        header = [t for t in table.header]
        # Empty trailing grid columns (a column the user added and left empty) do not count.
        while header and not header[-1].strip() and len(header) > 1:
            header = header[:-1]
        match = L.match_header(header)
        if match is None:
            unknown.append(table)
        else:
            found.append(_Found(match[0], match[1], table))
    return found, unknown


def _reshaped(unknown, problems: list[Problem], found_keys: set[str]) -> list:
    """Tables titled like ours whose header was changed: a problem, not a silent skip."""
    titles = {L.normalise(t): key for key, t in L.TABLE_TITLES.items()}
    rest = []
    for table in unknown:
        key = titles.get(L.normalise(table.caption or ""))
        if key is not None and key not in found_keys:
            expected = " | ".join(L.TABLES[key])
            problems.append(
                Problem(
                    L.TABLE_TITLES[key],
                    f"Tabellen har ändrats: rubrikraden stämmer inte med mallen. Den ska vara: "
                    f"{expected}. Lägg inte till, ta bort eller byt namn på kolumner.",
                )
            )
        else:
            rest.append(table)
    return rest


def _identify(word: WordFile, found: list[_Found], dialogue: Dialogue) -> None:
    dialogue_id = uid = None
    for f in found:
        if f.key != L.FACTS:
            continue
        for row in f.table.rows:
            label, value = L.normalise(row.cells[0]), row.cells[1] if len(row.cells) > 1 else ""
            if label == L.normalise(L.FACT_DIALOGUE_ID):
                dialogue_id = value
            elif label == L.normalise(L.FACT_CALENDAR_UID):
                uid = value
    if not dialogue_id or not uid:
        parsed = L.parse_identifier(word.identifier)
        if parsed is not None:
            dialogue_id, uid = dialogue_id or str(parsed[0]), uid or parsed[1]
    if not dialogue_id or not uid:
        raise _Fatal(NOT_OURS)
    if dialogue_id.strip() != str(dialogue.id) or uid.strip() != dialogue.calendar_uid:
        raise _Fatal(OTHER_DIALOGUE)


# --- what the template itself says (so it is neither guarded nor listed as typed) -----------


@dataclass
class _Reference:
    texts: set[str]  # every text the fresh template holds, normalised
    running: set[str]  # headers, footers and the like, digits blurred (page numbers differ)
    rows: dict[str, dict[str, dict[str, str]]]  # table key -> row id/label -> column -> text


def _norm(text: str) -> str:
    return L.normalise(text)


def reference_of(template: bytes) -> _Reference:
    word = read_word_file(template)
    texts = {_norm(p.text) for p in word.paragraphs}
    running = {L.normalise(digits_blurred(o.text)) for o in word.others}
    rows: dict[str, dict[str, dict[str, str]]] = {}
    found, unknown = _match_tables(word)
    for table in [f.table for f in found] + unknown:
        texts |= {_norm(c) for c in table.header}
        for row in table.rows:
            texts |= {_norm(c) for c in row.cells}
    for f in found:
        keyed = rows.setdefault(f.key, {})
        for row in f.table.rows:
            values = dict(zip(f.columns, row.cells))
            ident = values.get("id") or values.get("label") or ""
            if ident:
                keyed[L.normalise(ident)] = values
    texts.discard("")
    return _Reference(texts, running, rows)


# --- reading ----------------------------------------------------------------------------


class _Reader:
    def __init__(self, dialogue: Dialogue, reference: _Reference, result: ImportResult):
        self.dialogue = dialogue
        self.ref = reference
        self.result = result
        self.places: dict[str, str] = {}  # XML path of a cell -> "Brister, rad 2"
        self.areas = {L.normalise(a.name): a for a in region_areas(dialogue)}
        self.row_counter: dict[str, int] = {}

    # -- helpers
    def problem(self, where: str, message: str) -> None:
        self.result.problems.append(Problem(where, message))

    def ours(self, text: str) -> bool:
        return _norm(text) in self.ref.texts

    def guard(self, where: str, text: str, *, person: bool = False) -> None:
        """Refuse patient data; a column for a staff member's name may hold a name."""
        if not text.strip() or self.ours(text):
            return
        hits = [h for h in find_patient_data(text) if not (person and h.kind == "namn")]
        if hits:
            self.problem(where, PatientDataError(where, hits).field_message)

    def unread(self, where: str, text: str, why: str = "") -> None:
        self.guard(where, text)
        self.result.unread.append(Unread(where, text, why))

    # -- tables
    def read_tables(self, found: list[_Found], unknown: list) -> None:
        for f in found:
            title = L.TABLE_TITLES[f.key]
            for row in f.table.rows:
                # Rows continue their numbering over copies of the same table.
                number = self.row_counter.get(f.key, 0) + 1
                self.row_counter[f.key] = number
                where = f"{title}, rad {number}"
                for path in row.paths:
                    if path:
                        self.places.setdefault(path, where)
                self.read_row(f, row, where)
        for table in unknown:
            heading = f" efter rubriken ”{table.heading}”" if table.heading else ""
            place = f"Tabell {table.index}{heading}"
            for cell in table.header:
                if cell.strip() and not self.ours(cell):
                    self.unread(f"{place}, rubrikraden", cell, "Tabellen känns inte igen.")
            for row in table.rows:
                where = f"{place}, rad {row.number}"
                for path in row.paths:
                    if path:
                        self.places.setdefault(path, where)
                for cell in dict.fromkeys(row.cells):
                    if cell.strip() and not self.ours(cell):
                        self.unread(where, cell, "Tabellen känns inte igen.")

    def read_row(self, f: _Found, row, where: str) -> None:
        cells = row.cells
        width = len(f.columns)
        extra = [c for c in cells[width:] if c.strip()]
        for text in extra:
            self.unread(where, text, "Texten står utanför mallens kolumner.")
        values = dict(zip(f.columns, [c.strip() for c in cells[:width]]))
        if not any(values.values()):
            return
        if row.spans_all:
            text = next(c for c in cells if c.strip())
            if not self.ours(text):
                self.unread(where, text, "Raden är sammanfogad till en enda cell.")
            return
        reader = {
            L.FACTS: self.read_fact,
            L.ATTENDANCE: self.read_attendance,
            L.PREVIOUS_ACTIONS: self.read_review,
            L.DEFICIENCIES: self.read_finding,
            L.RISKS: self.read_finding,
            L.SUCCESS_FACTORS: self.read_finding,
            L.ACTIONS: self.read_action,
            L.NOTES: self.read_note,
        }[f.key]
        reader(f.key, values, where, row.number)

    def not_read_columns(self, key: str, ident: str, values: dict, columns, where: str) -> None:
        """Prefilled columns that are not read back: a change there is listed, not lost."""
        before = self.ref.rows.get(key, {}).get(L.normalise(ident), {})
        header = dict(zip(L.COLUMNS[key], L.TABLES[key]))
        for column in columns:
            typed = values.get(column, "")
            if typed and not _same(typed, before.get(column, "")):
                self.unread(
                    f"{where}, {header.get(column, column)}",
                    typed,
                    "Kolumnen läses inte in; ändra uppgiften i tjänsten.",
                )

    def read_fact(self, key, values, where, number) -> None:
        label = values.get("label", "")
        if _same(label, L.FACT_DIALOGUE_ID) or _same(label, L.FACT_CALENDAR_UID):
            return
        self.not_read_columns(key, label, values, ("value",), where)
        if label and L.normalise(label) not in self.ref.rows.get(key, {}):
            self.not_read_columns(key, label, values, ("label",), where)

    def read_note(self, key, values, where, number) -> None:
        label, value = values.get("label", ""), values.get("value", "")
        attr = next((a for lab, a in L.NOTE_FIELDS.items() if _same(lab, label)), None)
        if attr is None:
            for text in (label, value):
                if text and not self.ours(text):
                    self.unread(where, text, "Raden finns inte i mallen.")
            return
        if not value:
            return  # blank: keep what is recorded
        before = self.ref.rows.get(key, {}).get(L.normalise(label), {}).get("value", "")
        if before and _same(before, value):
            return  # as the template was handed out (a default such as the chair): not typed
        where = f"{L.TABLE_TITLES[L.NOTES]}, {label}"
        person = attr in L.PERSON_NOTES
        self.guard(where, value, person=person)
        limit = (
            PERSON_MAX
            if attr in ("chair", "note_taker", "minutes_checked_by")
            else (NOTE_MAX.get(attr, NOTE_COLUMN_MAX))
        )
        _length(value, label, limit, self.result.problems, where)
        self.result.notes[attr] = value

    def read_attendance(self, key, values, where, number) -> None:
        people = {p.id: p for p in self.dialogue.current_participants}
        attendance = _choice(
            values["attendance"], L.ATTENDANCE_VALUES, self.result.problems, where, "Närvaro"
        )
        comment = values["comment"] or None
        if comment:
            self.guard(f"{where}, Kommentar", comment)
            _length(comment, "Kommentaren", COMMENT_MAX, self.result.problems, where)
        if values["id"]:
            pid = int(values["id"]) if values["id"].isdigit() else None
            if pid not in people:
                self.problem(
                    where, f"Deltagaren med ID ”{values['id']}” finns inte i den här dialogen."
                )
                return
            self.not_read_columns(key, values["id"], values, ("name", "role", "side"), where)
            if attendance is None and comment is None:
                return
            self.result.attendance.append(
                AttendanceRow(number, pid, people[pid].name, attendance, comment)
            )
            return
        # Written in by hand: someone who came without an invitation.
        self.guard(f"{where}, Namn", values["name"], person=True)
        role = _choice(values["role"], L.ROLE_VALUES, self.result.problems, where, "Roll")
        side = _choice(values["side"], L.SIDE_VALUES, self.result.problems, where, "Part")
        if not values["name"]:
            self.problem(where, "Ange namnet på den som deltog.")
        if role is None or side is None:
            self.problem(where, "Ange roll och part för en ny deltagare.")
        if attendance is None:
            self.problem(where, "Ange närvaro för en ny deltagare.")
        if len(values["name"]) > NAME_MAX:
            self.problem(where, f"Namnet är för långt (högst {NAME_MAX} tecken).")
        self.result.attendance.append(
            AttendanceRow(number, None, values["name"], attendance, comment, role, side)
        )

    def read_review(self, key, values, where, number) -> None:
        action = db.session.get(Action, int(values["id"])) if values["id"].isdigit() else None
        if (
            action is None
            or action.dialogue.care_home_id != self.dialogue.care_home_id
            or action.dialogue.year >= self.dialogue.year
        ):
            self.problem(
                where, f"Åtgärden med ID ”{values['id']}” hör inte till boendets tidigare dialoger."
            )
            return
        self.not_read_columns(
            key,
            values["id"],
            values,
            ("description", "responsible", "due_date", "status_before"),
            where,
        )
        status = _choice(
            values["status"], L.STATUS_VALUES, self.result.problems, where, "Status nu"
        )
        comment = values["comment"] or None
        if comment:
            self.guard(f"{where}, Kommentar", comment)
            _length(comment, "Kommentaren", COMMENT_MAX, self.result.problems, where)
        if status is None and comment is None:
            return
        self.result.reviews.append(
            ReviewRow(number, action.id, action.description, status, comment)
        )

    def area(self, name: str, where: str, required: bool):
        if not name:
            if required:
                self.problem(where, "Område saknas.")
            return None
        area = self.areas.get(L.normalise(name))
        if area is None:
            known = ", ".join(a.name for a in self.areas.values())
            self.problem(
                where, f"Okänt område ”{name}”. Använd ett område ur regionens katalog: {known}."
            )
        return area

    def read_finding(self, key, values, where, number) -> None:
        finding = None
        ident = values.get("id", "")
        if ident:
            finding = db.session.get(Finding, int(ident)) if ident.isdigit() else None
            if finding is None or finding.dialogue_id != self.dialogue.id:
                self.problem(
                    where, f"Iakttagelsen med ID ”{ident}” hör inte till den här dialogen."
                )
                return
        area = self.area(values["area"], where, required=finding is None)
        description = values["description"] or None
        if description:
            self.guard(f"{where}, Beskrivning", description)
            _length(description, "Beskrivningen", DESCRIPTION_MAX, self.result.problems, where)
        elif finding is None:
            self.problem(where, "Beskrivningen saknas.")
        concerns = _choice(
            values["concerns"], L.PARTY_VALUES, self.result.problems, where, "Gäller"
        )
        escalate = _choice(
            values["escalate"], L.YES_NO_VALUES, self.result.problems, where, "Lyfts"
        )
        spread = _choice(
            values["spread_as_lesson"],
            L.YES_NO_VALUES,
            self.result.problems,
            where,
            "Sprids som lärdom",
        )
        self.result.findings.append(
            FindingRow(
                number,
                L.FINDING_KIND_OF_TABLE[key],
                finding.id if finding else None,
                area.id if area else None,
                values["area"],
                description,
                concerns,
                escalate,
                spread,
                L.TABLE_TITLES[key],
            )
        )

    def read_action(self, key, values, where, number) -> None:
        action = None
        ident = values.get("id", "")
        if ident:
            action = db.session.get(Action, int(ident)) if ident.isdigit() else None
            if action is None or action.dialogue_id != self.dialogue.id:
                self.problem(where, f"Åtgärden med ID ”{ident}” hör inte till den här dialogen.")
                return
        area = self.area(values["area"], where, required=False)
        description = values["description"] or None
        if description:
            self.guard(f"{where}, Åtgärd", description)
            _length(description, "Åtgärden", DESCRIPTION_MAX, self.result.problems, where)
        elif action is None:
            self.problem(where, "Åtgärden saknar beskrivning.")
        party = _choice(
            values["responsible_party"],
            L.PARTY_VALUES,
            self.result.problems,
            where,
            "Ansvarig part",
        )
        if party is None and not values["responsible_party"] and action is None:
            self.problem(where, "Ansvarig part saknas.")
        role = _choice(
            values["responsible_role"], L.ROLE_VALUES, self.result.problems, where, "Ansvarig roll"
        )
        due = None
        if values["due_date"]:
            try:
                due = datetime.strptime(values["due_date"].strip(), L.DATE_FORMAT).date()
            except ValueError:
                self.problem(
                    where, f"Datumet ”{values['due_date']}” är inte ett datum som ÅÅÅÅ-MM-DD."
                )
        if due is not None or (action is None and not values["due_date"]):
            checker = Checker()
            check_due_date(checker, "due_date", due, self.dialogue)
            for message in checker.errors.values():
                self.problem(where, message)
        self.result.actions.append(
            ActionRow(
                number,
                action.id if action else None,
                area.id if area else None,
                values["area"],
                description,
                party,
                role,
                due.isoformat() if due else None,
            )
        )

    # -- everything outside the tables
    def read_rest(self, word: WordFile) -> None:
        for p in word.paragraphs:
            if not self.ours(p.text):
                self.unread(p.place, p.text, "Fri text utanför tabellerna läses inte in.")
        for other in word.others:
            # Headers and footers are guarded even when they look like the template's.
            hits = find_patient_data(other.text)
            if hits:
                self.problem(other.place, PatientDataError(other.place, hits).field_message)
            if L.normalise(digits_blurred(other.text)) not in self.ref.running:
                self.result.unread.append(Unread(other.place, other.text, "Läses inte in."))
        paragraph_places = {p.path: p.place for p in word.paragraphs}
        for comment in word.comments:
            near = self.places.get(comment.anchor_path or "") or paragraph_places.get(
                comment.anchor_path or ""
            )
            where = f"Kommentar i Word vid {near}" if near else "Kommentar i Word"
            self.unread(where, comment.text, "Kommentarer läses inte in.")


def read_document(data: bytes, dialogue: Dialogue, template: bytes) -> ImportResult:
    """Read a filled-in copy; `template` is a fresh rendering of the dialogue's documentation
    template (what the file said before anyone typed in it)."""
    result = ImportResult()
    try:
        word = read_word_file(data)
        found, unknown = _match_tables(word)
        unknown = _reshaped(unknown, result.problems, {f.key for f in found})
        _identify(word, found, dialogue)
    except UnreadableFile as error:
        return ImportResult(fatal=str(error))
    except _Fatal as error:
        return ImportResult(fatal=str(error))
    if dialogue.status is DialogueStatus.CANCELLED:
        return ImportResult(fatal="Dialogen är inställd och kan inte dokumenteras.")
    reader = _Reader(dialogue, reference_of(template), result)
    reader.read_tables(found, unknown)
    reader.read_rest(word)
    if result.ok and result.empty and not result.unread:
        result.problems.append(Problem("Dokumentet", NOTHING_READ))
    return result
