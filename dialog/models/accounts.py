"""User accounts and the scopes that decide what each user may see and change."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..privacy import exempt, guarded
from ..timeutil import now_utc
from .base import LabelledEnum, UTCDateTime, enum_column


class Role(LabelledEnum):
    ADMIN = ("administrator", "Administratör")
    REGIONAL = ("regional", "Regional (chefläkare/samordnare)")
    MUNICIPALITY = ("kommun", "Kommun (MAS/MAR)")
    UNIT_MANAGER = ("enhetschef", "Enhetschef")
    HEALTH_CENTRE = ("vardcentral", "Vårdcentral")


@dataclass(frozen=True)
class ScopeTarget:
    """What a role's scope points at: the UserScope column and the model behind it."""

    field: str
    model_name: str

    @property
    def model(self):
        return db.Model.registry._class_registry[self.model_name]

    @property
    def table(self) -> str:
        return self.model.__tablename__


# The one mapping from a role to its scope target (an administrator's scope has none).
ROLE_TARGETS: dict[Role, ScopeTarget] = {
    Role.REGIONAL: ScopeTarget("region_id", "Region"),
    Role.MUNICIPALITY: ScopeTarget("municipality_id", "Municipality"),
    Role.UNIT_MANAGER: ScopeTarget("care_home_id", "CareHome"),
    Role.HEALTH_CENTRE: ScopeTarget("health_centre_id", "HealthCentre"),
}


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(
        sa.String(80), unique=True, info=exempt("login name of a staff account")
    )
    email: Mapped[str] = mapped_column(
        sa.String(254),
        unique=True,
        info=exempt("staff e-mail address, checked by the e-mail normaliser"),
    )
    name: Mapped[str] = mapped_column(sa.String(160), info=guarded("name", "Namn"))
    password_hash: Mapped[str] = mapped_column(sa.String(255), info=exempt("password hash"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Every session and remember-me cookie carries the generation it was issued under; raising
    # it (logout, password change, deactivation, "log out everywhere") ends them all.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    scopes: Mapped[list[UserScope]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def set_password(self, password: str) -> None:
        # Werkzeug's default is scrypt.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    # The identifier Flask-Login keeps in the session and in the remember-me cookie (its
    # "alternative token"): the user, the session generation and when the login happened, so
    # that the user loader can refuse a cookie from an ended generation or an old login.
    login_stamp = None  # set at login, or by the loader from the cookie

    def get_id(self) -> str:
        if self.login_stamp is None:
            self.login_stamp = int(time.time())
        return f"{self.id}.{self.session_generation}.{self.login_stamp}"

    def end_sessions(self) -> None:
        """Invalidate every session and remember-me cookie of this user (on flush)."""
        self.session_generation = User.session_generation + 1

    @property
    def is_admin(self) -> bool:
        return any(s.role is Role.ADMIN for s in self.scopes)

    def has_role(self, *roles: Role) -> bool:
        return any(s.role in roles for s in self.scopes)

    def __str__(self) -> str:
        return self.name


class UserScope(db.Model):
    """One role over one object: a region, a municipality, a home or a health centre.

    An administrator's scope row has no object. A user may hold several rows.
    """

    __tablename__ = "user_scope"
    __table_args__ = (
        sa.CheckConstraint(
            "(role = 'administrator')"
            " OR (role = 'regional' AND region_id IS NOT NULL)"
            " OR (role = 'kommun' AND municipality_id IS NOT NULL)"
            " OR (role = 'enhetschef' AND care_home_id IS NOT NULL)"
            " OR (role = 'vardcentral' AND health_centre_id IS NOT NULL)",
            name="target_matches_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role))
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("region.id"))
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"))
    care_home_id: Mapped[int | None] = mapped_column(sa.ForeignKey("care_home.id"))
    health_centre_id: Mapped[int | None] = mapped_column(sa.ForeignKey("health_centre.id"))

    user: Mapped[User] = relationship(back_populates="scopes")
    region = relationship("Region")
    municipality = relationship("Municipality")
    care_home = relationship("CareHome")
    health_centre = relationship("HealthCentre")

    @property
    def target_id(self) -> int | None:
        target = ROLE_TARGETS.get(self.role)
        return getattr(self, target.field) if target else None

    @property
    def target(self):
        return self.region or self.municipality or self.care_home or self.health_centre

    def describe(self) -> str:
        target = self.target
        return f"{self.role.label}: {target}" if target else self.role.label


class LoginAttempt(db.Model):
    """Failed logins, counted per account name and per address in the database, so that every
    worker process sees the same count. `key` is an HMAC of what is counted: neither the typed
    name (it may be a password typed into the wrong field) nor the address is kept in clear."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(
        sa.String(64), unique=True, info=exempt("an HMAC of a user name or address, never the text")
    )
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
