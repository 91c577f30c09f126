"""One patient described without an identifier: relatives, individual cases, dated diagnoses.

The dialogue discusses no individual patient. A sentence about one person (a singular person
reference) with a specific time or a unique attribute is an individual case; a diagnosis with a
date for one person is a dated diagnosis. Generic sentences ("när en boende faller", "flera
boende", "de boende") pass: they describe what happens, not to whom.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

Found = tuple[str, int, int]

MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
WEEKDAYS = "mån|tis|ons|tors|fre|lör|sön"
# A specific point in time: when it happened to that person.
SPECIFIC_TIME = re.compile(
    r"\b(?:i\s+natt|inatt|i\s+går(?:\s+(?:kväll|morse|eftermiddag))?|igår(?:kväll)?|i\s+förrgår|"
    r"i\s+morse|imorse|i\s+kväll|ikväll|förra\s+(?:veckan|månaden|helgen)|i\s+helgen|"
    r"i\s+(?:" + WEEKDAYS + r")dags|natten\s+till\s+\w+|i\s+julas|i\s+påskas|i\s+somras|"
    r"i\s+våras|i\s+höstas|i\s+vintras|i\s+(?:" + MONTHS + r")\b|den\s+\d{1,2}(?::e|:a)?\s+"
    r"(?:" + MONTHS + r")|den\s+\d{1,2}/\d{1,2}|\d{1,2}/\d{1,2}|\d{1,2}\s+(?:" + MONTHS + r")|"
    r"(?:19|20)\d\d-\d{1,2}-\d{1,2}|kl\.?\s?\d{1,2}[.:]\d\d|häromdagen|tidigare\s+i\s+dag|"
    r"för\s+\w+\s+(?:dagar|veckor)\s+sedan|på\s+(?:" + WEEKDAYS + r")dagen|"
    r"hela\s+(?:" + WEEKDAYS + r")dagen|i\s+december|vid\s+besöket)",
    re.IGNORECASE,
)
# One person: definite singular nouns, "en boende", the pronouns.
SINGULAR_PERSON = re.compile(
    r"\b(?:kvinnan|mannen|damen|herren|patienten|brukaren|vårdtagaren|omsorgstagaren|"
    r"den\s+(?:nya\s+|nyinflyttade\s+|äldre\s+)?(?:boende|kvinnan|mannen|damen)|"
    r"den\s+nyinflyttade|en\s+(?:av\s+de\s+)?boende|en\s+(?:äldre\s+)?(?:kvinna|man|dam|herre)|"
    r"hon|han|personen|den\s+avlidne|den\s+avlidna)\b",
    re.IGNORECASE,
)
PAST_EVENT = re.compile(
    r"\b(?:föll|ramlade|avled|dog|lades\s+in|skrevs\s+ut|flyttade|kom|fick|hittades|vägrade|"
    r"blev|låg|slog|bröt|skickades|insjuknade|upptäcktes|hade|var|gick|opererades|isolerades)\b",
    re.IGNORECASE,
)
# A relative clause that picks out one person: "mannen som avled", "damen som har bott här
# längst", "den boende som föll i julas".
UNIQUE_CLAUSE = re.compile(
    r"\b(?:kvinnan|mannen|damen|herren|den\s+boende|brukaren|patienten|vårdtagaren|"
    r"den\s+nya\s+boende)(?:\s+med\s+[\wåäö ]{1,25}?)?\s+som\s+(?:\w+\s+){0,2}?"
    r"(?:flyttade|kom|avled|dog|föll|bodde|skrevs|lades|har\s+bott\s+\w+\s+längst|"
    r"fick|hittades|opererades)\b",
    re.IGNORECASE,
)
GENERIC = re.compile(
    r"\b(?:när|om|varje|alla|flera|många|de\s+boende|några|ingen\s+boende|samtliga|"
    r"\d+\s+(?:av\s+\d+\s+)?boende|andelen|antalet)\b",
    re.IGNORECASE,
)
STAFF_SUBJECT = re.compile(
    r"\b(?:sjuksköterskan|läkaren|undersköterskan|enhetschefen|verksamhetschefen|"
    r"fysioterapeuten|arbetsterapeuten|dietisten|tandhygienisten|personalen|MAS|MAR)\b"
    r"[^.!?]{0,40}\b(?:hon|han)\b",
    re.IGNORECASE,
)

DIAGNOSES = re.compile(
    r"\b(?:lunginflammation|pneumoni|uvi|urinvägsinfektion|sepsis|stroke|tia|hjärtinfarkt|"
    r"infarkt|\w*fraktur|covid(?:-19)?|influensa(?:\s+[ab])?|norovirus|calicivirus|"
    r"vinterkräksjuka|diabetes|demens|alzheimers?|parkinsons?|\w*cancer|kol|kol-exacerbation|"
    r"hjärtsvikt|trycksår|erysipelas|rosfeber|blodpropp|lungemboli|delirium|epilepsi|"
    r"cellulit|bröt\s+\w+|[A-TV-Z]\d\d\.\d)\b",
    re.IGNORECASE,
)
DIAGNOSIS_VERB = re.compile(
    r"\b(?:konstaterad|konstaterades|konstaterat|diagnostiserad|diagnostiserades|påvisades|"
    r"påvisad|fastställdes|bekräftades|fick\s+diagnosen|fick\s+en|ställdes|insjuknade|"
    r"lades\s+in|inlagd|opererades|upptäcktes|bröt)\b",
    re.IGNORECASE,
)
DIAGNOSIS_DATE = re.compile(
    r"(?:(?:19|20)\d\d-\d{1,2}-\d{1,2}|\b\d{1,2}/\d{1,2}\b|\bden\s+\d{1,2}|"
    r"\b\d{1,2}\s+(?:" + MONTHS + r")|\bi\s+(?:" + MONTHS + r")\b|\bi\s+(?:går|förrgår|natt|morse)|"
    r"\bi\s+(?:" + WEEKDAYS + r")dags|\bförra\s+(?:veckan|månaden)|\bi\s+(?:våras|höstas|somras|"
    r"vintras|julas)|\bvid\s+besöket)",
    re.IGNORECASE,
)
PLURAL = re.compile(
    r"\b(?:\d+\s+(?:boende|personal|patienter|fall)|flera|många|utbrott\w*|antalet|andelen|"
    r"avdelningarna|två\s+avdelningar|minskat|ökat|fall\s+av|alla)\b",
    re.IGNORECASE,
)

_RELATIVE = re.compile(
    r"\b(?:(?:hennes|hans|deras|mannens|kvinnans|damens|brukarens|patientens)\s+"
    r"(?:son|dotter|make|maka|man|fru|hustru|sambo|syster|bror|barnbarn|svärson|svärdotter)"
    r"(?:\s+[A-ZÅÄÖ][\wåäö-]+)?|"
    r"(?:sonen|dottern|maken|makan|frun|hustrun|sambon|barnbarnet|brodern|systern|svärsonen|"
    r"svärdottern|brorsonen|systerdottern)(?:\s+till\s+(?:kvinnan|mannen|damen|brukaren|"
    r"patienten)[^.,;!?]{0,25}|\s+[A-ZÅÄÖ][\wåäö-]+)?)",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\d\"(»])|\n")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in _BOUNDARY.finditer(text):
        if text[start : m.start()].strip():
            yield start, m.start()
        start = m.end()
    if text[start:].strip():
        yield start, len(text)


def relatives(text: str) -> Iterator[Found]:
    for m in _RELATIVE.finditer(text):
        words = m.group(0)
        # "sonen Janne": only a capitalised word right after is part of it; "Sonen Ja" no.
        yield "anhorig", m.start(), m.start() + len(words.rstrip())


def individual_cases(text: str) -> Iterator[Found]:
    for start, end in sentences(text):
        sentence = text[start:end]
        stripped_end = start + len(sentence.rstrip())
        diagnosis = DIAGNOSES.search(sentence)
        if (
            diagnosis
            and DIAGNOSIS_DATE.search(sentence)
            and (DIAGNOSIS_VERB.search(sentence) or SINGULAR_PERSON.search(sentence))
            and not PLURAL.search(sentence)
        ):
            yield "diagnos", start + (len(sentence) - len(sentence.lstrip())), stripped_end
            continue
        if UNIQUE_CLAUSE.search(sentence):
            yield "enskilt_fall", start + (len(sentence) - len(sentence.lstrip())), stripped_end
            continue
        person = SINGULAR_PERSON.search(sentence)
        if not person:
            continue
        if STAFF_SUBJECT.search(sentence) and not re.match(
            r"\s*(?:kvinnan|mannen|damen|patienten|brukaren|den\s+boende|en\s+boende)",
            sentence,
            re.IGNORECASE,
        ):
            continue
        generic = GENERIC.search(sentence)
        if generic and generic.start() < person.start():
            continue
        if SPECIFIC_TIME.search(sentence) and PAST_EVENT.search(sentence):
            yield "enskilt_fall", start + (len(sentence) - len(sentence.lstrip())), stripped_end


RULES = (relatives, individual_cases)
