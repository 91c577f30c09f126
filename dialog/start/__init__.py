"""Feature package: the start page (what waits for each role), each dialogue's next step, and
a short help page per role that explains the year."""

__all__ = ["init_app"]


def init_app(app):
    from ..web import add_nav_item
    from .steps import next_step
    from .views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals["next_step"] = next_step
    add_nav_item(app, "Start", "start.index", order=5)
    add_nav_item(app, "Hjälp", "start.help_index", order=95)
