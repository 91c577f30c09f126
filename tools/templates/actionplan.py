"""agenda_templates/handlingsplan.docx, the docxtpl template of the local action plan.

`make templates` writes it. The variables are filled by dialog/actionplan/document.py: the plan's
owner and year, a summary table, and per group (foundations, focus areas, not linked) the areas
with the MAS's text, the year's findings and the actions with owner, due date and status.
"""

from __future__ import annotations

from docx.shared import Pt

from . import docx_build as b

TITLE = "Lokal handlingsplan för patientsäkerhet"


def build() -> bytes:
    d = b.new_document(title=TITLE)
    b.header_footer(d, "{{ owner }} · Lokal handlingsplan {{ year }}", TITLE)
    d.add_paragraph(TITLE + " {{ year }}", style="Title")
    d.add_paragraph("{{ owner }}", style="Subtitle")
    d.add_paragraph("{{ intro }}")
    d.add_paragraph(
        "Handlingsplanen följer den nationella handlingsplanen för ökad patientsäkerhet i hälso- "
        "och sjukvården: fyra grundförutsättningar och fem fokusområden. Under varje område står "
        "först vad vi vill uppnå, sedan årets fynd och de åtgärder som beslutats, med ansvarig, "
        "datum och status."
    )

    d.add_heading("Sammanfattning per område", level=1)
    t = b.table(
        d,
        ("Område i handlingsplanen", "Fynd", "Åtgärder", "varav öppna"),
        (9.5, 2.2, 2.8, 2.5),
        caption="Fynd och åtgärder per område i handlingsplanen",
    )
    b.loop_rows(
        t,
        "for r in summary_rows",
        ("{{ r.plan_area }}", "{{ r.findings }}", "{{ r.actions }}", "{{ r.open }}"),
    )

    b.tag_paragraph(d, "for g in groups")
    d.add_heading("{{ g.title }}", level=1)
    b.tag_paragraph(d, "for a in g.areas")
    d.add_heading("{{ a.name }}", level=2)
    b.tag_paragraph(d, "if a.text")
    d.add_paragraph("{{ a.text }}")
    b.tag_paragraph(d, "endif")
    d.add_heading("Fynd {{ year }}", level=3)
    b.tag_paragraph(d, "for f in a.findings")
    b.bullet(d, "{{ f.kind }} ({{ f.area }}, {{ f.home }}): {{ f.description }}")
    b.tag_paragraph(d, "endfor")
    b.tag_paragraph(d, "if not a.findings")
    d.add_paragraph("Inga fynd inom området.")
    b.tag_paragraph(d, "endif")
    d.add_heading("Åtgärder", level=3)
    b.tag_paragraph(d, "if a.actions")
    t = b.table(
        d,
        ("Åtgärd", "Boende", "Ansvarig", "Klart senast", "Status"),
        (5.8, 3.1, 2.9, 2.6, 2.6),
        caption="Åtgärder inom området",
    )
    b.loop_rows(
        t,
        "for x in a.actions",
        (
            "{{ x.description }}",
            "{{ x.home }}",
            "{{ x.owner }}",
            "{{ x.due_date }}",
            "{{ x.status }}{% if x.overdue %} (försenad){% endif %}",
        ),
    )
    b.tag_paragraph(d, "else")
    d.add_paragraph("Inga åtgärder inom området.")
    b.tag_paragraph(d, "endif")
    b.tag_paragraph(d, "endfor")
    b.tag_paragraph(d, "endfor")

    p = d.add_paragraph(
        "Framtagen {{ generated }} ur Patientsäkerhetsdialog SÄBO. Handlingsplanen bygger på "
        "strukturella fynd; inga patientuppgifter ingår."
    )
    p.runs[0].font.size = Pt(9)
    p.paragraph_format.space_before = Pt(18)
    return b.to_bytes(d)
