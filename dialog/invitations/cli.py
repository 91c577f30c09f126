"""CLI: 'flask outbox send|work' and 'flask reminders send' (for cron). Edges: they commit."""

from __future__ import annotations

import signal
from datetime import UTC, datetime

import click
from flask.cli import AppGroup

from ..extensions import db
from ..wording import count, plural

outbox_group = AppGroup("outbox", help="Utkorgen: skicka köade e-postmeddelanden.")
reminders_group = AppGroup(
    "reminders", help="Påminnelser om kallelser och åtgärder, och veckosammanfattningar."
)


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
    from .worker import deliver_due

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
    from . import worker

    stopping: list[bool] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo("Utkorgen arbetar. Avsluta med Ctrl-C.")
    try:
        worker.run(
            interval=interval, reminder_interval=reminder_interval, once=once, stopping=stopping
        )
    except KeyboardInterrupt:
        pass
    click.echo("Utkorgen har stannat.")


def _now(now_text: str | None):
    if not now_text:
        return None
    now = datetime.fromisoformat(now_text)
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now


@reminders_group.command("send")
@click.option("--now", "now_text", default=None, help="Kör som om klockan vore (ISO 8601, UTC).")
def reminders_command(now_text: str | None):
    """Köa påminnelser för dialoger som närmar sig (en gång; lämplig för cron)."""
    from .reminders import send_reminders

    queued = send_reminders(_now(now_text))
    db.session.commit()
    click.echo(
        f"Köade {queued} {plural(queued, 'meddelande', 'meddelanden')} (påminnelser och sammanfattningar)."
    )


@reminders_group.command("actions")
@click.option("--now", "now_text", default=None, help="Kör som om klockan vore (ISO 8601, UTC).")
def action_reminders_command(now_text: str | None):
    """Köa påminnelser om åtgärder som snart ska vara klara eller är försenade."""
    from .action_reminders import send_action_reminders

    queued = send_action_reminders(_now(now_text))
    db.session.commit()
    click.echo(f"Köade {count(queued, 'påminnelse', 'påminnelser')} om åtgärder.")


@reminders_group.command("digest")
@click.option("--now", "now_text", default=None, help="Kör som om klockan vore (ISO 8601, UTC).")
def digest_command(now_text: str | None):
    """Köa veckans sammanfattningar till MAS/MAR och regionala användare."""
    from .digests import send_digests

    queued = send_digests(_now(now_text))
    db.session.commit()
    click.echo(f"Köade {count(queued, 'veckosammanfattning', 'veckosammanfattningar')}.")


inbox_group = AppGroup("inbox", help="Organisatörens brevlåda: läs kalendrarnas egna svar (IMAP).")


def _inbox_configured() -> None:
    from flask import current_app

    from .inbox.mailbox import configured

    if not configured(current_app.config):
        raise click.ClickException(
            "Ingen brevlåda är inställd: ange DIALOG_IMAP_HOST, DIALOG_IMAP_USER och "
            "DIALOG_IMAP_PASSWORD."
        )


@inbox_group.command("read")
def inbox_read_command():
    """Läs det som väntar i brevlådan en gång (felkod om brevlådan inte går att nå)."""
    from .inbox.mailbox import MailboxUnavailable
    from .inbox.worker import read_once

    _inbox_configured()
    try:
        result = read_once()
    except MailboxUnavailable as error:
        raise click.ClickException(str(error)) from None
    click.echo(result.summary())


@inbox_group.command("work")
@click.option("--interval", default=30.0, show_default=True, help="Sekunder mellan läsningar.")
@click.option("--once", is_flag=True, hidden=True)
def inbox_work_command(interval: float, once: bool):
    """Läs brevlådan om och om igen tills processen avslutas (SIGTERM/Ctrl-C)."""
    from .inbox import worker

    _inbox_configured()
    stopping: list[bool] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo("Brevlådeläsaren arbetar. Avsluta med Ctrl-C.")
    try:
        worker.run(interval=interval, once=once, stopping=stopping)
    except KeyboardInterrupt:
        pass
    click.echo("Brevlådeläsaren har stannat.")
