"""The patient-data guard: finds what identifies a patient in free text and refuses it.

The text is normalised first (full-width digits, invisible characters, dashes), then each rule
runs on the normalised form; hits are mapped back to the words the user wrote. Names of the
regions, municipalities, homes and health centres in the database are never taken for names of
people. Nothing here logs or stores the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .names_rules import find_names, org_phrases
from .normalize import normalise
from .numbers import RULES

KIND_LABELS = {
    "personnummer": "Personnummer",
    "samordningsnummer": "Samordningsnummer",
    "namn": "Namn",
    "rumsnummer": "Rums- eller lägenhetsnummer",
    "alder": "Ålder",
    "fodelsedatum": "Födelsedatum",
    "telefon": "Telefonnummer",
    "epost": "Privat e-postadress",
}
ADVICE = {
    "personnummer": "ta bort personnumret; dialogen handlar om rutiner, inte om enskilda",
    "samordningsnummer": "ta bort samordningsnumret; dialogen handlar om rutiner, inte om enskilda",
    "namn": "skriv ”en boende”, ”en patient” eller yrkesrollen i stället för namnet",
    "rumsnummer": "skriv ”ett rum” eller ”en avdelning” i stället för numret",
    "alder": "skriv om gruppen i stället, t.ex. ”boende över 90 år”",
    "fodelsedatum": "ta bort födelsedatumet eller födelseåret",
    "telefon": "ta bort telefonnumret; hänvisa till verksamhetens växel eller funktion",
    "epost": "ta bort e-postadressen; hänvisa till en funktionsbrevlåda",
}
# When two hits overlap, the more specific one is kept.
PRIORITY = [
    "personnummer",
    "samordningsnummer",
    "fodelsedatum",
    "telefon",
    "epost",
    "rumsnummer",
    "alder",
    "namn",
]


@dataclass(frozen=True)
class Hit:
    kind: str  # one of KIND_LABELS
    start: int  # offsets in the original text
    end: int
    text: str
    message: str

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class PatientDataError(ValueError):
    """Raised when free text holds patient data. The message is Swedish and quotes the words so
    the writer sees what to change; it must only be shown back to that writer, never stored."""

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
        super().__init__(f"{field_label}: {self.field_message}")


def _known_org_names() -> list[str]:
    """Names of regions, municipalities, homes and health centres (cached per app context)."""
    try:
        from flask import g, has_app_context
    except ImportError:  # pragma: no cover
        return []
    if not has_app_context():
        return []
    cached = g.get("_privacy_org_names")
    if cached is not None:
        return cached
    names: list[str] = []
    try:
        import sqlalchemy as sa

        from ..extensions import db
        from ..models import CareHome, HealthCentre, Municipality, Region

        for model in (Region, Municipality, HealthCentre, CareHome):
            names.extend(db.session.scalars(sa.select(model.name)))
    except Exception:  # no tables yet (a fresh CLI run): scan without the register
        names = []
    g._privacy_org_names = names
    return names


def _phrases():
    from flask import g, has_app_context

    if has_app_context():
        cached = g.get("_privacy_org_phrases")
        if cached is None:
            cached = org_phrases(_known_org_names())
            g._privacy_org_phrases = cached
        return cached
    return org_phrases([])


def find_patient_data(text: str, *, org_names: list[str] | None = None) -> list[Hit]:
    """Every place in text that looks like patient data, in order, without overlaps."""
    if not text or not text.strip():
        return []
    norm = normalise(text)
    plain = norm.text
    found: list[tuple[str, int, int]] = []
    for rule in RULES:
        found.extend(rule(plain))
    phrases = org_phrases(org_names) if org_names is not None else _phrases()
    found.extend(find_names(plain, phrases))

    found.sort(key=lambda f: (f[1], PRIORITY.index(f[0]), -(f[2] - f[1])))
    kept: list[tuple[str, int, int]] = []
    for kind, start, end in found:
        if end <= start:
            continue
        clash = next((k for k in kept if start < k[2] and k[1] < end), None)
        if clash is None:
            kept.append((kind, start, end))
            continue
        if PRIORITY.index(kind) < PRIORITY.index(clash[0]):
            kept.remove(clash)
            kept.append((kind, min(start, clash[1]), max(end, clash[2])))
    kept.sort(key=lambda f: f[1])
    # "Anna-Lisa", "Anna Berg": neighbouring name hits are one name.
    merged: list[tuple[str, int, int]] = []
    for kind, start, end in kept:
        if (
            merged
            and kind == "namn" == merged[-1][0]
            and plain[merged[-1][2] : start] in {"-", " "}
        ):
            merged[-1] = (kind, merged[-1][1], end)
        else:
            merged.append((kind, start, end))
    kept = merged

    hits = []
    for kind, start, end in kept:
        o_start, o_end = norm.span(start, end)
        words = text[o_start:o_end]
        hits.append(
            Hit(kind, o_start, o_end, words, f"{KIND_LABELS[kind]} ”{words}”: {ADVICE[kind]}.")
        )
    return hits


def ensure_no_patient_data(text: str, field_label: str) -> None:
    hits = find_patient_data(text)
    if hits:
        raise PatientDataError(field_label, hits)
