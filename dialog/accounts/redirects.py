"""Where to go after logging in: only a path on this site, else the start page.

Browsers are generous with what they take for a path: they drop tabs and newlines, read "\\" as
"/", and treat "//host" (and "/\\host", "/%09/host" after decoding) as another site. So the
target is decoded (repeatedly, for double encoding), cleaned the way a browser would, and only
accepted if what remains is a plain absolute path on this host. The cleaned form is returned,
so the Location header carries exactly what was checked.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from flask import url_for

_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def safe_next(target: str | None) -> str:
    start = url_for("web.index")
    if not target or len(target) > 2000:
        return start
    text = target
    for _ in range(4):  # undo %-encoding, however often it was applied
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    else:
        return start
    text = _INVISIBLE.sub("", text).replace("\\", "/")
    parts = urlsplit(text)
    if parts.scheme or parts.netloc or not text.startswith("/") or text.startswith("//"):
        return start
    return text
