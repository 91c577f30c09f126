"""Fixed Swedish texts the documents are filled with: agenda points, data to bring, questions."""

from __future__ import annotations

# (title, text, weight): the meeting time is shared between the points by weight.
AGENDA_POINTS = [
    (
        "Välkomna och syfte",
        "Presentation av deltagarna. Dialogen är strukturell: vi talar om arbetssätt, rutiner och "
        "samverkan, inte om enskilda patienter, och den är ingen granskning eller revision.",
        1,
    ),
    (
        "Boendet presenterar sig",
        "Enhetschefen berättar kort om boendet: enheter, bemanning, kompetens och hur arbetet "
        "med patientsäkerhet går till.",
        1,
    ),
    (
        "Vårdcentralen presenterar sig",
        "Vårdcentralen berättar om läkarmedverkan, kontaktvägar, jour och sitt sätt att arbeta "
        "med boendet.",
        1,
    ),
    (
        "Uppföljning av förra årets åtgärder",
        "Genomgång av de åtgärder som beslutades vid tidigare dialoger och hur långt de har kommit "
        "(se listan nedan).",
        2,
    ),
    (
        "Gemensamma data för året",
        "Avvikelser, fall, trycksår, läkemedelsgenomgångar och andra underlag som båda parter tagit "
        "med, på gruppnivå.",
        2,
    ),
    (
        "Brister, risker och framgångsfaktorer per område",
        "Vad fungerar, vad brister och vilka risker ser vi? Gå igenom områdena nedan och välj ut "
        "de viktigaste.",
        4,
    ),
    ("Överenskomna åtgärder", "Vilka åtgärder gör vi, vem ansvarar och när ska de vara klara?", 2),
    (
        "Att lyfta till MAS/MAR och regionen",
        "Frågor som inte kan lösas lokalt och lärdomar som är värda att sprida i länet: till "
        "vem de förs vidare, av vem och när.",
        1,
    ),
    (
        "Övriga frågor",
        "Frågor som deltagarna vill ta upp; anmäl dem gärna till mötesledaren före mötet.",
        1,
    ),
    ("Nästa dialog", "Preliminär tidpunkt för nästa års dialog och vem som bokar den.", 1),
]

SHARED_DATA = [
    "Avvikelser under året, sammanställda per område (inga enskilda ärenden)",
    "Antal fall och fallskador på gruppnivå",
    "Trycksår och riskbedömningar (t.ex. Senior alert) på gruppnivå",
    "Läkemedelsgenomgångar: hur många som är gjorda och hur de följs upp",
    "Läkarens tillgänglighet: planerade besök, jour och kontaktvägar",
    "Delegeringar och kompetensinsatser under året",
    "Förra årets dokumentation och åtgärdslista",
]

GENERIC_QUESTIONS = [
    "Vad fungerar bra i dag och bör behållas?",
    "Var uppstår brister i samverkan mellan boendet och vårdcentralen?",
    "Vilka risker ser vi framåt, och vad kan vi göra förebyggande?",
]

AREA_QUESTIONS: dict[str, list[str]] = {
    "Läkemedel": [
        "Hur planeras och dokumenteras läkemedelsgenomgångar?",
        "Hur når ändrade ordinationer all personal?",
    ],
    "Fall": [
        "Görs fallriskbedömningar vid förändrat hälsotillstånd?",
        "Hur återkopplas fallhändelser till läkare och rehabilitering?",
    ],
    "Trycksår": [
        "Hur fångas risk för trycksår upp tidigt?",
        "Finns rutiner för hjälpmedel och uppföljning?",
    ],
    "Nutrition": [
        "Hur följs vikt och nutritionsstatus upp?",
        "När ska läkaren informeras om viktförändringar?",
    ],
    "Palliativ vård": [
        "Hur och när hålls brytpunktssamtal?",
        "Finns ordinationer i förväg för vård i livets slut?",
    ],
    "Hygien": [
        "Hur följs basala hygienrutiner upp?",
        "Finns hygienombud och får de tid för uppdraget?",
    ],
    "Informationsöverföring": [
        "Hur överförs information vid skiftbyte och vid inskrivning?",
        "Vilka kontaktvägar används, och fungerar de dygnet runt?",
    ],
    "Läkartillgänglighet": [
        "Hur fungerar planerade besök och akuta kontakter?",
        "Vem kontaktas när den ordinarie läkaren är borta?",
    ],
    "Delegering": [
        "Förnyas delegeringar i tid, även under semestrar?",
        "Hur följs delegerade insatser upp?",
    ],
    "BPSD": [
        "Används BPSD-registret och bemötandeplaner?",
        "Hur samverkar läkare och personal kring läkemedel vid BPSD?",
    ],
    "Munhälsa": ["Görs munhälsobedömningar och följs de upp?"],
    "Kompetens och bemanning": [
        "Vilken kompetens saknas, och hur påverkar bemanningen patientsäkerheten?"
    ],
    "Avvikelsehantering": [
        "Rapporteras avvikelser mellan organisationerna, och återkopplas de?",
        "Hur används avvikelserna för lärande?",
    ],
}


def questions_for(area_name: str) -> list[str]:
    return list(AREA_QUESTIONS.get(area_name, GENERIC_QUESTIONS[:2]))
