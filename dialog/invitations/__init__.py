"""Feature package: calendar invitations, the outbox, answers and representation."""

from __future__ import annotations

from .answers import open_invitations
from .links import AnswerLinkError, read_token
from .minutes_mail import queue_minutes
from .panel import dialogue_panel
from .services import invitations_sent, pending_participants, queue_invitations, sending_in_bulk

# queue_minutes: the minutes to every participant when a dialogue is documented (findings);
# read_token/AnswerLinkError: other features' forms on the answer page use the personal link;
# the rest: a dialogue's next step and the start page (start).
__all__ = [
    "AnswerLinkError",
    "dialogue_panel",
    "init_app",
    "invitations_sent",
    "open_invitations",
    "pending_participants",
    "queue_invitations",
    "queue_minutes",
    "read_token",
    "sending_in_bulk",
]


def init_app(app):
    from .. import signals
    from ..web import add_nav_item
    from . import answers, cli, counters, feeds, panel, services, settings_views, worker
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(cli.outbox_group)
    app.cli.add_command(cli.reminders_group)
    app.cli.add_command(cli.inbox_group)
    services.connect_signals()
    signals.mail_queued.connect(worker.deliver_inline_after_commit)
    add_nav_item(app, "Utkorg", "invitations.outbox_page", lambda scope: scope.admin, order=80)
    add_nav_item(
        app,
        "Påminnelser",
        "invitations.mail_settings_page",
        settings_views.can_edit_settings,
        order=82,
    )

    app.jinja_env.globals.update(
        representation_panel=panel.dialogue_panel,
        year_row_panel=panel.year_row_panel,
        invitation_state=panel.invitation_state,
        active_calendar_feed=feeds.active_feed,
        calendar_notes=counters.calendar_notes,
        own_participation=answers.own_participation,
    )
