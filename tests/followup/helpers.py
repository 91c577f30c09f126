"""Reading numbers back from what the app produced: HTML, xlsx, csv, docx."""

from __future__ import annotations

import csv
import html
import io
import re

from openpyxl import load_workbook

NUMBER_LINK = re.compile(r'<a href="([^"]+)" aria-label="(\d+) – ([^"]+)">(\d+)</a>')


def dashboard_numbers(page_html: str) -> dict[str, tuple[int, str]]:
    """{aria label: (number, link)} for every linked number on the dashboard."""
    found = {}
    for href, n, label, shown in NUMBER_LINK.findall(page_html):
        assert n == shown
        found.setdefault(html.unescape(label), (int(n), html.unescape(href)))
    return found


def xlsx_sheets(data: bytes) -> dict[str, list[dict]]:
    wb = load_workbook(io.BytesIO(data))
    out = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = rows[0]
        out[ws.title] = [dict(zip(header, r)) for r in rows[1:]]
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    return out


def csv_rows(data: bytes) -> list[dict]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
