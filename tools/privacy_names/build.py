"""Build dialog/privacy/data/names.tsv, the names file of the patient-data guard.

    pip install faker            # MIT licence; used here only, not by the application
    apt-get install wswedish     # the Swedish word list, used only to flag names that are words
    .venv/bin/python -m tools.privacy_names.build

Sources, combined and deduplicated:
- Faker (https://pypi.org/project/Faker/, MIT licence), person providers: sv_SE (first names and
  surnames with their frequency in Sweden, from Statistics Sweden's name statistics), fi_FI,
  pl_PL, hr_HR, sl_SI, da_DK, no_NO, et_EE, ro_RO, tr_TR, en_PK, fr_DZ, sw, en_US (the most
  common only).
- tools/privacy_names/curated.py: our own lists (older Swedish names, nicknames, Finnish,
  Polish, Bosnian/Serbian/Croatian, Arabic, Somali, Persian, Kurdish, Turkish, Tigrinya, Latin
  American and Greek names in the spellings used in Sweden; the 290 municipalities, the 21
  regions and other place names).
- Debian's wswedish word list (GPL-2) is read, not copied: it only sets the flag "word" on a name
  whose lower-case form is an ordinary Swedish word (Dag, Bo, Sten), so context decides those.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from pathlib import Path

from . import curated

OUT = Path(__file__).resolve().parents[2] / "dialog" / "privacy" / "data" / "names.tsv"
WORDLIST = Path("/usr/share/dict/swedish")
# Names that are also words, abbreviations or things in care minutes but are not in the word
# list (or are there only in another form).
EXTRA_WORDS = """
Alla Bo Per Hans Dag Maj Juni August Liv Sten Stig Björn Tor Sol Ros Rosa Vera Iris Saga Ask
Axel Fred Max Edit Gull Gun Siv Klas Ebbe Vide Love Linn Kim Sam Vilja Inge Rut Karl Jan Dan
Otto Lucia Svea Mark Berg Lund Holm Sund Dal Ek Lind Björk Hall Nord Ström Strand Fors Borg
Falk Blom Lilja Alm Asp Brink Dahl Wall Vik Sjö Hed Bäck Rask Kvist Frank Nova Ali Nur Iman
Dina Lina Mina Sina Ivo Tia Tim Tom Lo Bill Will Grace Hope Summer June April May Faith Joy
Gloria Mild Bror Uno Ester Kaj Tina Jesus Nora Ale Eda Vara Sala Mora Boden Salem Habo Kil
Orsa Hjo Osby Kinda Flen Tanum Senior Alert Viking Urban Modig Frisk Stark Storm Skog
"""
MEDICAL_AND_SYSTEM_WORDS = """
Alvedon Citodon Oxynorm Morfin Midazolam Haldol Robinul Furix Waran Eliquis Trombyl Levaxin
Insulatard NovoRapid Stesolid Sobril Oxascand Propavan Theralen Imovane Zopiklon Kåvepenin
Pascal Treserva Cosmic Prator Synergi Teams Skype Zoom Lifecare Procapita Phoniro NPÖ Inera
Downton Norton Braden Parkinson Alzheimer Lewy Senior Lex Strama Apodos Vårdhygien
Folktandvården Svenskt Demenscentrum Socialstyrelsen Läkemedelsverket Folkhälsomyndigheten
"""


def _words(text: str, sep: str | None = None) -> list[str]:
    items = text.split(sep) if sep else text.split()
    return [w.strip() for w in items if w.strip()]


def faker_lists():
    """(name, kind, origin, per_million) from Faker's person providers."""
    picks = {
        "sv_SE": "sv",
        "fi_FI": "fi",
        "pl_PL": "pl",
        "hr_HR": "bs",
        "sl_SI": "bs",
        "da_DK": "nordic",
        "no_NO": "nordic",
        "et_EE": "et",
        "ro_RO": "ro",
        "tr_TR": "tr",
        "en_PK": "pk",
        "fr_DZ": "ar",
        "sw": "sw",
        "en_US": "en",
    }
    for locale, origin in picks.items():
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr, kind in (
            ("first_names_female", "F"),
            ("first_names_male", "M"),
            ("first_names", "U"),
            ("last_names", "S"),
        ):
            values = getattr(provider, attr, None)
            if not values:
                continue
            weighted = isinstance(values, dict)
            items = list(values.items()) if weighted else [(v, None) for v in values]
            if locale == "en_US":  # only the most common: staff names
                items = sorted(items, key=lambda kv: -(kv[1] or 0))[:250]
            for name, weight in items:
                if not name or " " in name or not name[0].isupper():
                    continue
                if origin in {"tr", "ro", "sw", "pk"} and len(name) < 4:
                    continue  # short foreign names collide with Swedish syllables and codes
                per_million = round(weight * 1_000_000) if weighted and locale == "sv_SE" else 0
                yield name, kind, origin, per_million


def curated_lists():
    groups = [
        (curated.SWEDISH_ELDERLY_F, "F", "sv"),
        (curated.SWEDISH_ELDERLY_M, "M", "sv"),
        (curated.FINNISH_F, "F", "fi"),
        (curated.FINNISH_M, "M", "fi"),
        (curated.POLISH_F, "F", "pl"),
        (curated.POLISH_M, "M", "pl"),
        (curated.POLISH_S, "S", "pl"),
        (curated.BOSNIAN_F, "F", "bs"),
        (curated.BOSNIAN_M, "M", "bs"),
        (curated.BOSNIAN_S, "S", "bs"),
        (curated.ARABIC_F, "F", "ar"),
        (curated.ARABIC_M, "M", "ar"),
        (curated.ARABIC_S, "S", "ar"),
        (curated.SOMALI_F, "F", "so"),
        (curated.SOMALI_M, "M", "so"),
        (curated.SOMALI_S, "S", "so"),
        (curated.PERSIAN_F, "F", "fa"),
        (curated.PERSIAN_M, "M", "fa"),
        (curated.PERSIAN_S, "S", "fa"),
        (curated.KURDISH_F, "F", "ku"),
        (curated.KURDISH_M, "M", "ku"),
        (curated.KURDISH_S, "S", "ku"),
        (curated.TURKISH_S, "S", "tr"),
        (curated.TIGRINYA, "U", "ti"),
        (curated.LATIN_AMERICAN, "U", "es"),
        (curated.GREEK, "U", "el"),
    ]
    for text, kind, origin in groups:
        for name in _words(text):
            yield name, kind, origin, 0
    for pair in _words(curated.NICKNAMES):
        nick, base = pair.split(":")
        yield nick, "N", "sv", 0


def main() -> None:
    swedish_words = set()
    if WORDLIST.exists():
        swedish_words = {
            w.strip() for w in WORDLIST.read_text(encoding="latin-1").splitlines() if w.islower()
        }
    else:
        raise SystemExit("install wswedish first (apt-get install wswedish)")
    extra_words = set(_words(curated_text := EXTRA_WORDS))
    del curated_text
    things = set(_words(MEDICAL_AND_SYSTEM_WORDS))
    places = set(_words(curated.MUNICIPALITIES.replace("\n", ""), "|"))
    assert len(places) == 290, len(places)
    regions = _words(curated.REGIONS.replace("\n", ""), "|")
    assert len(regions) == 21, len(regions)
    other_places = set(_words(curated.OTHER_PLACES.replace("\n", ""), "|"))

    kinds: dict[str, set[str]] = defaultdict(set)
    origins: dict[str, set[str]] = defaultdict(set)
    weight: dict[str, int] = defaultdict(int)
    nick_base = {}
    for pair in _words(curated.NICKNAMES):
        nick, base = pair.split(":")
        nick_base[nick] = "" if base == "-" else base
    for name, kind, origin, per_million in [*faker_lists(), *curated_lists()]:
        if name in things:
            continue
        kinds[name].add(kind)
        origins[name].add(origin)
        weight[name] = max(weight[name], per_million)

    lines = [
        "# Names file of the patient-data guard (dialog/privacy). Built by tools/privacy_names/build.py;",
        "# edit the sources there, not this file.",
        "# Sources: Faker (MIT licence) person providers sv_SE (frequencies from Statistics Sweden),",
        "# fi_FI, pl_PL, hr_HR, sl_SI, da_DK, no_NO, et_EE, ro_RO, tr_TR, en_PK, fr_DZ, sw, en_US;",
        "# curated lists in tools/privacy_names/curated.py (this project's own work, same licence as",
        "# the project): older Swedish names, nicknames, Finnish, Polish, Bosnian/Serbian/Croatian,",
        "# Arabic, Somali, Persian, Kurdish, Turkish, Tigrinya, Latin American and Greek names, the",
        "# 290 municipalities, the 21 regions and other place names. The flag 'word' is set from",
        "# Debian's wswedish word list (GPL-2; read at build time, not copied) and a curated list.",
        "#",
        "# Columns: name<TAB>kinds<TAB>origins<TAB>per_million<TAB>flags<TAB>base",
        "#   kinds: F female first name, M male first name, U first name, S surname, N nickname,",
        "#          P municipality or place, R region",
        "#   per_million: bearers per million in Sweden where known (0 = not in the statistics);",
        "#          the guard's confidence grows with it",
        "#   flags: word = also an ordinary Swedish word or abbreviation (context decides)",
        "#   base: the full name a nickname stands for",
    ]
    rows = {}
    for name in kinds:
        flags = []
        if name.lower() in swedish_words or name in extra_words:
            flags.append("word")
        rows[name] = [
            "".join(sorted(kinds[name])),
            ",".join(sorted(origins[name])),
            str(weight[name]),
            ",".join(flags),
            nick_base.get(name, ""),
        ]
    for name in sorted(places | other_places):
        row = rows.setdefault(name, ["", "", "0", "", ""])
        row[0] = "".join(sorted(set(row[0]) | {"P"}))
        if name in places and "munic" not in row[3]:
            row[3] = ",".join(f for f in (row[3], "municipality") if f)
    for name in regions:
        rows[name] = ["R", "", "0", "", ""]
    for name in sorted(rows):
        lines.append("\t".join([name, *rows[name]]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    people = sum(1 for r in rows.values() if set(r[0]) & set("FMUSN"))
    print(f"{OUT}: {len(rows)} rows, {people} person names")


if __name__ == "__main__":
    main()
