"""Application-wide CLI commands: setting up the database and loading demo data."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .extensions import db


def init_app(app) -> None:
    app.cli.add_command(demo_data_command)
    app.cli.add_command(setup_command)


@click.command("demo-data")
@click.option(
    "--scale",
    type=click.Choice(["county", "national"]),
    default="county",
    show_default=True,
    help="county: Region Sörmland; national: a fictional country.",
)
@click.option("--if-empty", is_flag=True, help="Gör ingenting om databasen redan har data.")
@with_appcontext
def demo_data_command(scale: str, if_empty: bool) -> None:
    """Ladda fiktiva demodata."""
    from . import demo

    if not demo.is_empty():
        if if_empty:
            click.echo("Databasen har redan data; inga demodata laddades.")
            return
        raise click.ClickException(
            "Databasen har redan data. Demodata laddas bara i en tom databas."
        )
    if scale == "national":
        demo.build_national(echo=click.echo)
        db.session.commit()
        demo.analyze()
        return
    logins = demo.load_demo_data()
    db.session.commit()
    _print_logins(logins)


def _print_logins(logins: dict[str, str]) -> None:
    from .demo import DEMO_PASSWORD

    click.echo(f"Demodata laddade. Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
    for username, description in logins.items():
        click.echo(f"  {username:<12} {description}")


@click.command("setup")
@with_appcontext
def setup_command() -> None:
    """Skapa eller uppgradera databasen och ladda demodata om den är tom."""
    from flask_migrate import upgrade

    from . import demo
    from .catalogues import ensure_default_catalogues

    upgrade()
    if demo.is_empty() and current_app.config["LOAD_DEMO_DATA"]:
        logins = demo.load_demo_data()
        db.session.commit()
        _print_logins(logins)
    else:
        ensure_default_catalogues()
        db.session.commit()
        from .demo import DEMO_PASSWORD
        from .models import User

        if db.session.scalar(db.select(User).where(User.username == "admin")) is not None:
            click.echo(
                "Databasen finns redan. Demoinloggningar: admin, regional, mas, "
                f"enhetschef, vardcentral (lösenord: {DEMO_PASSWORD})."
            )
