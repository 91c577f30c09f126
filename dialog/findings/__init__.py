"""Feature package: findings. Attendance, findings and actions recorded after the dialogue,
the follow-up of actions through the year (also after the lock), escalations to MAS/MAR and the
region, the minutes' own fields, locking when documented, and the import of a filled-in
documentation template."""

from .overview import (
    ActionCounts,
    action_counts,
    actions_to_follow_up,
    count_open_escalations,
    open_escalations,
    overdue_in_scope,
)

# For the start page, the dialogue's next step and the follow-up dashboard.
__all__ = [
    "ActionCounts",
    "action_counts",
    "actions_to_follow_up",
    "count_open_escalations",
    "init_app",
    "open_escalations",
    "overdue_in_scope",
]


def init_app(app):
    from ..web import add_nav_item
    from . import (  # noqa: F401  (routes on the same blueprint)
        catalogue_views,
        escalation_views,
        followup_views,
        import_views,
    )
    from .escalations import follows_up
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
    add_nav_item(app, "Lyfta iakttagelser", "findings.escalation_list", follows_up, order=42)
