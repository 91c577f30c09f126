"""Hidden text for identifiers people should not read (issue 12): the documentation template
carries the dialogue id, its calendar UID and the participants' and actions' ids so that a
filled-in copy can be read back, but Word and LibreOffice neither show nor print hidden text.
python-docx (the importer) reads it like any other text.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Cm

from . import docx_build as b


def _vanish(rpr) -> None:
    if rpr.find(qn("w:vanish")) is None:
        rpr.append(OxmlElement("w:vanish"))


def hide_paragraph(paragraph) -> None:
    """Every run and the paragraph mark itself: an empty line does not stay behind."""
    for run in paragraph.runs:
        _vanish(run._r.get_or_add_rPr())
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    _vanish(rpr)


def hide_row(row) -> None:
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            hide_paragraph(paragraph)
    # Word hides a row whose content is all hidden; an exact, tiny height helps LibreOffice.
    trpr = row._tr.get_or_add_trPr()
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), "20")
    height.set(qn("w:hRule"), "exact")
    trpr.append(height)


def hide_column(table, index: int, width_cm: float = 0.3) -> None:
    """Hide one column's text in every row and make the column as narrow as it can be."""
    for row in table.rows:
        for paragraph in row.cells[index].paragraphs:
            hide_paragraph(paragraph)
    widths = [c.width.cm if c.width is not None else 0 for c in table.rows[0].cells]
    freed = widths[index] - width_cm
    widths[index] = width_cm
    widest = max(range(len(widths)), key=lambda i: widths[i] if i != index else -1)
    widths[widest] += freed
    b.set_widths(table, tuple(widths))
    for row in table.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = Cm(w)
