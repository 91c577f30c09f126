"""Finding names of people in the normalised text.

A name alone is not always a name ("Bo kvar", "Alla boende", "i maj"), so the rules weigh the
word lists (names.py) against the context: capitalisation, the start of a sentence, a title
("Herr", "Fru"), a patient word before it ("patienten", "brukaren") and a surname after it.
Names of regions, municipalities, homes and health centres known to the app are masked first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .names import (
    AMBIGUOUS_FIRST_NAMES,
    FIRST_NAMES,
    NOT_NAMES,
    SENTENCE_START_WORDS,
    SURNAMES,
    WEAK_SURNAMES,
)

Found = tuple[str, int, int]

_TOKEN = re.compile(r"[^\W\d_][\w'-]*")
_PART = re.compile(r"[^\W\d_]+")
_WORD = re.compile(r"\w+")
# Phrases that contain a name but are not about a person.
FIXED_PHRASES = (
    "lex maria",
    "lex sarah",
    "creutzfeldt jakob",
    "senior alert",
    "take care",
    "lewy body",
    "sankt göran",
    "sankt görans",
    "sankt erik",
    "sankt eriks",
)
GENERIC_ORG_WORDS = {
    "region",
    "regionen",
    "kommun",
    "kommunen",
    "vårdcentral",
    "vårdcentralen",
    "vc",
    "hälsocentral",
    "hälsocentralen",
    "boende",
    "boendet",
    "äldreboende",
    "äldreboendet",
    "säbo",
    "vård",
    "och",
    "omsorgsboende",
    "omsorgsboendet",
    "demensboende",
    "demensboendet",
    "hem",
    "hemmet",
    "ab",
    "stad",
    "stads",
    "läns",
    "landsting",
    "landstinget",
    "vårdboende",
    "vårdboendet",
    "servicehus",
    "servicehuset",
}
TITLES = (
    r"herr|fru|fröken|frk|hr|fr|tant|farbror|morbror|faster|moster|mr|mrs|ms|änkan|"
    r"änkeman|syster|doktor|dr"
)
PATIENT_WORDS = (
    r"patient(?:en)?|pat|brukare(?:n)?|boende(?:n)?|vårdtagare(?:n)?|omsorgstagare(?:n)?|"
    r"kund(?:en)?|hyresgäst(?:en)?|mannen|kvinnan|damen|herren|maken|makan|dottern|sonen|"
    r"anhörig(?:a)?|kvinna|man|dam|herre|make|maka|dotter|son|mamma|pappa|mor|far|"
    r"den\s+boende|den\s+äldre|den\s+enskilde|den\s+enskilda|avlidne|avlidna"
)
_TITLE = re.compile(r"\b(?:" + TITLES + r")\.?\s+(?P<name>[A-ZÅÄÖÉ][\w-]+)", re.IGNORECASE)
_TITLE_CASED = re.compile(r"^[A-ZÅÄÖÉ][a-zåäöéü]")
_CONTEXT = re.compile(
    r"\b(?:" + PATIENT_WORDS + r")\.?\s*,?\s+(?P<name>[\w-]+|[A-ZÅÄÖ]\.?)(?=$|[\s,.;:!?)])",
    re.IGNORECASE,
)
_INITIALS = re.compile(r"(?<![\w.])[A-ZÅÄÖ]\.\s?[A-ZÅÄÖ](?:\.\s?[A-ZÅÄÖ])*\.?(?![\w])")
_SURNAME_SUFFIX = re.compile(r"(?:sson|son|zon)$")
_SURNAME_LOOK = re.compile(
    r"(?:sson|son|berg|ström|strom|qvist|kvist|gren|lund|blom|holm|dahl|"
    r"stedt|ander|lind|ling|lin|man|mark|by|vall|ius|éen|én|ell|sky|ski|"
    r"ic|ić|ović|ovic|nen|ez|es|ini|elli)$"
)
_STRONG_SURNAME_LOOK = re.compile(
    r"(?:sson|berg|ström|qvist|kvist|gren|lund|blom|holm|dahl|"
    r"stedt|lind|ander)$"
)
_START_CHARS = set(".!?:;\n•*-(\"'»«[")


@dataclass
class Token:
    text: str
    start: int
    end: int
    at_start: bool


def _base(word: str) -> str:
    """The word without a genitive s (Annas -> Anna, Karlssons -> Karlsson)."""
    if word in FIRST_NAMES or word in SURNAMES:
        return word
    for suffix in ("s", "'s", ":s"):
        if word.endswith(suffix) and word[: -len(suffix)] in FIRST_NAMES | SURNAMES:
            return word[: -len(suffix)]
    return word


def _capitalised(word: str) -> bool:
    return bool(_TITLE_CASED.match(word))


def _is_start(text: str, index: int) -> bool:
    j = index - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j < 0:
        return True
    if text[j] in _START_CHARS:
        return True
    # A list number "1." or "2)" before the word.
    return bool(re.search(r"(?:^|\s)\d{1,2}[.)]\s*$", text[max(0, index - 8) : index]))


def tokens(text: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        out.append(Token(m.group(0), m.start(), m.end(), _is_start(text, m.start())))
    return out


def org_phrases(names: Iterable[str]) -> set[tuple[str, ...]]:
    """Word tuples to mask: each name, the name without generic words at its ends, genitives."""
    phrases: set[tuple[str, ...]] = {tuple(p.split()) for p in FIXED_PHRASES}
    for name in names:
        words = [w.lower() for w in _WORD.findall(name or "")]
        if not words:
            continue
        phrases.add(tuple(words))
        variants = {tuple(words)}
        core = list(words)
        while core and core[0] in GENERIC_ORG_WORDS:
            core.pop(0)
        while core and core[-1] in GENERIC_ORG_WORDS:
            core.pop()
        if core:
            variants.add(tuple(core))
        for v in list(variants):
            variants.add(v[:-1] + (v[-1] + "s",))
            if v[-1].endswith("s"):
                variants.add(v[:-1] + (v[-1][:-1],))
        # A shortened form made only of person names ("Anna-Lisas hem" -> "Anna Lisa") would
        # hide those names everywhere: only the full name of such a place is masked.
        phrases |= {v for v in variants if not _only_person_names(v)}
    return phrases


def _only_person_names(words: tuple[str, ...]) -> bool:
    return all(_base(w.capitalize()) in FIRST_NAMES | SURNAMES for w in words)


def masked_spans(text: str, phrases: set[tuple[str, ...]]) -> list[tuple[int, int]]:
    if not phrases:
        return []
    longest = max(len(p) for p in phrases)
    words = [(m.group(0).lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    spans = []
    for i in range(len(words)):
        for n in range(min(longest, len(words) - i), 0, -1):
            key = tuple(w for w, _, _ in words[i : i + n])
            if key in phrases:
                spans.append((words[i][1], words[i + n - 1][2]))
                break
    return spans


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _surname_like(word: str) -> bool:
    base = _base(word)
    if base in NOT_NAMES or not _capitalised(word):
        return False
    return base in SURNAMES or bool(_SURNAME_LOOK.search(base.lower()))


def find_names(text: str, phrases: set[tuple[str, ...]]) -> Iterator[Found]:
    mask = masked_spans(text, phrases)

    def free(start, end):
        return not _inside(start, end, mask)

    # Titles: Herr Lund, Fru Exempelsson, tant Svea.
    for m in _TITLE.finditer(text):
        name = m["name"]
        if (
            _capitalised(name)
            and _base(name) not in NOT_NAMES
            and free(m.start("name"), m.end("name"))
        ):
            yield "namn", m.start(), m.end()
    # A patient word before a capitalised word or an initial: "brukaren Gunvor", "patient K".
    for m in _CONTEXT.finditer(text):
        name = m["name"]
        if not free(m.start("name"), m.end("name")):
            continue
        letter = re.fullmatch(r"[A-ZÅÄÖ]\.?", name)
        if letter or (_capitalised(name) and _base(name) not in NOT_NAMES and not name.isupper()):
            yield "namn", m.start("name"), m.end("name")
        elif (
            name.lower().capitalize() in FIRST_NAMES - SENTENCE_START_WORDS - AMBIGUOUS_FIRST_NAMES
        ):
            yield "namn", m.start("name"), m.end("name")
    # Initials: A.B., A. B.
    for m in _INITIALS.finditer(text):
        if free(m.start(), m.end()):
            yield "namn", m.start(), m.end()

    toks = tokens(text)
    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        adjacent = nxt is not None and re.fullmatch(r"\s+", text[tok.end : nxt.start] or "x")
        for part in _PART.finditer(tok.text):
            word = part.group(0)
            start, end = tok.start + part.start(), tok.start + part.end()
            if not _capitalised(word) or not free(start, end):
                continue
            base = _base(word)
            if base in NOT_NAMES and base not in FIRST_NAMES:
                continue
            # "Stina-rummet", "Maria-anmälan": a name as the first part of a compound names a
            # thing, not a person.
            rest = tok.text[part.end() :]
            if rest.startswith("-") and rest[1:2].islower():
                continue
            at_start = tok.at_start and part.start() == 0
            is_first = base in FIRST_NAMES
            followed_by_surname = bool(
                adjacent
                and nxt is not None
                and free(nxt.start, nxt.end)
                and _capitalised(nxt.text)
                and _base(nxt.text) not in NOT_NAMES
                and not nxt.at_start
            )
            followed_by_initial = bool(re.match(r"\s+[A-ZÅÄÖ]\.?(?![\w])", text[end : end + 4]))
            if is_first and (followed_by_surname or followed_by_initial):
                stop = (
                    nxt.end
                    if followed_by_surname
                    else end + len(re.match(r"\s+[A-ZÅÄÖ]\.?", text[end : end + 4]).group(0))
                )
                yield "namn", start, stop
                continue
            if is_first:
                if base in NOT_NAMES or (at_start and base in SENTENCE_START_WORDS):
                    continue
                yield "namn", start, end
                continue
            if base in SURNAMES and base not in WEAK_SURNAMES:
                yield "namn", start, end
                continue
            if _SURNAME_SUFFIX.search(base) and len(base) >= 6 and not word.isupper():
                yield "namn", start, end
                continue
            # A capitalised word inside a sentence is a proper noun; with a surname ending and
            # not a known place or organisation, it is most likely a person.
            if not at_start and len(base) >= 6 and _STRONG_SURNAME_LOOK.search(base):
                yield "namn", start, end
