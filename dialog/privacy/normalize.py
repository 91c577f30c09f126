"""Text normalisation before scanning, keeping a map back to the original positions.

People paste text from Word, PDFs and phones: full-width digits, digits of other scripts,
non-breaking and zero-width spaces, soft hyphens and typographic dashes. The scanner works on a
plain form of the text; every character of it remembers which span of the original it came from,
so hits can point at the words the user actually wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DASHES = set("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043")
APOSTROPHES = set("\u2018\u2019\u201b\u02bc\uff07")


@dataclass
class Normalised:
    text: str
    starts: list[int] | None  # original start index of each character (None: identical)
    ends: list[int] | None  # original end index (exclusive) of each character

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of text[start:end]."""
        if not self.text:
            return 0, 0
        if self.starts is None:
            return start, max(end, start + 1)
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


# Characters that need more than the identity: anything outside printable ASCII and the
# Latin-1 letters that Swedish text is made of.
_NEEDS_WORK = re.compile(r"[^\n\t\x20-\x7eÀ-ÖØ-öø-ÿ]")


_ONE_TO_ONE: dict[str, str | None] = {}


def _one_to_one(ch: str) -> str | None:
    """The plain form of a character when it is exactly one character (en dash, no-break
    space, curly quote …), else None (it needs the full, position-mapping treatment)."""
    if ch not in _ONE_TO_ONE:
        plain = None
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf":
            folded = "".join(_plain_char(c) for c in unicodedata.normalize("NFKC", ch))
            if len(folded) == 1:
                plain = folded
        _ONE_TO_ONE[ch] = plain
    return _ONE_TO_ONE[ch]


def normalise(text: str) -> Normalised:
    """NFKC per character cluster, invisible format characters removed, dashes and spaces
    unified, every decimal digit made ASCII."""
    text = text or ""
    if not _NEEDS_WORK.search(text):
        return Normalised(text, None, None)  # the common case: nothing to change
    # Next most common: a few characters that each become one plain character (dashes,
    # quotes, spaces): translate them in place, positions stay the same.
    table = {}
    for ch in set(_NEEDS_WORK.findall(text)):
        plain = _one_to_one(ch)
        if plain is None:
            break
        table[ord(ch)] = plain
    else:
        return Normalised(text.translate(table), None, None)
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
