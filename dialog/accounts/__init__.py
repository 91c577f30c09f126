"""Accounts: logging in and out, users and their roles and scopes."""

__all__ = ["init_app"]  # other features use current_user and dialog.scope, not this package


def init_app(app):
    from ..extensions import login_manager
    from ..web import add_nav_item
    from . import admin_views, cli, oidc, services  # noqa: F401  (admin_views: routes on bp)
    from .oidc_views import bp as oidc_bp
    from .views import bp

    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Logga in för att fortsätta."
    login_manager.user_loader(services.load_user)
    oidc.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(oidc_bp)
    cli.init_app(app)
    add_nav_item(app, "Användare", "accounts.users", lambda scope: scope.admin, order=80)
