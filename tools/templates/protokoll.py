"""The shipped minutes template, agenda_templates/protokoll.docx (`make templates` writes it).

A docxtpl template over the common variables and `minutes` (dialog/documents/protocol.py): the
minutes of what was recorded, sent to every participant when the dialogue is documented.
"""

from __future__ import annotations

from . import docx_build as b

HEADER = "{{ home.name }} · Patientsäkerhetsdialog {{ dialogue.date }}"


def _attendance(document, listname: str, heading: str) -> None:
    document.add_heading(heading, level=2)
    t = b.table(document, ("Namn", "Roll", "Närvaro"), (7.5, 5.0, 4.5), caption=heading)
    b.loop_rows(
        t,
        f"for p in minutes.{listname}",
        (
            "{{ p.name }}{% if p.stand_in_for %} (ersättare för {{ p.stand_in_for }}){% endif %}",
            "{{ p.role }}",
            "{{ p.attendance }}",
        ),
    )
    b.tag_paragraph(document, f"if not minutes.{listname}")
    document.add_paragraph("Ingen deltagare från den här parten.")
    b.tag_paragraph(document, "endif")


def build_protokoll():
    d = b.new_document(title="Protokoll från patientsäkerhetsdialog")
    b.header_footer(d, HEADER, "Protokoll")
    d.add_paragraph("Protokoll", style="Title")
    d.add_paragraph(
        "Patientsäkerhetsdialog {{ dialogue.year }} mellan {{ home.name }} och "
        "{{ health_centre.name }}"
    )
    t = b.table(d, ("Uppgift", "Detaljer"), (4.5, 12.5), caption="Uppgifter om dialogen")
    for label, value in (
        ("Boende", "{{ home.name }}, {{ municipality.name }}"),
        ("Vårdcentral", "{{ health_centre.name }}"),
        (
            "Datum och tid",
            "{{ dialogue.weekday }} {{ dialogue.date }} kl. {{ dialogue.start }}–"
            "{{ dialogue.end }}",
        ),
        ("Plats", "{{ dialogue.location }}"),
        ("Dokumenterad", "{{ minutes.documented_on or '–' }}"),
    ):
        b.add_row(t, (label, value), bold_first=True)

    d.add_heading("Närvaro", level=1)
    _attendance(d, "attendance_home", "Från boendet")
    _attendance(d, "attendance_centre", "Från vårdcentralen")
    d.add_paragraph("{{ minutes.representation }}")

    d.add_heading("Uppföljning av tidigare åtgärder", level=1)
    t = b.table(
        d,
        ("Åtgärd", "Ansvarig", "Status", "Kommentar"),
        (7.0, 3.5, 2.5, 4.0),
        caption="Uppföljning av tidigare åtgärder",
    )
    b.loop_rows(
        t,
        "for r in minutes.reviewed",
        (
            "{{ r.description }} ({{ r.year }})",
            "{{ r.responsible }}",
            "{{ r.status }}",
            "{{ r.comment }}",
        ),
    )
    b.tag_paragraph(d, "if not minutes.reviewed")
    d.add_paragraph("Inga tidigare åtgärder följdes upp vid den här dialogen.")
    b.tag_paragraph(d, "endif")

    d.add_heading("Brister, risker och framgångsfaktorer", level=1)
    b.tag_paragraph(d, "for group in minutes.findings")
    d.add_heading("{{ group.title }}", level=2)
    b.tag_paragraph(d, "if group.entries")
    t = b.table(
        d,
        ("Område", "Beskrivning", "Gäller", "Lyfts", "Lärdom"),
        (3.0, 7.4, 2.6, 1.8, 2.2),
        caption="Iakttagelser per område",
    )
    b.loop_rows(
        t,
        "for f in group.entries",
        (
            "{{ f.area }}",
            "{{ f.description }}",
            "{{ f.concerns }}",
            "{{ f.escalate }}",
            "{{ f.lesson }}",
        ),
    )
    b.tag_paragraph(d, "else")
    d.add_paragraph("Inga registrerade.")
    b.tag_paragraph(d, "endif")
    b.tag_paragraph(d, "endfor")

    d.add_heading("Överenskomna åtgärder", level=1)
    t = b.table(
        d,
        ("Åtgärd", "Område", "Ansvarig", "Klart senast", "Status"),
        (5.6, 2.8, 3.4, 2.4, 2.8),
        caption="Överenskomna åtgärder",
    )
    b.loop_rows(
        t,
        "for a in minutes.actions",
        (
            "{{ a.description }}",
            "{{ a.area }}",
            "{{ a.responsible }}",
            "{{ a.due_date }}",
            "{{ a.status }}",
        ),
    )
    b.tag_paragraph(d, "if not minutes.actions")
    d.add_paragraph("Inga åtgärder beslutades.")
    b.tag_paragraph(d, "endif")

    d.add_heading("Lärdomar och det som lyfts", level=1)
    d.add_heading("Sprids som lärdom", level=2)
    b.tag_paragraph(d, "for text in minutes.lessons")
    b.bullet(d, "{{ text }}")
    b.tag_paragraph(d, "endfor")
    b.tag_paragraph(d, "if not minutes.lessons")
    d.add_paragraph("Inget markerades för spridning.")
    b.tag_paragraph(d, "endif")
    d.add_heading("Hur lärdomarna förs vidare", level=2)
    d.add_paragraph("{{ minutes.lessons_passed_on or 'Inte angivet.' }}")
    d.add_heading("Lyfts till MAS/MAR och region", level=2)
    b.tag_paragraph(d, "for text in minutes.escalated")
    b.bullet(d, "{{ text }}")
    b.tag_paragraph(d, "endfor")
    b.tag_paragraph(d, "if not minutes.escalated")
    d.add_paragraph("Inget lyftes.")
    b.tag_paragraph(d, "endif")

    d.add_heading("Nästa dialog", level=1)
    d.add_paragraph("{{ minutes.next_dialogue or next_dialogue }}")

    d.add_heading("Antecknat och justerat", level=1)
    t = b.table(d, ("Uppgift", "Namn"), (4.5, 12.5), caption="Antecknat och justerat")
    b.add_row(t, ("Antecknat av", "{{ minutes.recorded_by or '–' }}"), bold_first=True)
    b.add_row(t, ("Justerat av", "{{ minutes.approved_by or '–' }}"), bold_first=True)
    return d
