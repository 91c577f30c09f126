"""Planning: the year view of every home in scope and the state of its dialogue, and the year
planner (planner/) that proposes and books dates for many homes at once."""

from .days import is_bookable, next_bookable

# is_bookable, next_bookable: the planner's day rules, for the demo data.
__all__ = ["init_app", "is_bookable", "next_bookable"]


def init_app(app):
    from ..web import add_nav_item
    from .views import bp

    app.register_blueprint(bp)
    add_nav_item(app, "Årsöversikt", "planning.year_view", order=10)
    from .planner.views import bp as planner_bp

    app.register_blueprint(planner_bp)
    add_nav_item(app, "Planera året", "planner.start", lambda scope: scope.can_plan, order=11)
