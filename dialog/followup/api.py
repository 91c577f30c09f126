"""The read-only JSON API under /api/v1/, for the region's BI tools.

Authenticated by a personal token (Authorization: Bearer …), never by the session cookie, and
scoped exactly like the pages: the token acts with its owner's scope. Answers 401 in JSON, never
a redirect to the login page.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from functools import wraps

from flask import Blueprint, g, jsonify, request, url_for

from ..extensions import db
from ..scope import Scope
from . import figures, rows
from .filters import BadFilter, NotVisible, selection_from_args
from .openapi import openapi_document
from .tokens import user_for_token

bp = Blueprint("followup_api", __name__, url_prefix="/api/v1")
API_NAMES = {
    "year": "year",
    "half": "half",
    "municipality": "municipality_id",
    "health_centre": "health_centre_id",
}
MAX_PER_PAGE = 500
MAX_PAGE = 100000


def _error(status: int, message: str):
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _error(401, "API-nyckel saknas: skicka Authorization: Bearer <nyckel>.")
        user = user_for_token(token.strip())
        if user is None:
            return _error(401, "Ogiltig eller återkallad API-nyckel.")
        db.session.commit()  # the token's last use; the rest of the request only reads
        g.api_user = user
        g.api_scope = Scope.of(user)
        try:
            return view(*args, **kwargs)
        except BadFilter as exc:
            return _error(400, str(exc))
        except NotVisible as exc:
            return _error(404, str(exc))

    return wrapper


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadFilter(f"Ogiltigt värde för {name}.") from None
    if not low <= value <= high:
        raise BadFilter(f"{name} måste vara mellan {low} och {high}.")
    return value


def _listing(kind: str, fields: list[str]):
    sel = selection_from_args(g.api_scope, request.args, names=API_NAMES)
    page = _int_arg("page", 1, 1, MAX_PAGE)
    per_page = _int_arg("per_page", 100, 1, MAX_PER_PAGE)
    total = rows.count(kind, sel)
    items = rows.ROW_SETS[kind](sel, limit=per_page, offset=(page - 1) * per_page)
    pages = max(1, -(-total // per_page))
    args = {k: v for k, v in request.args.items() if k not in {"page"}}
    next_url = (
        url_for(request.endpoint, page=page + 1, _external=True, **args) if page < pages else None
    )
    return jsonify(
        {
            "items": [{f: _plain(item[f]) for f in fields} for item in items],
            "page": page,
            "per_page": per_page,
            "total": total,
            "pages": pages,
            "next": next_url,
        }
    )


DIALOGUE_FIELDS = [
    "id",
    "year",
    "status",
    "starts_at",
    "ends_at",
    "held_at",
    "documented_at",
    "care_home_id",
    "home",
    "municipality_id",
    "municipality",
    "region",
    "health_centre_id",
    "health_centre",
    "full_representation",
]
FINDING_FIELDS = [
    "id",
    "dialogue_id",
    "year",
    "care_home_id",
    "home",
    "municipality",
    "kind",
    "area",
    "plan_area",
    "concerns",
    "description",
    "spread_as_lesson",
    "escalate",
]
ACTION_FIELDS = [
    "id",
    "dialogue_id",
    "finding_id",
    "year",
    "care_home_id",
    "home",
    "municipality",
    "description",
    "responsible_party",
    "responsible_role",
    "due_date",
    "status",
    "overdue",
    "completed_at",
]


@bp.get("/dialogues")
@token_required
def dialogues():
    return _listing("dialogues", DIALOGUE_FIELDS)


@bp.get("/findings")
@token_required
def findings():
    return _listing("findings", FINDING_FIELDS)


@bp.get("/actions")
@token_required
def actions():
    return _listing("actions", ACTION_FIELDS)


@bp.get("/summary")
@token_required
def summary():
    sel = selection_from_args(g.api_scope, request.args, names=API_NAMES)
    return jsonify(figures.summary_json(figures.dashboard(sel)))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(request.url_root.rstrip("/") + "/api/v1"))


@bp.errorhandler(404)
def not_found(exc):
    return _error(404, "Finns inte.")


@bp.errorhandler(405)
def not_allowed(exc):
    return _error(405, "API:t är skrivskyddat; bara GET stöds.")
