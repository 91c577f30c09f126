"""Account rules: authentication, creating users and granting scopes."""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from .. import audit, emails
from ..bounds import valid_id
from ..extensions import db
from ..models import ROLE_TARGETS, Role, User, UserScope
from ..timeutil import now_utc
from . import attempts

log = logging.getLogger(__name__)
MIN_PASSWORD = 12  # characters (OWASP ASVS 2.1.1); no composition rules (2.1.9)


class AccountError(ValueError):
    """A rule was broken; the message is shown to the user as it is (Swedish)."""


def load_user(token: str) -> User | None:
    """Flask-Login's user loader, for the session and the remember-me cookie alike.

    The token is "id.generation.login-time" (User.get_id). Refused: a malformed token (such as
    one from before this format), an inactive user, an ended session generation, and a login
    older than REMEMBER_COOKIE_DURATION (so no session outlives "kom ihåg mig")."""
    parts = token.split(".")
    if len(parts) != 3 or not all(p.isdigit() and len(p) <= 12 for p in parts):
        return None
    user_id, generation, stamp = (int(p) for p in parts)
    max_age = current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds()
    now = time.time()
    if not valid_id(user_id) or not (now - max_age <= stamp <= now + 60):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_generation != generation:
        return None
    user.login_stamp = stamp
    return user


# A hash of nothing anyone knows, checked when the name matches no account, so that a failed
# login costs the same scrypt work whether or not the name exists.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(24))


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None = None
    locked_until: datetime | None = None


def attempt_login(login: str, password: str, address: str | None) -> LoginOutcome:
    """Check a login. Locked names and addresses are refused before any password is checked;
    otherwise the password is always checked (against a dummy hash for unknown names). A
    failure is counted for the name and the address. Flushes; the caller commits."""
    # Logged without the typed name (it may be a password typed into the wrong field).
    until = attempts.locked_until([attempts.account_key(login), attempts.address_key(address)])
    if until is not None:
        log.warning("event=login_refused reason=locked address=%s", address)
        return LoginOutcome(locked_until=until)
    user = authenticate(login, password)
    if user is None:
        until = attempts.record_failed_login(login, address)
        log.warning("event=login_failed address=%s locked=%s", address, until is not None)
        return LoginOutcome(locked_until=until)
    attempts.clear(login)
    log.info("event=login user_id=%s address=%s", user.id, address)
    return LoginOutcome(user=user)


def authenticate(login: str, password: str) -> User | None:
    """The active user whose user name or e-mail is `login` and whose password matches.

    Records the login time; the caller commits."""
    login = login.strip().lower()
    user = db.session.scalar(
        sa.select(User).where(
            sa.or_(sa.func.lower(User.username) == login, sa.func.lower(User.email) == login)
        )
    )
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_login_at = now_utc()
    return user


def end_sessions(user: User, *, actor=None, action: str | None = None) -> None:
    """End every session and remember-me cookie of the user; audited when `action` is given."""
    user.end_sessions()
    db.session.flush()
    log.info("event=sessions_ended user_id=%s reason=%s", user.id, action or "utloggning")
    if action:
        audit.record(action, user, actor=actor)


def change_password(user: User, current: str, new: str) -> None:
    """The user's own password change: every other session ends. Raises AccountError."""
    if not user.check_password(current):
        raise AccountError("Det nuvarande lösenordet stämmer inte.")
    _check_new_password(new)
    if new == current:
        raise AccountError("Det nya lösenordet måste skilja sig från det nuvarande.")
    user.set_password(new)
    end_sessions(user, actor=user, action="bytte lösenord")


def _check_new_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= 200:
        raise AccountError(f"Lösenordet måste ha minst {MIN_PASSWORD} och högst 200 tecken.")


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
    _check_new_password(password)
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
    if not active:
        user.end_sessions()  # a deactivated account's cookies must not work if it comes back
    audit.record(
        "aktiverade användare" if active else "inaktiverade användare",
        user,
        actor=actor,
        changes={"active": [not active, active]},
    )
