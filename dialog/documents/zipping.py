"""A ZIP of one document for many dialogues, streamed: one document in memory at a time.

zipfile writes to a non-seekable stream with data descriptors, so each finished entry's bytes
are handed to the response as soon as it is written and then dropped.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

import sqlalchemy as sa

from ..extensions import db
from ..models import CareHome, Dialogue, DialogueStatus
from ..scope import Scope
from . import services
from .kinds import DocumentKind


class _Pipe:
    """A write-only, non-seekable sink whose written bytes are taken out in chunks."""

    def __init__(self):
        self._chunks: list[bytes] = []
        self._offset = 0

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        self._offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self._offset

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def dialogue_ids(scope: Scope, year: int, municipality_id: int | None = None) -> list[int]:
    """The live dialogues of the year the user may see, optionally of one municipality."""
    query = (
        sa.select(Dialogue.id)
        .join(CareHome, Dialogue.care_home_id == CareHome.id)
        .where(
            scope.dialogue_clause(),
            Dialogue.year == year,
            Dialogue.status != DialogueStatus.CANCELLED,
        )
        .order_by(CareHome.name, Dialogue.id)
    )
    if municipality_id is not None:
        query = query.where(CareHome.municipality_id == municipality_id)
    return list(db.session.scalars(query))


NOTE_NAME = "LÄS MIG – standardmall användes.txt"


def stream_zip(kind: DocumentKind, ids: list[int], *, actor=None) -> Iterator[bytes]:
    """Yield the ZIP's bytes, rendering one dialogue's document at a time.

    If a region's uploaded template cannot be filled in, that dialogue and the rest of the
    region get the shipped default (a failing template costs one failed render per ZIP, not one
    per dialogue), and a note in the ZIP says which files and why."""
    pipe = _Pipe()
    used: set[str] = set()
    templates: dict[int, services.TemplateInForce] = {}
    fallbacks: list[str] = []
    failed: dict[int, str] = {}
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for dialogue_id in ids:
            dialogue = db.session.get(Dialogue, dialogue_id)
            if dialogue is None:
                continue
            region_id = dialogue.care_home.municipality.region_id
            if region_id not in templates:
                templates[region_id] = services.template_in_force(kind, region_id)
            document = services.render_document(dialogue, kind, templates[region_id], actor=actor)
            name = services.download_name(kind, dialogue)
            if name in used:  # two homes of the same name in different municipalities
                name = name[:-5] + f" {dialogue.care_home.municipality.name}.docx"
            used.add(name)
            if document.failure is not None:
                templates[region_id] = document.template
                failed[region_id] = document.failure
                fallbacks.append(f"{name}: {document.failure}")
            elif region_id in failed:
                fallbacks.append(f"{name}: {failed[region_id]}")
            _write(archive, name, document.data)
            yield pipe.take()
        if fallbacks:
            note = (
                "Den uppladdade mallen kunde inte fyllas i för några av dokumenten, så "
                "standardmallen användes för dem. Administratören ser orsaken på sidan "
                "Dokumentmallar.\r\n\r\n" + "\r\n".join(fallbacks) + "\r\n"
            )
            _write(archive, NOTE_NAME, note.encode("utf-8"))
    yield pipe.take()


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_zip_time())
    info.compress_type = zipfile.ZIP_DEFLATED
    info.flag_bits |= 0x800  # UTF-8 file names
    archive.writestr(info, data)


def _zip_time():
    from ..timeutil import STOCKHOLM, now_utc

    now = now_utc().astimezone(STOCKHOLM)
    return (now.year, now.month, now.day, now.hour, now.minute, now.second)


def zip_name(kind: DocumentKind, year: int, where: str) -> str:
    return services.safe_filename(f"{kind.label} {where} {year}") + ".zip"
