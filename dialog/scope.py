"""Who may see and change what: the role-and-scope rules, as plain functions.

Every view calls these on the object it touches, never only the menus. The rules:
- administratör: everything;
- regional: every home, health centre and dialogue of one region;
- kommun (MAS/MAR): every home of one municipality and its dialogues;
- enhetschef: the homes they manage;
- vårdcentral: the homes the centre serves and dialogues it takes part in: reads them, answers
  its own invitations and follows up the centre's and joint actions (findings/action_followup).
Objects outside the scope are answered with 404 so that guessing ids reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user

from .extensions import db
from .models import (
    CareHome,
    Contact,
    Dialogue,
    HealthCentre,
    Municipality,
    Region,
    Role,
)


@dataclass(frozen=True)
class Scope:
    admin: bool = False
    region_ids: frozenset[int] = frozenset()
    municipality_ids: frozenset[int] = frozenset()
    care_home_ids: frozenset[int] = frozenset()
    health_centre_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, user) -> Scope:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls()
        ids: dict[Role, set[int]] = {role: set() for role in Role}
        admin = False
        for s in user.scopes:
            if s.role is Role.ADMIN:
                admin = True
            else:
                ids[s.role].add(s.target_id)
        return cls(
            admin=admin,
            region_ids=frozenset(ids[Role.REGIONAL]),
            municipality_ids=frozenset(ids[Role.MUNICIPALITY]),
            care_home_ids=frozenset(ids[Role.UNIT_MANAGER]),
            health_centre_ids=frozenset(ids[Role.HEALTH_CENTRE]),
        )

    # --- roles -------------------------------------------------------------------------------

    @property
    def is_follow_up_user(self) -> bool:
        """MAS/MAR, regional users and administrators follow up and see the audit log."""
        return self.admin or bool(self.region_ids or self.municipality_ids)

    @property
    def can_plan(self) -> bool:
        """May book dialogues for at least one home."""
        return self.admin or bool(self.region_ids or self.municipality_ids or self.care_home_ids)

    # --- homes and dialogues -----------------------------------------------------------------

    def can_view_home(self, home: CareHome) -> bool:
        return self.can_manage_home(home) or home.health_centre_id in self.health_centre_ids

    def can_manage_home(self, home: CareHome) -> bool:
        """Book, invite, record findings: everyone in scope except the health centre side."""
        return (
            self.admin
            or home.id in self.care_home_ids
            or home.municipality_id in self.municipality_ids
            or home.municipality.region_id in self.region_ids
        )

    def can_view_dialogue(self, dialogue: Dialogue) -> bool:
        return (
            self.can_view_home(dialogue.care_home)
            or dialogue.health_centre_id in self.health_centre_ids
        )

    def can_manage_dialogue(self, dialogue: Dialogue) -> bool:
        return self.can_manage_home(dialogue.care_home)

    def home_clause(self):
        """SQL condition on CareHome: the homes this user may see."""
        if self.admin:
            return sa.true()
        clauses = self._managed_home_conditions()
        if self.health_centre_ids:
            clauses.append(CareHome.health_centre_id.in_(self.health_centre_ids))
        return sa.or_(*clauses) if clauses else sa.false()

    def managed_home_clause(self):
        """SQL condition on CareHome: the homes this user may book and document for."""
        if self.admin:
            return sa.true()
        clauses = self._managed_home_conditions()
        return sa.or_(*clauses) if clauses else sa.false()

    def dialogue_clause(self):
        """SQL condition on Dialogue: the dialogues this user may see."""
        if self.admin:
            return sa.true()
        if not self.health_centre_ids:
            return Dialogue.care_home_id.in_(sa.select(CareHome.id).where(self.home_clause()))
        # An OR over a subquery makes the database scan every dialogue; with the homes as a list
        # of ids both sides are index lookups (PostgreSQL: a BitmapOr of the two indexes).
        return sa.or_(
            Dialogue.care_home_id.in_(self.visible_home_ids),
            Dialogue.health_centre_id.in_(self.health_centre_ids),
        )

    @cached_property
    def visible_home_ids(self) -> list[int]:
        """The ids of the homes this user may see (one query, then kept with the scope)."""
        return list(db.session.scalars(sa.select(CareHome.id).where(self.home_clause())))

    @cached_property
    def served_home_ids(self) -> list[int]:
        """The ids of the homes this user's health centres serve (one query, then kept). As a
        list rather than a subquery for the same reason as in dialogue_clause."""
        if not self.health_centre_ids:
            return []
        served = sa.select(CareHome.id).where(CareHome.health_centre_id.in_(self.health_centre_ids))
        return list(db.session.scalars(served))

    def _managed_home_conditions(self) -> list:
        clauses = []
        if self.region_ids:
            in_regions = sa.select(Municipality.id).where(
                Municipality.region_id.in_(self.region_ids)
            )
            clauses.append(CareHome.municipality_id.in_(in_regions))
        if self.municipality_ids:
            clauses.append(CareHome.municipality_id.in_(self.municipality_ids))
        if self.care_home_ids:
            clauses.append(CareHome.id.in_(self.care_home_ids))
        return clauses

    # --- registers ---------------------------------------------------------------------------

    def can_view_region(self, region: Region) -> bool:
        return self.admin or region.id in self.region_ids

    def can_view_municipality(self, municipality: Municipality) -> bool:
        return (
            self.admin
            or municipality.id in self.municipality_ids
            or municipality.region_id in self.region_ids
        )

    def municipality_clause(self):
        if self.admin:
            return sa.true()
        return sa.or_(
            Municipality.id.in_(self.municipality_ids),
            Municipality.region_id.in_(self.region_ids),
        )

    def can_view_health_centre(self, centre: HealthCentre) -> bool:
        if self.admin or centre.region_id in self.region_ids or centre.id in self.health_centre_ids:
            return True
        # A MAS or unit manager sees the centres serving their homes.
        return any(self.can_manage_home(home) for home in centre.care_homes)

    def health_centre_clause(self):
        if self.admin:
            return sa.true()
        served = sa.select(CareHome.health_centre_id).where(self.managed_home_clause())
        return sa.or_(
            HealthCentre.region_id.in_(self.region_ids),
            HealthCentre.id.in_(self.health_centre_ids),
            HealthCentre.id.in_(served),
        )

    def can_edit_health_centre(self, centre: HealthCentre) -> bool:
        return self.admin or centre.region_id in self.region_ids

    def can_create_health_centre_in(self, region: Region) -> bool:
        return self.admin or region.id in self.region_ids

    def can_edit_home_register(self, home: CareHome) -> bool:
        """Create and edit homes: administrators, regional users and MAS/MAR, not unit managers."""
        return (
            self.admin
            or home.municipality_id in self.municipality_ids
            or home.municipality.region_id in self.region_ids
        )

    def can_create_home_in(self, municipality: Municipality) -> bool:
        return (
            self.admin
            or municipality.id in self.municipality_ids
            or municipality.region_id in self.region_ids
        )

    def can_view_contact(self, contact: Contact) -> bool:
        owner = contact.organisation
        if isinstance(owner, CareHome):
            return self.can_view_home(owner)
        if isinstance(owner, HealthCentre):
            return self.can_view_health_centre(owner)
        if isinstance(owner, Municipality):
            return self.can_view_municipality(owner)
        if isinstance(owner, Region):
            return self.can_view_region(owner)
        return self.admin

    def can_edit_contact(self, contact: Contact) -> bool:
        return self.can_edit_contacts_of(contact.organisation)

    def can_edit_contacts_of(self, owner) -> bool:
        """May add or change the contact people of this organisation."""
        if isinstance(owner, CareHome):
            return self.can_manage_home(owner)
        if isinstance(owner, HealthCentre):
            return self.can_edit_health_centre(owner) or owner.id in self.health_centre_ids
        if isinstance(owner, Municipality):
            return self.can_view_municipality(owner)
        if isinstance(owner, Region):
            return self.can_view_region(owner)
        return False

    def contact_clause(self):
        if self.admin:
            return sa.true()
        homes = sa.select(CareHome.id).where(self.home_clause())
        centres = sa.select(HealthCentre.id).where(self.health_centre_clause())
        return sa.or_(
            Contact.care_home_id.in_(homes),
            Contact.health_centre_id.in_(centres),
            Contact.municipality_id.in_(
                sa.select(Municipality.id).where(self.municipality_clause())
            ),
            Contact.region_id.in_(self.region_ids),
        )

    # --- audit ------------------------------------------------------------------------------

    def audit_clause(self):
        from .models import AuditEntry

        if self.admin:
            return sa.true()
        clauses = []
        if self.region_ids:
            clauses.append(AuditEntry.region_id.in_(self.region_ids))
        if self.municipality_ids:
            clauses.append(AuditEntry.municipality_id.in_(self.municipality_ids))
        return sa.or_(*clauses) if clauses else sa.false()


def current_scope() -> Scope:
    """The logged-in user's scope, computed once per request."""
    user_id = current_user.get_id() if current_user else None
    cached = g.get("scope_for")
    if cached is None or cached[0] != user_id:
        g.scope_for = (user_id, Scope.of(current_user))
    return g.scope_for[1]


def require(allowed: bool, *, hide: bool = True) -> None:
    """Stop the request unless allowed: 404 hides the object's existence, 403 says no."""
    if not allowed:
        abort(404 if hide else 403)


def get_or_404(model, object_id: int | None):
    """The object with this id, else 404, also for an id no column can hold (bounds.py)."""
    from .bounds import valid_id
    from .extensions import db

    if not valid_id(object_id):
        abort(404)
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj
