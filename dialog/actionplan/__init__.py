"""The local action plan along the national action plan's foundations and focus areas: texts per
area, a Word document per municipality or region, and how actions spread over the areas."""

from .services import actions_by_plan_area

__all__ = ["actions_by_plan_area", "init_app"]


def init_app(app):
    from ..web import add_nav_item
    from . import services
    from .views import bp

    app.register_blueprint(bp)
    add_nav_item(app, "Handlingsplan", "actionplan.plan", services.can_use, order=47)
