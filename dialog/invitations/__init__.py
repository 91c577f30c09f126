"""Feature package: calendar invitations, the outbox, answers and representation."""

from __future__ import annotations

from .links import AnswerLinkError, read_token
from .services import queue_invitations, sending_in_bulk

# read_token/AnswerLinkError: other features' forms on the answer page use the personal link.
__all__ = ["AnswerLinkError", "init_app", "queue_invitations", "read_token", "sending_in_bulk"]


def init_app(app):
    from ..web import add_nav_item
    from . import cli, feeds, panel, services
    from .views import bp

    app.register_blueprint(bp)
    app.cli.add_command(cli.outbox_group)
    app.cli.add_command(cli.reminders_group)
    services.connect_signals()
    add_nav_item(app, "Utkorg", "invitations.outbox_page", lambda scope: scope.admin, order=80)

    app.jinja_env.globals.update(
        representation_panel=panel.dialogue_panel,
        year_row_panel=panel.year_row_panel,
        invitation_state=panel.invitation_state,
        active_calendar_feed=feeds.active_feed,
    )
