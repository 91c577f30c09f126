"""The render process: `python -m dialog.sandbox.child MEMORY_MB`, started by process.py.

Reads pickled RenderRequests from stdin, answers each with the .docx or a JSON error on stdout,
under the operating-system limits described in process.py. Exits when stdin closes, and after
any failed render (the next render gets a fresh process).
"""

from __future__ import annotations

import json
import math
import os
import pickle
import resource
import struct
import sys

from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError, TemplateError

from .environment import RenderLimitExceeded
from .process import FAILED, OK, READY


def _error_body(error: str, message: str, lineno: int | None = None) -> bytes:
    return json.dumps({"error": error, "message": message[:500], "lineno": lineno}).encode()


def _classify(exc: BaseException) -> tuple[str, str, int | None]:
    if isinstance(exc, RenderLimitExceeded):
        return "limit", str(exc), None
    if isinstance(exc, MemoryError):
        return "limit", "att fylla i mallen krävde för mycket minne", None
    if isinstance(exc, RecursionError):
        return "limit", "mallen anropar sig själv för många gånger i rad", None
    if isinstance(exc, UndefinedError):
        return "undefined", str(exc), None
    if isinstance(exc, SecurityError):
        return "security", str(exc), None
    if isinstance(exc, TemplateSyntaxError):
        return "syntax", exc.message or "okänt fel", exc.lineno
    if isinstance(exc, TemplateError):
        return "template", str(exc), None
    return "crash", f"{type(exc).__name__}: {exc}", None


def _limit_cpu(seconds: float) -> None:
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    soft = math.ceil(spent + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _child_main(memory_mb: int) -> None:
    # The protocol owns the original stdin and stdout; anything a library prints goes to stderr.
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    from . import filling  # imports docxtpl, lxml and jinja before saying it is ready

    answers.write(READY)
    answers.flush()
    while True:
        header = requests.read(4)
        if len(header) < 4:
            return  # the web worker is gone
        (length,) = struct.unpack(">I", header)
        request = pickle.loads(requests.read(length))
        _limit_cpu(request.limits.cpu_seconds)
        try:
            data = filling.fill(request)
        except BaseException as exc:  # noqa: BLE001 - every failure is reported, then we exit
            body = _error_body(*_classify(exc))
            answers.write(FAILED + struct.pack(">I", len(body)) + body)
            answers.flush()
            return
        answers.write(OK + struct.pack(">I", len(data)) + data)
        answers.flush()


if __name__ == "__main__":
    _child_main(int(sys.argv[1]) if len(sys.argv) > 1 else 1024)
