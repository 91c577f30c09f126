"""The shipped default Word templates of agenda_templates/ (`make templates` writes them).

Builds agenda.docx, kallelse.docx, dokumentationsmall.docx and stodmaterial.docx. They are
docxtpl templates: the tags use only the variables documented in dialog/documents/kinds.py
(shown on the upload page), so they are also the examples for a region's own templates. The
documentation template's tables follow dialog/documents/minutes_layout.py exactly: the findings
importer reads filled-in copies with those constants.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from dialog.documents import minutes_layout as L

from . import docx_build as b
from . import hidden, steering_sections

HEADER = "{{ home.name }} · Patientsäkerhetsdialog {{ dialogue.date }}"


def _facts(document, rows, caption="Uppgifter om dialogen"):
    t = b.table(document, ("Uppgift", "Detaljer"), (4.5, 12.5), caption=caption)
    for label, value in rows:
        b.add_row(t, (label, value), bold_first=True)
    b.keep_together(t)
    return t


def _people(document, listname, heading):
    document.add_heading(heading, level=2)
    b.tag_paragraph(document, f"if {listname}")
    t = b.table(document, ("Namn", "Roll", "Svar på inbjudan"), (7.0, 5.5, 4.5), caption=heading)
    b.loop_rows(t, f"for p in {listname}", ("{{ p.name }}", "{{ p.role }}", "{{ p.response }}"))
    b.tag_paragraph(document, "else")
    document.add_paragraph("Inga deltagare är inbjudna ännu.")
    b.tag_paragraph(document, "endif")


VIDEO = "{% if dialogue.video_link %}{{ dialogue.video_link }}{% else %}–{% endif %}"
NO_EARLIER_ACTIONS = (
    "Det finns inga åtgärder från tidigare dialoger att följa upp: det här är boendets "
    "första dialog i tjänsten, eller så beslutades inga åtgärder förra gången."
)


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
            ("Videolänk", VIDEO),
            ("Mötesledare", "{% if dialogue.chair %}{{ dialogue.chair }}{% else %}–{% endif %}"),
            (
                "Antecknare",
                "{% if dialogue.note_taker %}{{ dialogue.note_taker }}"
                "{% else %}Utses vid mötets början{% endif %}",
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
    b.no_wrap(t, 0)
    d.add_heading("Underlag till punkterna", level=1)
    d.add_heading("Förra årets åtgärder", level=2)
    b.tag_paragraph(d, "if previous_actions")
    b.keep_with_next(
        d.add_paragraph(
            "Status är den senaste som registrerats. Öppna åtgärder vars datum har passerat är "
            "markerade som försenade."
        )
    )
    t = b.table(
        d,
        ("Åtgärd", "Ansvarig", "Klart senast", "Status"),
        (7.6, 4.0, 2.6, 2.8),
        caption="Åtgärder att följa upp",
    )
    b.add_row(t, ("{%tr for a in previous_actions %}", "", "", ""))
    row = b.add_row(
        t,
        (
            "{{ a.description }} ({{ a.year }}){% if a.latest_note %} Senaste anteckning "
            "{{ a.latest_note_date }}: {{ a.latest_note }}{% endif %}",
            "{{ a.responsible }}",
            "{{ a.due_date }}",
            "",
        ),
    )
    status = row.cells[3].paragraphs[0]
    status.add_run("{% if a.overdue %}")
    status.add_run("{{ a.status_text }}").bold = True
    status.add_run("{% else %}{{ a.status_text }}{% endif %}")
    b.add_row(t, ("{%tr endfor %}", "", "", ""))
    b.no_wrap(t, 2)
    b.tag_paragraph(d, "else")
    d.add_paragraph(NO_EARLIER_ACTIONS)
    b.tag_paragraph(d, "endif")
    d.add_heading("Gemensamma data för året", level=2)
    b.keep_with_next(
        d.add_paragraph("Ta med underlag på gruppnivå, aldrig uppgifter om enskilda patienter:")
    )
    b.tag_paragraph(d, "for item in shared_data")
    b.bullet(d, "{{ item }}")
    b.tag_paragraph(d, "endfor")
    steering_sections.basis_data(d, heading_level=3)
    # The closing block (areas, topics when none were sent, next dialogue) stays together, so
    # the agenda never ends on a page holding only its last two lines.
    d.add_heading("Områden för brister, risker och framgångsfaktorer", level=2)
    b.keep_with_next(
        d.add_paragraph(
            "{% for a in areas %}{{ a.name }}{% if not loop.last %}, {% endif %}{% endfor %}."
        )
    )
    steering_sections.topics(d, heading_level=3)
    d.add_heading("Nästa dialog", level=2)
    d.add_paragraph("{{ next_dialogue }}")
    return d


def build_kallelse():
    """One page: the facts once, who is invited, what to bring, how and by when to answer."""
    d = b.new_document(title="Kallelse till patientsäkerhetsdialog")
    b.header_footer(d, HEADER, "Kallelse")
    date_line = d.add_paragraph("{{ municipality.name }} {{ generated_on }}")
    date_line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
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
            ("Adress", "{{ home.name }}, {{ home.postal_address }}"),
            ("Videolänk", VIDEO),
            ("Vårdcentral", "{{ health_centre.name }}"),
        ],
    )
    d.add_heading("Kallade", level=1)
    t = b.table(d, ("Namn", "Roll", "Part"), (7.0, 5.5, 4.5), caption="Kallade deltagare")
    b.loop_rows(t, "for p in participants", ("{{ p.name }}", "{{ p.role }}", "{{ p.side }}"))
    d.add_heading("Förbered dig", level=1)
    d.add_paragraph(
        "Ta med underlag på gruppnivå, aldrig uppgifter om enskilda patienter: "
        "{% for item in shared_data %}{{ item[:1]|lower }}{{ item[1:] }}"
        "{% if not loop.last %}; {% endif %}{% endfor %}."
    )
    d.add_heading("Svara senast {{ dialogue.reply_by }}", level=1)
    d.add_paragraph(
        "Svara på kalenderinbjudan i din kalender (Acceptera eller Avböj) eller genom den "
        "personliga länken i e-postmeddelandet. Båda sätten räknas; du behöver bara svara på "
        "ett av dem. Kan du inte delta, skicka gärna en ersättare med samma roll, så att båda "
        "parter är fullt representerade."
    )
    d.add_heading("Frågor om dialogen", level=1)
    d.add_paragraph(
        "Kallad av {% if dialogue.organiser %}{{ dialogue.organiser }}"
        "{% else %}enhetschefen på {{ home.name }}{% endif %}"
        "{% if dialogue.organiser_email %}, e-post {{ dialogue.organiser_email }}{% endif %}"
        "{% if dialogue.organiser_phone %}, telefon {{ dialogue.organiser_phone }}{% endif %}."
    )
    return d


def _finding_widths():
    return (1.3, 4.0, 11.2, 3.0, 3.2, 3.0)


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
        "Ändra inte tabellernas rubrikrader: filen läses in i systemet igen. "
        "Det som redan är registrerat står i tabellerna; en tom ruta ändrar inget."
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
        row = b.add_row(t, (label, values[label]), bold_first=True)
        if label in (L.FACT_DIALOGUE_ID, L.FACT_CALENDAR_UID, L.FACT_LAYOUT_VERSION):
            hidden.hide_row(row)  # read back by the importer, never shown to people
    b.keep_together(t)

    d.add_heading(L.TABLE_TITLES[L.ATTENDANCE], level=1)
    b.keep_with_next(
        d.add_paragraph(
            "Närvaro: " + ", ".join(L.ATTENDANCE_VALUES) + ". Skriv ersättare som inte "
            "var kallade på de tomma raderna."
        )
    )
    t = b.table(
        d, L.ATTENDANCE_HEADER, (1.3, 6.5, 4.5, 3.2, 3.0, 7.2), caption=L.TABLE_TITLES[L.ATTENDANCE]
    )
    b.loop_rows(
        t,
        "for p in participants",
        (
            "{{ p.id }}",
            "{{ p.name }}",
            "{{ p.role }}",
            "{{ p.side }}",
            "{{ p.attendance }}",
            "{{ p.attendance_comment }}",
        ),
        height_cm=0.8,
    )
    b.loop_rows(t, "for r in blank_rows.attendance", ("", "", "", "", "", ""), height_cm=0.8)
    hidden.hide_column(t, 0)  # the ids: read back by the importer, never shown

    d.add_heading(L.TABLE_TITLES[L.PREVIOUS_ACTIONS], level=1)
    b.tag_paragraph(d, "if previous_actions")
    b.keep_with_next(
        d.add_paragraph(
            "Status nu: "
            + ", ".join(L.STATUS_VALUES)
            + ". Status före mötet är den senast registrerade."
        )
    )
    t = b.table(
        d,
        L.PREVIOUS_ACTIONS_HEADER,
        (1.3, 7.7, 4.0, 2.6, 3.0, 2.6, 4.5),
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
            "{{ a.status_text }}",
            "{{ a.review_status }}",
            "{{ a.review_comment }}",
        ),
        height_cm=0.8,
    )
    b.no_wrap(t, 3)
    hidden.hide_column(t, 0)
    b.tag_paragraph(d, "else")
    d.add_paragraph(NO_EARLIER_ACTIONS)
    b.tag_paragraph(d, "endif")

    steering_sections.basis_data(d, heading_level=1)

    d.add_heading("Brister, risker och framgångsfaktorer", level=1)
    d.add_paragraph(
        "Område (skriv som i listan): {% for a in areas %}{{ a.name }}"
        "{% if not loop.last %}, {% endif %}{% endfor %}."
    )
    d.add_paragraph(
        "Gäller: " + ", ".join(L.PARTY_VALUES) + ". Lyfts till MAS/MAR och region "
        "respektive Sprids som lärdom: Ja eller Nej."
    )
    for key in (L.DEFICIENCIES, L.RISKS, L.SUCCESS_FACTORS):
        d.add_heading(L.TABLE_TITLES[key], level=2)
        t = b.table(d, L.TABLES[key], _finding_widths(), caption=L.TABLE_TITLES[key])
        b.loop_rows(
            t,
            f"for f in recorded.{key}",
            (
                "{{ f.id }}",
                "{{ f.area }}",
                "{{ f.description }}",
                "{{ f.concerns }}",
                "{{ f.escalate }}",
                "{{ f.spread_as_lesson }}",
            ),
            height_cm=1.0,
        )
        b.loop_rows(t, f"for r in blank_rows.{key}", ("",) * 6, height_cm=1.2)
        hidden.hide_column(t, 0)

    d.add_heading(L.TABLE_TITLES[L.ACTIONS], level=1)
    b.keep_with_next(
        d.add_paragraph(
            "Ansvarig part: "
            + ", ".join(L.PARTY_VALUES)
            + ". Ansvarig roll: "
            + ", ".join(L.ROLE_VALUES)
            + ". Klart senast: datum som 2027-09-30."
        )
    )
    t = b.table(
        d, L.ACTIONS_HEADER, (1.3, 4.0, 10.4, 3.3, 3.7, 3.0), caption=L.TABLE_TITLES[L.ACTIONS]
    )
    b.loop_rows(
        t,
        "for a in recorded.actions",
        (
            "{{ a.id }}",
            "{{ a.area }}",
            "{{ a.description }}",
            "{{ a.responsible_party }}",
            "{{ a.responsible_role }}",
            "{{ a.due_date }}",
        ),
        height_cm=1.0,
    )
    b.loop_rows(t, "for r in blank_rows.actions", ("",) * 6, height_cm=1.2)
    b.no_wrap(t, 5)
    hidden.hide_column(t, 0)

    d.add_heading(L.TABLE_TITLES[L.NOTES], level=1)
    b.keep_with_next(
        d.add_paragraph(
            "Vilket underlag som togs upp, hur lärdomarna förs vidare (till vem, av vem och när), "
            "nästa dialog, och vem som antecknade och justerade. {{ next_dialogue }}"
        )
    )
    t = b.table(d, L.NOTES_HEADER, widths, caption=L.TABLE_TITLES[L.NOTES])
    for label, attr in L.NOTE_FIELDS.items():
        b.add_row(t, (label, "{{ dialogue." + attr + " }}"), bold_first=True, height_cm=1.0)
    b.keep_together(t)
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
