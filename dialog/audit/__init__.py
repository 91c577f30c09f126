"""The audit log: record every change, and let administrators and follow-up users read it."""

from .services import changes_between, record, snapshot

__all__ = ["changes_between", "init_app", "record", "snapshot"]


def init_app(app):
    from ..web import add_nav_item
    from .views import bp

    app.register_blueprint(bp)
    from . import display

    app.jinja_env.globals.update(
        audit_object_label=display.object_label, audit_change_rows=display.change_rows
    )
    add_nav_item(
        app, "Granskningslogg", "audit.log", lambda scope: scope.is_follow_up_user, order=70
    )
