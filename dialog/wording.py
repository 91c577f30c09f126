"""Swedish number agreement: "1 rad", "3 rader"; "1 framgångsfaktor", "2 framgångsfaktorer".

The one helper for every count a person reads (pages, flash messages, mails). In templates it
is the filter `antal`: {{ n|antal('rad', 'rader') }}; `plural` gives the word alone.
"""

from __future__ import annotations


def plural(n: int, singular: str, many: str) -> str:
    """The word that agrees with n: singular for 1 (and -1), the plural form otherwise."""
    return singular if abs(int(n)) == 1 else many


def count(n: int, singular: str, many: str) -> str:
    """'1 rad', '0 rader', '12 rader'."""
    return f"{n} {plural(n, singular, many)}"


# Findings by kind, as people read them.
FINDING_WORDS = {
    "brist": ("brist", "brister"),
    "risk": ("risk", "risker"),
    "framgangsfaktor": ("framgångsfaktor", "framgångsfaktorer"),
}
