"""A notice with a file attached (the minutes as a Word file), built like mail.py's messages.

multipart/mixed -> (multipart/alternative: text/plain, text/html) + the attachment, base64.
Uses mail.py's header and part builders, so every message we send is written the same way.
"""

from __future__ import annotations

import re

from .mail import CRLF, BuiltMessage, _finish, _headers, _multipart, _text_parts, b64


def safe_attachment_name(filename: str) -> str:
    """ASCII for the plain parameter, the UTF-8 name in RFC 2231 form beside it."""
    return re.sub(r"[^A-Za-z0-9._ -]", "_", filename).strip() or "bilaga"


def _rfc2231(filename: str) -> str:
    from urllib.parse import quote

    return "utf-8''" + quote(filename, safe="")


def notice_with_attachment(
    *,
    to_name: str,
    to_email: str,
    subject: str,
    text: str,
    html: str,
    filename: str,
    content: bytes,
    mimetype: str,
    reply_to: str | None = None,
) -> BuiltMessage:
    headers, message_id = _headers(
        to_name=to_name,
        to_email=to_email,
        subject=subject,
        reply_to=reply_to,
        from_name="Patientsäkerhetsdialog SÄBO",
    )
    ascii_name = safe_attachment_name(filename)
    attachment = (
        f'Content-Type: {mimetype}; name="{ascii_name}"{CRLF}'
        f'Content-Disposition: attachment; filename="{ascii_name}"; '
        f"filename*={_rfc2231(filename)}{CRLF}"
        f"Content-Transfer-Encoding: base64{CRLF}{CRLF}{b64(content)}"
    )
    alternative = _multipart("alternative", _text_parts(text, html))
    body = _multipart("mixed", [alternative, attachment])
    return _finish(headers, body, subject, message_id, to_email)
