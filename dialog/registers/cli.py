import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..scope import Scope
from ..wording import count
from . import csv_import


def init_app(app):
    app.cli.add_command(import_csv_command)


def _importers() -> dict:
    """kind -> (preview, apply): the registers' own kinds and those other features registered."""
    own = {
        kind: (
            lambda raw, scope, actor=None, kind=kind: csv_import.preview(kind, raw, scope, actor),
            csv_import.apply,
        )
        for kind in csv_import.COLUMNS
    }
    return own | current_app.extensions.get("dialog_csv_importers", {})


@click.command("import-csv")
@click.argument("kind")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Kontrollera filen utan att spara något.")
@with_appcontext
def import_csv_command(kind, path, dry_run):
    """Importera boenden, vårdcentraler, kontakter, överenskommelser eller underlag från en
    CSV-fil (allt eller inget). KIND: boenden, vardcentraler, kontakter, overenskommelser,
    underlag."""
    importers = _importers()
    if kind not in importers:
        raise click.BadParameter(
            f"”{kind}” är inte ett av: {', '.join(sorted(importers))}.", param_hint="KIND"
        )
    preview, apply = importers[kind]
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        result = preview(raw, Scope(admin=True))
    except csv_import.ImportFileError as error:
        raise click.ClickException(str(error)) from None
    if result.errors:
        for error in result.errors:
            click.echo(f"rad {error.line}: {error.message}", err=True)
        raise click.ClickException(f"{len(result.errors)} fel; ingenting har sparats.")
    if dry_run:
        click.echo(f"{count(len(result.rows), 'rad', 'rader')} är korrekta (inget sparat).")
        return
    try:
        imported = apply(result)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"{count(imported, 'rad', 'rader')} importerades.")
