"""Filling a Word template for a dialogue. The filling itself happens in the shared sandbox
(dialog/sandbox): a Jinja environment that counts work, in a render process with CPU, memory and
wall-clock limits, so a runaway template never takes a web worker with it."""

from __future__ import annotations

from functools import partial

from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from .. import sandbox
from ..sandbox import CachingDocxTemplate, RenderFailed, environment  # noqa: F401 (re-exported)
from ..timeutil import now_utc
from . import minutes_layout as layout
from .kinds import KINDS, DocumentKind

LANGUAGE = "sv-SE"
AUTHOR = "Patientsäkerhetsdialog SÄBO"


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


def finish_document(kind_key: str, document, context: dict) -> None:
    """Runs in the render process on the filled document, before it is saved."""
    _set_properties(document, KINDS[kind_key], context)
    _ensure_language(document)


def render(
    template_bytes: bytes,
    kind: DocumentKind,
    context: dict,
    *,
    strict: bool = False,
    cpu_seconds: float | None = None,
) -> bytes:
    """The filled-in document as .docx bytes. strict=True fails on any unknown variable.

    Raises RenderFailed (with .error and a Swedish message) when the template cannot be filled
    in: an error in the template, or more work than a render may do (`cpu_seconds` lowers the
    configured CPU limit)."""
    return sandbox.render_docx(
        template_bytes,
        context,
        strict=strict,
        finish=partial(finish_document, kind.key),
        cpu_seconds=cpu_seconds,
    )
