"""Writing audit entries. Every service that changes data calls record() in the same transaction."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from flask_login import current_user

from ..extensions import db
from ..models import AuditEntry, CareHome, Contact, Dialogue, HealthCentre, Municipality, Region


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, db.Model):
        return getattr(value, "id", None)
    return value


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-safe values of some attributes, to compare before and after a change."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def locate(obj: Any) -> tuple[int | None, int | None, int | None]:
    """(region_id, municipality_id, care_home_id) of an object, for scoping the log."""
    if isinstance(obj, Dialogue):
        obj = obj.care_home
    if isinstance(obj, CareHome):
        return obj.municipality.region_id, obj.municipality_id, obj.id
    if isinstance(obj, Municipality):
        return obj.region_id, obj.id, None
    if isinstance(obj, Region):
        return obj.id, None, None
    if isinstance(obj, HealthCentre):
        return obj.region_id, None, None
    if isinstance(obj, Contact):
        owner = obj.organisation
        return locate(owner) if owner is not None else (None, None, None)
    dialogue = getattr(obj, "dialogue", None)
    if isinstance(dialogue, Dialogue):
        return locate(dialogue)
    return None, None, None


def record(
    action: str,
    obj: Any,
    *,
    changes: dict | None = None,
    summary: str = "",
    where: Any = None,
    actor=None,
) -> AuditEntry:
    """Add an audit entry to the session; committed with the change it describes.

    `where` is the object whose location scopes the entry when `obj` itself has none
    (a finding scoped by its dialogue, say). Flush first so new objects have ids.
    """
    db.session.flush()
    user = actor if actor is not None else _current_user_or_none()
    region_id, municipality_id, care_home_id = locate(where if where is not None else obj)
    entry = AuditEntry(
        user_id=user.id if user is not None else None,
        actor=(user.username if user is not None else "system"),
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        summary=summary[:300],
        changes=changes or {},
        region_id=region_id,
        municipality_id=municipality_id,
        care_home_id=care_home_id,
    )
    db.session.add(entry)
    return entry


def _current_user_or_none():
    try:
        if current_user and current_user.is_authenticated:
            return current_user._get_current_object()
    except RuntimeError:  # outside a request: CLI or worker
        pass
    return None
