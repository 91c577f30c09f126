"""agenda_templates/sammanstallning.docx, the docxtpl template of the follow-up report.

`make templates` writes it. An administrator may replace the file with their own template using the same variables.
"""

from __future__ import annotations

from docx.shared import Pt

from . import docx_build as b

TITLE = "Sammanställning patientsäkerhetsdialoger SÄBO"


def _image(d, name: str) -> None:
    """A paragraph holding one chart, with air above it (it often follows a table)."""
    p = d.add_paragraph("{{ " + name + " }}")
    p.paragraph_format.space_before = Pt(10)
    p.paragraph_format.space_after = Pt(10)


def _assignments(d) -> None:
    """The leadership group's assignments from earlier compilations and the reports back."""
    d.add_heading("Uppdrag från ledningsgruppen", level=1)
    d.add_paragraph(
        "{% if not assignments %}Inga uppdrag från ledningsgruppen var aktuella under perioden."
        "{% else %}Uppdrag som ledningsgruppen gett efter tidigare sammanställningar, med "
        "ägarens återrapporter.{% endif %}"
    )
    b.tag_paragraph(d, "if assignments")
    t = b.table(
        d,
        ("Uppdrag", "Till", "Klart senast", "Status"),
        (7.5, 4.0, 2.5, 3.0),
        caption="Uppdrag från ledningsgruppen",
    )
    b.loop_rows(
        t,
        "for a in assignments",
        (
            "{{ a.title }}",
            "{{ a.assignee }}",
            "{{ a.due_date }}",
            "{{ a.status }}{% if a.overdue %} (försenat){% endif %}",
        ),
    )
    d.add_heading("Återrapporter", level=2)
    b.tag_paragraph(d, "for a in assignments")
    p = d.add_paragraph()
    p.add_run("{{ a.title }}").bold = True
    p.paragraph_format.keep_with_next = True
    d.add_paragraph(
        "{{ a.source }}. Till {{ a.assignee }}; rapporterar: {{ a.owner }}. Klart senast "
        "{{ a.due_date }}.{% if a.areas %} Områden: {{ a.areas }}.{% endif %}"
    )
    b.tag_paragraph(d, "for r in a.reports")
    b.bullet(d, "{{ r.date }}, {{ r.status }}: {{ r.text }}")
    b.tag_paragraph(d, "endfor")
    b.tag_paragraph(d, "if not a.reports")
    b.bullet(d, "Ingen återrapport ännu.")
    b.tag_paragraph(d, "endif")
    b.tag_paragraph(d, "endfor")
    b.tag_paragraph(d, "endif")


def build() -> bytes:
    d = b.new_document(title=TITLE)
    b.set_language(d)
    b.header_footer(d, "{{ period }} · {{ scope_label }}", TITLE)
    d.add_paragraph(TITLE, style="Title")
    d.add_paragraph("{{ period }} · {{ scope_label }}", style="Subtitle")
    d.add_paragraph(
        "Framtagen {{ generated }} ur Patientsäkerhetsdialog SÄBO. Sammanställningen "
        "bygger på strukturella fynd; inga patientuppgifter ingår."
    )

    d.add_heading("Sammanfattning", level=1)
    d.add_paragraph("{{ summary_text }}")

    d.add_heading("Täckning", level=1)
    t = b.table(d, ("Mått", "Antal"), (11, 3), caption="Täckning")
    b.loop_rows(t, "for r in coverage_rows", ("{{ r.label }}", "{{ r.value }}"))
    _image(d, "chart_coverage")
    d.add_paragraph(
        "{% if homes_without %}Boenden utan bokad dialog {{ year }}: "
        "{{ homes_without }}.{% endif %}"
    )

    d.add_heading("Representation", level=1)
    d.add_paragraph("{{ representation_text }}")
    t = b.table(
        d,
        ("Part", "Fullständig", "Ofullständig", "Andel"),
        (5.5, 3.4, 3.6, 2.5),
        caption="Full representation per part",
    )
    b.loop_rows(
        t,
        "for r in representation_rows",
        ("{{ r.label }}", "{{ r.complete }}", "{{ r.incomplete }}", "{{ r.share }}"),
    )
    _image(d, "chart_representation")
    t = b.table(d, ("Part", "Saknad roll", "Dialoger"), (4, 8, 3), caption="Saknade roller")
    b.loop_rows(t, "for r in missing_rows", ("{{ r.side }}", "{{ r.seat }}", "{{ r.count }}"))

    d.add_heading("Fynd", level=1)
    d.add_paragraph("{{ findings_text }}")
    t = b.table(
        d,
        ("Område", "Brist", "Risk", "Framgångsfaktor", "Totalt"),
        (5.6, 2, 2, 4.0, 2),
        caption="Fynd per område och slag",
    )
    b.loop_rows(
        t,
        "for r in area_rows",
        (
            "{{ r.area }}",
            "{{ r.brist }}",
            "{{ r.risk }}",
            "{{ r.framgangsfaktor }}",
            "{{ r.total }}",
        ),
    )
    _image(d, "chart_findings")
    t = b.table(
        d,
        ("Område i nationella handlingsplanen", "Fynd"),
        (12, 3),
        caption="Fynd per område i handlingsplanen",
    )
    b.loop_rows(t, "for r in plan_rows", ("{{ r.plan_area }}", "{{ r.count }}"))
    _image(d, "chart_plan")
    d.add_heading("Återkommer vid samma boende", level=2)
    t = b.table(
        d,
        ("Boende", "Slag", "Område", "Antal år"),
        (6, 3, 4, 2),
        caption="Återkommande risker och brister",
    )
    b.loop_rows(
        t,
        "for r in recurring_rows",
        ("{{ r.home }}", "{{ r.kind }}", "{{ r.area }}", "{{ r.years }}"),
    )

    d.add_heading("Åtgärder", level=1)
    t = b.table(
        d,
        ("Ansvarig", "Öppna", "varav försenade", "Klara", "Avbrutna", "Totalt"),
        (3.3, 2, 3.4, 2, 2.5, 2),
        caption="Åtgärder per ansvarig part",
    )
    b.loop_rows(
        t,
        "for r in action_rows",
        (
            "{{ r.party }}",
            "{{ r.open }}",
            "{{ r.overdue }}",
            "{{ r.done }}",
            "{{ r.cancelled }}",
            "{{ r.total }}",
        ),
    )
    _image(d, "chart_actions")

    d.add_heading("Eskalerade fynd", level=1)
    b.tag_paragraph(d, "if escalated")
    t = b.table(
        d,
        ("Boende", "Datum", "Slag", "Område", "Beskrivning"),
        (3.3, 2.5, 3.3, 3.0, 4.9),
        caption="Eskalerade fynd",
    )
    b.loop_rows(
        t,
        "for r in escalated",
        ("{{ r.home }}", "{{ r.date }}", "{{ r.kind }}", "{{ r.area }}", "{{ r.description }}"),
    )
    b.no_wrap(t, 1)
    b.tag_paragraph(d, "else")
    d.add_paragraph("Inga fynd eskalerades under perioden.")
    b.tag_paragraph(d, "endif")

    d.add_heading("Lärdomar att sprida", level=1)
    d.add_paragraph("{% if not lessons %}Inga lärdomar markerades under perioden.{% endif %}")
    b.tag_paragraph(d, "for r in lessons")
    b.bullet(d, "{{ r.area }}: {{ r.description }} ({{ r.home }}, {{ r.date }})")
    b.tag_paragraph(d, "endfor")

    _assignments(d)  # issue 16

    d.add_heading("Trender", level=1)
    _image(d, "chart_trends")
    t = b.table(
        d,
        ("År", "Bokade", "Genomförda", "Brister", "Risker", "Framgångsfaktorer"),
        (1.6, 2.2, 3.0, 2.2, 2.0, 4.2),
        caption="Dialoger och fynd per år",
    )
    b.loop_rows(
        t,
        "for r in trend_rows",
        (
            "{{ r.year }}",
            "{{ r.booked }}",
            "{{ r.held }}",
            "{{ r.brist }}",
            "{{ r.risk }}",
            "{{ r.framgangsfaktor }}",
        ),
    )

    d.add_heading("Per kommun", level=1)
    d.add_paragraph("Avsnitten nedan kan klistras in i kommunens patientsäkerhetsberättelse.")
    b.tag_paragraph(d, "for m in municipalities")
    d.add_heading("{{ m.name }}", level=2)
    # A municipality's text and figures stay on one page, together with its heading.
    b.keep_with_next(d.add_paragraph("{{ m.text }}"))
    b.tag_paragraph(d, "if m.rows")
    t = b.table(d, ("Mått", "Antal"), (11, 3), caption="Kommunens siffror")
    b.loop_rows(t, "for r in m.rows", ("{{ r.label }}", "{{ r.value }}"))
    b.keep_together(t)
    b.tag_paragraph(d, "endif")
    d.add_paragraph()  # ends the keep-together chain before the next municipality
    b.tag_paragraph(d, "endfor")
    return b.to_bytes(d)
