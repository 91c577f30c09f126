"""Shared web pieces: template filters, the navigation menu, the home page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, url_for
from flask_login import current_user

from . import timeutil, wording
from .scope import Scope, current_scope


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    visible: Callable[[Scope], bool]
    order: int


def add_nav_item(app, label: str, endpoint: str, visible=lambda scope: True, order: int = 50):
    """Features call this from init_app to put a link in the main menu."""
    app.extensions.setdefault("dialog_nav", []).append(NavItem(label, endpoint, visible, order))


bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return redirect(url_for("start.index"))


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters.update(
        date=timeutil.format_date,
        time=timeutil.format_time,
        datetime=timeutil.format_datetime,
        antal=wording.count,
        ordform=wording.plural,
    )
    app.jinja_env.globals["time_range"] = timeutil.format_time_range

    @app.context_processor
    def navigation():
        # Outside a request (mail rendered by a CLI command or worker) there is no user.
        if current_user is None or not current_user.is_authenticated:
            return {"nav_items": [], "scope": Scope()}
        scope = current_scope()
        items = sorted(current_app.extensions.get("dialog_nav", []), key=lambda i: i.order)
        return {"nav_items": [i for i in items if i.visible(scope)], "scope": scope}
