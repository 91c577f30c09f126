"""CLI: 'flask outbox send|work' and 'flask reminders send' (for cron)."""

from __future__ import annotations

import signal
import time
from datetime import UTC, datetime

import click
from flask.cli import AppGroup

from ..extensions import db

outbox_group = AppGroup("outbox", help="Utkorgen: skicka köade e-postmeddelanden.")
reminders_group = AppGroup("reminders", help="Påminnelser om obesvarade kallelser.")


def _report(result) -> str:
    text = (
        f"Skickade {result.sent}, nytt försök senare {result.retried}, misslyckade {result.failed}."
    )
    if result.errors:
        text += f" Senaste fel: {result.errors[-1]}"
    return text


@outbox_group.command("send")
def send_command():
    """Skicka alla meddelanden som står på tur, en gång."""
    from .outbox import deliver_due

    result = deliver_due()
    click.echo(_report(result))


@outbox_group.command("work")
@click.option("--interval", default=5.0, show_default=True, help="Sekunder mellan körningar.")
@click.option(
    "--reminder-interval",
    default=3600.0,
    show_default=True,
    help="Sekunder mellan påminnelsekörningar.",
)
@click.option("--once", is_flag=True, hidden=True)
def work_command(interval: float, reminder_interval: float, once: bool):
    """Skicka meddelanden och påminnelser tills processen avslutas (SIGTERM/Ctrl-C)."""
    from .outbox import deliver_due
    from .reminders import send_reminders

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    last_reminders = 0.0
    click.echo("Utkorgen arbetar. Avsluta med Ctrl-C.")
    try:
        while not stopping:
            if time.monotonic() - last_reminders >= reminder_interval:
                try:
                    queued = send_reminders()
                    if queued:
                        click.echo(f"Köade {queued} påminnelser.")
                except Exception as error:  # keep working; the next round tries again
                    db.session.rollback()
                    click.echo(f"Påminnelser misslyckades: {error}", err=True)
                last_reminders = time.monotonic()
            try:
                result = deliver_due()
                if result.sent or result.retried or result.failed:
                    click.echo(_report(result))
            except Exception as error:  # database away: wait and try again
                db.session.rollback()
                click.echo(f"Utkorgen kunde inte arbeta: {error}", err=True)
            db.session.remove()
            if once:
                break
            slept = 0.0
            while slept < interval and not stopping:
                time.sleep(min(0.5, interval - slept))
                slept += 0.5
    except KeyboardInterrupt:
        pass
    click.echo("Utkorgen har stannat.")


@reminders_group.command("send")
@click.option("--now", "now_text", default=None, help="Kör som om klockan vore (ISO 8601, UTC).")
def reminders_command(now_text: str | None):
    """Köa påminnelser för dialoger som närmar sig (en gång; lämplig för cron)."""
    from .reminders import send_reminders

    now = None
    if now_text:
        now = datetime.fromisoformat(now_text)
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
    queued = send_reminders(now)
    click.echo(f"Köade {queued} påminnelser och sammanfattningar.")
