"""The shipped default Word templates of agenda_templates/ (`make templates` writes them).

Builds agenda.docx, kallelse.docx, dokumentationsmall.docx and stodmaterial.docx. They are
docxtpl templates: the tags use only the variables documented in dialog/documents/kinds.py
(shown on the upload page), so they are also the examples for a region's own templates. The
documentation template's tables follow dialog/documents/minutes_layout.py exactly: the findings
importer reads filled-in copies with those constants.
"""

from __future__ import annotations

from docx.shared import Pt

from dialog.documents import minutes_layout as L

from . import docx_build as b
from . import steering_sections

HEADER = "{{ home.name }} · Patientsäkerhetsdialog {{ dialogue.date }}"


def _facts(document, rows, caption="Uppgifter om dialogen"):
    t = b.table(document, ("Uppgift", "Detaljer"), (4.5, 12.5), caption=caption)
    for label, value in rows:
        b.add_row(t, (label, value), bold_first=True)
    return t


def _people(document, listname, heading):
    document.add_heading(heading, level=3)
    t = b.table(document, ("Namn", "Roll", "Svar på inbjudan"), (7.0, 5.5, 4.5), caption=heading)
    b.loop_rows(t, f"for p in {listname}", ("{{ p.name }}", "{{ p.role }}", "{{ p.response }}"))
    b.tag_paragraph(document, f"if not {listname}")
    document.add_paragraph("Inga deltagare är inbjudna ännu.")
    b.tag_paragraph(document, "endif")


def _previous_actions(document, caption):
    t = b.table(
        document,
        ("Åtgärd", "Ansvarig", "Klart senast", "Status"),
        (8.0, 4.0, 2.5, 2.5),
        caption=caption,
    )
    b.loop_rows(
        t,
        "for a in previous_actions",
        (
            "{{ a.description }} ({{ a.year }})",
            "{{ a.responsible }}",
            "{{ a.due_date }}",
            "{{ a.status }}",
        ),
    )
    b.tag_paragraph(document, "if not previous_actions")
    document.add_paragraph("Det finns inga åtgärder från tidigare dialoger att följa upp.")
    b.tag_paragraph(document, "endif")


def build_agenda():
    d = b.new_document(title="Agenda för patientsäkerhetsdialog")
    b.header_footer(d, HEADER, "Agenda")
    d.add_paragraph("Agenda", style="Title")
    d.add_paragraph(
        "Patientsäkerhetsdialog {{ dialogue.year }} mellan {{ home.name }} och "
        "{{ health_centre.name }}"
    )
    d.add_heading("Tid och plats", level=1)
    _facts(
        d,
        [
            ("Boende", "{{ home.name }}, {{ municipality.name }}"),
            ("Vårdcentral", "{{ health_centre.name }}"),
            ("Datum", "{{ dialogue.weekday }} {{ dialogue.date }}"),
            ("Tid", "kl. {{ dialogue.start }}–{{ dialogue.end }}"),
            ("Plats", "{{ dialogue.location }}"),
            (
                "Videolänk",
                "{% if dialogue.video_link %}{{ dialogue.video_link }}{% else %}–{% endif %}",
            ),
        ],
    )
    d.add_heading("Deltagare", level=1)
    _people(d, "participants_home", "Från boendet")
    _people(d, "participants_centre", "Från vårdcentralen")
    d.add_heading("Dagordning", level=1)
    t = b.table(d, ("Tid", "Punkt"), (3.0, 14.0), caption="Dagordning med tider")
    b.add_row(t, ("{%tr for pt in agenda_points %}", ""))
    row = b.add_row(t, ("{{ pt.start }}–{{ pt.end }}", ""))
    cell = row.cells[1]
    cell.paragraphs[0].add_run("{{ pt.number }}. {{ pt.title }}").bold = True
    cell.add_paragraph("{{ pt.text }}")
    b.add_row(t, ("{%tr endfor %}", ""))
    d.add_heading("Underlag till punkterna", level=1)
    d.add_heading("Förra årets åtgärder", level=2)
    _previous_actions(d, "Åtgärder att följa upp")
    d.add_heading("Gemensamma data för året", level=2)
    d.add_paragraph("Ta med underlag på gruppnivå, aldrig uppgifter om enskilda patienter:")
    b.tag_paragraph(d, "for item in shared_data")
    b.bullet(d, "{{ item }}")
    b.tag_paragraph(d, "endfor")
    steering_sections.basis_data(d, heading_level=3)  # issue 16
    d.add_heading("Områden för brister, risker och framgångsfaktorer", level=2)
    d.add_paragraph(
        "{% for a in areas %}{{ a.name }}{% if not loop.last %}, {% endif %}{% endfor %}."
    )
    steering_sections.topics(d, heading_level=3)  # issue 16
    d.add_heading("Att lyfta till MAS/MAR och regionen", level=2)
    d.add_paragraph(
        "Det som inte kan lösas lokalt, och lärdomar som är värda att sprida, "
        "markeras i dokumentationen och lyfts till MAS/MAR och regionens "
        "chefläkare."
    )
    d.add_heading("Nästa dialog", level=2)
    d.add_paragraph("{{ next_dialogue }}")
    return d


def build_kallelse():
    d = b.new_document(title="Kallelse till patientsäkerhetsdialog")
    b.header_footer(d, HEADER, "Kallelse")
    d.add_paragraph("Kallelse", style="Title")
    d.add_paragraph(
        "till patientsäkerhetsdialog {{ dialogue.year }} mellan {{ home.name }} "
        "och {{ health_centre.name }}"
    )
    d.add_paragraph(
        "Du är inbjuden till årets patientsäkerhetsdialog. Dialogen är ett "
        "strukturellt samtal om hur vi tillsammans gör vården på boendet säker. "
        "Den är ingen granskning, och inga enskilda patienter diskuteras."
    )
    d.add_heading("Tid och plats", level=1)
    _facts(
        d,
        [
            ("Datum", "{{ dialogue.weekday }} {{ dialogue.date }}"),
            ("Tid", "kl. {{ dialogue.start }}–{{ dialogue.end }}"),
            ("Plats", "{{ dialogue.location }}"),
            (
                "Videolänk",
                "{% if dialogue.video_link %}{{ dialogue.video_link }}{% else %}–{% endif %}",
            ),
            (
                "Boende",
                "{{ home.name }}{% if home.address %}, {{ home.address }}{% endif %}, "
                "{{ municipality.name }}",
            ),
            ("Vårdcentral", "{{ health_centre.name }}"),
            (
                "Kallad av",
                "{% if dialogue.organiser %}{{ dialogue.organiser }}"
                "{% if dialogue.organiser_email %} ({{ dialogue.organiser_email }})"
                "{% endif %}{% else %}Enhetschefen på {{ home.name }}{% endif %}",
            ),
        ],
    )
    d.add_heading("Kallade", level=1)
    t = b.table(d, ("Namn", "Roll", "Part"), (7.0, 5.5, 4.5), caption="Kallade deltagare")
    b.loop_rows(t, "for p in participants", ("{{ p.name }}", "{{ p.role }}", "{{ p.side }}"))
    d.add_heading("Dagordning i korthet", level=1)
    b.tag_paragraph(d, "for pt in agenda_points")
    d.add_paragraph("kl. {{ pt.start }}  {{ pt.title }}", style="List Number")
    b.tag_paragraph(d, "endfor")
    d.add_heading("Förbered dig", level=1)
    d.add_paragraph("Ta med underlag på gruppnivå, till exempel:")
    b.tag_paragraph(d, "for item in shared_data")
    b.bullet(d, "{{ item }}")
    b.tag_paragraph(d, "endfor")
    d.add_heading("Svara på kallelsen", level=1)
    d.add_paragraph(
        "Svara på kalenderinbjudan i e-posten eller meddela den som kallat om du "
        "inte kan komma. Kan du inte delta, skicka gärna en ersättare med samma "
        "roll, så att båda parter är fullt representerade."
    )
    return d


def build_minutes():
    d = b.new_document(landscape=True, title=L.SUBJECT)
    b.header_footer(d, HEADER, "Dokumentation")
    d.add_paragraph("Dokumentation", style="Title")
    d.add_paragraph(
        "Patientsäkerhetsdialog {{ dialogue.year }}: {{ home.name }} och {{ health_centre.name }}"
    )
    note = d.add_paragraph()
    note.add_run("Skriv inga patientuppgifter. ").bold = True
    note.add_run(
        "Inga namn, personnummer, rumsnummer eller annat som pekar ut en enskild "
        "person. Beskriv brister, risker och framgångsfaktorer på strukturell nivå. "
        "Ändra inte tabellernas rubrikrader: filen kan läsas in i systemet igen."
    )
    widths = (5.5, 20.2)
    d.add_heading(L.TABLE_TITLES[L.FACTS], level=1)
    t = b.table(d, L.FACTS_HEADER, widths, caption=L.TABLE_TITLES[L.FACTS])
    values = {
        L.FACT_DIALOGUE_ID: "{{ dialogue.id }}",
        L.FACT_CALENDAR_UID: "{{ dialogue.calendar_uid }}",
        L.FACT_LAYOUT_VERSION: L.LAYOUT_VERSION,
        L.FACT_HOME: "{{ home.name }}",
        L.FACT_MUNICIPALITY: "{{ municipality.name }}",
        L.FACT_HEALTH_CENTRE: "{{ health_centre.name }}",
        L.FACT_DATE: "{{ dialogue.date }}",
        L.FACT_TIME: "kl. {{ dialogue.start }}–{{ dialogue.end }}",
        L.FACT_PLACE: "{{ dialogue.location }}",
    }
    for label in L.FACT_LABELS:
        b.add_row(t, (label, values[label]), bold_first=True)

    d.add_heading(L.TABLE_TITLES[L.ATTENDANCE], level=1)
    d.add_paragraph(
        "Närvaro: " + ", ".join(L.ATTENDANCE_VALUES) + ". Skriv ersättare som inte "
        "var kallade på de tomma raderna."
    )
    t = b.table(
        d, L.ATTENDANCE_HEADER, (1.5, 6.5, 4.5, 3.2, 3.0, 7.0), caption=L.TABLE_TITLES[L.ATTENDANCE]
    )
    b.loop_rows(
        t,
        "for p in participants",
        ("{{ p.id }}", "{{ p.name }}", "{{ p.role }}", "{{ p.side }}", "", ""),
        height_cm=0.8,
    )
    b.loop_rows(t, "for r in blank_rows.attendance", ("", "", "", "", "", ""), height_cm=0.8)

    d.add_heading(L.TABLE_TITLES[L.PREVIOUS_ACTIONS], level=1)
    d.add_paragraph("Status: " + ", ".join(L.STATUS_VALUES) + ".")
    t = b.table(
        d,
        L.PREVIOUS_ACTIONS_HEADER,
        (1.5, 7.7, 4.0, 2.5, 2.8, 2.6, 4.6),
        caption=L.TABLE_TITLES[L.PREVIOUS_ACTIONS],
    )
    b.loop_rows(
        t,
        "for a in previous_actions",
        (
            "{{ a.id }}",
            "{{ a.description }}",
            "{{ a.responsible }}",
            "{{ a.due_date }}",
            "{{ a.status }}",
            "",
            "",
        ),
        height_cm=0.8,
    )
    b.tag_paragraph(d, "if not previous_actions")
    d.add_paragraph("Det finns inga åtgärder från tidigare dialoger att följa upp.")
    b.tag_paragraph(d, "endif")

    steering_sections.basis_data(d, heading_level=1)  # issue 16

    d.add_heading("Brister, risker och framgångsfaktorer", level=1)
    d.add_paragraph(
        "Område (skriv som i listan): {% for a in areas %}{{ a.name }}"
        "{% if not loop.last %}, {% endif %}{% endfor %}."
    )
    d.add_paragraph(
        "Gäller: " + ", ".join(L.PARTY_VALUES) + ". Lyfts till MAS/MAR och region "
        "respektive Sprids som lärdom: Ja eller Nej."
    )
    finding_widths = (4.5, 11.7, 3.3, 3.2, 3.0)
    for key in (L.DEFICIENCIES, L.RISKS, L.SUCCESS_FACTORS):
        d.add_heading(L.TABLE_TITLES[key], level=2)
        t = b.table(d, L.TABLES[key], finding_widths, caption=L.TABLE_TITLES[key])
        b.loop_rows(t, f"for r in blank_rows.{key}", ("",) * 5, height_cm=1.2)

    d.add_heading(L.TABLE_TITLES[L.ACTIONS], level=1)
    d.add_paragraph(
        "Ansvarig part: "
        + ", ".join(L.PARTY_VALUES)
        + ". Ansvarig roll: "
        + ", ".join(L.ROLE_VALUES)
        + ". Klart senast: datum som 2027-09-30."
    )
    t = b.table(d, L.ACTIONS_HEADER, (4.5, 11.2, 3.3, 3.7, 3.0), caption=L.TABLE_TITLES[L.ACTIONS])
    b.loop_rows(t, "for r in blank_rows.actions", ("",) * 5, height_cm=1.2)

    d.add_heading("Nästa dialog", level=1)
    d.add_paragraph("{{ next_dialogue }}")
    return d


EXAMPLES = [
    (
        "En boende fick fel dos i går kväll eftersom ordinationen ändrades efter läkarbesöket.",
        "Brist (Läkemedel): ändrade ordinationer når inte kvällspersonalen på ett säkert sätt.",
    ),
    (
        "En man på avdelning 2 har fallit tre gånger sedan i våras.",
        "Risk (Fall): fallriskbedömningar görs inte om när hälsotillståndet förändras.",
    ),
    (
        "Doktorn kom inte när vi ringde om en kvinna med feber en fredag.",
        "Brist (Läkartillgänglighet): kontaktvägarna fredag eftermiddag är oklara.",
    ),
]


def build_guide():
    d = b.new_document(title="Stödmaterial för enhetschefer")
    b.header_footer(d, HEADER, "Stödmaterial")
    d.add_paragraph("Stödmaterial för enhetschefer", style="Title")
    d.add_paragraph(
        "Inför patientsäkerhetsdialogen {{ dialogue.year }} på {{ home.name }} "
        "med {{ health_centre.name }}, {{ dialogue.weekday }} {{ dialogue.date }} "
        "kl.\u00a0{{ dialogue.start }}."
    )
    d.add_heading("Syfte", level=1)
    d.add_paragraph(
        "Patientsäkerhetsdialogen är ett årligt, gemensamt samtal mellan boendet "
        "och vårdcentralen. Målet är att hitta brister, risker och "
        "framgångsfaktorer i samverkan och att komma överens om förbättringar. "
        "Dialogen kompletterar uppföljningen av samverkansavtalet om "
        "läkarmedverkan."
    )
    d.add_heading("Spelregler", level=1)
    for text in (
        "Dialogen är ingen granskning eller revision.",
        "Inga enskilda patienter diskuteras, och inga patientuppgifter skrivs ned.",
        "Båda parter är lika viktiga; enhetschefen leder samtalet.",
        "Vi letar efter arbetssätt och rutiner att förbättra, inte efter skyldiga.",
    ):
        b.bullet(d, text)
    d.add_heading("Förberedelser", level=1)
    d.add_heading("Vilka som ska delta", level=2)
    b.tag_paragraph(d, "for r in required_roles")
    b.bullet(d, "{{ r }}")
    b.tag_paragraph(d, "endfor")
    d.add_heading("Underlag att ta med", level=2)
    b.tag_paragraph(d, "for item in shared_data")
    b.bullet(d, "{{ item }}")
    b.tag_paragraph(d, "endfor")
    d.add_heading("Frågor per område", level=1)
    b.tag_paragraph(d, "for a in areas")
    d.add_heading("{{ a.name }}", level=2)
    b.tag_paragraph(d, "for q in a.questions")
    b.bullet(d, "{{ q }}")
    b.tag_paragraph(d, "endfor")
    b.tag_paragraph(d, "endfor")
    d.add_heading("Håll dialogen strukturell", level=1)
    d.add_paragraph(
        "När någon berättar om ett enskilt fall: tacka, och fråga vad fallet säger "
        "om arbetssättet. Skriv ned det strukturella, aldrig fallet."
    )
    t = b.table(
        d,
        ("Så kan det låta", "Så skrivs det som strukturell iakttagelse"),
        (8.5, 8.5),
        caption="Exempel på omskrivning av enskilda fall",
    )
    for before, after in EXAMPLES:
        b.add_row(t, (before, after))
    d.add_heading("Efter dialogen", level=1)
    for text in (
        "Dokumentera närvaro, brister, risker, framgångsfaktorer och åtgärder i "
        "systemet, eller fyll i dokumentationsmallen och läs in den.",
        "Åtgärderna följs upp under året och vid nästa dialog.",
        "MAS/MAR och regionens chefläkare sammanställer lärdomarna i länet två gånger "
        "om året (februari och september).",
        "Resultatet ingår i kommunens patientsäkerhetsberättelse.",
    ):
        b.bullet(d, text)
    p = d.add_paragraph("Dokumentet skapades {{ generated_on }}.")
    p.runs[0].font.size = Pt(9)
    return d


BUILDERS = {
    "agenda": build_agenda,
    "kallelse": build_kallelse,
    "dokumentationsmall": build_minutes,
    "stodmaterial": build_guide,
}
