"""Excel (.xlsx) and CSV exports of the selection: dialogues, participants, findings, actions.

Dates are real dates (Excel date cells, local Swedish time), header rows carry an autofilter
and stay in view. CSV uses semicolons and a BOM so Swedish Excel opens it as it is.
"""

from __future__ import annotations

import csv
import enum
import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..timeutil import local
from . import rows as row_sets
from .filters import Selection

YES_NO = {True: "Ja", False: "Nej", None: ""}

# (key, heading, type, width)
COLUMNS = {
    "dialogues": (
        "Dialoger",
        [
            ("id", "Dialog-id", "int", 10),
            ("year", "År", "int", 7),
            ("home", "Boende", "text", 30),
            ("municipality", "Kommun", "text", 18),
            ("region", "Region", "text", 18),
            ("health_centre", "Vårdcentral", "text", 28),
            ("status", "Status", "enum", 14),
            ("starts_at", "Start", "datetime", 17),
            ("ends_at", "Slut", "datetime", 17),
            ("held_at", "Genomförd", "datetime", 17),
            ("documented_at", "Dokumenterad", "datetime", 17),
            ("full_representation", "Full representation", "bool", 12),
            ("cancel_reason", "Orsak till inställd", "text", 30),
        ],
    ),
    "participants": (
        "Deltagare",
        [
            ("dialogue_id", "Dialog-id", "int", 10),
            ("home", "Boende", "text", 30),
            ("municipality", "Kommun", "text", 18),
            ("starts_at", "Dialogens start", "datetime", 17),
            ("name", "Namn", "text", 24),
            ("role", "Roll", "enum", 16),
            ("side", "Part", "enum", 12),
            ("response", "Svar", "enum", 12),
            ("attendance", "Närvaro", "enum", 16),
            ("stand_in_for", "Ersättare för", "text", 24),
        ],
    ),
    "findings": (
        "Fynd",
        [
            ("id", "Fynd-id", "int", 9),
            ("dialogue_id", "Dialog-id", "int", 10),
            ("year", "År", "int", 7),
            ("starts_at", "Dialogdatum", "date", 12),
            ("home", "Boende", "text", 30),
            ("municipality", "Kommun", "text", 18),
            ("kind", "Slag", "enum", 16),
            ("area", "Område", "text", 22),
            ("plan_area", "Handlingsplanen", "text", 34),
            ("concerns", "Gäller", "enum", 12),
            ("description", "Beskrivning", "text", 60),
            ("spread_as_lesson", "Sprid som lärdom", "bool", 10),
            ("escalate", "Eskaleras", "bool", 10),
        ],
    ),
    "actions": (
        "Åtgärder",
        [
            ("id", "Åtgärds-id", "int", 10),
            ("dialogue_id", "Dialog-id", "int", 10),
            ("finding_id", "Fynd-id", "int", 9),
            ("year", "År", "int", 7),
            ("home", "Boende", "text", 30),
            ("municipality", "Kommun", "text", 18),
            ("description", "Beskrivning", "text", 60),
            ("responsible_party", "Ansvarig part", "enum", 14),
            ("responsible_role", "Ansvarig roll", "enum", 16),
            ("due_date", "Klart senast", "date", 12),
            ("status", "Status", "enum", 12),
            ("overdue", "Försenad", "bool", 10),
            ("completed_at", "Klar", "datetime", 17),
        ],
    ),
}
TABLE_SLUGS = {
    "dialoger": "dialogues",
    "deltagare": "participants",
    "fynd": "findings",
    "atgarder": "actions",
}
FORMATS = {"datetime": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd"}


def _cell_value(value, kind):
    if value is None:
        return None
    if kind == "datetime":
        return local(value).replace(tzinfo=None)
    if kind == "date":
        return local(value).date() if isinstance(value, datetime) else value
    if kind == "enum":
        return value.label if isinstance(value, enum.Enum) else value
    if kind == "bool":
        return YES_NO[bool(value)]
    return value


def _text_value(value, kind) -> str:
    value = _cell_value(value, kind)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _safe_text(text):
    """Keep spreadsheet programs from running user text as a formula (CSV/formula injection)."""
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def build_xlsx(sel: Selection) -> bytes:
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7EE")
    for kind, (title, columns) in COLUMNS.items():
        ws = wb.create_sheet(title)
        for i, (_, _, _, width) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        data = row_sets.ROW_SETS[kind](sel)
        last = get_column_letter(len(columns))
        ws.auto_filter.ref = f"A1:{last}{len(data) + 1}"
        header = []
        for _, heading, _, _ in columns:
            cell = WriteOnlyCell(ws, value=heading)
            cell.font, cell.fill = bold, fill
            header.append(cell)
        ws.append(header)
        formats = {i: FORMATS[k] for i, (_, _, k, _) in enumerate(columns) if k in FORMATS}
        for row in data:
            out = []
            for i, (key, _, kind_, _) in enumerate(columns):
                value = _cell_value(row[key], kind_)
                if i in formats and value is not None:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = formats[i]
                    out.append(cell)
                else:
                    out.append(_safe_text(value))
            ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build_csv(sel: Selection, table: str) -> str:
    kind = TABLE_SLUGS[table]
    _, columns = COLUMNS[kind]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([heading for _, heading, _, _ in columns])
    for row in row_sets.ROW_SETS[kind](sel):
        writer.writerow([_safe_text(_text_value(row[key], k)) for key, _, k, _ in columns])
    return out.getvalue()


def filename(sel: Selection, suffix: str) -> str:
    part = f"{sel.year}" + (f"-h{sel.half}" if sel.half else "")
    return f"patientsakerhetsdialoger-{part}{suffix}"
