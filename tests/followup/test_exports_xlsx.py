"""The Excel export (XlsxWriter, constant memory, streamed from a temporary file): the layout a
reader relies on, real local-time dates, user text never run as a formula or written as XML,
and the streamed rows equal the row sets the API lists."""

from __future__ import annotations

import io
from datetime import datetime

import sqlalchemy as sa
from openpyxl import load_workbook

from dialog.extensions import db
from dialog.followup import exports, rows
from dialog.followup.filters import Selection
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
        # Text, never XML (XlsxWriter's constant-memory mode would write this into the sheet
        # as its rich-string XML).
        "<r><t>inskjuten</t></r>": "'<r><t>inskjuten</t></r>",
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
