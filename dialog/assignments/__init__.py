"""Leadership assignments (uppdrag) from the compilation report, and their reports back."""

from .services import Overdue, overdue_assignments, report_section

__all__ = ["Overdue", "init_app", "overdue_assignments", "report_section"]


def init_app(app):
    from ..web import add_nav_item
    from . import services
    from .views import bp

    app.register_blueprint(bp)
    add_nav_item(app, "Uppdrag", "assignments.index", services.can_use, order=46)
