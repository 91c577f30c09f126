"""Reading a Word file the way a person sees it after editing: what is typed, where it stands.

python-docx's `paragraph.text` skips runs inside tracked changes (`w:ins`), so a template typed
with track changes on reads as empty. Here the XML is walked directly:

* text inside `w:ins` and `w:moveTo` is read (it is what the document now says); text inside
  `w:del` and `w:moveFrom` is not (it was removed or moved away); a row whose row mark is
  deleted (`w:trPr/w:del`) is left out;
* tracked changes of table *cells* (`w:cellIns`, `w:cellDel`, `w:cellMerge`) are refused with
  a message, never guessed at;
* tables are laid out on their grid: horizontally merged cells (`w:gridSpan`) give their text to
  their first column, vertically merged ones (`w:vMerge`) to every row they cover;
* content controls, smart tags, hyperlinks and fields are read through (field codes are not);
* everything else a person can type in is collected with where it stood: paragraphs outside
  tables, Word comments, headers, footers, footnotes, text boxes and alt text.

Nothing here knows the documentation template; import_reading.py does.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Subtrees whose text is not in the document as it now reads.
_SKIP = {
    w("del"),
    w("moveFrom"),
    w("delText"),
    w("instrText"),
    w("delInstrText"),
    w("pPr"),
    w("rPr"),
    w("tblPr"),
    w("trPr"),
    w("tcPr"),
    w("txbxContent"),  # text boxes are read on their own, not as part of the paragraph
    f"{{{MC}}}Fallback",  # the same content again, for older readers
}
_BREAKS = {w("br"), w("cr")}
_WRAPPERS = {w("sdt"), w("sdtContent"), w("customXml"), w("smartTag")}
UNSUPPORTED_CELL_CHANGES = {w("cellIns"), w("cellDel"), w("cellMerge")}
# Upper bounds for an uploaded file: more is not a filled-in template.
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 60 * 1024 * 1024

TRACKED_CELLS = (
    "Dokumentet har spårade ändringar av tabellceller (infogade, borttagna eller sammanfogade "
    "celler) som inte kan läsas in säkert. Öppna filen i Word, välj Granska > Godkänn alla "
    "ändringar (eller Avvisa), spara och läs in filen igen."
)
ODT_REFUSED = (
    "Filen är sparad i OpenDocument-format (.odt) och kan inte läsas in här. Öppna den i "
    "LibreOffice eller Word och välj Arkiv > Spara som > Word 2007–365 (.docx), och läs in den "
    "nya .docx-filen."
)
ODT_FAILED = (
    "Filen är sparad i OpenDocument-format (.odt) och kunde inte göras om till .docx. Öppna den "
    "i LibreOffice eller Word och välj Arkiv > Spara som > Word 2007–365 (.docx), och läs in "
    "den nya filen."
)
DOC_REFUSED = (
    "Filen är ett äldre Word-dokument (.doc). Öppna den i Word eller LibreOffice och välj "
    "Arkiv > Spara som > Word-dokument (.docx), och läs in den nya filen."
)
DAMAGED = (
    "Filen kunde inte läsas som ett Word-dokument (.docx). Den kan vara skadad eller "
    "sparad i ett annat format. Spara den som .docx och försök igen."
)


class UnreadableFile(ValueError):
    """The file cannot be read; the message is Swedish and says what to do."""


@dataclass
class Row:
    number: int  # 1-based among the table's visible rows (the header is row 0)
    cells: list[str]  # text per grid column
    paths: list[str | None]  # XML path of the cell element per grid column (comment anchors)
    spans_all: bool = False  # one cell across the whole row


@dataclass
class Table:
    index: int  # 1-based, in document order
    heading: str  # the nearest heading above it ("" if none)
    caption: str  # Word's table title (w:tblCaption), if any
    header: list[str]
    rows: list[Row]
    path: str


@dataclass
class Text:
    place: str  # where it stood, in Swedish
    text: str
    path: str = ""  # XML path of the element (paragraphs only)
    heading: str = ""


@dataclass
class Comment:
    id: str
    text: str
    anchor_path: str | None  # XML path of the cell or paragraph the comment is attached to


@dataclass
class WordFile:
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[Text] = field(default_factory=list)  # body text outside tables
    comments: list[Comment] = field(default_factory=list)
    others: list[Text] = field(default_factory=list)  # headers, footers, notes, boxes, alt text
    identifier: str = ""
    subject: str = ""


def text_of(element) -> str:
    """The text of a paragraph (or anything holding runs) as it now reads."""
    out: list[str] = []
    _collect(element, out)
    return "".join(out)


def _collect(element, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == w("t"):
            out.append(child.text or "")
        elif tag == w("tab"):
            out.append(" ")
        elif tag in _BREAKS:
            out.append("\n")
        elif tag == w("noBreakHyphen"):
            out.append("-")
        else:
            _collect(child, out)


def _paragraphs(container):
    """The paragraphs directly in a container (cell, body, text box), through wrappers."""
    for child in container:
        if child.tag == w("p"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _paragraphs(child)


def cell_text(tc) -> str:
    return "\n".join(text_of(p) for p in _paragraphs(tc)).strip()


def _cells(tr):
    for child in tr:
        if child.tag == w("tc"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _cells(child)


def _rows(tbl):
    for child in tbl:
        if child.tag == w("tr"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _rows(child)


def _val(el, tag: str) -> str | None:
    if el is None:
        return None
    found = el.find(w(tag))
    if found is None:
        return None
    return found.get(w("val"), "")


def _row_deleted(tr) -> bool:
    trpr = tr.find(w("trPr"))
    return trpr is not None and trpr.find(w("del")) is not None


def _grid(tbl, tree) -> tuple[list[list[str]], list[list[str | None]], list[bool]]:
    """Every visible row as texts on the table's grid (merged cells resolved)."""
    width = len(tbl.findall(f"{w('tblGrid')}/{w('gridCol')}"))
    texts, paths, whole = [], [], []
    above: dict[int, tuple[str, str]] = {}
    for tr in _rows(tbl):
        if _row_deleted(tr):
            continue
        row: dict[int, str] = {}
        where: dict[int, str] = {}
        column = int(_val(tr.find(w("trPr")), "gridBefore") or 0)
        cells = list(_cells(tr))
        spans = []
        for tc in cells:
            tcpr = tc.find(w("tcPr"))
            if tcpr is not None and any(c.tag in UNSUPPORTED_CELL_CHANGES for c in tcpr):
                raise UnreadableFile(TRACKED_CELLS)
            span = int(_val(tcpr, "gridSpan") or 1)
            merge = _val(tcpr, "vMerge")
            path = tree.getpath(tc)
            if merge is not None and merge != "restart" and column in above:
                text, path = above[column]  # continues the cell above
            else:
                text = cell_text(tc)
            row[column], where[column] = text, path
            for extra in range(1, span):
                row[column + extra], where[column + extra] = "", path
            above[column] = (text, path)
            spans.append(span)
            column += span
        width = max(width, column)
        texts.append(row)
        paths.append(where)
        whole.append(len(cells) == 1 and spans[0] > 1)
    grid = [[r.get(c, "") for c in range(width)] for r in texts]
    grid_paths = [[p.get(c) for c in range(width)] for p in paths]
    return grid, grid_paths, [flag and width > 1 for flag in whole]


def _style(p) -> str:
    ppr = p.find(w("pPr"))
    return (_val(ppr, "pStyle") or "") if ppr is not None else ""


def _is_heading(p) -> bool:
    style = _style(p).lower()
    if style.startswith(("heading", "rubrik", "title", "rubrik")):
        return True
    ppr = p.find(w("pPr"))
    return ppr is not None and ppr.find(w("outlineLvl")) is not None


def _parse(blob: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(blob, parser)


def _read_zip(data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES or any(
            i.file_size > MAX_PART_BYTES for i in infos
        ):
            raise UnreadableFile("Filen är för stor för att vara en ifylld dokumentationsmall.")
        return {i.filename: archive.read(i.filename) for i in infos if not i.is_dir()}
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as error:
        raise UnreadableFile(DAMAGED) from error
    except Exception as error:  # zlib errors in a truncated file, and the like
        raise UnreadableFile(DAMAGED) from error


def _relations(parts: dict[str, bytes], source: str) -> dict[str, tuple[str, str]]:
    """rId -> (type, target part name) of a part's relationships."""
    folder, _, name = source.rpartition("/")
    rels_name = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    if rels_name not in parts:
        return {}
    out = {}
    for rel in _parse(parts[rels_name]).iter(f"{{{REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        if target.startswith("/"):
            full = target[1:]
        else:
            bits = (folder.split("/") if folder else []) + target.split("/")
            stack: list[str] = []
            for bit in bits:
                if bit == "..":
                    if stack:
                        stack.pop()
                elif bit and bit != ".":
                    stack.append(bit)
            full = "/".join(stack)
        out[rel.get("Id")] = (rel.get("Type", ""), full)
    return out


def _main_part(parts: dict[str, bytes]) -> str:
    for _, (kind, target) in _relations(parts, "").items():
        if kind.endswith("/officeDocument"):
            return target
    raise UnreadableFile(DAMAGED)


def looks_like_odt(data: bytes) -> bool:
    return data[:2] == b"PK" and b"application/vnd.oasis.opendocument.text" in data[:200]


def looks_like_old_doc(data: bytes) -> bool:
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def odt_to_docx(data: bytes, *, timeout: int = 90) -> bytes:
    """Convert an .odt with LibreOffice headless (private profile, time limit); refuse with a
    message on how to save as .docx when LibreOffice is not installed or fails."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UnreadableFile(ODT_REFUSED)
    with tempfile.TemporaryDirectory(prefix="odt-import-") as work:
        folder = Path(work)
        source = folder / "upload.odt"
        source.write_bytes(data)
        try:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{folder / 'profile'}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    str(folder / "out"),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
            return (folder / "out" / "upload.docx").read_bytes()
        except (subprocess.SubprocessError, OSError) as error:
            raise UnreadableFile(ODT_FAILED) from error


def read_word_file(data: bytes) -> WordFile:
    """Everything typed in a .docx, with where it stood. Raises UnreadableFile."""
    if looks_like_old_doc(data):
        raise UnreadableFile(DOC_REFUSED)
    if looks_like_odt(data):
        data = odt_to_docx(data)
    parts = _read_zip(data)
    try:
        return _read(parts)
    except UnreadableFile:
        raise
    except (etree.XMLSyntaxError, KeyError, ValueError, TypeError) as error:
        raise UnreadableFile(DAMAGED) from error


def _read(parts: dict[str, bytes]) -> WordFile:
    result = WordFile()
    main = _main_part(parts)
    if main not in parts:
        raise UnreadableFile(DAMAGED)
    root = _parse(parts[main])
    tree = root.getroottree()
    body = root.find(w("body"))
    if body is None:
        raise UnreadableFile(DAMAGED)
    _walk_body(body, tree, result)
    rels = _relations(parts, main)
    labels = {
        "header": "Sidhuvud",
        "footer": "Sidfot",
        "footnotes": "Fotnot",
        "endnotes": "Slutkommentar",
    }
    for kind, target in sorted(set(rels.values())):
        short = kind.rsplit("/", 1)[-1]
        if target not in parts:
            continue
        if short in labels:
            part = _parse(parts[target])
            for p in part.iter(w("p")):
                if _inside(p, {w("txbxContent"), f"{{{MC}}}Fallback"}):
                    continue
                text = text_of(p).strip()
                if text:
                    result.others.append(Text(labels[short], text))
            _boxes_and_alt_text(part, labels[short], result)
        elif short == "comments":
            _comments(_parse(parts[target]), root, result)
    _boxes_and_alt_text(root, "Dokumentet", result)
    _core(parts, result)
    return result


def _inside(el, tags: set[str]) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _walk_body(body, tree, result: WordFile) -> None:
    heading = ""
    pending_tables = []

    def blocks(container):
        for child in container:
            if child.tag in (w("p"), w("tbl")):
                yield child
            elif child.tag in _WRAPPERS:
                yield from blocks(child)

    def table(tbl, heading):
        grid, paths, whole = _grid(tbl, tree)
        if not grid:
            return
        caption = ""
        tblpr = tbl.find(w("tblPr"))
        if tblpr is not None:
            caption = _val(tblpr, "tblCaption") or ""
        rows = [
            Row(number, cells, where, spans_all)
            for number, (cells, where, spans_all) in enumerate(
                zip(grid[1:], paths[1:], whole[1:]), start=1
            )
        ]
        result.tables.append(
            Table(len(result.tables) + 1, heading, caption, grid[0], rows, tree.getpath(tbl))
        )
        # Tables inside this table's cells (a table the user moved into a cell).
        for tc in tbl.iter(w("tc")):
            for nested in tc:
                if nested.tag == w("tbl"):
                    pending_tables.append((nested, heading))

    for block in blocks(body):
        if block.tag == w("tbl"):
            table(block, heading)
            while pending_tables:
                table(*pending_tables.pop(0))
            continue
        text = text_of(block).strip()
        if not text:
            continue
        if _is_heading(block):
            heading = text
        result.paragraphs.append(
            Text(
                f"Text efter rubriken ”{heading}”" if heading else "Text i början av dokumentet",
                text,
                tree.getpath(block),
                heading,
            )
        )


def _boxes_and_alt_text(root, where: str, result: WordFile) -> None:
    for box in root.iter(w("txbxContent")):
        if _inside(box, {f"{{{MC}}}Fallback"}):
            continue
        text = "\n".join(text_of(p) for p in box.iter(w("p"))).strip()
        if text:
            result.others.append(Text(f"Textruta ({where.lower()})", text))
    for doc_pr in root.iter(f"{{{WP}}}docPr"):
        if _inside(doc_pr, {f"{{{MC}}}Fallback"}):
            continue
        for attr, label in (("descr", "Alternativ text"), ("title", "Bildens rubrik")):
            value = (doc_pr.get(attr) or "").strip()
            if value:
                result.others.append(Text(f"{label} på en bild ({where.lower()})", value))
    for tblpr in root.iter(w("tblPr")):
        value = (_val(tblpr, "tblDescription") or "").strip()
        if value:
            result.others.append(Text(f"Alternativ text på en tabell ({where.lower()})", value))


def _comments(part, document_root, result: WordFile) -> None:
    anchors: dict[str, str] = {}
    tree = document_root.getroottree()
    for tag in ("commentRangeStart", "commentReference"):
        for mark in document_root.iter(w(tag)):
            cid = mark.get(w("id"))
            if cid in anchors:
                continue
            holder = mark.getparent()
            while holder is not None and holder.tag not in (w("tc"), w("p")):
                holder = holder.getparent()
            # A paragraph in a cell: the cell is the place.
            if holder is not None and holder.tag == w("p"):
                parent = holder.getparent()
                while parent is not None and parent.tag in _WRAPPERS:
                    parent = parent.getparent()
                if parent is not None and parent.tag == w("tc"):
                    holder = parent
            if holder is not None:
                anchors[cid] = tree.getpath(holder)
    for comment in part.iter(w("comment")):
        cid = comment.get(w("id"))
        text = "\n".join(text_of(p) for p in comment.iter(w("p"))).strip()
        if text:
            result.comments.append(Comment(cid, text, anchors.get(cid)))


def _core(parts: dict[str, bytes], result: WordFile) -> None:
    for kind, target in _relations(parts, "").values():
        if kind.endswith("/core-properties") and target in parts:
            core = _parse(parts[target])
            result.identifier = (core.findtext(f"{{{DC}}}identifier") or "").strip()
            result.subject = (core.findtext(f"{{{DC}}}subject") or "").strip()


def digits_blurred(text: str) -> str:
    """Page numbers and the like differ between renderings: compare text with digits blurred."""
    return re.sub(r"\d+", "#", text)
