"""`flask privacy-check [FILE]`: scan a text for patient data before it is shared."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .guard import find_patient_data


def scan_lines(lines) -> list[str]:
    """One report line per hit: LINE:COLUMN: KIND: message (1-based, characters)."""
    out = []
    for number, line in enumerate(lines, start=1):
        for hit in find_patient_data(line.rstrip("\r\n")):
            out.append(f"{number}:{hit.start + 1}: {hit.kind}: {hit.message}")
    return out


def _docx_lines(path: str) -> list[str]:
    """The text of a Word file, paragraph by paragraph and cell by cell."""
    import docx

    document = docx.Document(path)
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return lines


@click.command("privacy-check")
@click.argument("file", required=False, default="-")
@with_appcontext
def privacy_check_command(file: str) -> None:
    """Sök efter patientuppgifter i en textfil (standard in om FILE saknas eller är -).

    Skriver en rad per träff som RAD:KOLUMN: TYP: meddelande och avslutar med kod 1 om
    något hittades, annars 0. Namn på regioner, kommuner, boenden och vårdcentraler i
    databasen räknas inte som personnamn. En .docx-fil läses stycke för stycke.
    """
    ctx = click.get_current_context()
    if file == "-":
        lines = sys.stdin.read().split("\n")
    elif file.lower().endswith(".docx"):
        try:
            lines = _docx_lines(file)
        except Exception:
            raise click.ClickException(f"Kunde inte läsa Word-filen {file}.") from None
    else:
        try:
            with open(file, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().split("\n")
        except OSError as error:
            raise click.ClickException(f"Kunde inte läsa {file}: {error.strerror}.") from None
    report = scan_lines(lines)
    for line in report:
        click.echo(line)
    if report:
        click.echo(f"{len(report)} möjliga patientuppgifter hittades.", err=True)
        ctx.exit(1)
    click.echo("Inga patientuppgifter hittades.", err=True)
