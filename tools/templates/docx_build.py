"""Small python-docx helpers for building accessible Word templates (used by the template
builders beside this module and by the tests).

What they give every document: Arial (Liberation Sans in LibreOffice, same metrics), real
heading styles, Swedish as the language, header and footer with page numbers, tables with a
title (w:tblCaption), a bold shaded header row that repeats on every page, and rows that do not
split over pages.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Cm, Pt, RGBColor

FONT = "Arial"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
HEADER_FILL = "DCE6F1"


def _plain_fonts(style, name: str = FONT) -> None:
    """Use a named font instead of the theme's (theme attributes would win over it)."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def new_document(*, landscape: bool = False, title: str = "") -> Document:
    document = Document()
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    _plain_fonts(normal)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 22), ("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11)):
        style = styles[name]
        _plain_fonts(style)
        style.font.size = Pt(size)
        style.font.color.rgb = ACCENT
        style.font.bold = True
        style.paragraph_format.space_before = Pt({"Title": 0, "Heading 1": 12}.get(name, 9))
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    title_style = styles["Title"]
    # The default Title style has a bottom border and expanded spacing; keep it simple.
    ppr = title_style.element.get_or_add_pPr()
    for child in list(ppr):
        if child.tag == qn("w:pBdr"):
            ppr.remove(child)
    for name in ("List Bullet", "List Number", "Table Grid", "Subtitle"):
        _plain_fonts(styles[name])
    # The default subtitle is a light blue (4.0:1 on white); text needs at least 4.5:1.
    subtitle = styles["Subtitle"]
    subtitle.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    subtitle.font.italic = False
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
    section.header_distance = section.footer_distance = Cm(1.0)
    props = document.core_properties
    props.title = title
    props.language = "sv-SE"
    props.author = "Patientsäkerhetsdialog SÄBO"
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    set_language(document)
    darken_light_style_colours(document)
    drop_leftover_parts(document)
    return document


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_white(hex_colour: str) -> float:
    return 1.05 / (_luminance(hex_colour) + 0.05)


def darken_light_style_colours(document) -> None:
    """python-docx's default styles colour some text light blue (4.0:1 on white): every style
    text colour below 4.5:1 becomes the accent colour, so any style a user picks is readable."""
    accent = str(ACCENT)
    for colour in document.styles.element.iter(qn("w:color")):
        value = colour.get(qn("w:val"), "auto")
        if value.lower() != "auto" and contrast_on_white(value) < 4.5:
            colour.set(qn("w:val"), accent)
            for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
                colour.attrib.pop(qn(attr), None)


def set_language(document, lang: str = "sv-SE") -> None:
    """Swedish in the styles' defaults and as the theme's font language (Word's spelling and
    screen readers look at both)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), lang)
    el.set(qn("w:bidi"), "ar-SA")
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), lang)
        theme_lang.set(qn("w:eastAsia"), lang)


# Parts python-docx's own default template carries that do not belong in ours: an outdated copy
# of the styles (Word may call the file damaged when it disagrees with styles.xml) and the
# thumbnail of python-docx's sample document.
LEFTOVER_RELTYPES = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
)


def drop_leftover_parts(document) -> None:
    for part in (document.part, document.part.package):
        for rid, rel in list(part.rels.items()):
            if rel.reltype in LEFTOVER_RELTYPES:
                del part.rels[rid]


def _field(paragraph, instruction: str) -> None:
    """A complex field (PAGE, NUMPAGES) that Word and LibreOffice both update."""
    for kind, text in (
        ("begin", None),
        (None, instruction),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


def header_footer(document, header_text: str, footer_text: str) -> None:
    """Header: the home and date (template tags allowed). Footer: name and 'Sida X av Y'."""
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = header_text
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in header.runs:
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run(f"{footer_text} · Sida ")
    _field(footer, "PAGE")
    footer.add_run(" av ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(9)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _row_flag(row, tag: str) -> None:
    """An on/off row property, switched on the way the schema allows (no w:val means on)."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement(tag))


def row_height(row, cm: float) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:trHeight")
    el.set(qn("w:val"), str(int(cm * 567)))
    el.set(qn("w:hRule"), "atLeast")
    trpr.append(el)


def table(
    document,
    header: tuple[str, ...],
    widths_cm: tuple[float, ...],
    *,
    caption: str,
    description: str = "",
):
    """A grid table with a titled, repeating, shaded header row. Returns the table."""
    t = document.add_table(rows=1, cols=len(header))
    t.style = document.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    t.autofit = False
    tblpr = t._tbl.tblPr
    cap = OxmlElement("w:tblCaption")
    cap.set(qn("w:val"), caption)
    tblpr.append(cap)
    if description:
        desc = OxmlElement("w:tblDescription")
        desc.set(qn("w:val"), description)
        tblpr.append(desc)
    head = t.rows[0]
    _row_flag(head, "w:cantSplit")
    _row_flag(head, "w:tblHeader")
    for cell, text in zip(head.cells, header):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _shade(cell, HEADER_FILL)
    set_widths(t, widths_cm)
    return t


def set_widths(t, widths_cm) -> None:
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(w * 567)))
    for row in t.rows:
        for cell, w in zip(row.cells, widths_cm):
            cell.width = Cm(w)


def add_row(t, texts, *, bold_first: bool = False, height_cm: float | None = None):
    """A body row; each text may hold template tags. Returns the row."""
    row = t.add_row()
    _row_flag(row, "w:cantSplit")
    for i, (cell, text) in enumerate(zip(row.cells, texts)):
        paragraph = cell.paragraphs[0]
        if text:
            run = paragraph.add_run(text)
            run.bold = bold_first and i == 0
    if height_cm:
        row_height(row, height_cm)
    widths = [c.width for c in t.rows[0].cells]
    for cell, w in zip(row.cells, widths):
        cell.width = w
    return row


def loop_rows(t, loop: str, texts, *, height_cm: float | None = None) -> None:
    """docxtpl row loop: '{%tr for … %}' row, the row itself, '{%tr endfor %}' row."""
    add_row(t, [f"{{%tr {loop} %}}"] + [""] * (len(texts) - 1))
    add_row(t, texts, height_cm=height_cm)
    add_row(t, ["{%tr endfor %}"] + [""] * (len(texts) - 1))


def keep_together(t) -> None:
    """Keep a short table on one page: every paragraph but the last row's keeps with the next
    (Word's and LibreOffice's way; rows already never split)."""
    rows = t._tbl.tr_lst
    for tr in rows[:-1]:
        for p in tr.iter(qn("w:p")):
            p.get_or_add_pPr().get_or_add_keepNext()


def no_wrap(t, column: int) -> None:
    """Never wrap the text of one column (dates: "2026-05-07" on one line)."""
    for tr in t._tbl.tr_lst:
        tcs = tr.tc_lst
        if column < len(tcs):
            tcpr = tcs[column].get_or_add_tcPr()
            if tcpr.find(qn("w:noWrap")) is None:
                tcpr.append(OxmlElement("w:noWrap"))


def keep_with_next(paragraph):
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def tag_paragraph(document, tag: str) -> None:
    """A paragraph holding only a '{%p … %}' tag (docxtpl removes the whole paragraph)."""
    document.add_paragraph(f"{{%p {tag} %}}")


def bullet(document, text: str):
    return document.add_paragraph(text, style="List Bullet")


# Fixed dates make a rebuild byte-for-byte the same when nothing changed (git diffs stay quiet).
BUILD_TIME = datetime(2026, 1, 1, tzinfo=UTC)


def to_bytes(document) -> bytes:
    props = document.core_properties
    props.created = props.modified = BUILD_TIME
    if props.last_printed is not None:
        props.last_printed = BUILD_TIME
    props.revision = 1
    out = io.BytesIO()
    document.save(out)
    return _normalised_zip(out.getvalue())


def _normalised_zip(blob: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
