"""Excel (.xlsx) and CSV exports of the selection: dialogues, participants, findings, actions.

Dates are real dates (Excel date cells, local Swedish time), header rows carry an autofilter
and stay in view. CSV uses semicolons and a BOM so Swedish Excel opens it as it is.

The workbook is written by XlsxWriter in constant-memory mode, row by row from rows.stream()
(a chunk of rows at a time), into an anonymous temporary file that the download then streams:
memory stays flat however many rows the selection holds.
"""

from __future__ import annotations

import csv
import enum
import io
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import BinaryIO

import xlsxwriter

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
    """User text is only ever text in a spreadsheet.

    A leading =, +, - or @ would run as a formula (CSV/formula injection). And XlsxWriter's
    constant-memory mode writes a string that starts with <r> and ends with </r> into the sheet
    as raw XML (its rich-string form): such a text gets the same leading apostrophe.
    """
    if not isinstance(text, str):
        return text
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") or (
        text.startswith("<r>") and text.endswith("</r>")
    ):
        return "'" + text
    return text


HEADER_FORMAT = {"bold": True, "bg_color": "#DDE7EE", "pattern": 1}
CHUNK_BYTES = 64 * 1024


def _cell_writer(ws, kind: str, fmt):
    """(row, col, value) -> the cell, through XlsxWriter's own typed write call (None and
    empty text stay blank)."""
    if kind == "int":
        return lambda r, c, v: ws.write_number(r, c, v)
    if kind == "datetime":
        return lambda r, c, v: ws.write_datetime(r, c, local(v).replace(tzinfo=None), fmt)
    if kind == "date":
        return lambda r, c, v: ws.write_datetime(
            r, c, local(v).date() if isinstance(v, datetime) else v, fmt
        )

    if kind == "bool":
        return lambda r, c, v: ws.write_string(r, c, YES_NO[bool(v)])
    if kind == "enum":
        return lambda r, c, v: ws.write_string(
            r, c, v.label if isinstance(v, enum.Enum) else _safe_text(str(v))
        )

    def text(r, c, v):
        if v != "":
            ws.write_string(r, c, _safe_text(str(v)))

    return text


def _write_sheet(wb, title: str, columns: list, keys: list[str], data, header, formats) -> None:
    ws = wb.add_worksheet(title)
    for c, (_, heading, _, width) in enumerate(columns):
        ws.set_column(c, c, width)
        ws.write_string(0, c, heading, header)
    ws.freeze_panes(1, 0)
    plan = [
        (c, keys.index(key), _cell_writer(ws, kind, formats.get(kind)))
        for c, (key, _, kind, _) in enumerate(columns)
    ]
    last = 0
    for last, row in enumerate(data, start=1):
        for c, index, write in plan:
            value = row[index]
            if value is not None:
                write(last, c, value)
    ws.autofilter(0, 0, last, len(columns) - 1)


def xlsx_file(sel: Selection) -> BinaryIO:
    """The workbook in an anonymous temporary file (gone when closed), positioned at its start."""
    out = tempfile.TemporaryFile(prefix="dialog-export-", suffix=".xlsx")
    try:
        wb = xlsxwriter.Workbook(
            out,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        header = wb.add_format(HEADER_FORMAT)
        formats = {kind: wb.add_format({"num_format": f}) for kind, f in FORMATS.items()}
        for kind, (title, columns) in COLUMNS.items():
            keys, data = row_sets.stream(kind, sel)
            _write_sheet(wb, title, columns, keys, data, header, formats)
        wb.close()
        out.seek(0)
        return out
    except BaseException:
        out.close()
        raise


def chunks(file: BinaryIO) -> Iterator[bytes]:
    """The file's bytes a chunk at a time, closing (and so removing) it at the end."""
    with file:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk


def build_xlsx(sel: Selection) -> bytes:
    """The workbook as bytes (for callers that need it whole; the download streams it)."""
    with xlsx_file(sel) as file:
        return file.read()


def build_csv(sel: Selection, table: str) -> str:
    kind = TABLE_SLUGS[table]
    _, columns = COLUMNS[kind]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([heading for _, heading, _, _ in columns])
    keys, data = row_sets.stream(kind, sel)
    plan = [(keys.index(key), k) for key, _, k, _ in columns]
    for row in data:
        writer.writerow([_safe_text(_text_value(row[i], k)) for i, k in plan])
    return out.getvalue()


def filename(sel: Selection, suffix: str) -> str:
    part = f"{sel.year}" + (f"-h{sel.half}" if sel.half else "")
    return f"patientsakerhetsdialoger-{part}{suffix}"
