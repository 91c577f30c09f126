"""Placeholder detection until the findings issue builds the real guard (same interface)."""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    kind: str  # e.g. "personnummer", "namn", "rumsnummer", "alder", "fodelsedatum", "telefon", "epost"
    start: int
    end: int
    text: str
    message: str


class PatientDataError(ValueError):
    def __init__(self, field_label: str, hits: list[Hit]):
        self.field_label = field_label
        self.hits = hits
        words = ", ".join(f"”{h.text}”" for h in hits[:5])
        super().__init__(
            f"{field_label}: texten ser ut att innehålla patientuppgifter ({words}). "
            "Skriv strukturellt, utan uppgifter som kan peka ut en enskild person."
        )


_PERSONAL_NUMBER = re.compile(r"\b(?:\d{2})?\d{6}[-+ ]?\d{4}\b")


def find_patient_data(text: str) -> list[Hit]:
    return [Hit("personnummer", m.start(), m.end(), m.group(0), "Personnummer")
            for m in _PERSONAL_NUMBER.finditer(text or "")]


def ensure_no_patient_data(text: str, field_label: str) -> None:
    hits = find_patient_data(text)
    if hits:
        raise PatientDataError(field_label, hits)
