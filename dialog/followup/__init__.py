"""Regional follow-up: dashboards, lessons library, the twice-yearly report, exports and API."""

from functools import lru_cache
from urllib.parse import quote_plus

__all__ = ["init_app"]


def init_app(app):
    import os

    # Seconds a computed dashboard (figures and charts) is reused by this process; 0 = never.
    app.config.setdefault(
        "FOLLOWUP_CACHE_SECONDS", int(os.environ.get("DIALOG_FOLLOWUP_CACHE_SECONDS", "30"))
    )
    from ..extensions import csrf
    from ..web import add_nav_item
    from .api import bp as api_bp
    from .tokens import active_tokens
    from .views import bp, can_follow_up

    app.register_blueprint(bp)
    # The API is read-only and authenticated by bearer tokens, never by the session cookie.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    add_nav_item(app, "Uppföljning", "followup.dashboard", can_follow_up, order=40)
    add_nav_item(app, "Lärdomar", "followup.lessons_library", can_follow_up, order=45)
    app.jinja_env.globals["followup_active_tokens"] = active_tokens
    app.jinja_env.globals["followup_link"] = followup_link
    app.jinja_env.globals["followup_num"] = followup_num


@lru_cache(maxsize=4096, typed=True)
def _query_pair(key, value) -> str:
    """One "key=value" of a query string, as urlencode() writes it (the same few recur)."""
    return f"{quote_plus(str(key))}={quote_plus(str(value))}"


def followup_link(kind: str, args: dict) -> str:
    """URL of the list behind a number; cheaper than url_for for the hundreds on a dashboard."""
    from flask import g, url_for

    bases = g.setdefault("followup_list_bases", {})
    if kind not in bases:
        bases[kind] = url_for("followup.items", kind=kind)
    query = "&".join(_query_pair(k, v) for k, v in args.items() if v is not None and v != "")
    return f"{bases[kind]}?{query}" if query else bases[kind]


def followup_num(value, kind: str, args: dict, label: str):
    """A number on the dashboard as a link to the list behind it (a Python helper rather than a
    Jinja macro: a dashboard has a few hundred of them)."""
    from markupsafe import Markup, escape

    # escape() and an f-string: the same output as Markup.format(), at a fraction of its cost.
    shown = escape(value)
    return Markup(
        f'<a href="{escape(followup_link(kind, args))}" '
        f'aria-label="{shown} – {escape(label)}">{shown}</a>'
    )
