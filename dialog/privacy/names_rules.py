"""Finding names, initials and relatives of people in the normalised text.

A name alone is not always a name ("Bo kvar", "Dag för dag", "i Mora"), so the rules weigh the
names file (names.py) against the context: capitalisation, the start of a sentence, a title
("fru", "herr"), a patient or relative word before it ("brukaren", "sonen"), a verb that only a
person does after it ("vägrar", "föll"), a surname after it. Names of the organisations in the
registers, and their addresses, are masked first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .names import ABBREVIATIONS, NOT_NAMES, TITLES, book

Found = tuple[str, int, int]

_TOKEN = re.compile(r"[^\W\d_][\w'-]*(?::s)?")
_WORD = re.compile(r"\w+")
FIXED_PHRASES = (
    "lex maria",
    "lex sarah",
    "creutzfeldt jakob",
    "senior alert",
    "take care",
    "cosmic link",
    "lewy body",
    "sankt göran",
    "sankt görans",
    "sankt erik",
    "sankt eriks",
    "bo kvar",
    "per telefon",
    "per dag",
    "per vecka",
    "per månad",
    "per år",
    "hans roll",
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
    "län",
    "landsting",
    "landstinget",
    "vårdboende",
    "vårdboendet",
    "servicehus",
    "servicehuset",
    "demo",
}
PATIENT_WORDS = (
    r"patient(?:en)?|pat|brukare(?:n)?|boende(?:n)?|vårdtagare(?:n)?|omsorgstagare(?:n)?|"
    r"kund(?:en)?|hyresgäst(?:en)?|mannen|kvinnan|damen|herren|kvinna|man|dam|herre|"
    r"den\s+boende|den\s+äldre|den\s+enskilde|den\s+enskilda|avlidne|avlidna"
)
RELATIVE_WORDS = (
    r"sonen|dottern|maken|makan|frun|hustrun|sambon|barnbarnet|brodern|systern|svärsonen|"
    r"svärdottern|svärfadern|svärmodern|mamman|pappan|modern|fadern|brorsonen|systerdottern|"
    r"systersonen|brorsdottern|kusinen|grannen|son|dotter|make|maka|fru|hustru|sambo|"
    r"barnbarn|bror|syster|man|svärson|svärdotter"
)
# A verb after a word that only a person does: it makes "Dag", "Per" or "Nora" a name.
PERSON_VERBS = frozenset(
    """
vägrar vägrade vill ville klagar klagade föll faller ramlade ramlar säger sa sade sover sov
äter åt behöver blir blev fick får mår mådde ringer ringde gick går sitter satt ligger låg
hittades slutat slutade brukar verkar tycker tyckte känner kände tar tog skriker skrek vandrar
vandrade har hade är var kom kommer hostar hostade gråter grät larmar larmade orkar orkade
förstår förstod pratar pratade talar talade bor bodde flyttade flyttar avled dog vaknar
vaknade kräks kräktes svarar svarade blöder blödde""".split()
)
_TITLE = re.compile(r"\b(?:" + "|".join(TITLES) + r")\.?\s+(?P<name>[^\W\d_][\w-]+)", re.IGNORECASE)
_PATIENT_BEFORE = re.compile(r"(?:^|[\s(,])(?:" + PATIENT_WORDS + r")\.?\s*,?\s*$", re.IGNORECASE)
_RELATIVE_BEFORE = re.compile(r"(?:^|[\s(,])(?:" + RELATIVE_WORDS + r")\s*,?\s*$", re.IGNORECASE)
_INITIALS_DOTTED = re.compile(
    r"(?<![\w.])[A-ZÅÄÖ]\.\s?(?:-\s?)?[A-ZÅÄÖ]\.?(?:\s?[A-ZÅÄÖ]\.)*(?::s)?(?![\w])"
)
_PATIENT_LETTER = re.compile(
    r"\b(?:" + PATIENT_WORDS + r")\.?\s+(?P<l>(?-i:[A-ZÅÄÖ])\.?)(?![\w.])", re.IGNORECASE
)
_INITIALS_HYPHEN = re.compile(r"(?<![\w-])[A-ZÅÄÖ]-[A-ZÅÄÖ](?::s)?(?![\w-])")
_INITIALS_CAPS = re.compile(r"(?<![\w-])[A-ZÅÄÖ]{2,3}(?::s)?(?![\w-])")
_INITIALS_AFTER = re.compile(
    r"^\s*(?::s\b|\)|och\s+[A-ZÅÄÖ]{2,3}\b|på\s|i\s|har\s|hade\s|fick\s|föll\s|vill\s|"
    r"behöver\s|är\s|var\s|får\s|vägrar\s|klagar\s|sover\s|ska\s)"
)
_INITIALS_BEFORE = re.compile(
    r"\b(?:" + PATIENT_WORDS + r"|om|prata\s+om|diskuterade|hantera|träffat|att|"
    r"hon|han|och|nr\s+\d+)\s*[\(.]?\s*$",
    re.IGNORECASE,
)
_SURNAME_LOOK = re.compile(
    r"(?:sson|berg|ström|qvist|kvist|gren|lund|blom|holm|dahl|stedt|ander|ić|ović|ovic|"
    r"ević|nen|ski|ska|zadeh)$"
)
_STRONG_SURNAME = re.compile(r"(?:sson|berg|ström|qvist|kvist|gren|lund|holm|dahl|stedt)$")
_START_CHARS = set(".!?:;\n•*(\"'»«[")
_LIST_NUMBER = re.compile(r"(?:^|\s)\d{1,2}[.)]\s*$")


class Token:
    """A word; whether it starts a sentence is worked out only when a rule asks."""

    __slots__ = ("text", "start", "end", "_source", "_at_start")

    def __init__(self, text: str, start: int, end: int, source: str):
        self.text, self.start, self.end, self._source = text, start, end, source
        self._at_start = None

    @property
    def at_start(self) -> bool:
        if self._at_start is None:
            self._at_start = _is_start(self._source, self.start)
        return self._at_start


def _is_start(text: str, index: int) -> bool:
    j = index - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j < 0 or text[j] in _START_CHARS:
        return True
    if text[j] == "-" and (j == 0 or text[j - 1] in " \n"):
        return True  # a list dash
    return bool(_LIST_NUMBER.search(text[max(0, index - 8) : index]))


def tokens(text: str) -> list[Token]:
    return [Token(m.group(0), m.start(), m.end(), text) for m in _TOKEN.finditer(text)]


def _base(word: str) -> str:
    """The word without a genitive s (Annas -> Anna, Karlssons -> Karlsson, K.J:s)."""
    names = book()
    if word.endswith(":s"):
        return word[:-2]
    if word in names.first or word in names.surnames:
        return word
    if word.endswith("s") and (word[:-1] in names.first or word[:-1] in names.surnames):
        return word[:-1]
    return word


class PhraseSet(frozenset):
    """Word tuples to mask, with the index masked_spans needs (built once per set)."""

    def __new__(cls, phrases):
        self = super().__new__(cls, phrases)
        self.firsts = frozenset(p[0] for p in self)
        self.longest = max((len(p) for p in self), default=0)
        return self

    def extended(self, phrases) -> PhraseSet:
        """This set with more phrases, its index grown by theirs alone (not rebuilt)."""
        added = frozenset(phrases) - self
        if not added:
            return self
        grown = frozenset.__new__(PhraseSet, self | added)
        grown.firsts = self.firsts | {p[0] for p in added}
        grown.longest = max(self.longest, max(len(p) for p in added))
        return grown


def org_phrases(names: Iterable[str]) -> PhraseSet:
    """Word tuples to mask: each organisation name (or address), the name without generic
    words at its ends, and genitive forms."""
    return PhraseSet({tuple(p.split()) for p in FIXED_PHRASES} | name_phrases(names))


def name_phrases(names: Iterable[str]) -> set[tuple[str, ...]]:
    """The phrases of these names alone (no fixed phrases)."""
    phrases: set[tuple[str, ...]] = set()
    for name in names:
        phrases |= _name_phrases(name or "")
    return phrases


@lru_cache(maxsize=32768)
def _name_phrases(name: str) -> frozenset[tuple[str, ...]]:
    """One name's phrases. Memoised: the register's phrases are rebuilt whenever a home is
    added, and a CSV import of 50 homes rebuilt them for all 2,000 homes 50 times."""
    words = [w.lower() for w in _WORD.findall(name)]
    if not words:
        return frozenset()
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
    return frozenset({tuple(words)} | {v for v in variants if not _only_person_names(v)})


def _only_person_names(words: tuple[str, ...]) -> bool:
    people = book().people
    return all(_base(w.capitalize()) in people for w in words)


def masked_spans(text: str, phrases: set[tuple[str, ...]]) -> list[tuple[int, int]]:
    if not phrases:
        return []
    if not isinstance(phrases, PhraseSet):
        phrases = PhraseSet(phrases)
    firsts, longest = phrases.firsts, phrases.longest
    words = [(m.group(0).lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    spans = []
    for i, (word, _, _) in enumerate(words):
        if word not in firsts:
            continue
        for n in range(min(longest, len(words) - i), 0, -1):
            key = tuple(w for w, _, _ in words[i : i + n])
            if key in phrases:
                spans.append((words[i][1], words[i + n - 1][2]))
                break
    return spans


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1:2].islower()


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s*([^\W\d_]+)", text[end : end + 40])
    return m.group(1).lower() if m else ""


def find_names(
    text: str, phrases: set[tuple[str, ...]], *, staff_ok: bool = False
) -> Iterator[Found]:
    """Names ("namn") and initials ("initialer") of people. staff_ok: the field holds a staff
    member's name (name mode), so a plain name is not a hit."""
    names = book()
    mask = masked_spans(text, phrases)

    def free(start, end):
        return not _inside(start, end, mask)

    if not staff_ok:
        yield from _initials(text, free)
    # Titles: Herr Lund, fru Exempelsson, tant Svea (a title makes any word a name).
    for m in _TITLE.finditer(text):
        name = m["name"]
        if (
            (name[0].isupper() or _base(name.capitalize()) in names.surnames)
            and name not in NOT_NAMES
            and free(m.start("name"), m.end("name"))
            and not staff_ok
        ):
            yield "namn", m.start(), m.end()
    if staff_ok:
        return

    toks = tokens(text)
    for i, tok in enumerate(toks):
        word = tok.text
        # Most words are ordinary lower-case words: leave them before any context work.
        if (
            word.islower()
            and (word[:-2] if word.endswith(":s") else word) not in (names.common_lower)
            and not all(p in names.common_lower for p in word.split("-"))
        ):
            continue
        if not free(tok.start, tok.end):
            continue
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        gap_next = text[tok.end : nxt.start] if nxt else ""
        parts = word.split("-")
        # "Stina-rummet", "Maria-anmälan", "Vera-projektet": a name as the first part of a
        # compound names a thing, not a person.
        if len(parts) > 1 and parts[-1][:1].islower():
            continue
        before = text[max(0, tok.start - 40) : tok.start]
        patient_before = bool(_PATIENT_BEFORE.search(before)) and not re.search(
            r"[.!?]\s*$", before
        )
        relative_before = bool(_RELATIVE_BEFORE.search(before)) and not re.search(
            r"[.!?]\s*$", before
        )
        next_word = _next_word(text, tok.end)
        person_verb = next_word in PERSON_VERBS
        genitive_relative = word.endswith("s") and re.match(
            r"\s+(?:dotter|son|make|maka|man|fru|syster|bror|barnbarn|anhöriga|sambo)\b",
            text[tok.end : tok.end + 20],
        )

        if word.isupper() and len(word.replace("-", "")) >= 3:
            if word in ABBREVIATIONS or word.replace("-", "") in ABBREVIATIONS:
                continue
            cased = "-".join(p.capitalize() for p in parts)
            base = _base(cased)
            if (
                (base in names.first or base in names.surnames)
                and base not in names.words
                and base not in names.places
                and base not in NOT_NAMES
            ):
                yield "namn", tok.start, tok.end
            continue
        if word.islower():
            base = word[:-2] if word.endswith(":s") else word
            if len(parts) > 1:
                known = all(p in names.common_lower for p in parts)
            else:
                known = base in names.common_lower
            if known and (not tok.at_start or person_verb):
                yield "namn", tok.start, tok.end
            continue
        if not _capitalised(parts[0]):
            continue
        base = _base(word)
        cased_parts = [_base(p) for p in parts]
        is_first = base in names.first or all(p in names.first for p in cased_parts)
        is_surname = base in names.surnames
        ambiguous = base in names.words or base in names.places
        next_unknown = bool(
            nxt
            and re.fullmatch(r"[ \t]+", gap_next or "x")
            and _capitalised(nxt.text)
            and not nxt.at_start
            and free(nxt.start, nxt.end)
            and _base(nxt.text) not in NOT_NAMES
            and _base(nxt.text) not in names.words
            and _base(nxt.text) not in names.places
            and not (_base(nxt.text) in names.first and _base(nxt.text) not in names.surnames)
            and not (nxt.text.endswith("s") and _base(nxt.text) == nxt.text)
        )
        followed_by_name = bool(
            nxt
            and re.fullmatch(r"[ \t]+", gap_next or "x")
            and _capitalised(nxt.text)
            and free(nxt.start, nxt.end)
            and (
                _base(nxt.text) in names.surnames
                or (_base(nxt.text) in names.first and is_first)
                or (_SURNAME_LOOK.search(nxt.text) and _base(nxt.text) not in names.places)
            )
            and _base(nxt.text) not in NOT_NAMES
            and (_base(nxt.text) not in names.words or is_first)
        )
        preceded_by_first = bool(
            prev
            and re.fullmatch(r"[ \t]+", text[prev.end : tok.start] or "x")
            and _base(prev.text) in names.first
            and _base(prev.text) not in names.words
            and free(prev.start, prev.end)
            and _capitalised(prev.text)
        )
        if base in NOT_NAMES and not (
            patient_before or relative_before or (is_first and next_unknown)
        ):
            continue
        evidence = (
            patient_before
            or relative_before
            or person_verb
            or genitive_relative
            or followed_by_name
        )
        if is_first or is_surname:
            rare_word = base in names.words and names.per_million.get(base, 0) == 0
            if not ambiguous:
                yield "namn", tok.start, tok.end
            elif rare_word:
                if patient_before or relative_before or followed_by_name or preceded_by_first:
                    yield "namn", tok.start, tok.end
            elif evidence or preceded_by_first or (is_first and next_unknown):
                yield "namn", tok.start, tok.end
            elif (
                not tok.at_start
                and is_first
                and base not in names.places
                and base in names.first
                and not (prev and prev.text.lower() in {"i", "från", "till", "på", "vid", "mot"})
            ):
                # Mid-sentence and capitalised: a name that is also a word is a name here.
                yield "namn", tok.start, tok.end
            continue
        # An unknown word: a name when a patient or relative word, a first name or a person
        # verb vouches for it, or when it looks like a surname in the middle of a sentence.
        if len(base) < 3:
            continue
        if base in names.places:
            continue
        if preceded_by_first and (_SURNAME_LOOK.search(base) or not tok.at_start):
            yield "namn", tok.start, tok.end
        elif (patient_before or relative_before) and not tok.at_start:
            yield "namn", tok.start, tok.end
        elif not tok.at_start and any(
            len(p) >= 5 and re.search(r"(?:sson|ić|ović|ovic|ević|nen|ski|zadeh)$", p)
            for p in parts
        ):
            yield "namn", tok.start, tok.end
        elif (
            not tok.at_start
            and len(base) >= 6
            and _STRONG_SURNAME.search(base)
            and not (prev and prev.text.lower() in {"i", "från", "till", "på", "vid", "mot", "av"})
            and not re.match(
                r"\s+(?:vårdcentral|hälsocentral|boende|äldreboende|kommun|region)",
                text[tok.end : tok.end + 20],
                re.IGNORECASE,
            )
        ):
            yield "namn", tok.start, tok.end


def _initials(text: str, free) -> Iterator[Found]:
    for m in _INITIALS_DOTTED.finditer(text):
        if free(m.start(), m.end()):
            yield "initialer", m.start(), m.end()
    for m in _PATIENT_LETTER.finditer(text):
        if free(m.start("l"), m.end("l")):
            yield "initialer", m.start("l"), m.end("l")
    for m in _INITIALS_HYPHEN.finditer(text):
        if free(m.start(), m.end()):
            yield "initialer", m.start(), m.end()
    for m in _INITIALS_CAPS.finditer(text):
        letters = m.group(0).removesuffix(":s")
        if not free(m.start(), m.end()):
            continue
        before = text[max(0, m.start() - 30) : m.start()]
        if letters in ABBREVIATIONS and not re.search(
            r"(?:" + PATIENT_WORDS + r")\s*\(\s*$", before, re.IGNORECASE
        ):
            continue
        after = text[m.end() : m.end() + 25]
        possessive = m.group(0).endswith(":s")
        at_start = _is_start(text, m.start())
        if (
            possessive
            or _INITIALS_BEFORE.search(before)
            or (at_start and _INITIALS_AFTER.match(after))
            or re.match(r"^\s*och\s+[A-ZÅÄÖ]{2,3}\b", after)
            or re.search(r"\b[A-ZÅÄÖ]{2,3}\s+och\s*$", before)
        ):
            yield "initialer", m.start(), m.end()
