"""Filling Word templates safely: a Jinja sandbox that counts work (environment.py), run in a
separate render process with operating-system limits (process.py).

Shared by the documents feature (agendas and the rest, from templates administrators upload)
and the follow-up report. Every docxtpl render in the application goes through render_docx().
"""

from __future__ import annotations

import os
from dataclasses import replace

from .environment import DEFAULT_LIMITS, Limits, RenderLimitExceeded
from .filling import CachingDocxTemplate, Picture, RenderRequest, environment
from .process import RenderFailed, render_in_process, wall_timeout

__all__ = [
    "CachingDocxTemplate",
    "Limits",
    "Picture",
    "RenderFailed",
    "RenderLimitExceeded",
    "configured_cpu_seconds",
    "environment",
    "render_docx",
    "wall_timeout",
]


def _setting(name: str, default: str) -> str:
    from flask import current_app, has_app_context

    if has_app_context() and name in current_app.config:
        return str(current_app.config[name])
    return os.environ.get(f"DIALOG_{name}", default)


def configured_cpu_seconds() -> float:
    """The CPU time one render may use (DIALOG_RENDER_CPU_SECONDS, default 5)."""
    return float(_setting("RENDER_CPU_SECONDS", str(DEFAULT_LIMITS.cpu_seconds)))


def render_docx(
    template: bytes,
    context: dict,
    *,
    strict: bool = False,
    finish=None,
    properties: dict | None = None,
    cpu_seconds: float | None = None,
) -> bytes:
    """Fill `template` (.docx bytes) with `context` in a render process; the .docx bytes.

    strict=True fails on any unknown variable or field. `finish(document, context)`, a
    module-level function (or a functools.partial of one), runs on the filled python-docx
    document before it is saved; `properties` are core properties to set; `cpu_seconds` lowers
    the configured CPU limit for this render. Raises RenderFailed.
    """
    limit = configured_cpu_seconds()
    request = RenderRequest(
        template=template,
        context=context,
        strict=strict,
        limits=replace(DEFAULT_LIMITS, cpu_seconds=min(cpu_seconds or limit, limit)),
        finish=finish,
        properties=properties,
    )
    return render_in_process(request, int(_setting("RENDER_MEMORY_MB", "1024")))
