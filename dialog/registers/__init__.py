"""Registers: regions, municipalities, homes, health centres and contacts; CSV import."""

from .services import RegisterError, save_contact

# save_contact: a participant added on the spot when booking is saved as a contact of the home.
__all__ = ["RegisterError", "init_app", "save_contact"]


def init_app(app):
    from ..web import add_nav_item
    from . import cli, import_views  # noqa: F401  (registers the import routes)
    from .views import bp

    app.register_blueprint(bp)
    cli.init_app(app)
    add_nav_item(app, "Register", "registers.homes", order=20)
