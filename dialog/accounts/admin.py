"""What an administrator changes on an existing account: name, e-mail, role and scope, a new
password, active or not. Every change is audited; a password never reaches the log."""

from __future__ import annotations

import sqlalchemy as sa

from .. import audit, emails
from ..extensions import db
from ..models import ROLE_TARGETS, Role, User
from .services import AccountError, _scope_row, set_active

MIN_PASSWORD = 10


def _scope_codes(user: User) -> list[str]:
    return sorted(
        f"{s.role.value}:{s.target_id}" if s.target_id else s.role.value for s in user.scopes
    )


def update_user(
    user: User,
    *,
    name: str,
    email: str,
    role: Role,
    target_id: int | None,
    active: bool,
    actor,
) -> bool:
    """Replace the user's details and scope with one role over one organisation."""
    name = " ".join((name or "").split())
    if not name:
        raise AccountError("Fyll i namn.")
    try:
        email = emails.normalise_email(email)
    except emails.InvalidEmailError as error:
        raise AccountError(str(error)) from None
    taken = db.session.scalar(sa.select(User.id).where(User.email == email, User.id != user.id))
    if taken is not None:
        raise AccountError("E-postadressen används redan av ett annat konto.")
    if role is not Role.ADMIN:
        target = ROLE_TARGETS[role]
        if target_id is None or db.session.get(target.model, target_id) is None:
            raise AccountError(f"Välj en organisation som passar rollen {role.label}.")
    if actor is not None and user.id == getattr(actor, "id", None):
        if role is not Role.ADMIN:
            raise AccountError("Du kan inte ta bort din egen administratörsroll.")
        if not active:
            raise AccountError("Du kan inte inaktivera ditt eget konto.")
    before = {"name": user.name, "email": user.email, "scopes": _scope_codes(user)}
    user.name, user.email = name, email
    new_scope = _scope_row(role, target_id)
    current = [(s.role, s.target_id) for s in user.scopes]
    if current != [(role, target_id)]:
        user.scopes.clear()
        db.session.flush()
        user.scopes.append(new_scope)
    db.session.flush()
    after = {"name": user.name, "email": user.email, "scopes": _scope_codes(user)}
    changes = audit.changes_between(before, after)
    if changes:
        audit.record("ändrade användare", user, actor=actor, summary=user.username, changes=changes)
    if user.active != active:
        set_active(user, active, actor=actor)
        changes["active"] = [not active, active]
    return bool(changes)


def reset_password(user: User, password: str, *, actor) -> None:
    """An administrator sets a new password (told to the user another way)."""
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"Lösenordet måste ha minst {MIN_PASSWORD} tecken.")
    if len(password) > 200:
        raise AccountError("Lösenordet får vara högst 200 tecken.")
    user.set_password(password)
    audit.record(
        "satte nytt lösenord",
        user,
        actor=actor,
        summary=user.username,
        changes={"password": [None, "nytt lösenord satt av administratör"]},
    )
