"""Realistic sample dialogues an uploaded template is tried with before it is stored.

The demo dialogue alone is not enough: a template can behave on it and run away on real data
(``{% if dialogue.id > 0 %}`` …). So every upload is also filled in with the largest dialogue the
application allows in practice (the longest names, 40 participants, 150 actions to follow up, the
highest id and year) and with a nearly empty one (no participants, no health centre, no earlier
actions). All names are fictional.
"""

from __future__ import annotations

import copy

from ..bounds import MAX_DB_ID, MAX_YEAR, MIN_YEAR
from .context import demo_context
from .kinds import DocumentKind

ROLES = ["Enhetschef", "Sjuksköterska", "Arbetsterapeut", "Fysioterapeut", "SÄBO-läkare"]
ANSWERS = ["Ja", "Nej", "Kanske", "Inte svarat"]
STATUSES = ["Ej påbörjad", "Pågår", "Klar", "Avbruten"]


def _long(text: str, length: int) -> str:
    """`text` padded with fictional words to exactly `length` characters."""
    filler = " Demotext med åäö & <tecken> som måste kodas"
    while len(text) < length:
        text += filler
    return text[:length]


def _first(context: dict, key: str) -> dict:
    """The demo's first item of a list, as the shape every sample item takes."""
    items = context.get(key) or [{}]
    return dict(items[0])


def large_context(kind: DocumentKind, region_id: int | None = None) -> dict:
    context = copy.deepcopy(demo_context(kind, region_id))
    year = MAX_YEAR
    dialogue = context["dialogue"]
    dialogue.update(
        id=MAX_DB_ID,
        year=year,
        date=f"{year}-12-30",
        time_range=f"{year}-12-30 kl. 08.00–17.00",
        location=_long("Demoboendet Solbacken, stora samlingssalen", 240),
        video_link=_long("https://video.example.org/demo/", 500).replace(" ", "-"),
        organiser=_long("Alfa Exempelsson-Demoberg", 160),
        organiser_email="alfa.exempelsson-demoberg@demo.example.org",
    )
    # Update, never replace: a field the demo context has must exist in the samples too.
    context["home"].update(
        name=_long("Demoboendet Solbacken", 160), address=_long("Exempelvägen 1", 240)
    )
    context["municipality"].update(name=_long("Demokommunen", 120))
    context["region"].update(name=_long("Demoregionen", 120))
    context["health_centre"].update(
        name=_long("Demo-vårdcentralen Torget", 160), address=_long("Torget 2", 240)
    )
    person = _first(context, "participants")
    people = [
        person
        | {
            "id": MAX_DB_ID - n,
            "name": _long(f"Deltagare {n} Exempelsson", 160),
            "role": ROLES[n % len(ROLES)],
            "side": "SÄBO" if n % 2 else "Vårdcentral",
            "email": f"deltagare{n}@demo.example.org",
            "response": ANSWERS[n % len(ANSWERS)],
        }
        for n in range(40)
    ]
    context["participants"] = people
    context["participants_home"] = [p for p in people if p["side"] == "SÄBO"]
    context["participants_centre"] = [p for p in people if p["side"] != "SÄBO"]
    action = _first(context, "previous_actions")
    context["previous_actions"] = [
        action
        | {
            "id": MAX_DB_ID - n,
            "year": year - 1 - n % 3,
            "description": _long(f"Åtgärd {n}: inför en gemensam rutin", 2000),
            "responsible": "Gemensamt, SÄBO-läkare",
            "due_date": f"{year - 1}-09-30",
            "status": STATUSES[n % len(STATUSES)],
            "overdue": "Försenad" if n % 4 == 1 else "",
            "last_note": _long(f"Anteckning {n}", 1000) if n % 2 else "",
        }
        for n in range(150)
    ]
    context["next_dialogue"] = f"Nästa dialog hålls under {year + 1}."
    return context


def small_context(kind: DocumentKind, region_id: int | None = None) -> dict:
    context = copy.deepcopy(demo_context(kind, region_id))
    year = MIN_YEAR
    context["dialogue"].update(
        id=1,
        year=year,
        date=f"{year}-01-03",
        time_range=f"{year}-01-03 kl. 13.00–15.00",
        location="",
        video_link="",
        organiser="",
        organiser_email="",
    )
    context["home"].update(name="Demo", address="")
    context["health_centre"].update(name="Ingen vald", address="")
    for key in ("participants", "participants_home", "participants_centre", "previous_actions"):
        context[key] = []
    context["next_dialogue"] = f"Nästa dialog hålls under {year + 1}."
    return context


def sample_contexts(kind: DocumentKind, region_id: int | None = None) -> list[tuple[str, dict]]:
    """(what the sample is, in Swedish, for messages; its context), the demo dialogue first."""
    return [
        ("provdialogen", demo_context(kind, region_id)),
        ("en stor provdialog (40 deltagare, 150 åtgärder, långa namn)", large_context(kind)),
        ("en nästan tom provdialog (inga deltagare eller åtgärder)", small_context(kind)),
    ]
