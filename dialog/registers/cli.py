import click
from flask.cli import with_appcontext

from ..extensions import db
from ..scope import Scope
from ..wording import count
from . import csv_import


def init_app(app):
    app.cli.add_command(import_csv_command)


@click.command("import-csv")
@click.argument("kind", type=click.Choice(list(csv_import.COLUMNS)))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Kontrollera filen utan att spara något.")
@with_appcontext
def import_csv_command(kind, path, dry_run):
    """Importera boenden, vårdcentraler eller kontakter från en CSV-fil (allt eller inget)."""
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        result = csv_import.preview(kind, raw, Scope(admin=True))
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
        imported = csv_import.apply(result)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"{count(imported, 'rad', 'rader')} importerades.")
