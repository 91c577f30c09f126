"""Every generated document and every shipped template: valid OOXML (openxml-audit, zero
errors) and accessible Word (headings in order, header rows marked and repeated, rows never
split, Swedish everywhere, a title, render-time dates, text contrast at least 4.5:1)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from dialog.documents import services
from dialog.documents.kinds import KINDS
from dialog.extensions import db
from dialog.models import Dialogue
from tests.support.ooxml import assert_valid_docx, validation_errors
from tools.templates import TEMPLATE_DIR, build_all

from .helpers import dialogue_with_history

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def rendered(app, book):
    dialogue_id, _ = dialogue_with_history(app, book)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        return {key: services.render_for_dialogue(dialogue, kind) for key, kind in KINDS.items()}


@pytest.mark.parametrize("name", sorted(build_all()))
def test_shipped_templates_are_valid_ooxml(name):
    data = (TEMPLATE_DIR / name).read_bytes()
    assert_valid_docx(data)


def test_rendered_documents_and_previews_are_valid_ooxml(app, rendered, world):
    for key, data in rendered.items():
        assert validation_errors(data) == [], key
    with app.app_context():
        for key, kind in KINDS.items():
            preview = services.render_preview(services.default_template_bytes(kind), kind, None)
            assert validation_errors(preview) == [], key


def test_the_validator_finds_what_we_fixed():
    """The check can fail: an on/off value the schema does not allow is an error."""
    data = (TEMPLATE_DIR / "kallelse.docx").read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    xml = archive.read("word/document.xml").replace(
        b"<w:tblHeader/>", b'<w:tblHeader w:val="true"/>', 1
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in archive.infolist():
            blob = xml if info.filename == "word/document.xml" else archive.read(info.filename)
            target.writestr(info.filename, blob)
    assert any("tblHeader" in e for e in validation_errors(out.getvalue()))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _colours(data: bytes) -> set[str]:
    """Every text colour the document shows: set on its text (body, headers, footers) or in a
    style it uses (and the styles those are based on), and the defaults."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    styles = etree.fromstring(archive.read("word/styles.xml"))
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    used: set[str] = set()
    found: set[str] = set()

    def colours_in(element) -> None:
        for colour in element.iter(f"{W}color"):
            value = colour.get(f"{W}val")
            if value and value.lower() != "auto":
                found.add(value.upper())

    for name in archive.namelist():
        if (
            name.startswith("word/")
            and name.endswith(".xml")
            and ("document" in name or "header" in name or "footer" in name)
        ):
            root = etree.fromstring(archive.read(name))
            colours_in(root)
            for tag in ("pStyle", "rStyle", "tblStyle"):
                used |= {e.get(f"{W}val") for e in root.iter(f"{W}{tag}")}
    used.add(next(sid for sid, s in by_id.items() if s.get(f"{W}default") == "1"))
    pending = list(used)
    while pending:
        style = by_id.get(pending.pop())
        if style is None:
            continue
        colours_in(style)
        for link in ("basedOn", "link"):
            ref = style.find(f"{W}{link}")
            if ref is not None and ref.get(f"{W}val") not in used:
                used.add(ref.get(f"{W}val"))
                pending.append(ref.get(f"{W}val"))
    defaults = styles.find(f"{W}docDefaults")
    if defaults is not None:
        colours_in(defaults)
    return found


def _fills(data: bytes) -> set[str]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return {
        s.get(f"{W}fill").upper()
        for s in root.iter(f"{W}shd")
        if s.get(f"{W}fill") and s.get(f"{W}fill").lower() != "auto"
    } | {"FFFFFF"}


def test_every_document_is_accessible_word(rendered):
    started = datetime.now(UTC) - timedelta(minutes=10)
    for key, data in rendered.items():
        document = Document(io.BytesIO(data))
        # Headings in order: start at level 1, never skip a level on the way down.
        levels = [
            int(p.style.name.split()[-1])
            for p in document.paragraphs
            if p.style.name.startswith("Heading ") and p.text.strip()
        ]
        assert levels and levels[0] == 1, key
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, (key, levels)
        assert any(p.style.name == "Title" for p in document.paragraphs), key
        # Tables: a marked header row, repeated on every page; rows that never split.
        for table in document.tables:
            rows = table._tbl.tr_lst
            assert rows[0].trPr.find(qn("w:tblHeader")) is not None, key
            for tr in rows:
                assert tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None, key
            assert table._tbl.tblPr.find(qn("w:tblCaption")) is not None, key
        # Headings keep with the paragraph after them.
        for p in document.paragraphs:
            if p.style.name.startswith("Heading"):
                assert p.style.paragraph_format.keep_with_next, (key, p.style.name)
        # Swedish in the styles, the core properties and the theme's font language.
        lang = (
            document.styles.element.find(qn("w:docDefaults"))
            .find(qn("w:rPrDefault"))
            .find(qn("w:rPr"))
            .find(qn("w:lang"))
        )
        assert lang.get(qn("w:val")) == "sv-SE", key
        theme_lang = document.settings.element.find(qn("w:themeFontLang"))
        assert theme_lang.get(qn("w:val")) == "sv-SE", key
        props = document.core_properties
        assert props.language == "sv-SE" and props.title.startswith(KINDS[key].title), key
        # Created and modified: the render time, not python-docx's 2013 default.
        assert props.created >= started and props.modified >= started, (key, props.created)
        # On/off properties written the way the schema allows (no w:val="true").
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
        assert b'w:val="true"' not in xml, key
        # Text contrast at least 4.5:1 against white and every cell fill used.
        for colour in _colours(data):
            for fill in _fills(data):
                assert _contrast(colour, fill) >= 4.5, (key, colour, fill)
        # No python-docx leftovers (an outdated styles copy, a sample thumbnail).
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert "word/stylesWithEffects.xml" not in names, key
        assert "docProps/thumbnail.jpeg" not in names, key
