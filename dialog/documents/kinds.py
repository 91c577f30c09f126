"""The four documents, and the variables a template may use (shown on the upload page)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "agenda_templates"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str  # also the first word of the download's file name
    title: str  # the document title (core properties), before " – home date"
    description: str

    @property
    def default_path(self) -> Path:
        return TEMPLATE_DIR / f"{self.key}.docx"


KINDS: dict[str, DocumentKind] = {
    k.key: k
    for k in (
        DocumentKind(
            "agenda",
            "Agenda",
            "Agenda för patientsäkerhetsdialog",
            "Dagordning med tider, deltagare och förra årets åtgärder.",
        ),
        DocumentKind(
            "kallelse",
            "Kallelse",
            "Kallelse till patientsäkerhetsdialog",
            "Utskrivbar kallelse med samma uppgifter som kalenderinbjudan.",
        ),
        DocumentKind(
            "dokumentationsmall",
            "Dokumentationsmall",
            "Dokumentation av patientsäkerhetsdialog",
            "Förifylld mall att fylla i under mötet; kan läsas in igen.",
        ),
        DocumentKind(
            "stodmaterial",
            "Stödmaterial",
            "Stödmaterial för enhetschefer",
            "Syfte, spelregler, förberedelser och frågor per område.",
        ),
        DocumentKind(
            "protokoll",
            "Protokoll",
            "Protokoll från patientsäkerhetsdialog",
            "Det som dokumenterades: närvaro, iakttagelser, åtgärder och uppföljning.",
        ),
    )
}
# Documents that only make sense once the meeting is held (not offered before it).
AFTER_MEETING = frozenset({"protokoll"})


def kind_or_none(key: str) -> DocumentKind | None:
    return KINDS.get(key)


# The variables every template may use: name -> (meaning, fields). Anything else is refused at
# upload. Lists are iterated with {% for x in list %} ({%tr for … %} for table rows).
VARIABLES: dict[str, tuple[str, dict[str, str]]] = {
    "document_title": ("Dokumentets titel, t.ex. ”Agenda för patientsäkerhetsdialog”.", {}),
    "generated_on": ("Datum då dokumentet skapades (2027-03-01).", {}),
    "dialogue": (
        "Dialogen.",
        {
            "id": "Dialogens nummer i systemet",
            "calendar_uid": "Kalenderinbjudans UID",
            "year": "År",
            "date": "Datum (2027-03-14)",
            "weekday": "Veckodag (måndag …)",
            "start": "Starttid (13.00)",
            "end": "Sluttid (15.00)",
            "time_range": "Datum och tid (2027-03-14 kl. 13.00–15.00)",
            "location": "Plats",
            "video_link": "Videolänk (tom om ingen)",
            "status": "Status (Planerad, Genomförd …)",
            "organiser": "Den som bokade (namn)",
            "organiser_email": "Bokarens e-postadress",
            "organiser_phone": "Bokarens telefonnummer (tomt om okänt)",
            "reply_by": "Svara senast (datum, 2027-02-24)",
            "chair": "Mötesledare (enhetschefen om inget annat är angivet)",
            "note_taker": "Antecknare (tomt om inte angiven)",
            "minutes_checked_by": "Justerat av",
            "shared_data_notes": "Underlag som togs upp",
            "lessons_to": "Lärdomar förs vidare till",
            "lessons_by": "Lärdomar förs vidare av",
            "lessons_when": "Lärdomar förs vidare när",
            "next_dialogue_note": "Anteckning om nästa dialog",
        },
    ),
    "home": (
        "Det särskilda boendet.",
        {
            "name": "Namn",
            "address": "Adress",
            "postal_address": "Adress med orten en gång (”Påhittade vägen 4, Eskilstuna”)",
        },
    ),
    "municipality": ("Kommunen.", {"name": "Namn"}),
    "region": ("Regionen.", {"name": "Namn"}),
    "health_centre": (
        "Vårdcentralen.",
        {"name": "Namn (”Ingen vald” om ingen)", "address": "Adress"},
    ),
    "participants": (
        "Alla inbjudna deltagare (lista).",
        {
            "id": "Deltagarens nummer",
            "name": "Namn",
            "role": "Roll (Sjuksköterska …)",
            "side": "Part (SÄBO/Vårdcentral)",
            "email": "E-post",
            "response": "Svar på inbjudan (Ja, Nej, Kanske, Inte svarat)",
            "attendance": "Registrerad närvaro (Ja, Nej, Ersättare; tomt om inte registrerad)",
            "attendance_comment": "Kommentar till närvaron",
        },
    ),
    "participants_home": ("Deltagare från boendet (lista, fält som participants).", {}),
    "participants_centre": ("Deltagare från vårdcentralen (lista, fält som participants).", {}),
    "agenda_points": (
        "Dagordningens punkter (lista).",
        {
            "number": "Punktens nummer",
            "start": "Starttid (13.00)",
            "end": "Sluttid",
            "title": "Rubrik",
            "text": "Beskrivning",
        },
    ),
    "previous_actions": (
        "Åtgärder från boendets tidigare dialoger att följa upp (lista).",
        {
            "id": "Åtgärdens nummer",
            "year": "År för dialogen där den beslutades",
            "description": "Åtgärden",
            "responsible": "Ansvarig (part och roll)",
            "due_date": "Klart senast",
            "status": "Senaste status (Ej påbörjad, Pågår, Klar, Avbruten)",
            "overdue": "Sant om åtgärden är öppen och datumet har passerat",
            "status_text": "Status med försening utskriven (”Pågår, försenad”)",
            "latest_note": "Senaste anteckningen om åtgärden",
            "latest_note_date": "Datum för den senaste anteckningen",
            "review_status": "Status nu enligt den här dialogens uppföljning (tomt om ingen)",
            "review_comment": "Kommentar från den här dialogens uppföljning",
        },
    ),
    "recorded": (
        "Det som redan är registrerat för dialogen: recorded.deficiencies, recorded.risks, "
        "recorded.success_factors (iakttagelser) och recorded.actions (åtgärder).",
        {
            "id": "Nummer i systemet",
            "area": "Område",
            "description": "Beskrivning",
            "concerns": "Gäller (iakttagelser)",
            "escalate": "Lyfts till MAS/MAR och region: Ja/Nej (iakttagelser)",
            "spread_as_lesson": "Sprids som lärdom: Ja/Nej (iakttagelser)",
            "responsible_party": "Ansvarig part (åtgärder)",
            "responsible_role": "Ansvarig roll (åtgärder)",
            "due_date": "Klart senast (åtgärder)",
            "status": "Status (åtgärder)",
        },
    ),
    "areas": (
        "Områden i regionens katalog (lista).",
        {
            "name": "Områdets namn",
            "questions": "Frågor att ställa (lista av text)",
        },
    ),
    "shared_data": ("Underlag att ta med till mötet (lista av text).", {}),
    "required_roles": ("Roller som ska delta för full representation (lista av text).", {}),
    "next_dialogue": ("Text om nästa dialog (”Nästa dialog hålls under 2028 …”).", {}),
    "minutes": (
        "Protokollet: det som dokumenterades (fält nedan; listor itereras).",
        {
            "documented_on": "Datum då dialogen dokumenterades",
            "attendance_home": "Närvaro, boendet (lista: name, role, attendance, stand_in_for)",
            "attendance_centre": "Närvaro, vårdcentralen (lista, samma fält)",
            "representation": "Om full representation uppnåddes",
            "findings": "Iakttagelser per typ (lista: title, entries med area, description, "
            "concerns, escalate, lesson)",
            "actions": "Överenskomna åtgärder (lista: description, area, responsible, "
            "due_date, status)",
            "reviewed": "Uppföljning av tidigare åtgärder (lista: year, description, "
            "responsible, status, comment)",
            "lessons": "Iakttagelser som sprids som lärdom (lista av text)",
            "escalated": "Det som lyfts till MAS/MAR och region (lista av text)",
            "lessons_passed_on": "Hur lärdomarna förs vidare",
            "next_dialogue": "Nästa dialog",
            "recorded_by": "Antecknat av",
            "approved_by": "Justerat av",
        },
    ),
    "blank_rows": (
        "Tomma rader att skriva i (lista; använd {%tr for r in blank_rows.deficiencies %}).",
        {"attendance": "", "deficiencies": "", "risks": "", "success_factors": "", "actions": ""},
    ),
    # --- issue 16: basis data and topics ---
    "basis_data": (
        "Boendets underlag för året bredvid förra årets (lista; tom om inget är registrerat).",
        {
            "measure": "Mått (Avvikelser: fall …)",
            "this_year": "Värde för dialogens år (– om inget)",
            "last_year": "Värde för året innan",
            "change": "Förändring (+3, −2, ±0; tom om ett värde saknas)",
        },
    ),
    "basis_years": ("Åren i underlaget.", {"this": "Dialogens år", "last": "Året innan"}),
    "topics": (
        "Ämnen som deltagarna skickat in före mötet, per område (lista).",
        {"area": "Område (Övrigt sist)", "texts": "Ämnena (lista av text)"},
    ),
}
# Jinja's own names a template may use without them being ours.
JINJA_GLOBALS = {"range", "loop", "dict", "lipsum", "cycler", "joiner", "namespace"}
ALLOWED_NAMES = frozenset(VARIABLES) | JINJA_GLOBALS
