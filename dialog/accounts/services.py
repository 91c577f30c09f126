"""Account rules: authentication, creating users and granting scopes."""

from __future__ import annotations

import sqlalchemy as sa

from .. import audit, emails
from ..extensions import db
from ..models import ROLE_TARGETS, Role, User, UserScope
from ..timeutil import now_utc


class AccountError(ValueError):
    """A rule was broken; the message is shown to the user as it is (Swedish)."""


def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def authenticate(login: str, password: str) -> User | None:
    """The active user whose user name or e-mail is `login` and whose password matches.

    Records the login time; the caller commits."""
    login = login.strip().lower()
    user = db.session.scalar(
        sa.select(User).where(
            sa.or_(sa.func.lower(User.username) == login, sa.func.lower(User.email) == login)
        )
    )
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = now_utc()
    return user


def create_user(
    *,
    username: str,
    email: str,
    name: str,
    password: str,
    scopes: list[tuple[Role, int | None]],
    actor=None,
) -> User:
    username = username.strip()
    try:
        email = emails.normalise_email(email)
    except emails.InvalidEmailError as error:
        raise AccountError(str(error)) from None
    if len(password) < 10:
        raise AccountError("Lösenordet måste ha minst 10 tecken.")
    taken = db.session.scalar(
        sa.select(User.id).where(
            sa.or_(sa.func.lower(User.username) == username.lower(), User.email == email)
        )
    )
    if taken is not None:
        raise AccountError("Användarnamnet eller e-postadressen används redan.")
    user = User(username=username, email=email, name=name.strip())
    user.set_password(password)
    for role, target_id in scopes:
        user.scopes.append(_scope_row(role, target_id))
    db.session.add(user)
    audit.record(
        "skapade användare",
        user,
        actor=actor,
        changes={
            "username": [None, username],
            "scopes": [None, [f"{r.value}:{t}" for r, t in scopes]],
        },
    )
    return user


def _scope_row(role: Role, target_id: int | None) -> UserScope:
    if role is Role.ADMIN:
        return UserScope(role=role)
    if target_id is None:
        raise AccountError(f"Rollen {role.label} måste kopplas till en organisation.")
    return UserScope(role=role, **{ROLE_TARGETS[role].field: target_id})


def add_scope(user: User, role: Role, target_id: int | None, actor=None) -> None:
    user.scopes.append(_scope_row(role, target_id))
    audit.record(
        "gav behörighet", user, actor=actor, changes={"scope": [None, f"{role.value}:{target_id}"]}
    )


def set_active(user: User, active: bool, actor=None) -> None:
    if user.active == active:
        return
    user.active = active
    audit.record(
        "aktiverade användare" if active else "inaktiverade användare",
        user,
        actor=actor,
        changes={"active": [not active, active]},
    )
