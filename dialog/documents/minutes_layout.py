"""The stable layout of the documentation template (*dokumentationsmall*).

The documentation template is downloaded before the meeting, filled in during it (in Word or
LibreOffice) and later read back by an importer (the findings feature). Both sides use ONLY the
constants in this module, so a change here is a change of a file format: keep it backwards
compatible (add, never rename).

How a filled-in copy is read (dialog/findings/word_file.py and import_reading.py)
---------------------------------------------------------------------------------
The file is read as it now stands: text in tracked insertions and moves is read, deletions are
not, deleted rows are left out; merged cells are resolved on the table's grid. python-docx's
``paragraph.text`` is NOT enough (it skips runs inside ``w:ins``).

1. **Which dialogue.** Two markers carry the same identity:

   * the *facts table*: the first table whose header row is ``FACTS_HEADER``. Its body rows are
     ``(label, value)`` pairs; the rows labelled ``FACT_DIALOGUE_ID`` and ``FACT_CALENDAR_UID``
     hold the dialogue's database id and its calendar UID (both must match the dialogue the file
     is imported into; the UID guards against a copy from another installation);
   * the core property ``identifier``, written as ``IDENTIFIER_PREFIX + "<id>:<calendar uid>"``;
     ``parse_identifier()`` splits it. Prefer the facts table when both are present.
   The core property ``subject`` is ``SUBJECT`` and ``keywords`` contains ``KEYWORD``.

2. **Which table is which.** Tables are found by their *header row* (the first row, marked to
   repeat on every page), never by position or by the heading above them: ``match_header()``
   gives the table key and the column names, also for the headers of earlier layout versions
   (``LEGACY_HEADERS``). A table may stand anywhere (moved, copied, inside another table); the
   Word table title (``w:tblCaption``, ``TABLE_TITLES``) only names a table whose header was
   changed (LibreOffice drops it when it saves a .docx).

3. **Rows.** Every row after the header row is a data row, read by position in the order of the
   columns. A row whose cells are all empty is a blank row left for writing in. An ``ID`` column
   holds the database id of the participant, finding or action the row was prefilled from
   (empty on rows written in by hand); the template is prefilled with what is recorded, and a
   blank cell leaves the recorded value as it is. The facts and notes tables are
   ``(label, value)`` rows; ``NOTE_FIELDS`` maps a note's label to the Dialogue attribute.

4. **Values.** Choice cells use the words in the ``*_VALUES`` maps (compare with
   ``normalise()``); dates are ``DATE_FORMAT`` (ISO, ``2027-03-14``); areas are the names of
   the region's area catalogue (listed in the document under the findings heading).

Nothing here reads the database: the importer maps the words to enums itself.
"""

from __future__ import annotations

import re
import unicodedata

# --- identity of the document -------------------------------------------------------------
IDENTIFIER_PREFIX = "patientsakerhetsdialog:dialog:"
SUBJECT = "Dokumentation av patientsäkerhetsdialog"
KEYWORD = "patientsakerhetsdialog-dokumentationsmall"
LAYOUT_VERSION = "2"  # written to the facts table as FACT_LAYOUT_VERSION
# Version 2 added an ID column to the findings and actions tables (rows prefilled from what is
# already recorded) and the notes table; version 1 files are still read (LEGACY_HEADERS).

# --- the tables: key -> header row (column order is the reading order) ---------------------
FACTS = "facts"
ATTENDANCE = "attendance"
PREVIOUS_ACTIONS = "previous_actions"
DEFICIENCIES = "deficiencies"
RISKS = "risks"
SUCCESS_FACTORS = "success_factors"
ACTIONS = "actions"

FACTS_HEADER = ("Uppgift", "Värde")
FACT_DIALOGUE_ID = "Dialog-ID"
FACT_CALENDAR_UID = "Kalender-UID"
FACT_LAYOUT_VERSION = "Mallversion"
FACT_HOME = "Boende"
FACT_MUNICIPALITY = "Kommun"
FACT_HEALTH_CENTRE = "Vårdcentral"
FACT_DATE = "Datum"
FACT_TIME = "Tid"
FACT_PLACE = "Plats"
# The rows of the facts table, in order.
FACT_LABELS = (
    FACT_DIALOGUE_ID,
    FACT_CALENDAR_UID,
    FACT_LAYOUT_VERSION,
    FACT_HOME,
    FACT_MUNICIPALITY,
    FACT_HEALTH_CENTRE,
    FACT_DATE,
    FACT_TIME,
    FACT_PLACE,
)

# Attendance: one prefilled row per invited participant (ID = participant id); stand-ins
# who came without an invitation are written on blank rows (empty ID).
ATTENDANCE_HEADER = ("ID", "Namn", "Roll", "Part", "Närvaro", "Kommentar")
ATTENDANCE_COLUMNS = ("id", "name", "role", "side", "attendance", "comment")

# Last year's actions: one prefilled row per action of the home's earlier dialogues that was
# still open (ID = action id). "Status nu" is filled in at the meeting.
PREVIOUS_ACTIONS_HEADER = (
    "ID",
    "Åtgärd",
    "Ansvarig",
    "Klart senast",
    "Status före mötet",
    "Status nu",
    "Kommentar",
)
PREVIOUS_ACTIONS_COLUMNS = (
    "id",
    "description",
    "responsible",
    "due_date",
    "status_before",
    "status",
    "comment",
)

# The three findings tables share their columns; the description header names the kind. The ID
# column holds the finding's id on rows prefilled from what is recorded; empty on new rows.
FINDING_COLUMNS = ("id", "area", "description", "concerns", "escalate", "spread_as_lesson")
_FINDING_TAIL = ("Gäller", "Lyfts till MAS/MAR och region", "Sprids som lärdom")
DEFICIENCIES_HEADER = ("ID", "Område", "Brist", *_FINDING_TAIL)
RISKS_HEADER = ("ID", "Område", "Risk", *_FINDING_TAIL)
SUCCESS_FACTORS_HEADER = ("ID", "Område", "Framgångsfaktor", *_FINDING_TAIL)
# Finding kind of each findings table, as dialog.models.FindingKind values.
FINDING_KIND_OF_TABLE = {DEFICIENCIES: "brist", RISKS: "risk", SUCCESS_FACTORS: "framgangsfaktor"}

# Agreed actions (ID = the action's id on prefilled rows).
ACTIONS_HEADER = ("ID", "Område", "Åtgärd", "Ansvarig part", "Ansvarig roll", "Klart senast")
ACTION_COLUMNS = ("id", "area", "description", "responsible_party", "responsible_role", "due_date")

# The meeting's notes: (label, value) rows like the facts table. The label names the field;
# an empty value leaves what is recorded as it is.
NOTES = "notes"
NOTES_HEADER = ("Punkt", "Anteckning")
# label -> dialog.models.Dialogue attribute, in the order of the rows.
NOTE_FIELDS = {
    "Mötesledare": "chair",
    "Antecknat av": "note_taker",
    "Justerat av": "minutes_checked_by",
    "Underlag som togs upp": "shared_data_notes",
    "Lärdomar förs vidare till": "lessons_to",
    "Lärdomar förs vidare av": "lessons_by",
    "Lärdomar förs vidare när": "lessons_when",
    "Nästa dialog": "next_dialogue_note",
}
# Notes that name a person (checked against the participants before the patient-data guard).
PERSON_NOTES = ("chair", "note_taker", "minutes_checked_by", "lessons_by")

TABLES = {
    FACTS: FACTS_HEADER,
    ATTENDANCE: ATTENDANCE_HEADER,
    PREVIOUS_ACTIONS: PREVIOUS_ACTIONS_HEADER,
    DEFICIENCIES: DEFICIENCIES_HEADER,
    RISKS: RISKS_HEADER,
    SUCCESS_FACTORS: SUCCESS_FACTORS_HEADER,
    ACTIONS: ACTIONS_HEADER,
    NOTES: NOTES_HEADER,
}
COLUMNS = {
    FACTS: ("label", "value"),
    ATTENDANCE: ATTENDANCE_COLUMNS,
    PREVIOUS_ACTIONS: PREVIOUS_ACTIONS_COLUMNS,
    DEFICIENCIES: FINDING_COLUMNS,
    RISKS: FINDING_COLUMNS,
    SUCCESS_FACTORS: FINDING_COLUMNS,
    ACTIONS: ACTION_COLUMNS,
    NOTES: ("label", "value"),
}
# Headers of earlier layout versions still read: key -> [(header, columns)].
_V1_FINDING = ("area", "description", "concerns", "escalate", "spread_as_lesson")
LEGACY_HEADERS = {
    DEFICIENCIES: [(DEFICIENCIES_HEADER[1:], _V1_FINDING)],
    RISKS: [(RISKS_HEADER[1:], _V1_FINDING)],
    SUCCESS_FACTORS: [(SUCCESS_FACTORS_HEADER[1:], _V1_FINDING)],
    ACTIONS: [(ACTIONS_HEADER[1:], ACTION_COLUMNS[1:])],
}
# Word table titles (w:tblCaption); also the visible headings above the tables.
TABLE_TITLES = {
    FACTS: "Dialoguppgifter",
    ATTENDANCE: "Närvaro",
    PREVIOUS_ACTIONS: "Uppföljning av tidigare åtgärder",
    DEFICIENCIES: "Brister",
    RISKS: "Risker",
    SUCCESS_FACTORS: "Framgångsfaktorer",
    ACTIONS: "Överenskomna åtgärder",
    NOTES: "Underlag, lärdomar och nästa dialog",
}
# Blank rows left for writing in, per table (the importer must not depend on the number).
BLANK_ROWS = {
    ATTENDANCE: 2,
    PREVIOUS_ACTIONS: 0,
    DEFICIENCIES: 4,
    RISKS: 4,
    SUCCESS_FACTORS: 4,
    ACTIONS: 5,
}
# Pre-filled rows do not count: the blank rows come after them.

# --- the words allowed in choice cells (normalise() both sides before comparing) -----------
# -> dialog.models.Attendance values; an empty cell means "not recorded".
ATTENDANCE_VALUES = {"Ja": "deltog", "Nej": "deltog_ej", "Ersättare": "ersattare"}
# -> dialog.models.Side values (the attendance table's "Part" column).
SIDE_VALUES = {"SÄBO": "sabo", "Vårdcentral": "vardcentral"}
# -> dialog.models.Party values ("Gäller" and "Ansvarig part").
PARTY_VALUES = {
    "SÄBO": "sabo",
    "Vårdcentral": "vardcentral",
    "Gemensamt": "gemensamt",
    "Regionen": "regionen",
}
# -> dialog.models.ActionStatus values.
STATUS_VALUES = {
    "Ej påbörjad": "ej_paborjad",
    "Pågår": "pagar",
    "Klar": "klar",
    "Avbruten": "avbruten",
}
# -> bool ("Lyfts till MAS/MAR och region", "Sprids som lärdom"); empty means no.
YES_NO_VALUES = {"Ja": True, "Nej": False}
# -> dialog.models.ContactRole values ("Ansvarig roll"); the labels of ContactRole.
ROLE_VALUES = {
    "Enhetschef": "enhetschef",
    "Sjuksköterska": "sjukskoterska",
    "Arbetsterapeut": "arbetsterapeut",
    "Fysioterapeut": "fysioterapeut",
    "SÄBO-läkare": "sabo_lakare",
    "Verksamhetschef": "verksamhetschef",
    "MAS": "mas",
    "MAR": "mar",
    "Chefläkare": "cheflakare",
    "Annan": "annan",
}
DATE_FORMAT = "%Y-%m-%d"


def normalise(text: str) -> str:
    """Compare header and choice texts: NFC, case-folded, whitespace collapsed, no trailing ':'."""
    text = unicodedata.normalize("NFC", text or "")
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip().casefold()


def identifier_for(dialogue_id: int, calendar_uid: str) -> str:
    return f"{IDENTIFIER_PREFIX}{dialogue_id}:{calendar_uid}"


def parse_identifier(value: str) -> tuple[int, str] | None:
    """(dialogue id, calendar uid) from the core property, or None if it is not ours."""
    value = (value or "").strip()
    if not value.startswith(IDENTIFIER_PREFIX):
        return None
    rest = value[len(IDENTIFIER_PREFIX) :]
    dialogue_id, _, uid = rest.partition(":")
    if not dialogue_id.isdigit() or not uid:
        return None
    return int(dialogue_id), uid


def match_header(header_texts) -> tuple[str, tuple[str, ...]] | None:
    """(table key, column names) for a first row of this layout or an earlier one, or None."""
    wanted = tuple(normalise(t) for t in header_texts)
    for key, header in TABLES.items():
        if tuple(normalise(t) for t in header) == wanted:
            return key, COLUMNS[key]
    for key, variants in LEGACY_HEADERS.items():
        for header, columns in variants:
            if tuple(normalise(t) for t in header) == wanted:
                return key, columns
    return None


def table_key(header_texts) -> str | None:
    """The key in TABLES whose header matches this first row, or None."""
    found = match_header(header_texts)
    return found[0] if found else None
