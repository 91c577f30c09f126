"""Showing audit entries in Swedish: field and object names, values in local time."""

from __future__ import annotations

from datetime import datetime

from ..timeutil import format_datetime

OBJECT_LABELS = {
    "CareHome": "Boende",
    "HealthCentre": "Vårdcentral",
    "Contact": "Kontaktperson",
    "Municipality": "Kommun",
    "Region": "Region",
    "Dialogue": "Dialog",
    "User": "Användare",
    "Participant": "Deltagare",
    "Finding": "Iakttagelse",
    "Action": "Åtgärd",
    "DocumentTemplate": "Dokumentmall",
    "ApiToken": "API-nyckel",
    "GroupMapping": "Gruppkoppling",
    "SignInAttempt": "Inloggningsförsök",
}
FIELD_LABELS = {
    "name": "Namn",
    "address": "Adress",
    "active": "Aktiv",
    "year": "År",
    "starts_at": "Start",
    "ends_at": "Slut",
    "location": "Plats",
    "video_link": "Videolänk",
    "status": "Status",
    "health_centre_id": "Vårdcentral (id)",
    "municipality_id": "Kommun (id)",
    "region_id": "Region (id)",
    "care_home_id": "Boende (id)",
    "cancel_reason": "Anledning",
    "email": "E-post",
    "phone": "Telefon",
    "role": "Roll",
    "operator": "Driftsform",
    "username": "Användarnamn",
    "scopes": "Behörigheter",
    "scope": "Behörighet",
    "added": "Tillagda",
    "removed": "Borttagna",
    "description": "Beskrivning",
    "kind": "Typ",
    "due_date": "Klart senast",
    "attendance": "Närvaro",
    "provider": "Inloggningstjänst",
    "issuer": "Utfärdare",
    "reason": "Orsak",
    "group_lock": "Låst behörighet",
}


def object_label(object_type: str) -> str:
    return OBJECT_LABELS.get(object_type, object_type)


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def value_text(value) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return "ja"
    if value is False:
        return "nej"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value) or "–"
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return format_datetime(datetime.fromisoformat(value))
        except ValueError:
            pass
    return str(value)


def change_rows(changes: dict) -> list[tuple[str, str]]:
    """(field, description) pairs: 'old → new' for changes, the value for new objects."""
    rows = []
    for key, value in (changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            old, new = value
            text = value_text(new) if old is None else f"{value_text(old)} → {value_text(new)}"
        else:
            text = value_text(value)
        rows.append((field_label(key), text))
    return rows
