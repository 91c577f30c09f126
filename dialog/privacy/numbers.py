"""Rules for numbers and other patterns that identify a person.

Each rule takes the normalised text (dialog.privacy.normalize) and yields (kind, start, end)
in its coordinates. Kinds: personnummer, samordningsnummer, telefon, fodelsedatum, alder,
rumsnummer, epost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from personnummer import personnummer

from .names import book

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

# A run of digit groups: digits (and O/o/l/I typed for 0 and 1, X/x/* masking the last four)
# separated by spaces, dots, slashes, dashes, plus signs or a line break.
_DIGITISH = "0-9OolIXx*"
_RUN = re.compile(
    r"(?<![\w*])[0-9](?:[" + _DIGITISH + r"]|[ \t.\-/+\n]{1,4}(?=[" + _DIGITISH + r"])){5,40}"
    r"(?![\w*])"
)
_GROUP = re.compile(r"[" + _DIGITISH + r"]+")
_LETTER_DIGITS = str.maketrans("OolI", "0011")
# "pnr: …", "personnummer …": whatever number follows is refused, even a partial one.
_PNR_LABEL = re.compile(
    r"\b(?:person(?:nummer|nr)|pers\.?\s?n(?:umme)?r|p-?nr|pnr|samordningsnummer|samordningsnr|"
    r"reservnummer)\b\.?\s*:?\s*(?P<num>[\dXx*OolI][\dXx*OolI\s+./-]{3,16}[\dXx*])",
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


def _as_digits(group: str) -> str | None:
    """The digits of a group, with O/l typed for 0/1; None when letters dominate."""
    real = sum(c.isdigit() for c in group)
    if real == 0 or (len(group) > 1 and real < len(group) / 2):
        return None
    return group.translate(_LETTER_DIGITS)


def _identity(groups: list[str], seps: list[str]) -> str | None:
    """The kind of number the groups form, or None. Accepted shapes: the date part as one group
    (6 or 8 digits), as 2-2-2 / 4-2-2 / 4-2 / 6-2 (dots, slashes, a line break), or digit by
    digit; then the last four as one group (digits or XXXX) or digit by digit."""
    if len(groups) > 12:
        return None
    tail = groups[-1]
    masked = bool(re.fullmatch(r"[Xx*]{4}", tail))
    if len(groups) == 1:
        digits = _as_digits(tail)
        if digits is None or not digits.isdigit() or len(digits) not in (10, 12):
            return None
        if len(digits) == 10 and digits.startswith("0"):
            return None  # a phone number: nobody born 1900–1909 or 2000–2009 lives here
        date_part, last = (
            (digits[:6], digits[6:]) if len(digits) == 10 else (digits[:8], digits[8:])
        )
    else:
        if all(len(g) == 1 for g in groups) and len(groups) in (10, 12):
            head, last_groups = groups[:-4], groups[-4:]
        elif len(tail) == 4:
            head, last_groups = groups[:-1], [tail]
        else:
            return None
        shape = [len(g) for g in head]
        if shape not in ([6], [8], [2, 2, 2], [4, 2, 2], [4, 2], [6, 2], [2, 4], [1] * 6, [1] * 8):
            return None
        date_part = "".join(_as_digits(g) or "x" for g in head)
        last = "".join(last_groups)
        if not masked:
            last = "".join(_as_digits(g) or "x" for g in last_groups)
        if not date_part.isdigit():
            return None
        if not masked and not last.isdigit():
            return None
        if len(head) == 1 and len(date_part) == 6 and seps and seps[-1].strip() == "":
            # "070 123 4567"-like spacing is a phone; a personnummer split by a space alone is
            # still caught when it looks like a birth date and not a phone number.
            if date_part.startswith("0"):
                return None
    if len(date_part) == 8:
        if date_part[:2] not in ("18", "19", "20"):
            return None
        date_part = date_part[2:]
    elif len(date_part) != 6:
        return None
    del last
    return _valid_date_part(date_part[:2], date_part[2:4], date_part[4:6])


def _check_digit_ok(text: str) -> bool:
    try:
        return bool(personnummer.valid(re.sub(r"[^\d+-]", "", text.translate(_LETTER_DIGITS))))
    except Exception:  # the library refuses odd forms: the number is refused all the same
        return False


def personal_numbers(text: str) -> Iterator[Found]:
    for m in _RUN.finditer(text):
        run = m.group(0)
        parts = list(_GROUP.finditer(run))
        found = False
        # Try the longest sub-run first so "Dnr 2025 19470812-2364" still finds the number.
        for i in range(len(parts)):
            for j in range(len(parts), i, -1):
                groups = [p.group(0) for p in parts[i:j]]
                seps = [run[parts[k].end() : parts[k + 1].start()] for k in range(i, j - 1)]
                if any("\n" in sp and len(sp.strip()) > 1 for sp in seps):
                    continue
                kind = _identity(groups, seps)
                if kind:
                    yield kind, m.start() + parts[i].start(), m.start() + parts[j - 1].end()
                    found = True
                    break
            if found:
                break
    for m in _PNR_LABEL.finditer(text):
        digits = re.sub(r"\D", "", m["num"].translate(_LETTER_DIGITS))[-10:]
        kind = "personnummer"
        if (
            len(digits) >= 6
            and _valid_date_part(digits[:2], digits[2:4], digits[4:6]) == "samordningsnummer"
        ):
            kind = "samordningsnummer"
        yield kind, m.start(), m.end()


def identity_certainty(number_text: str) -> float:
    """How sure the guard is that a refused number is an identity number: the check digit
    (Luhn, via the personnummer library) raises it; a wrong one never lets the number pass."""
    return 1.0 if _check_digit_ok(number_text) else 0.8


# --- phone numbers ------------------------------------------------------------------------------

_PHONE = re.compile(
    r"(?<![\w+])(?:\+\s?46|0046|0)(?:[\s./-]{0,3}\(0\)\s?|[\s./-]{0,3})\d"
    r"(?:\d|[\s./-]{1,3}(?=\d)){5,13}(?![\d])"
)
_PHONE_LABEL = re.compile(
    r"\b(?:tel(?:efon)?(?:nummer|nr)?|mobil(?:nummer|nr|en)?|mob|ring(?:er)?\s+på|sms:?a?)\.?\s*"
    r"(?:nr\.?|nummer)?\s*:?\s*(?P<num>\+?\d[\d\s-]{4,16}\d)",
    re.IGNORECASE,
)
# Whose number it is: an organisation's switchboard, reception or duty line passes.
_ORG_PHONE_CONTEXT = re.compile(
    r"(?:växel|växeln|växelnummer|expedition|expeditionen|reception|receptionen|mottagning|"
    r"mottagningen|vårdcentral\w*|hälsocentral\w*|boendet|boendets|kommunens|regionens|"
    r"jourtelefon\w*|sjuksköterskelinje\w*|direktnummer\w*|telefontid|kundtjänst|kansli\w*|"
    r"kontaktcenter|larmcentral\w*|tjänstetelefon\w*|funktionstelefon\w*|avdelningens|"
    r"sjuksköterskans\s+tjänste\w*|mottagningens|jourcentral\w*)",
    re.IGNORECASE,
)
_PERSON_PHONE_CONTEXT = re.compile(
    r"\b(?:dotter\w*|son(?:en|ens)?|make\w*|maka\w*|fru\w*|hustru\w*|sambo\w*|barnbarn\w*|"
    r"bror\w*|broder\w*|syster\w*|anhörig\w*|hennes|hans|egen|eget|privat\w*|hem\w*|"
    r"mannen|kvinnan|brukaren|patienten|boende\b)",
    re.IGNORECASE,
)
_ORG_PREFIXES = ("010", "020", "0771", "0770", "0200", "0900", "0939", "0944")


def phone_numbers(text: str) -> Iterator[Found]:
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if digits.startswith("0046"):
            digits = "0" + digits[4:]
        elif digits.startswith("46"):
            digits = "0" + digits[2:]
        if digits.startswith("00"):
            digits = digits[1:]
        if not 7 <= len(digits) <= 11:
            continue
        if re.fullmatch(r"(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}", m.group(0).strip()):
            continue  # a date
        sentence_start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start()), 0)
        before = text[max(sentence_start, m.start() - 80) : m.start()]
        org = digits.startswith(_ORG_PREFIXES) or _ORG_PHONE_CONTEXT.search(before)
        if org and not _PERSON_PHONE_CONTEXT.search(before):
            continue
        yield "telefon", m.start(), m.end()
    for m in _PHONE_LABEL.finditer(text):
        digits = re.sub(r"\D", "", m["num"])
        if len(digits) < 6:
            continue
        before = text[max(0, m.start() - 60) : m.start()]
        if (digits.startswith(_ORG_PREFIXES) or _ORG_PHONE_CONTEXT.search(before)) and not (
            _PERSON_PHONE_CONTEXT.search(before)
        ):
            continue
        yield "telefon", m.start("num"), m.end("num")


# --- e-mail addresses -------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+-])(?P<local>[\w.+-]+)\s*(?P<at>@|\((?:at|snabel-a)\)|\[(?:at|snabel-a)\]|"
    r"\{at\}|\s(?:at|snabel-a)\s)\s*"
    r"(?P<domain>[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\]|\s(?:dot|punkt)\s)\s*[\w-]+)+)",
    re.IGNORECASE,
)
_TLD = {"se", "com", "net", "nu", "org", "fi", "no", "dk", "de", "eu", "info", "io", "uk"}
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
    "familjen",
    "privat",
}
FUNCTIONAL_WORDS = {
    "info",
    "kontakt",
    "registrator",
    "kansli",
    "funktion",
    "funktionsbrevlada",
    "mas",
    "mar",
    "sabo",
    "vc",
    "vardcentral",
    "vardcentralen",
    "halsocentral",
    "expedition",
    "reception",
    "avvikelser",
    "avvikelse",
    "noreply",
    "no-reply",
    "socialtjansten",
    "aldreomsorg",
    "omsorg",
    "boende",
}


def email_addresses(text: str) -> Iterator[Found]:
    names = book()
    for m in _EMAIL.finditer(text):
        domain_words = [
            w.lower()
            for w in re.split(r"\s*(?:\.|\(dot\)|\[dot\]|\s(?:dot|punkt)\s)\s*", m["domain"])
        ]
        if m["at"].strip() in {"at", "snabel-a"} and domain_words[-1] not in _TLD:
            continue  # "… at home" in an English sentence, not an address
        local_words = [w for w in re.split(r"[._+\-\d]+", m["local"]) if w]
        private = any(w in PRIVATE_MAIL_DOMAINS for w in domain_words[:-1])
        functional = any(w.lower() in FUNCTIONAL_WORDS for w in local_words)
        personal = any(
            (w.capitalize() in names.first or w.capitalize() in names.surnames)
            and w.capitalize() not in names.places
            for w in local_words
            if len(w) > 2
        ) or (len(local_words) >= 1 and len(local_words[0]) == 1)
        if private or (personal and not functional):
            yield "epost", m.start(), m.end()


# --- birth dates ----------------------------------------------------------------------------

_BORN = r"(?:född|föddes|födde|föd|f\.|fd\.?|födelsedatum|födelsedag|födelsedagen|födelseår|fyller\s+år|fyller\s+\d{2,3})"
_DATE_FORMS = (
    r"(?:18|19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}",  # 1931-04-12, 1933-5-7
    r"\d{1,2}[/.]\d{1,2}(?:[-/. ]\s?(?:18|19|20)?\d\d)?",  # 12/4 1931, 12/4-31, 12.4.1931, 12/4
    r"\d{1,2}(?::e|:a)?\s+(?:" + _MONTH_RE + r")\.?(?:\s+(?:18|19|20)?\d\d)?",  # 12 april 1929
    r"(?:" + "|".join(MONTHS) + r")\s+(?:18|19)\d\d",  # mars 1929
    r"(?:18|19|20)?\d{6}",  # 310412, 19310412
    r"(?:år\s+)?(?:18|19)\d\d",  # 1931
    r"-\d\d",  # -31
    r"(?:18|19)?\d0-talet",  # på 1930-talet, på 30-talet
    r"(?:julafton|nyårsafton|midsommarafton|juldagen|nyårsdagen)(?:\s+(?:18|19)\d\d)?",
)
_BORN_DATE = re.compile(
    r"\b"
    + _BORN
    + r"\s*:?\s*(?:,\s*)?(?:(?:i|på)\s+[A-ZÅÄÖ][\wåäö-]+\s+(?:år\s+)?)?(?:den\s+|år\s+|i\s+|på\s+)?(?:"
    + "|".join(_DATE_FORMS)
    + r")(?![\d])",
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

_TENS = r"(?:sjuttio|åttio|nittio|hundra)"
_UNITS = r"(?:ett|en|två|tre|fyra|fem|sex|sju|åtta|nio)"
NUMBER_WORD = r"(?:" + _TENS + _UNITS + r"?|hundra(?:ett|två|tre|fyra|fem)?)"
_PERSON = (
    r"(?:hon|han|hen|patienten|brukaren|vårdtagaren|kvinnan|mannen|damen|herren|den\s+boende|"
    r"boende|som|personen|den\s+äldre)"
)
_AGE_PATTERNS = [
    # i åttioårsåldern, i 80-årsåldern
    re.compile(r"\b(?:i\s+)?(?:" + NUMBER_WORD + r"|\d{2,3})\s?-?\s?årsåldern\b", re.IGNORECASE),
    # 94-årig, 84 åriga, nittiofemåriga, hundraåriga
    re.compile(
        r"(?<![\d,.])(?:\d{2,3}\s?-?\s?|\b" + NUMBER_WORD + r"-?)år(?:ig|iga|ige|igt)\b",
        re.IGNORECASE,
    ),
    # en 89-åring, 100-årsdagen, en nittioåring
    re.compile(
        r"(?<![\d,.])(?:\d{2,3}\s?-\s?|\b"
        + NUMBER_WORD
        + r"-?)år(?:ing|ingen|ingar|sdag|sdagen|skalas)\b",
        re.IGNORECASE,
    ),
    # 89 år gammal, 102 år gamla
    re.compile(r"(?<![\d,.])\d{2,3}\s+år\s+gam(?:mal|la|le)\b", re.IGNORECASE),
    re.compile(r"\b" + NUMBER_WORD + r"\s+år\s+gam(?:mal|la|le)\b", re.IGNORECASE),
    # född för 94 år sedan
    re.compile(r"\bfödd\s+för\s+\d{2,3}\s+år\s+sedan\b", re.IGNORECASE),
    # snart hundra, snart 100 år
    re.compile(r"\bsnart\s+(?:" + NUMBER_WORD + r"|\d{2,3})(?:\s+år)?\b(?!\s*%)", re.IGNORECASE),
]
# "hon är 87", "han fyllde nittiosex", "kvinnan är över nittio"
_AGE_VERB = re.compile(
    _PERSON
    + r"\s+(?:är|var|blir|blev|fyller|fyllde|fyllt|har\s+fyllt)\s+(?:snart\s+|nästan\s+|över\s+|drygt\s+)?"
    r"(?P<n>"
    + NUMBER_WORD
    + r"|\d{2,3})(?:\s+år)?\b(?!\s*(?:%|procent|kilo|kg|gånger|dagar|timmar|st\b|minuter))",
    re.IGNORECASE,
)
_AGE_VERB_LATE = re.compile(
    r"\b(?:fyllde|fyller|fyllt|blev)\s+(?:snart\s+)?(?P<n>" + NUMBER_WORD + r"|\d{2,3})(?:\s+år)?\b"
    r"(?!\s*(?:%|procent|kilo|kg|gånger|dagar|timmar|minuter))",
    re.IGNORECASE,
)
# "Kvinnan, 92 år, hittades", "Mannen, 89, har", "Brukaren (88 år)", "en dam på 101 år"
_AGE_APPOSITION = re.compile(
    r"\b(?:kvinnan|mannen|damen|herren|patienten|brukaren|vårdtagaren|boende|den\s+boende|"
    r"hon|han|kvinna|man|dam)\s*(?:,\s*|\(\s*|\s+på\s+|\s+om\s+)(?P<n>\d{2,3}|" + NUMBER_WORD + r")"
    r"(?:\s+år)?\s*(?:,|\)|\s+år\b|(?=\s+(?:har|föll|fick|är|var|behöver|ska|vill)\b))",
    re.IGNORECASE,
)
_AGE_YEARS = re.compile(r"(?<![\d,.:/-])(?P<n>\d{2,3})\s?(?:år|års)\b(?!\s*-?\s*\d)", re.IGNORECASE)
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
_PERSON_ON = re.compile(
    r"(?:dam|man|kvinna|herre|herr|fru|patient|brukare|boende|vårdtagare|"
    r"omsorgstagare)\w*\s+(?:på|om|i\s+en\s+ålder\s+av)\s*$",
    re.IGNORECASE,
)
_GROUP_ANYWHERE = re.compile(
    r"(?:medel|snitt|median|genomsnitts)ålder|\bmellan\s+\d{2,3}\s+och\s*$|"
    r"\b\d{2,3}\s*(?:-|till|och)\s*$",
    re.IGNORECASE,
)


_SINGULAR_SUBJECT = re.compile(
    r"\b(?:hon|han|hen|patienten|brukaren|vårdtagaren|kvinnan|mannen|damen|herren|den\s+boende)"
    r"\s+\w+\s+$",
    re.IGNORECASE,
)


def _group_age(text: str, m: re.Match) -> bool:
    """'De flesta boende är över 85 år', 'Medelåldern bland boende är 87 år': a group."""
    head = text[max(0, m.start() - 60) : m.start("n")]
    after = text[m.end() : m.end() + 25]
    if _GROUP_AFTER.search(after) or _GROUP_ANYWHERE.search(head):
        return True
    qualified = re.search(r"\b(?:över|under|drygt|nästan)\s+$", text[m.start() : m.start("n")])
    singular = re.match(
        r"\s*(?:hon|han|hen|patienten|brukaren|vårdtagaren|kvinnan|mannen|damen|herren|"
        r"den\s+boende)\b",
        m.group(0),
        re.IGNORECASE,
    )
    plural_before = re.search(
        r"\b(?:de\s+flesta|flera|många|alla|de|av\s+de|hälften|några)\b[^.!?]*$",
        head,
        re.IGNORECASE,
    )
    return bool((qualified or plural_before) and not singular)


def _word_number_ok(n: str) -> bool:
    return not n.isdigit() or 40 <= int(n) <= 115


_AGE_NUMBER = re.compile(r"(?<!\d)\d{2,3}(?!\d)|" + NUMBER_WORD, re.IGNORECASE)


def ages(text: str) -> Iterator[Found]:
    """Every age pattern holds a number (in digits or words): the patterns run only on a
    window around each number, not on the whole text."""
    seen: set[Found] = set()
    windows: list[tuple[int, int]] = []
    for m in _AGE_NUMBER.finditer(text):
        start = max(0, m.start() - 70)
        end = min(len(text), m.end() + 45)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    for start, end in windows:
        # Start the window at a word boundary so look-behinds see what they would.
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        for found in _ages_in(text[start:end]):
            hit = (found[0], found[1] + start, found[2] + start)
            if hit not in seen:
                seen.add(hit)
                yield hit


def _ages_in(text: str) -> Iterator[Found]:
    for regex in _AGE_PATTERNS:
        for m in regex.finditer(text):
            digits = re.findall(r"\d+", m.group(0))
            if digits and not 30 <= int(digits[0]) <= 115:
                continue
            yield "alder", m.start(), m.end()
    for regex in (_AGE_VERB, _AGE_VERB_LATE, _AGE_APPOSITION):
        for m in regex.finditer(text):
            if not _word_number_ok(m["n"]):
                continue
            if regex is not _AGE_APPOSITION and _group_age(text, m):
                continue
            yield "alder", m.start("n"), m.end()
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
        if not one_person and not re.search(
            r"\b(?:är|var|blir|blev|fyller|fyllde|hon|han|kvinnan|mannen|damen|herren|patienten|"
            r"brukaren|boende|som)\s*,?\s*$",
            before,
            re.IGNORECASE,
        ):
            continue
        yield "alder", m.start(), m.end()


# --- room and apartment numbers -------------------------------------------------------------

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_ROOM = re.compile(
    r"\b(?:rum(?:met)?|rumsnummer|rumsnr|rn|boenderum|sovrum|lgh|lägenhet(?:en)?|lägenhetsnummer|"
    r"lägenhetsnr|lgh-nr|lgh\.nr|dörr|dörren|plan\s+\d+\s*,?\s*rum)\.?\s*(?:nr\.?|nummer|n:o)?"
    r"\s*:?\s*(?:[A-ZÅÄÖ]\s?-?\s?)?\d{1,4}(?::\d{1,3})?[A-Za-z]?\b",
    re.IGNORECASE,
)
_ROOM_ROMAN = re.compile(
    r"\b(?:rum(?:met)?|lgh|lägenhet)\.?\s+(?:nr\.?\s+)?(?=[IVX])(" + _ROMAN + r")\b"
)
_ROOM_ABBR = re.compile(
    r"\b(?:i|på|från|till|hos)\s+(?P<r>r\.?\s?\d{1,4}[A-Za-z]?)\b", re.IGNORECASE
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
# "Rum 4 används som personalrum": a room that is nobody's home.
_ROOM_FUNCTION = re.compile(
    r"^[^.!?\n]{0,40}?\b(?:används\s+som|är\s+(?:ett\s+|vårt\s+)?|fungerar\s+som|har\s+gjorts\s+om\s+till|blir)"
    r"[^.!?\n]{0,20}?(?:personalrum|förråd|samlingsrum|samtalsrum|konferensrum|träningslokal|"
    r"läkemedelsrum|medicinrum|sköljrum|kontor|expedition|aktivitetsrum|tvättstuga|gym|"
    r"matsal|dagrum|vardagsrum|lokal|väntrum|städrum|arbetsrum)",
    re.IGNORECASE,
)


def room_numbers(text: str) -> Iterator[Found]:
    for regex in (_ROOM, _ROOM_SPELLED, _ROOM_ROMAN):
        for m in regex.finditer(text):
            if regex is _ROOM_ROMAN and not m.group(1):
                continue
            if _ROOM_FUNCTION.match(text[m.end() : m.end() + 90]):
                continue
            yield "rumsnummer", m.start(), m.end()
    for m in _ROOM_COLLOQUIAL.finditer(text):
        yield "rumsnummer", m.start("n"), m.end()
    for m in _ROOM_ABBR.finditer(text):
        yield "rumsnummer", m.start("r"), m.end("r")


# --- street addresses -----------------------------------------------------------------------

_STREET_SUFFIX = (
    r"(?:gatan|gata|vägen|väg|gränd|gränden|stigen|backen|allén|allé|torget|torg|platsen|leden|"
    r"slingan|parken|udden|stråket|gången|svängen|kroken|ringen|bron|plan|liden|höjden|"
    r"hagen|lyckan|vägen|esplanaden|kajen|promenaden|backe|stig)"
)
_ADDRESS = re.compile(
    r"(?:\b(?:Norra|Södra|Östra|Västra|Lilla|Stora|Gamla|Nya|Övre|Nedre)\s+)?"
    r"\b[A-ZÅÄÖ][a-zåäöéü]*" + _STREET_SUFFIX + r"(?:\s+[a-zåäö]+)?\s+\d{1,4}(?:\s?[A-Ha-h]\b)?"
    r"(?:\s*,?\s*(?:lgh\.?\s*\d{1,4}|\d\s*tr\b|\d{3}\s?\d{2}(?:\s+[A-ZÅÄÖ][\wåäö-]+)?|"
    r"[A-ZÅÄÖ][a-zåäö]+(?=\s*[.,;)]|$)))*"
    r"(?:\s+i\s+[A-ZÅÄÖ][\wåäö]+(?:\s+stan)?)?"
    r"|\bBox\s+\d{1,5}\s*,\s*\d{3}\s?\d{2}\s+[A-ZÅÄÖ][\wåäö]+",
)
_POSTCODE = re.compile(r"(?<![\d-])\d{3}\s\d{2}\s+[A-ZÅÄÖ][a-zåäö]+\b")
_ORG_ADDRESS_CONTEXT = re.compile(
    r"(?i:vårdcentral\w*|hälsocentral\w*|boende\w*|äldreboende\w*|lokal\w*|plats\s*:|"
    r"besöksadress|mötet|möte|träffen|dialogen|kommunhus\w*|expedition\w*|mottagning\w*|"
    r"samlingssal\w*|konferensrum\w*|ligger\s+på|kontor\w*)|"
    r"\b[A-ZÅÄÖ]\w*(?:gården|hemmet|backen|boendet|huset)s?\b"
)
_PERSON_ADDRESS_CONTEXT = re.compile(
    r"\b(?:bor|bodde|bott|flyttade|flytta|hemadress\w*|hem\s+till|hennes|hans|dotter\w*|son\w*|"
    r"make\w*|maka\w*|bror\w*|broder\w*|syster\w*|kvinna\w*|mann\w*|brukare\w*|patient\w*|"
    r"faktura\w*|post\w*|brev\w*|remiss\w*|journal\w*|anhörig\w*|lägenhet\w*|kom\s+från|"
    r"från|fakturan)\b",
    re.IGNORECASE,
)


def addresses(text: str) -> Iterator[Found]:
    spans = [(m.start(), m.end()) for m in _ADDRESS.finditer(text)]
    spans += [
        (m.start(), m.end())
        for m in _POSTCODE.finditer(text)
        if not any(s <= m.start() < e for s, e in spans)
    ]
    for start, end in spans:
        sentence_start = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), -1) + 1
        before = text[max(sentence_start, start - 70) : start]
        if _ORG_ADDRESS_CONTEXT.search(before) and not _PERSON_ADDRESS_CONTEXT.search(before):
            continue
        yield "adress", start, end


RULES = (
    personal_numbers,
    phone_numbers,
    email_addresses,
    birth_dates,
    ages,
    room_numbers,
    addresses,
)
