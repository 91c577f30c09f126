"""Checks on an uploaded Word template, before anything is stored.

In order: size, file name, a real zip, no zip bomb (declared sizes, ratios and number of
entries, then reading the parts we look at with a hard cap), the parts a .docx must have, not
macro-enabled and no VBA project, no external relationships, no DOCTYPE (entity tricks), Jinja
syntax, only documented variables, and finally strict renders in the sandbox (a render process
with limits on time, loops, sizes and memory) with the demo dialogue and with realistic large and
nearly empty dialogues (samples.py), so a template that only runs away on real data is caught
here rather than at the first download. Each refusal is a TemplateRejected with its own Swedish message saying what to fix.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.opc.oxml import parse_xml
from jinja2 import TemplateSyntaxError, meta
from lxml import etree

from ..sandbox import configured_cpu_seconds
from . import minutes_layout as layout
from .kinds import ALLOWED_NAMES, DocumentKind
from .rendering import CachingDocxTemplate, RenderFailed, environment, render
from .samples import sample_contexts

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 500
MAX_MEMBER_BYTES = 25 * 1024 * 1024
MAX_TOTAL_BYTES = 60 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members above RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1024 * 1024

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
MACRO_MARKERS = ("macroenabled", "vbaproject", "vbadata", "activex")


class TemplateRejected(ValueError):
    """An upload that cannot be used; str() is the message for the user (Swedish)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


MESSAGES = {
    "empty": "Filen är tom. Välj den .docx-fil som ska bli den nya mallen.",
    "too_large": "Filen är för stor ({size:.1f} MB). En mall får vara högst 5 MB; "
    "komprimera eller ta bort stora bilder och försök igen.",
    "docm": "Filen är ett Word-dokument med makron (.docm). Makron är inte tillåtna: spara "
    "mallen som ”Word-dokument (.docx)” och ladda upp den igen.",
    "extension": "Filen måste vara ett Word-dokument med ändelsen .docx.",
    "not_zip": "Filen är inte ett riktigt Word-dokument (.docx) – den har bara fått "
    "ändelsen .docx. Öppna den i Word eller LibreOffice och spara som "
    "”Word-dokument (.docx)”.",
    "zip_bomb": "Filen packas upp till orimligt mycket data ({detail}) och avvisas som en "
    "möjlig zip-bomb. Ladda upp en vanlig mall sparad direkt från Word.",
    "not_docx": "Filen är en zip-fil men inte ett Word-dokument: {detail}. Spara mallen som "
    "”Word-dokument (.docx)”.",
    "macros": "Filen innehåller makron eller ActiveX-kontroller ({detail}). Ta bort dem och "
    "spara som ”Word-dokument (.docx)”.",
    "external": "Mallen innehåller externa relationer ({detail}): länkar till webbadresser, "
    "länkade bilder eller andra filer. Ta bort länkarna (eller bädda in bilderna) "
    "och ladda upp igen.",
    "doctype": "Filen innehåller en XML-deklaration (DOCTYPE) som inte är tillåten i Word-mallar.",
    "corrupt": "Filen är skadad och kan inte öppnas som Word-dokument ({detail}).",
    "syntax": "Malltaggarna har ett syntaxfel: {detail}. Kontrollera att varje {{{{ … }}}} och "
    "{{% … %}} är komplett och att varje for/if avslutas med endfor/endif. "
    "Texten runt felet: ”{near}”.",
    "unknown_variable": "Mallen använder variabler som inte finns: {names}. Använd bara de "
    "variabler som listas på sidan.",
    "unknown_field": "Mallen använder ett fält som inte finns: {detail}. Se listan över "
    "variabler och deras fält.",
    "unsafe": "Mallen försöker göra något som inte är tillåtet i mallar ({detail}).",
    "minutes_layout": "Dokumentationsmallen måste behålla tabellerna som gör att en ifylld kopia "
    "kan läsas in igen. Saknas eller har ändrad rubrikrad: {missing}. Utgå "
    "från standardmallen och ändra inte tabellernas rubrikrader.",
    "render": "Mallen kunde inte fyllas i med {sample}: {detail}.",
    "limits": "Mallen kräver för mycket arbete när den fylls i med {sample}: {detail}. Minska "
    "antalet upprepningar (for-loopar inuti varandra), stora tal och långa texter i mallen och "
    "ladda upp den igen.",
}


def _reject(code: str, **fields) -> TemplateRejected:
    return TemplateRejected(code, MESSAGES[code].format(**fields))


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """Read one part with a hard cap, whatever its header claims."""
    with archive.open(name) as handle:
        data = handle.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise _reject("zip_bomb", detail=f"delen {name} är större än 25 MB")
    return data


def _check_zip(data: bytes) -> dict[str, bytes]:
    """The zip-level checks; returns the XML parts that were read (name -> bytes)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _reject("not_zip")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _reject("not_zip") from exc
    if len(infos) > MAX_ENTRIES:
        raise _reject("zip_bomb", detail=f"{len(infos)} delar")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES:
            raise _reject(
                "zip_bomb", detail=f"delen {info.filename} blir {info.file_size / 1e6:.0f} MB"
            )
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise _reject(
                "zip_bomb",
                detail=f"delen {info.filename} packas upp "
                f"{info.file_size // max(info.compress_size, 1)} gånger",
            )
    if total > MAX_TOTAL_BYTES:
        raise _reject("zip_bomb", detail=f"totalt {total / 1e6:.0f} MB")
    names = {info.filename for info in infos}
    lowered = " ".join(n.lower() for n in names)
    if any(marker in lowered for marker in MACRO_MARKERS):
        raise _reject("macros", detail="vbaProject eller ActiveX")
    for required in ("[Content_Types].xml", "word/document.xml"):
        if required not in names:
            raise _reject("not_docx", detail=f"delen {required} saknas")
    parts: dict[str, bytes] = {}
    try:
        for name in sorted(names):
            if name.endswith((".xml", ".rels")):
                parts[name] = _read_member(archive, name)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _reject("corrupt", detail=str(exc)[:120]) from exc
    return parts


def _check_parts(parts: dict[str, bytes]) -> None:
    for blob in parts.values():
        if b"<!DOCTYPE" in blob[:4096].upper() or b"<!ENTITY" in blob.upper():
            raise _reject("doctype")
    types = parts["[Content_Types].xml"].decode("utf-8", "replace").lower()
    if any(marker in types for marker in MACRO_MARKERS):
        raise _reject("macros", detail="makroaktiverad dokumenttyp")
    if DOCX_MAIN not in types and TEMPLATE_MAIN not in types:
        raise _reject("not_docx", detail="huvuddelen är inte ett Word-dokument")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for name, blob in parts.items():
        if not name.endswith(".rels"):
            continue
        try:
            root = etree.fromstring(blob, parser)
        except etree.XMLSyntaxError as exc:
            raise _reject("corrupt", detail=f"{name}: {exc}") from exc
        for rel in root:
            if (rel.get("TargetMode") or "").lower() == "external":
                target = (rel.get("Target") or "")[:80]
                raise _reject("external", detail=f"till ”{target}”")


def _template_sources(template: CachingDocxTemplate) -> list[str]:
    """Every piece of template text docxtpl will render: body, headers, footers, footnotes and
    the document properties, after docxtpl's own tag clean-up."""
    template.init_docx()
    docx = template.docx
    sources = [template.patch_xml(template.get_xml())]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _, part in template.get_headers_footers(uri):
            sources.append(template.patch_xml(template.xml_to_string(parse_xml(part.blob))))
    for part in docx.part.package.parts:
        if part.content_type.endswith("footnotes+xml"):
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            sources.append(template.patch_xml(blob))
    props = docx.core_properties
    for prop in ("author", "comments", "identifier", "language", "subject", "title"):
        sources.append(getattr(props, prop) or "")
    return sources


def _near(source: str, lineno: int | None) -> str:
    if not lineno:
        return ""
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)
    lines = source.splitlines()[max(lineno - 2, 0) : lineno + 1]
    text = re.sub(r"<[^>]+>", "", " ".join(lines))
    return re.sub(r"\s+", " ", text).strip()[:120]


def _check_tags(data: bytes) -> None:
    try:
        template = CachingDocxTemplate(io.BytesIO(data))
        sources = _template_sources(template)
    except Exception as exc:  # python-docx refuses the package
        raise _reject("corrupt", detail=type(exc).__name__) from exc
    env = environment(strict=True)
    used: set[str] = set()
    for source in sources:
        try:
            ast = env.parse(source)
        except TemplateSyntaxError as exc:
            raise _reject(
                "syntax", detail=exc.message or "okänt fel", near=_near(source, exc.lineno)
            ) from exc
        except RecursionError:
            raise _reject("syntax", detail="taggarna är för djupt nästlade", near="") from None
        used |= meta.find_undeclared_variables(ast)
    unknown = sorted(used - ALLOWED_NAMES)
    if unknown:
        raise _reject("unknown_variable", names=", ".join(unknown))


def _field_detail(message: str) -> str:
    match = re.search(r"has no attribute '([^']+)'", message) or re.search(
        r"'([^']+)' is undefined", message
    )
    return f"”{match.group(1)}”" if match else message[:120]


def validate_template(data: bytes, filename: str, kind: DocumentKind) -> None:
    """Raise TemplateRejected unless the upload is a safe, usable template for this kind."""
    if not data:
        raise _reject("empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise _reject("too_large", size=len(data) / (1024 * 1024))
    lower = (filename or "").lower()
    if lower.endswith((".docm", ".dotm")):
        raise _reject("docm")
    if not lower.endswith(".docx"):
        raise _reject("extension")
    parts = _check_zip(data)
    _check_parts(parts)
    try:
        Document(io.BytesIO(data))
    except Exception as exc:
        raise _reject("corrupt", detail=type(exc).__name__) from exc
    _check_tags(data)
    samples = sample_contexts(kind)
    # The samples share one render's CPU limit, so checking an upload costs no more than one
    # download may; an ordinary template needs a hundredth of it.
    cpu = configured_cpu_seconds() / len(samples)
    rendered = [_try_render(data, kind, label, context, cpu) for label, context in samples]
    if kind.key == "dokumentationsmall":
        _check_minutes_layout(rendered[0])


def _try_render(data: bytes, kind: DocumentKind, sample: str, context: dict, cpu: float) -> bytes:
    """A strict render with one sample dialogue, in the render process with its limits."""
    try:
        return render(data, kind, context, strict=True, cpu_seconds=cpu)
    except RenderFailed as failure:
        if failure.error == "undefined":
            raise _reject("unknown_field", detail=_field_detail(failure.message)) from None
        if failure.error == "limit":
            raise _reject("limits", sample=sample, detail=failure.message) from None
        if failure.error == "security":
            raise _reject("unsafe", detail=failure.message[:120]) from None
        if failure.error == "syntax":
            raise _reject("syntax", detail=failure.message, near="") from None
        raise _reject("render", sample=sample, detail=failure.message[:160]) from None


def _check_minutes_layout(rendered: bytes) -> None:
    """The importer finds the tables by their header rows: all of them must be there."""
    document = Document(io.BytesIO(rendered))
    found = {layout.table_key(c.text for c in t.rows[0].cells) for t in document.tables if t.rows}
    missing = [layout.TABLE_TITLES[k] for k in layout.TABLES if k not in found]
    if missing:
        raise _reject("minutes_layout", missing=", ".join(missing))
