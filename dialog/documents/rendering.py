"""Filling a Word template with docxtpl, in a sandboxed, autoescaping Jinja environment."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict

from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Undefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..timeutil import now_utc
from . import minutes_layout as layout
from .kinds import DocumentKind

LANGUAGE = "sv-SE"
AUTHOR = "Patientsäkerhetsdialog SÄBO"


class _LRUCache:
    """A small thread-safe least-recently-used cache: value = cache.get_or_make(key, make)."""

    def __init__(self, entries: int):
        self._items: OrderedDict = OrderedDict()
        self._entries = entries
        self._lock = threading.Lock()

    def get_or_make(self, key, make):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
                return value
        value = make()  # outside the lock: two threads may both make it, harmlessly
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._entries:
                self._items.popitem(last=False)
        return value


class TemplateEnvironment(ImmutableSandboxedEnvironment):
    """A sandbox (no attribute tricks, no unsafe calls, no changing lists or dicts) that
    escapes XML special characters, with a small cache of compiled templates: the same
    template XML is compiled once, not for every document (compiling is most of docxtpl's
    cost)."""

    # Cap what a template can make the server do: ranges, repetition and powers.
    intercepted_binops = frozenset({"*", "**"})
    MAX_RANGE = 1000
    MAX_REPEAT = 10_000

    def __init__(self, *, strict: bool = False, cache_entries: int = 64):
        super().__init__(autoescape=True, undefined=StrictUndefined if strict else Undefined)
        self.globals["range"] = self._range
        self._compiled = _LRUCache(cache_entries)

    def _range(self, *args):
        rng = range(*args)
        if len(rng) > self.MAX_RANGE:
            raise SecurityError(f"range är begränsad till {self.MAX_RANGE} steg")
        return rng

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise SecurityError("för stor exponent")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, (str, list, tuple))
                    and isinstance(count, int)
                    and (len(seq) * count > self.MAX_REPEAT)
                ):
                    raise SecurityError("för stor upprepning")
        return super().call_binop(context, operator, left, right)

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return self._compiled.get_or_make(
            source, lambda: super(TemplateEnvironment, self).from_string(source)
        )


class CachingDocxTemplate(DocxTemplate):
    """docxtpl's tag clean-up (patch_xml: a dozen regular expressions over the whole part) gives
    the same output for the same input, so it is remembered per part XML, like compilation."""

    _patched = _LRUCache(64)

    def patch_xml(self, src_xml):
        return self._patched.get_or_make(
            src_xml, lambda: super(CachingDocxTemplate, self).patch_xml(src_xml)
        )


_ENV = TemplateEnvironment()
_STRICT_ENV = TemplateEnvironment(strict=True, cache_entries=8)


def environment(strict: bool = False) -> TemplateEnvironment:
    return _STRICT_ENV if strict else _ENV


def document_title(kind: DocumentKind, context: dict) -> str:
    return f"{kind.title} – {context['home']['name']} {context['dialogue']['date']}"


def _ensure_language(document) -> None:
    """Swedish as the default language of every run (styles' docDefaults), for spelling and
    screen readers, even when an uploaded template forgot it."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANGUAGE)


def _set_properties(document, kind: DocumentKind, context: dict) -> None:
    props = document.core_properties
    props.title = document_title(kind, context)
    # The render time, not the template's (or python-docx's 2013 default) dates.
    props.created = props.modified = now_utc().replace(microsecond=0, tzinfo=None)
    props.revision = 1
    props.language = LANGUAGE
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.comments = ""
    if kind.key == "dokumentationsmall":
        dialogue = context["dialogue"]
        props.subject = layout.SUBJECT
        props.keywords = layout.KEYWORD
        props.identifier = layout.identifier_for(dialogue["id"], dialogue["calendar_uid"])
    else:
        props.subject = f"Patientsäkerhetsdialog {context['dialogue']['year']}"
        props.keywords = "patientsakerhetsdialog"
        props.identifier = ""


def render(
    template_bytes: bytes, kind: DocumentKind, context: dict, *, strict: bool = False
) -> bytes:
    """The filled-in document as .docx bytes. strict=True fails on any unknown variable."""
    template = CachingDocxTemplate(io.BytesIO(template_bytes))
    template.render(context, jinja_env=environment(strict), autoescape=True)
    _set_properties(template.docx, kind, context)
    _ensure_language(template.docx)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
