"""Small helpers of the steering-loop tests."""

from __future__ import annotations

import io

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import AuditEntry


def csv_file(text: str, name: str = "fil.csv"):
    """A multipart file value for the test client (UTF-8, as Excel's "CSV UTF-8" saves it)."""
    return (io.BytesIO(text.encode("utf-8")), name)


def audit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))


def docx_text(data: bytes) -> str:
    """All text of a .docx (body, tables) read back with python-docx, one line per paragraph."""
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


def relogin(client, username: str) -> None:
    """Log out whoever is logged in, then log in as username."""
    from tests.conftest import login

    client.post("/logga-ut")
    login(client, username)
