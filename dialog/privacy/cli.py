"""`flask privacy-check [FILE]`: scan a text for patient data before it is shared."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .guard import find_patient_data
from .scan import describe, redact, scan


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


@click.command("privacy-scan")
@click.option(
    "--redact",
    "do_redact",
    is_flag=True,
    help="Ersätt varje träff med [borttaget] (en transaktion, en rad i granskningsloggen).",
)
@with_appcontext
def privacy_scan_command(do_redact: bool) -> None:
    """Sök igenom allt som redan är sparat efter patientuppgifter med dagens kontroll.

    Går igenom iakttagelser, åtgärder, anteckningar, kommentarer, deltagare, platser,
    register, granskningsloggens ändringar och köade e-postmeddelanden. Skriver tabell, rad,
    kolumn och typ för varje träff, aldrig själva texten, och avslutar med kod 1 om något
    hittades. Med --redact ersätts träffarna med [borttaget] i en enda transaktion.
    """
    import time

    from ..extensions import db

    ctx = click.get_current_context()
    started = time.perf_counter()
    if do_redact:
        try:
            report = redact()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    else:
        report = scan()
        db.session.rollback()
    seconds = time.perf_counter() - started
    for finding in report.findings:
        click.echo(describe(finding))
    summary = (
        f"{report.checked_values} värden kontrollerade på {seconds:.1f} s; "
        f"{len(report.findings)} med patientuppgifter"
    )
    if report.findings:
        per_table = ", ".join(f"{t}: {n}" for t, n in sorted(report.tables.items()))
        summary += f" ({per_table})"
        if do_redact:
            summary += "; ersatta med [borttaget]"
    click.echo(summary + ".", err=True)
    if report.findings:
        ctx.exit(1)
