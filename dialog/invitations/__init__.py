"""Feature package: calendar invitations, the outbox, answers and representation (issue 3)."""

from __future__ import annotations

import logging

from flask import current_app, g

log = logging.getLogger(__name__)


def init_app(app):
    from ..extensions import db
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
        invitation_state=_invitation_state,
        active_calendar_feed=feeds.active_feed,
    )

    @app.after_request
    def deliver_eml_inline(response):
        """Embedded default: with no SMTP server, write queued mail as .eml files at once.

        Only after a request that queued mail and committed cleanly; a worker does the same
        job in production ('flask outbox work').
        """
        if (
            g.get("outbox_queued")
            and not current_app.config.get("MAIL_SMTP_HOST")
            and current_app.config.get("OUTBOX_DELIVER_INLINE", True)
            and response.status_code < 400
            and not (db.session.new or db.session.dirty or db.session.deleted)
        ):
            from .outbox import deliver_due

            try:
                deliver_due(max_batches=5)
            except Exception:  # the worker will pick them up; never fail the user's request
                db.session.rollback()
                log.exception("inline outbox delivery failed")
        return response


def _invitation_state(dialogue):
    """Numbers for the dialogue page's invitations panel."""
    import sqlalchemy as sa

    from ..extensions import db
    from ..models.invitations import OutboxMessage
    from . import services

    messages = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.dialogue_id == dialogue.id)
        .order_by(OutboxMessage.id.desc())
        .limit(50)
    ).all()
    return {
        "sent": services.invitations_sent(dialogue),
        "pending": services.pending_participants(dialogue),
        "messages": messages,
    }
