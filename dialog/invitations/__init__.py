"""Feature package: calendar invitations, the outbox, answers and representation."""

from __future__ import annotations

from .services import queue_invitations, sending_in_bulk

__all__ = ["init_app", "queue_invitations", "sending_in_bulk"]


def init_app(app):
    from .. import signals
    from ..web import add_nav_item
    from . import cli, counters, feeds, panel, services, worker
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(cli.outbox_group)
    app.cli.add_command(cli.reminders_group)
    app.cli.add_command(cli.inbox_group)
    services.connect_signals()
    signals.mail_queued.connect(worker.deliver_inline_after_commit)
    add_nav_item(app, "Utkorg", "invitations.outbox_page", lambda scope: scope.admin, order=80)

    app.jinja_env.globals.update(
        representation_panel=panel.dialogue_panel,
        year_row_panel=panel.year_row_panel,
        invitation_state=panel.invitation_state,
        active_calendar_feed=feeds.active_feed,
        calendar_notes=counters.calendar_notes,
    )
