"""Filling one Word template with docxtpl, inside the work budget. This runs in the render
process (process.py); nothing here touches the database or the web request."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from .environment import Limits, RenderLimitExceeded, TemplateEnvironment, _LRUCache, limits


@dataclass(frozen=True)
class Picture:
    """A PNG to place where the template says {{ name }} (docxtpl's InlineImage needs the
    template object, which exists only in the render process, so the context carries this)."""

    png: bytes
    width_mm: float


@dataclass(frozen=True)
class RenderRequest:
    """Everything one render needs; crosses the process boundary pickled (parent to child)."""

    template: bytes
    context: dict
    strict: bool = False
    limits: Limits = field(default_factory=Limits)
    # A module-level function called as finish(document, context) before saving, for what the
    # caller sets on every document (properties, language); pickled by reference.
    finish: Callable | None = None
    properties: dict | None = None  # core properties to set (title, language …)


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


def _with_pictures(value, template):
    if isinstance(value, Picture):
        return InlineImage(template, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _with_pictures(v, template) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_pictures(v, template) for v in value]
    return value


def fill(request: RenderRequest) -> bytes:
    """The filled-in document as .docx bytes. Raises Jinja's errors, RenderLimitExceeded, or
    whatever docxtpl raises on XML it cannot rebuild."""
    template = CachingDocxTemplate(io.BytesIO(request.template))
    context = _with_pictures(request.context, template)
    with limits(request.limits) as budget:
        template.render(context, jinja_env=environment(request.strict), autoescape=True)
    if request.finish is not None:
        request.finish(template.docx, request.context)
    for name, value in (request.properties or {}).items():
        setattr(template.docx.core_properties, name, value)
    out = io.BytesIO()
    template.save(out)
    data = out.getvalue()
    if len(data) > budget.limits.output_chars:
        raise RenderLimitExceeded("det ifyllda dokumentet blir för stort")
    return data
