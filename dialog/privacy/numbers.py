"""Rules for numbers and other patterns that identify a person.

Each rule takes the normalised text (dialog.privacy.normalize) and yields (kind, start, end)
in its coordinates. Kinds: personnummer, samordningsnummer, telefon, fodelsedatum, alder,
rumsnummer, epost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from .names import FIRST_NAMES, SENTENCE_START_WORDS

Found = tuple[str, int, int]

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
MONTH_ABBR = (
    "jan",
    "feb",
    "mar",
    "apr",
    "maj",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "dec",
)
_MONTH_RE = "|".join(MONTHS + MONTH_ABBR)

# --- personal identity and coordination numbers -----------------------------------------------

_PNR = re.compile(
    r"(?<![\d])(?P<cent>18|19|20)?(?P<yy>\d\d)(?P<mm>\d\d)(?P<dd>\d\d)"
    r"(?P<sep>\s?[-+]\s?|\s)?(?P<last>\d{3}[\dA-Za-z])(?![\d])"
)
# "pnr: …", "personnummer …": whatever number follows is refused, even a partial one.
_PNR_LABEL = re.compile(
    r"\b(?:person(?:nummer|nr)|pers\.?\s?nr|p-?nr|pnr|samordningsnummer|samordningsnr|"
    r"reservnummer)\b\.?\s*:?\s*(?P<num>[\dXx*][\dXx*\s+-]{3,14}[\dXx*])",
    re.IGNORECASE,
)


def _valid_date_part(yy: str, mm: str, dd: str) -> str | None:
    """'personnummer' or 'samordningsnummer' if month/day can be a birth date, else None."""
    month, day = int(mm), int(dd)
    if not 1 <= month <= 12:
        return None
    if 1 <= day <= 31:
        return "personnummer"
    if 61 <= day <= 91:
        return "samordningsnummer"
    return None


def personal_numbers(text: str) -> Iterator[Found]:
    for m in _PNR.finditer(text):
        kind = _valid_date_part(m["yy"], m["mm"], m["dd"])
        if kind is None:
            continue
        last = m["last"]
        if not last[-1].isdigit() and not m["sep"]:
            continue  # "450312123A" without a separator is more likely a code
        sep = (m["sep"] or "").strip()
        if (
            not m["cent"]
            and not sep
            and m.group(0).startswith(("07", "08"))
            and " " not in m.group(0)
        ):
            # 10 digits from 07/08 without a separator: a mobile or Stockholm number.
            yield "telefon", m.start(), m.end()
            continue
        yield kind, m.start(), m.end()
    for m in _PNR_LABEL.finditer(text):
        digits = re.sub(r"\D", "", m["num"])[-10:]
        kind = "personnummer"
        if (
            len(digits) == 10
            and _valid_date_part(digits[:2], digits[2:4], digits[4:6]) == "samordningsnummer"
        ):
            kind = "samordningsnummer"
        yield kind, m.start(), m.end()


# --- phone numbers ------------------------------------------------------------------------------

_PHONE = re.compile(
    r"(?<![\w+])(?:\+\s?46|0046|0)[\s-]?(?:\(0\)\s?)?\d{1,4}(?:\s?[-/]\s?|\s)?\d{2,4}"
    r"(?:[\s-]?\d{2,4}){0,3}(?![\d])"
)
_PHONE_LABEL = re.compile(
    r"\b(?:tel(?:efon)?(?:nummer|nr)?|mobil(?:nummer|nr|en)?|mob|ring(?:er)?\s+på|sms:?a?)\.?\s*"
    r"(?:nr\.?|nummer)?\s*:?\s*(?P<num>\+?\d[\d\s-]{4,16}\d)",
    re.IGNORECASE,
)


def phone_numbers(text: str) -> Iterator[Found]:
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if digits.startswith("46"):
            digits = "0" + digits[2:]
        elif digits.startswith("0046"):
            digits = "0" + digits[4:]
        if 8 <= len(digits) <= 11:
            yield "telefon", m.start(), m.end()
    for m in _PHONE_LABEL.finditer(text):
        if len(re.sub(r"\D", "", m["num"])) >= 6:
            yield "telefon", m.start("num"), m.end("num")


# --- e-mail addresses -------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])(?P<local>[\w.+-]+)@(?P<domain>[\w-]+(?:\.[\w-]+)+)")
PRIVATE_MAIL_DOMAINS = {
    "gmail",
    "googlemail",
    "hotmail",
    "outlook",
    "live",
    "msn",
    "yahoo",
    "ymail",
    "icloud",
    "me",
    "mac",
    "aol",
    "protonmail",
    "proton",
    "telia",
    "spray",
    "bredband",
    "bredband2",
    "comhem",
    "tele2",
    "passagen",
    "glocalnet",
    "bahnhof",
    "swipnet",
    "home",
    "mail",
    "gmx",
    "yandex",
    "tutanota",
    "fastmail",
    "zoho",
    "post",
}


def email_addresses(text: str) -> Iterator[Found]:
    for m in _EMAIL.finditer(text):
        domain_words = m["domain"].lower().split(".")
        local_words = re.split(r"[._+-]+", m["local"])
        private = any(w in PRIVATE_MAIL_DOMAINS for w in domain_words[:-1])
        personal = any(
            w.capitalize() in FIRST_NAMES and w.capitalize() not in SENTENCE_START_WORDS
            for w in local_words
            if len(w) > 2
        )
        if private or personal:
            yield "epost", m.start(), m.end()


# --- birth dates ----------------------------------------------------------------------------

_BORN = r"(?:född|födde|föd|f|födelsedatum|födelsedag|födelsedagen|födelseår|fd)"
_DATE_FORMS = (
    r"(?:18|19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}",  # 1931-04-12
    r"\d{1,2}[/.]\d{1,2}(?:[-/. ]\s?(?:18|19|20)?\d\d)?",  # 12/4 1931, 12/4-31, 12.4.1931, 12/4
    r"\d{1,2}(?::e|:a)?\s+(?:" + _MONTH_RE + r")\.?(?:\s+(?:18|19|20)?\d\d)?",  # 12 april 1931
    r"(?:18|19|20)?\d{6}",  # 310412, 19310412
    r"(?:år\s+)?(?:18|19)\d\d",  # 1931
    r"-\d\d",  # -31
    r"(?:på\s+)?(?:18|19)?\d0-talet",  # på 1930-talet
)
_BORN_DATE = re.compile(
    r"\b" + _BORN + r"\.?\s*:?\s*(?:den\s+|år\s+|i\s+|på\s+)?(?:" + "|".join(_DATE_FORMS) + r")",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(
    r"(?<![\d])(?P<y>(?:18|19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d])"
)
_WORD_DATE = re.compile(
    r"(?<![\d])(?P<d>\d{1,2})(?::e|:a)?\s+(?P<mon>"
    + "|".join(MONTHS)
    + r")\s+(?P<y>(?:18|19)\d\d)\b",
    re.IGNORECASE,
)
_SLASH_DATE = re.compile(r"(?<![\d])(?P<d>\d{1,2})/(?P<m>\d{1,2})[- ](?P<y>(?:18|19)\d\d)(?![\d])")
_EIGHT_DIGITS = re.compile(r"(?<![\d-])(?P<y>19[0-6]\d)(?P<m>\d\d)(?P<d>\d\d)(?![\d]|-\d)")
# Dates before this year are birth dates here: nothing structural happens at a nursing home then.
OLDEST_STRUCTURAL_YEAR = 1970


def _is_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def birth_dates(text: str) -> Iterator[Found]:
    for m in _BORN_DATE.finditer(text):
        # "f" alone is an abbreviation only when followed by a dot or a number right away.
        head = m.group(0).lower()
        if (
            head.startswith("f")
            and not head.startswith(("född", "föd"))
            and not re.match(r"fd?\.?\s*(?:\d|-\d)", head)
        ):
            continue
        yield "fodelsedatum", m.start(), m.end()
    for regex in (_ISO_DATE, _SLASH_DATE):
        for m in regex.finditer(text):
            y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
            if y < OLDEST_STRUCTURAL_YEAR and _is_date(y, mo, d):
                yield "fodelsedatum", m.start(), m.end()
    for m in _WORD_DATE.finditer(text):
        if int(m["y"]) < OLDEST_STRUCTURAL_YEAR:
            yield "fodelsedatum", m.start(), m.end()
    for m in _EIGHT_DIGITS.finditer(text):
        if _is_date(int(m["y"]), int(m["m"]), int(m["d"])):
            yield "fodelsedatum", m.start(), m.end()


# --- ages ---------------------------------------------------------------------------------

_TENS = r"(?:fyrtio|femtio|sextio|sjuttio|åttio|nittio|hundra)"
_UNITS = r"(?:ett|en|två|tre|fyra|fem|sex|sju|åtta|nio)"
_AGE_ADJ = re.compile(
    r"(?<![\d,.])(?P<n>\d{2,3})\s?-?\s?år(?:ig|iga|ige|igt|ing|ingen|sdag|sdagen|skalas)\b"
    r"|\b" + _TENS + _UNITS + r"?-?år(?:ig|iga|ige|igt|ing|ingen)\b",
    re.IGNORECASE,
)
_AGE_YEARS = re.compile(r"(?<![\d,.:/-])(?P<n>\d{2,3})\s?(?:år|års)\b(?!\s*-?\s*\d)", re.IGNORECASE)
_AGE_WORDS = re.compile(
    r"\b(?:i\s+en\s+ålder\s+av|åldern|ålder|är|var|blir|fyller|fyllde|fyllt|åldern\s+är)\s*:?\s*"
    r"(?P<n>\d{2,3})(?!\s*(?:-|–|till|år|%|procent|st|dagar|mg|kg|min|timmar|\d))",
    re.IGNORECASE,
)
# Words before "N år" that make it a group, a limit or a duration, not one person's age.
_GROUP_BEFORE = re.compile(
    r"(?<!\w)(?:över|under|äldre\s+än|yngre\s+än|från|mellan|minst|högst|max|upp\s+till|ca|cirka|c:a|"
    r"omkring|runt|kring|ungefär|snitt|medel|medelålder|medelåldern|genomsnitt|"
    r"genomsnittsålder|genomsnittsåldern|medianålder|i|på|sedan|efter|inom|om|senaste|"
    r"varje|per|än|alla|de|av|hela|drygt|knappt|nästan|över\s+de|i\s+snitt|i\s+genomsnitt)"
    r"\s*$",
    re.IGNORECASE,
)
_GROUP_AFTER = re.compile(
    r"^\s*(?:och|eller)\s+(?:äldre|uppåt|mer|över|yngre)|^\s*(?:sedan|tillbaka|framåt|framöver)"
    r"|^\s*(?:i\s+)?(?:tjänst|yrket|verksamhet)",
    re.IGNORECASE,
)
# "damen på 97 år", "en man om 90 år": one person, whatever the preposition.
_PERSON_ON = re.compile(
    r"(?:dam|man|kvinna|herre|herr|fru|patient|brukare|boende|vårdtagare|"
    r"omsorgstagare)\w*\s+(?:på|om|i\s+en\s+ålder\s+av)\s*$",
    re.IGNORECASE,
)
# Group statistics and ranges: "medelåldern är 87 år", "mellan 70 och 100 år".
_GROUP_ANYWHERE = re.compile(
    r"(?:medel|snitt|median|genomsnitts)ålder|\bmellan\s+\d{2,3}\s+och\s*$|"
    r"\b\d{2,3}\s*(?:-|till|och)\s*$",
    re.IGNORECASE,
)
_AGE_WORDS_SKIP_BEFORE = re.compile(
    r"(?:antal|andel|procent|%|poäng|mg|kl\.?|nr|version)\s*$", re.IGNORECASE
)


_AGE_SPELLED = re.compile(
    r"\b(?:är|var|blir|blev|fyller|fyllde|fyllt)\s+(?:snart\s+|nästan\s+)?"
    + _TENS
    + _UNITS
    + r"?(?:\s+år)?\b",
    re.IGNORECASE,
)


def ages(text: str) -> Iterator[Found]:
    for m in _AGE_SPELLED.finditer(text):
        yield "alder", m.start(), m.end()
    for m in _AGE_ADJ.finditer(text):
        n = m.groupdict().get("n")
        if n is not None and not 30 <= int(n) <= 115:
            continue
        yield "alder", m.start(), m.end()
    for m in _AGE_YEARS.finditer(text):
        n = int(m["n"])
        if not 40 <= n <= 115:
            continue
        before = text[max(0, m.start() - 30) : m.start()]
        after = text[m.end() : m.end() + 25]
        one_person = _PERSON_ON.search(before)
        if not one_person and (
            _GROUP_BEFORE.search(before)
            or _GROUP_AFTER.search(after)
            or _GROUP_ANYWHERE.search(text[max(0, m.start() - 60) : m.start()])
        ):
            continue
        yield "alder", m.start(), m.end()
    for m in _AGE_WORDS.finditer(text):
        n = int(m["n"])
        word = m.group(0).split()[0].lower()
        if word in {"är", "var", "blir"} and not 60 <= n <= 115:
            continue
        if word in {"är", "var", "blir"}:
            # "är 94" needs a person before it: "hon är 94", "patienten var 101".
            before = text[max(0, m.start() - 20) : m.start()].lower()
            if not re.search(
                r"(?:hon|han|hen|patienten|brukaren|kvinnan|mannen|den\s+boende|"
                r"vårdtagaren|damen|herren|som)\s*$",
                before,
            ):
                continue
        if not 40 <= n <= 115:
            continue
        if _AGE_WORDS_SKIP_BEFORE.search(text[max(0, m.start() - 10) : m.start()]):
            continue
        yield "alder", m.start(), m.end()


# --- room and apartment numbers -------------------------------------------------------------

_ROOM = re.compile(
    r"\b(?:rum(?:met)?|rumsnummer|rumsnr|boenderum|sovrum|lgh|lägenhet(?:en)?|lägenhetsnummer|"
    r"lägenhetsnr|lgh-nr|lgh\.nr|dörr|dörren|plan\s+\d+\s*,?\s*rum)\.?\s*(?:nr\.?|nummer|n:o)?"
    r"\s*:?\s*(?:[A-ZÅÄÖ]\s?-?\s?)?\d{1,4}[A-Za-z]?\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    r"(?:ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|"
    r"femton|sexton|sjutton|arton|nitton|tjugo\w*|trettio\w*)"
)
_ROOM_SPELLED = re.compile(
    r"\b(?:rum(?:met)?|lgh|lägenhet(?:en)?)\s+(?:nummer\s+|nr\.?\s+)?" + _NUMBER_WORDS + r"\b",
    re.IGNORECASE,
)
_ROOM_COLLOQUIAL = re.compile(
    r"\b(?:på|i|från|till|hos)\s+(?P<n>\d{1,4}[A-Za-z]?):(?:an|en|ans)\b", re.IGNORECASE
)


def room_numbers(text: str) -> Iterator[Found]:
    for m in _ROOM.finditer(text):
        yield "rumsnummer", m.start(), m.end()
    for m in _ROOM_SPELLED.finditer(text):
        yield "rumsnummer", m.start(), m.end()
    for m in _ROOM_COLLOQUIAL.finditer(text):
        yield "rumsnummer", m.start("n"), m.end()


RULES = (personal_numbers, phone_numbers, email_addresses, birth_dates, ages, room_numbers)
