"""Feature package: findings. Attendance, findings and actions recorded after the dialogue,
the follow-up of earlier actions, locking when documented, and the import of a filled-in
documentation template."""


def init_app(app):
    from ..web import add_nav_item
    from . import catalogue_views, import_views  # noqa: F401  (routes on the same blueprint)
    from .lifecycle import findings_summary
    from .views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals["findings_summary"] = findings_summary
    add_nav_item(
        app,
        "Områden",
        "findings.areas_start",
        lambda scope: scope.admin or bool(scope.region_ids),
        order=85,
    )
