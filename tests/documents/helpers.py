"""Shared pieces of the documents tests: a dialogue with history, and templates good and bad."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from dialog.extensions import db
from dialog.models import (
    Action,
    ActionStatus,
    ContactRole,
    Dialogue,
    DialogueStatus,
    Participant,
    Party,
)
from tools.templates import docx_build as b

TRICKY = "Ärlig & <tydlig> \"rutin\" för 'överrapportering' – åäö ÅÄÖ é"
LONG_WORD = "Läkemedelsgenomgångsdokumentationsrutinsuppföljningsansvarsfördelningen"


def dialogue_with_history(app, book) -> tuple[int, int]:
    """A held 2026 dialogue for a1 with three actions, and the booked 2027 one.

    Returns (id of 2027 dialogue, id of the open action with tricky text)."""
    old_id = book("a1", date(2026, 3, 11))
    new_id = book("a1", date(2027, 3, 10))
    with app.app_context():
        old = db.session.get(Dialogue, old_id)
        old.status = DialogueStatus.DOCUMENTED
        tricky = Action(
            dialogue_id=old_id,
            description=f"{TRICKY} {LONG_WORD}",
            responsible_party=Party.CARE_HOME,
            responsible_role=ContactRole.NURSE,
            due_date=date(2026, 9, 30),
            status=ActionStatus.IN_PROGRESS,
        )
        done = Action(
            dialogue_id=old_id,
            description="Utse ersättare för SÄBO-läkaren.",
            responsible_party=Party.HEALTH_CENTRE,
            responsible_role=ContactRole.CENTRE_MANAGER,
            due_date=date(2026, 6, 1),
            status=ActionStatus.DONE,
        )
        db.session.add_all([tricky, done])
        new = db.session.get(Dialogue, new_id)
        new.location = f"Samlingsrummet {TRICKY}"
        # A stand-in with a name full of characters that need escaping.
        first = new.current_participants[0]
        db.session.add(
            Participant(
                dialogue_id=new_id,
                name="Zeta Ö'Brien & <Co>",
                email="zeta@test.example.org",
                role=ContactRole.NURSE,
                side=first.side,
            )
        )
        db.session.commit()
        return new_id, tricky.id


def simple_template(body_lines: list[str]) -> bytes:
    d = b.new_document(title="Egen mall")
    b.header_footer(d, "{{ home.name }} {{ dialogue.date }}", "Egen")
    d.add_heading("Egen agenda för {{ home.name }}", level=1)
    for line in body_lines:
        d.add_paragraph(line)
    return b.to_bytes(d)


def rezip(
    data: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """Copy a .docx, replacing or adding parts."""
    replace, add = replace or {}, add or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, blob in add.items():
            dst.writestr(name, blob)
    return out.getvalue()


def docm(data: bytes) -> bytes:
    """A macro-enabled document: content type switched and a (fake) VBA project part."""
    types = (
        zipfile.ZipFile(io.BytesIO(data))
        .read("[Content_Types].xml")
        .replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        )
    )
    return rezip(
        data,
        replace={"[Content_Types].xml": types},
        add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not a real vba project"},
    )


def zip_bomb(data: bytes, megabytes: int = 40) -> bytes:
    """A valid template plus one part that inflates from ~40 kB to `megabytes` MB of zeros."""
    out = io.BytesIO(data)
    src = zipfile.ZipFile(out)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        with dst.open("word/media/padding.xml", "w") as handle:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                handle.write(chunk)
    return buffer.getvalue()


def with_external_link(data: bytes) -> bytes:
    rels = zipfile.ZipFile(io.BytesIO(data)).read("word/_rels/document.xml.rels")
    rels = rels.replace(
        b"</Relationships>",
        (
            b'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/image" Target="http://attacker.example.org/track.png" '
            b'TargetMode="External"/></Relationships>'
        ),
    )
    return rezip(data, replace={"word/_rels/document.xml.rels": rels})
