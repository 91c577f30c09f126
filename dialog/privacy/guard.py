"""The patient-data guard: finds what identifies a patient in free text and refuses it.

The text is normalised first (full-width digits, invisible characters, dashes), then each rule
runs on the normalised form; hits are mapped back to the words the user wrote. The names and
addresses of the regions, municipalities, homes and health centres in the registers are never
taken for people. Nothing here logs or stores the text.

Modes: "text" (free text: everything below is refused), "name" (a staff member's name: a plain
name passes, but an identity number, age, room, address, phone, birth date or patient word in
the same field does not), "org" (an organisation's own name or address: names, places and
addresses pass), "phone" (a contact's work phone: a phone number passes, an identity number
does not), "link" (a video link: identity numbers, birth dates, phone numbers and private
e-mail addresses are refused inside it).
"""

from __future__ import annotations

import re
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from . import cases
from .names_rules import find_names, name_phrases, org_phrases
from .normalize import normalise
from .numbers import RULES, identity_certainty

KIND_LABELS = {
    "personnummer": "Personnummer",
    "samordningsnummer": "Samordningsnummer",
    "namn": "Namn",
    "initialer": "Initialer",
    "anhorig": "Anhörig",
    "rumsnummer": "Rums- eller lägenhetsnummer",
    "alder": "Ålder",
    "fodelsedatum": "Födelsedatum",
    "telefon": "Telefonnummer",
    "epost": "Privat e-postadress",
    "adress": "Adress",
    "enskilt_fall": "Enskilt fall",
    "diagnos": "Diagnos med datum",
    "patientord": "Patientuppgift i namnfält",
}
STRUCTURAL_HINT = (
    "beskriv inte ett enskilt fall utan mönstret, t.ex. ”Vid två tillfällen i våras …” "
    "eller ”Rutinen för … saknas”"
)
ADVICE = {
    "personnummer": "ta bort personnumret; dialogen handlar om rutiner, inte om enskilda",
    "samordningsnummer": "ta bort samordningsnumret; dialogen handlar om rutiner, inte om enskilda",
    "namn": "skriv ”en boende”, ”en patient” eller yrkesrollen i stället för namnet",
    "initialer": "skriv ”en boende” i stället för initialerna",
    "anhorig": "skriv ”närstående” eller ”anhöriga” i stället för en viss anhörig",
    "rumsnummer": "skriv ”ett rum” eller ”en avdelning” i stället för numret",
    "alder": "skriv om gruppen i stället, t.ex. ”boende över 90 år”",
    "fodelsedatum": "ta bort födelsedatumet eller födelseåret",
    "telefon": "ta bort telefonnumret; hänvisa till verksamhetens växel eller funktion",
    "epost": "ta bort e-postadressen; hänvisa till en funktionsbrevlåda",
    "adress": "ta bort adressen; ange verksamhetens namn i stället",
    "enskilt_fall": STRUCTURAL_HINT,
    "diagnos": STRUCTURAL_HINT,
    "patientord": "skriv bara personalens namn i fältet",
}
# When two hits overlap, the more specific one is kept.
PRIORITY = [
    "personnummer",
    "samordningsnummer",
    "fodelsedatum",
    "telefon",
    "epost",
    "adress",
    "rumsnummer",
    "alder",
    "anhorig",
    "initialer",
    "namn",
    "patientord",
    "diagnos",
    "enskilt_fall",
]
_RANK = {kind: i for i, kind in enumerate(PRIORITY)}
MODES = ("text", "name", "org", "phone", "link")
# What each narrow mode still refuses.
_NAME_MODE_KINDS = {
    "personnummer",
    "samordningsnummer",
    "fodelsedatum",
    "telefon",
    "adress",
    "rumsnummer",
    "alder",
    "anhorig",
    "patientord",
    "diagnos",
    "enskilt_fall",
}
_ORG_MODE_KINDS = {"personnummer", "samordningsnummer", "fodelsedatum", "rumsnummer", "alder"}
_PATIENT_WORD = re.compile(
    r"\b(?:patient\w*|brukare\w*|boende|boenden|vårdtagare\w*|omsorgstagare\w*|pat|"
    r"anhörig\w*|dotter|dottern|son|sonen|make|maken|maka|makan|hustru\w*|sambo\w*|"
    r"barnbarn\w*|rum|lgh|lägenhet\w*|född\w*|år|årig\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hit:
    kind: str  # one of KIND_LABELS
    start: int  # offsets in the original text
    end: int
    text: str
    message: str
    # How sure the guard is (1.0 certain). For identity numbers the check digit decides; a
    # wrong check digit lowers it but the number is refused all the same.
    certainty: float = 1.0

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class PatientDataError(ValueError):
    """Raised when free text holds patient data.

    field_message is Swedish and quotes the refused words so the writer sees what to change: it
    may only be shown back to that writer, in the form, never stored, logged or flashed. str()
    of the error names the field and the kinds found, never the words, so a log line or an
    error report that prints the exception cannot leak them.
    """

    def __init__(self, field_label: str, hits: list[Hit]):
        self.field_label = field_label
        self.hits = hits
        shown = []
        for h in hits[:5]:
            shown.append(f"”{h.text}” ({h.label.lower()})")
        more = f" och {len(hits) - 5} till" if len(hits) > 5 else ""
        advice = "; ".join(dict.fromkeys(ADVICE[h.kind] for h in hits if h.kind in ADVICE))
        self.field_message = (
            f"Texten ser ut att innehålla patientuppgifter: {', '.join(shown)}{more}. "
            f"Skriv strukturellt – {advice}."
        )
        kinds = ", ".join(dict.fromkeys(h.label.lower() for h in hits))
        self.safe_message = (
            f"{field_label}: texten innehåller patientuppgifter ({kinds}) och sparades inte. "
            f"Skriv strukturellt – {advice}."
        )
        super().__init__(self.safe_message)


# The registers' names and their masked phrases, per application, shared by the requests of
# a process for REGISTER_TTL seconds (building them for 2,000 homes takes tens of ms). A change
# to the registers through the ORM drops them at once (columns.py); another process's change
# is seen within the TTL.
REGISTER_TTL = 60.0
_REGISTERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _register_state():
    from flask import current_app

    app = current_app._get_current_object()
    entry = _REGISTERS.get(app)
    now = time.monotonic()
    if entry is not None and now - entry[0] < REGISTER_TTL:
        return entry
    names: list[str] = []
    try:
        import sqlalchemy as sa

        from ..extensions import db
        from ..models import CareHome, HealthCentre, Municipality, Region

        with db.session.no_autoflush:
            for model in (Region, Municipality, HealthCentre, CareHome):
                names.extend(db.session.scalars(sa.select(model.name)))
            for model in (HealthCentre, CareHome):
                names.extend(
                    a for a in db.session.scalars(sa.select(model.address).distinct()) if a
                )
    except Exception:  # no tables yet (a fresh CLI run): scan without the register
        return (now, [], _DEFAULT_PHRASES)
    entry = (now, names, org_phrases(names))
    _REGISTERS[app] = entry
    return entry


def _register_names() -> list[str]:
    """Names and addresses of regions, municipalities, homes and health centres."""
    try:
        from flask import has_app_context
    except ImportError:  # pragma: no cover
        return []
    if not has_app_context():
        return []
    return _register_state()[1]


def forget_register_names() -> None:
    """Drop the cached register names (a home or centre was added, renamed or moved)."""
    try:
        from flask import current_app, g, has_app_context
    except ImportError:  # pragma: no cover
        return
    if has_app_context():
        _REGISTERS.pop(current_app._get_current_object(), None)
        g.pop("_privacy_cache", None)


def add_register_names(names: Iterable[str]) -> None:
    """New homes or centres: their names join the cached register instead of dropping it (a
    CSV import of 50 homes would otherwise rebuild it for the whole register 50 times)."""
    try:
        from flask import current_app, g, has_app_context
    except ImportError:  # pragma: no cover
        return
    if not has_app_context():
        return
    app = current_app._get_current_object()
    entry = _REGISTERS.get(app)
    if entry is None:
        return  # built from the database when next needed, these names included
    added = [n for n in names if n]
    _REGISTERS[app] = (entry[0], entry[1] + added, entry[2].extended(name_phrases(added)))
    g.pop("_privacy_cache", None)


def _phrases():
    from flask import has_app_context

    if has_app_context():
        return _register_state()[2]
    return _DEFAULT_PHRASES


_DEFAULT_PHRASES = org_phrases([])
_CACHE_SIZE = 4096


def _cache():
    try:
        from flask import g, has_app_context
    except ImportError:  # pragma: no cover
        return None
    if not has_app_context():
        return None
    cache = g.get("_privacy_cache")
    if cache is None:
        cache = g._privacy_cache = OrderedDict()
    return cache


def _raw_hits(plain: str, phrases, mode: str) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    for rule in RULES:
        found.extend(rule(plain))
    if mode in ("text", "name"):
        for rule in cases.RULES:
            found.extend(rule(plain))
    if mode == "text":
        found.extend(find_names(plain, phrases))
    elif mode == "name":
        for m in _PATIENT_WORD.finditer(plain):
            found.append(("patientord", m.start(), m.end()))
        found.extend(find_names(plain, phrases, staff_ok=True))
    if mode == "name":
        found = [f for f in found if f[0] in _NAME_MODE_KINDS]
    elif mode == "org":
        found = [f for f in found if f[0] in _ORG_MODE_KINDS]
    elif mode == "link":
        found = [
            f
            for f in found
            if f[0] in {"personnummer", "samordningsnummer", "fodelsedatum", "telefon", "epost"}
        ]
    elif mode == "phone":
        found = [f for f in found if f[0] in {"personnummer", "samordningsnummer", "fodelsedatum"}]
    return found


def _resolve(found: list[tuple[str, int, int]], plain: str) -> list[tuple[str, int, int]]:
    found.sort(key=lambda f: (f[1], _RANK[f[0]], -(f[2] - f[1])))
    kept: list[tuple[str, int, int]] = []
    for kind, start, end in found:
        if end <= start:
            continue
        clashes = [k for k in kept if start < k[2] and k[1] < end]
        if not clashes:
            kept.append((kind, start, end))
            continue
        best = min([(kind, start, end), *clashes], key=lambda f: _RANK[f[0]])
        for k in clashes:
            kept.remove(k)
        kept.append(
            (best[0], min(start, *(k[1] for k in clashes)), max(end, *(k[2] for k in clashes)))
        )
    kept.sort(key=lambda f: f[1])
    # "Anna-Lisa", "Anna Berg": neighbouring name hits are one name.
    merged: list[tuple[str, int, int]] = []
    for kind, start, end in kept:
        if (
            merged
            and kind in ("namn", "initialer")
            and merged[-1][0] in ("namn", "initialer")
            and plain[merged[-1][2] : start] in {"-", " "}
        ):
            merged[-1] = ("namn", merged[-1][1], end)
        else:
            merged.append((kind, start, end))
    return merged


def find_patient_data(
    text: str, *, org_names: list[str] | None = None, mode: str = "text"
) -> list[Hit]:
    """Every place in text that looks like patient data, in order, without overlaps."""
    if mode not in MODES:
        raise ValueError(f"unknown guard mode {mode!r}")
    if not text or not text.strip():
        return []
    cache = _cache() if org_names is None else None
    key = (mode, text)
    if cache is not None and key in cache:
        cache.move_to_end(key)
        return cache[key]
    norm = normalise(text)
    plain = norm.text
    phrases = org_phrases(org_names) if org_names is not None else _phrases()
    kept = _resolve(_raw_hits(plain, phrases, mode), plain)
    hits = []
    for kind, start, end in kept:
        o_start, o_end = norm.span(start, end)
        words = text[o_start:o_end]
        certainty = 1.0
        if kind in ("personnummer", "samordningsnummer"):
            certainty = identity_certainty(plain[start:end])
        hits.append(
            Hit(
                kind,
                o_start,
                o_end,
                words,
                f"{KIND_LABELS[kind]} ”{words}”: {ADVICE[kind]}.",
                certainty,
            )
        )
    if cache is not None:
        cache[key] = hits
        if len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    return hits


def ensure_no_patient_data(text: str, field_label: str, *, mode: str = "text") -> None:
    hits = find_patient_data(text, mode=mode)
    if hits:
        raise PatientDataError(field_label, hits)
