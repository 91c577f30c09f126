"""Single sign-on: accounts linked to an OpenID Connect provider's subjects, and group mappings.

Kept apart from the account tables so that an account needs no change to be linked: the link is
the provider's stable subject (issuer + sub), never the e-mail address, which may change.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..privacy import exempt
from ..timeutil import now_utc
from .accounts import ROLE_TARGETS, Role, User, UserScope
from .base import UTCDateTime, enum_column


class OidcIdentity(db.Model):
    """One account's identity at one provider. A subject links to one account, and an account
    to at most one subject per issuer (a second person with the same address cannot take it over).
    """

    __tablename__ = "oidc_identity"
    __table_args__ = (
        sa.UniqueConstraint("issuer", "subject"),
        sa.UniqueConstraint("user_id", "issuer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    provider: Mapped[str] = mapped_column(
        sa.String(40), info=exempt("the configured name of an identity provider")
    )
    issuer: Mapped[str] = mapped_column(
        sa.String(500), info=exempt("the identity provider's issuer URL")
    )
    subject: Mapped[str] = mapped_column(
        sa.String(255), info=exempt("the provider's opaque, stable subject identifier")
    )
    # The address that proved the link; kept for the administrator, never used to log in again.
    linked_email: Mapped[str] = mapped_column(
        sa.String(254), info=exempt("the verified e-mail address the link was made through")
    )
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class GroupMapping(db.Model):
    """An administrator's rule: members of `group_name` at `provider` get this role and scope."""

    __tablename__ = "oidc_group_mapping"
    __table_args__ = (
        sa.UniqueConstraint("provider", "group_name"),
        sa.CheckConstraint(
            "(role = 'regional' AND region_id IS NOT NULL)"
            " OR (role = 'kommun' AND municipality_id IS NOT NULL)"
            " OR (role = 'enhetschef' AND care_home_id IS NOT NULL)"
            " OR (role = 'vardcentral' AND health_centre_id IS NOT NULL)",
            name="target_matches_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(
        sa.String(40), info=exempt("the configured name of an identity provider")
    )
    group_name: Mapped[str] = mapped_column(
        sa.String(255), info=exempt("a group name or id from the provider, set by an administrator")
    )
    role: Mapped[Role] = mapped_column(enum_column(Role))
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("region.id"))
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"))
    care_home_id: Mapped[int | None] = mapped_column(sa.ForeignKey("care_home.id"))
    health_centre_id: Mapped[int | None] = mapped_column(sa.ForeignKey("health_centre.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    region = relationship("Region")
    municipality = relationship("Municipality")
    care_home = relationship("CareHome")
    health_centre = relationship("HealthCentre")

    @property
    def target_id(self) -> int | None:
        return getattr(self, ROLE_TARGETS[self.role].field)

    @property
    def target(self):
        return self.region or self.municipality or self.care_home or self.health_centre

    def describe(self) -> str:
        return f"{self.role.label}: {self.target}"


class GroupGrant(db.Model):
    """Marks a scope row as given by a group mapping, so that only such rows are ever taken away
    by one; scopes an administrator gave by hand are never touched by a mapping."""

    __tablename__ = "oidc_group_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_scope_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_scope.id", ondelete="CASCADE"), unique=True
    )
    mapping_id: Mapped[int] = mapped_column(
        sa.ForeignKey("oidc_group_mapping.id", ondelete="CASCADE"), index=True
    )
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    user_scope: Mapped[UserScope] = relationship()
    mapping: Mapped[GroupMapping] = relationship()


class GroupMappingLock(db.Model):
    """An account an administrator restricted: group mappings never widen it."""

    __tablename__ = "oidc_group_lock"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    locked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
