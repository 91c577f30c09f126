"""The Excel export (XlsxWriter, constant memory, streamed from a temporary file): the layout a
reader relies on, real local-time dates, user text never run as a formula or written as XML,
the bulk rows written as XlsxWriter itself writes them, and the streamed rows equal the row
sets the API lists."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
import sqlalchemy as sa
import xlsxwriter
from openpyxl import load_workbook

from dialog.extensions import db
from dialog.followup import exports, rows
from dialog.followup.filters import Selection
from dialog.followup.xlsx_rows import BulkRowsWorksheet
from dialog.models import Finding
from dialog.scope import Scope
from tests.conftest import login


def _workbook(client, query="ar=2026"):
    response = client.get(f"/uppfoljning/export.xlsx?{query}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "patientsakerhetsdialoger-2026.xlsx" in response.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(response.data))


def test_layout_dates_and_headings(client, data):
    login(client, "admin")
    wb = _workbook(client)
    assert wb.sheetnames == ["Dialoger", "Deltagare", "Fynd", "Åtgärder"]
    for title, columns in exports.COLUMNS.values():
        ws = wb[title]
        header = [c.value for c in ws[1]]
        assert header == [heading for _, heading, _, _ in columns]
        for cell in ws[1]:
            assert cell.font.b, (title, cell.value)
            assert cell.fill.fgColor.rgb.endswith("DDE7EE"), (title, cell.value)
        assert ws.freeze_panes == "A2"
        last = chr(ord("A") + len(columns) - 1)
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}", title
        # <col> elements may span neighbours of equal width.
        widths = {
            i: dim.width
            for dim in ws.column_dimensions.values()
            for i in range(dim.min, dim.max + 1)
        }
        for i, (_, heading, _, width) in enumerate(columns, start=1):
            assert abs(widths[i] - width) < 1.5, (title, heading)
    dialogues = wb["Dialoger"]
    starts = {row[0].value: row[7] for row in dialogues.iter_rows(min_row=2)}
    assert len(starts) == 4  # 2026: a1, a2, b1 and c1
    a1 = starts[data.dialogues["d2"]]
    # A real date cell in Swedish local time (the dialogue starts at 13.00 local).
    assert isinstance(a1.value, datetime) and (a1.value.hour, a1.value.minute) == (13, 0)
    assert a1.number_format == "yyyy-mm-dd hh:mm"
    findings = wb["Fynd"]
    dates = [row[3] for row in findings.iter_rows(min_row=2)]
    assert dates and all(c.number_format == "yyyy-mm-dd" for c in dates)
    texts = {row[10].value for row in findings.iter_rows(min_row=2)}
    assert "Kommun-A-markör: viktuppföljning brister." in texts
    full = [row[11].value for row in dialogues.iter_rows(min_row=2)]
    assert sorted(v for v in full if v) == ["Ja", "Nej", "Nej"]


def test_user_text_is_never_a_formula_or_xml(app, client, data):
    texts = {
        '=HYPERLINK("http://example.org")': '\'=HYPERLINK("http://example.org")',
        "+1+2": "'+1+2",
        # Written escaped, as text (XlsxWriter's own constant-memory path would write this
        # into the sheet as XML).
        "<r><t>inskjuten</t></r>": "<r><t>inskjuten</t></r>",
        "<vanlig> text & mer": "<vanlig> text & mer",
    }
    with app.app_context():
        found = db.session.scalars(
            sa.select(Finding).where(Finding.dialogue_id == data.dialogues["d2"])
        ).all()
        for finding, text in zip(found, texts):
            finding.description = text
        db.session.commit()
    login(client, "admin")
    wb = _workbook(client)
    descriptions = {row[10].value for row in wb["Fynd"].iter_rows(min_row=2)}
    for written in list(texts.values())[: len(found)]:
        assert written in descriptions, written


def test_streamed_rows_equal_the_row_sets(app, data, world):
    with app.app_context():
        for scope in (Scope(admin=True), Scope(region_ids=frozenset({world.regions["norr"]}))):
            for year in (2025, 2026):
                sel = Selection(scope, year)
                for kind, listed in rows.ROW_SETS.items():
                    expected = listed(sel)
                    # Two rows a chunk: the dialogues' representation is read chunk by chunk.
                    keys, streamed = rows.stream(kind, sel, chunk=2)
                    got = [dict(zip(keys, r)) for r in streamed]
                    if kind == "actions":
                        for r in got:
                            r["overdue"] = bool(r["overdue"])
                    assert got == expected, (kind, year)


ODD_TEXTS = [
    "vanlig text",
    "å ä ö & < > \" '",
    " inledande blanksteg",
    "avslutande blanksteg ",
    "rad ett\nrad två",
    "styrtecken \x01 \x1f",
    "literal _x0041_ escape",
    "icke-tecken \ufffe",
    "<r><t>ser ut som XML</t></r>",
    "",
]


def _sheet_xml(bulk: bool) -> str:
    """One sheet of numbers, dates and odd strings, through append_rows() or through
    XlsxWriter's own write_number / write_string; the sheet's XML."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    header = wb.add_format({"bold": True})
    dated = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    # Style numbers are handed out on first use: the same order on both paths.
    header._get_xf_index(), dated._get_xf_index()
    ws = wb.add_worksheet("Blad", worksheet_class=BulkRowsWorksheet)
    for c, heading in enumerate(["Tal", "Datum", "Text", "Mer text"]):
        ws.write_string(0, c, heading, header)
    data = [
        (i, 46000 + i / 7 if i % 3 else None, ODD_TEXTS[i % len(ODD_TEXTS)], str(i) * (i % 4))
        for i in range(1, 31)
    ] + [(10**12 + 0.5, 0.25, None, "sist")]
    if bulk:
        columns = [(0, True, None, None), (1, True, None, dated._get_xf_index())]
        columns += [(2, False, None, None), (3, False, None, None)]
        assert ws.append_rows(1, columns, data) == len(data)
    else:
        for r, row in enumerate(data, start=1):
            for c, value in enumerate(row):
                if value is None or value == "":  # ours leaves empty text blank
                    continue
                if c == 0:
                    ws.write_number(r, c, value)
                elif c == 1:
                    ws.write_number(r, c, value, dated)
                else:
                    ws.write_string(r, c, value)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(data), 3)
    wb.close()
    return zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_bulk_rows_write_what_xlsxwriter_writes():
    # XlsxWriter's own path writes a string that looks like rich text as raw XML; ours escapes
    # it. Apart from that one cell the two sheets are the same, byte for byte.
    ours, theirs = _sheet_xml(bulk=True), _sheet_xml(bulk=False)
    raw = "<is><r><t>ser ut som XML</t></r></is>"
    escaped = "<is><t>&lt;r&gt;&lt;t&gt;ser ut som XML&lt;/t&gt;&lt;/r&gt;</t></is>"
    assert raw in theirs and escaped in ours
    assert ours == theirs.replace(raw, escaped)
    assert '<dimension ref="A1:D32"/>' in ours


def test_bulk_rows_need_constant_memory():
    wb = xlsxwriter.Workbook(io.BytesIO())
    ws = wb.add_worksheet("Blad", worksheet_class=BulkRowsWorksheet)
    with pytest.raises(RuntimeError):
        ws.append_rows(1, [(0, True, None, None)], [(1,)])
    wb.close()
