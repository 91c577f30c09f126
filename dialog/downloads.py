"""Downloads: every file the app hands out goes through Flask's send_file.

send_file writes the Content-Disposition (RFC 6266, with the exact UTF-8 name per RFC 5987 and
an ASCII fallback), so å, ä and ö survive in file names. Downloads hold scoped data: never
cached by anyone but the user's own browser.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from flask import send_file


def attachment(data: bytes | Iterable[bytes], name: str, mimetype: str):
    """A download of bytes, or of chunks produced while the answer is sent (a streamed ZIP)."""
    file = io.BytesIO(data) if isinstance(data, bytes) else _ChunkReader(iter(data))
    response = send_file(file, mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


class _ChunkReader(io.RawIOBase):
    """A read-only file over an iterator of byte chunks, so send_file can stream a generator."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size
