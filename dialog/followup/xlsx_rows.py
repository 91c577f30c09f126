"""Bulk rows for XlsxWriter's constant-memory mode: a whole row's XML in one write.

XlsxWriter writes a cell in four Python calls or more (write_*, the cell table, the row flush,
the cell's XML), about 4 µs a cell: for the national export (62,000 rows, 750,000 cells) that
alone is three seconds. BulkRowsWorksheet.append_rows() writes the same XML XlsxWriter would
(tests/followup/test_exports_xlsx.py compares them byte for byte) straight to the worksheet's
row-data file, one string per row, and leaves everything else (column widths, frozen panes,
autofilter, the package) to XlsxWriter. It relies on three internals of XlsxWriter's worksheet
in constant-memory mode (`fh`, the row-data file; `previous_row`; `_check_dimensions`), so
uv.lock pins the version and the test fails if they change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

# Anything XlsxWriter would change in a string: control characters, literal _xHHHH_ escapes,
# the two non-characters, XML's special characters, and leading or trailing white space.
_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")


def inline_string(text: str) -> str:
    """The <is> body of an inline-string cell, escaped as XlsxWriter escapes it."""
    if not _NEEDS_ESCAPE.search(text):
        return f"<t>{text}</t>"
    text = Worksheet._escape_control_characters(text)
    preserve = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<t{preserve}>{text}</t>"


class BulkRowsWorksheet(Worksheet):
    """A worksheet (constant-memory mode only) that also takes whole rows at once."""

    def append_rows(
        self,
        first_row: int,
        columns: Sequence[tuple[int, bool, Callable | None, int | None]],
        rows: Iterable[Sequence],
    ) -> int:
        """Write `rows` from `first_row` (0-based) down; the last row written (first_row - 1
        when there were none). `columns`: (index in the row, is a number, convert or None,
        format's xf index or None) per sheet column from column A. None and "" stay blank."""
        if not self.constant_memory:
            raise RuntimeError("append_rows() needs constant_memory mode")
        # Write out the row XlsxWriter still holds (the header) before ours follow it.
        self._write_single_row(first_row)
        plan = []
        for col, (index, numeric, convert, xf_index) in enumerate(columns):
            style = f' s="{xf_index}"' if xf_index else ""
            plan.append((index, numeric, convert, xl_col_to_name(col), style))
        write = self.fh.write
        number = first_row - 1
        for number, row in enumerate(rows, start=first_row):
            ref = number + 1
            parts = [f'<row r="{ref}">']
            for index, numeric, convert, letter, style in plan:
                value = row[index]
                if value is None:
                    continue
                if convert is not None:
                    value = convert(value)
                if numeric:
                    parts.append(f'<c r="{letter}{ref}"{style}><v>{value:.16G}</v></c>')
                elif value != "":  # empty text stays an empty cell
                    parts.append(
                        f'<c r="{letter}{ref}"{style} t="inlineStr"><is>'
                        f"{inline_string(value)}</is></c>"
                    )
            if len(parts) > 1:  # XlsxWriter writes no row without a cell either
                parts.append("</row>")
                write("".join(parts))
        if number >= first_row:
            self._check_dimensions(number, len(columns) - 1)
            self.previous_row = number + 1
        return number
