"""Text normalisation before scanning, keeping a map back to the original positions.

People paste text from Word, PDFs and phones: full-width digits, digits of other scripts,
non-breaking and zero-width spaces, soft hyphens and typographic dashes. The scanner works on a
plain form of the text; every character of it remembers which span of the original it came from,
so hits can point at the words the user actually wrote.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

DASHES = set("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043")
APOSTROPHES = set("\u2018\u2019\u201b\u02bc\uff07")


@dataclass
class Normalised:
    text: str
    starts: list[int]  # original start index of each character of text
    ends: list[int]  # original end index (exclusive) of each character of text

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of text[start:end]."""
        if not self.text:
            return 0, 0
        end = max(end, start + 1)
        return self.starts[start], self.ends[min(end, len(self.text)) - 1]


def _clusters(text: str):
    """Yield (start, end) of a base character with the combining marks that follow it."""
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        yield i, j
        i = j


def _plain_char(ch: str) -> str:
    if ch in DASHES:
        return "-"
    if ch in APOSTROPHES:
        return "'"
    if ch.isdecimal() and not ch.isascii():
        return str(unicodedata.decimal(ch))
    if ch != "\n" and ch != "\t" and unicodedata.category(ch) == "Zs":
        return " "
    return ch


def normalise(text: str) -> Normalised:
    """NFKC per character cluster, invisible format characters removed, dashes and spaces
    unified, every decimal digit made ASCII."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text or ""):
        cluster = text[start:end]
        if all(unicodedata.category(c) == "Cf" for c in cluster):
            continue  # zero-width space, soft hyphen, BOM, direction marks …
        for ch in unicodedata.normalize("NFKC", cluster):
            if unicodedata.category(ch) == "Cf":
                continue
            for plain in _plain_char(ch):
                out.append(plain)
                starts.append(start)
                ends.append(end)
    return Normalised("".join(out), starts, ends)
