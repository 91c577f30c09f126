"""Sections the steering loop (issue 16) adds to the shipped agenda and documentation template:
the home's basis data beside last year's, and the topics participants sent in. Kept apart from
defaults.py so the builders there call them with one line each."""

from __future__ import annotations

from . import docx_build as b


def basis_data(document, heading_level: int) -> None:
    """A table of the home's basis data: measure, last year, this year, change."""
    document.add_heading(
        "Underlag {{ basis_years.this }} och {{ basis_years.last }}", level=heading_level
    )
    b.tag_paragraph(document, "if basis_data")
    document.add_paragraph(
        "Sammanräknade siffror för boendet som MAS/MAR tagit fram (avvikelser per kategori, "
        "riskbedömningar i Senior alert, läkemedelsgenomgångar och hygienronder)."
    )
    t = b.table(
        document,
        ("Mått", "{{ basis_years.last }}", "{{ basis_years.this }}", "Förändring"),
        (8.0, 2.6, 2.6, 3.8),
        caption="Underlag för boendet",
    )
    b.loop_rows(
        t,
        "for r in basis_data",
        ("{{ r.measure }}", "{{ r.last_year }}", "{{ r.this_year }}", "{{ r.change }}"),
    )
    b.tag_paragraph(document, "else")
    document.add_paragraph(
        "Inget underlag är registrerat för {{ basis_years.this }} eller {{ basis_years.last }}."
    )
    b.tag_paragraph(document, "endif")


def topics(document, heading_level: int) -> None:
    """The topics participants sent in before the meeting, under their area; when none were
    sent, one line instead of a section (the agenda should not end on a near-empty page)."""
    b.tag_paragraph(document, "if topics")
    document.add_heading("Inskickade ämnen", level=heading_level)
    document.add_paragraph("Ämnen som deltagarna skickat in före mötet, per område:")
    b.tag_paragraph(document, "for t in topics")
    p = document.add_paragraph()
    p.add_run("{{ t.area }}").bold = True
    p.paragraph_format.keep_with_next = True
    b.tag_paragraph(document, "for item in t.texts")
    b.bullet(document, "{{ item }}")
    b.tag_paragraph(document, "endfor")
    b.tag_paragraph(document, "endfor")
    b.tag_paragraph(document, "else")
    b.keep_with_next(document.add_paragraph("Inga ämnen har skickats in före mötet."))
    b.tag_paragraph(document, "endif")
