"""Who gets in through single sign-on, and what group mappings give them.

Rules:
- An account must exist first. Nothing is ever created from a provider's answer.
- A subject (issuer + sub) already linked logs in to its account, whatever its e-mail is now.
- The first login links the account whose address equals a *verified* address from the provider.
  An account holds at most one subject per issuer, so a second person who later gets the same
  address cannot take the account over.
- A deactivated account is refused, linked or not.
- Group mappings (per provider) give roles and scopes; they take away only what they gave, and
  never add to an account an administrator locked.

Services flush and audit; the view commits. Tokens never reach the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from .. import audit, emails
from ..extensions import db
from ..models import (
    ROLE_TARGETS,
    GroupGrant,
    GroupMapping,
    GroupMappingLock,
    OidcIdentity,
    Role,
    User,
    UserScope,
)
from ..privacy import PatientDataError, ensure_no_patient_data
from ..timeutil import now_utc
from .oidc import Provider, ProviderAnswer


class Refused(Exception):
    """The provider vouched for the person, but they may not come in. `kind` picks the page."""

    def __init__(self, kind: str, reason: str, email: str | None = None):
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.email = email


@dataclass
class SignInAttempt:
    """What the audit log points at when a refusal has no account to point at."""

    provider: str
    id: int | None = None


def admit(provider: Provider, answer: ProviderAnswer) -> User:
    """The account this answer logs in to; links it on the first login. Raises Refused."""
    identity = db.session.scalar(
        sa.select(OidcIdentity).where(
            OidcIdentity.issuer == answer.issuer, OidcIdentity.subject == answer.subject
        )
    )
    if identity is not None:
        user = identity.user
        if not user.active:
            raise Refused("inactive", "account deactivated", email=user.email)
    else:
        identity = _link_first_login(provider, answer)
        user = identity.user
    now = now_utc()
    identity.last_login_at = now
    user.last_login_at = now
    changes = apply_group_mappings(user, provider, _groups(provider, answer.claims))
    audit.record(
        "loggade in via inloggningstjänst",
        user,
        actor=user,
        summary=f"Inloggning via {provider.name}",
        changes={"provider": [None, provider.name], **changes},
    )
    return user


def _link_first_login(provider: Provider, answer: ProviderAnswer) -> OidcIdentity:
    raw_email = answer.claims.get(provider.email_claim)
    if not isinstance(raw_email, str) or not raw_email.strip():
        raise Refused("no_email", f"no {provider.email_claim} claim")
    try:
        email = emails.normalise_email(raw_email)
    except emails.InvalidEmailError:
        raise Refused("no_email", f"{provider.email_claim} claim is not an address") from None
    if not (provider.trust_email or answer.claims.get("email_verified") is True):
        raise Refused("unverified", "e-mail address not verified by the provider", email=email)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        raise Refused("unknown", "no account with this address", email=email)
    if not user.active:
        raise Refused("inactive", "account deactivated", email=email)
    taken = db.session.scalar(
        sa.select(OidcIdentity).where(
            OidcIdentity.user_id == user.id, OidcIdentity.issuer == answer.issuer
        )
    )
    if taken is not None:
        raise Refused(
            "linked_elsewhere", "account already linked to another subject here", email=email
        )
    identity = OidcIdentity(
        user_id=user.id,
        provider=provider.name,
        issuer=answer.issuer,
        subject=answer.subject,
        linked_email=email,
        user=user,
    )
    db.session.add(identity)
    audit.record(
        "kopplade inloggningstjänst",
        user,
        actor=user,
        summary=f"Första inloggning via {provider.name}: kontot kopplat med e-postadressen {email}",
        changes={"provider": [None, provider.name], "issuer": [None, answer.issuer]},
    )
    return identity


def record_refusal(provider: Provider, kind: str, reason: str, email: str | None = None) -> None:
    """Audit a refused or failed provider login. The reason is a short code, never a token."""
    user = db.session.scalar(sa.select(User).where(User.email == email)) if email else None
    who = f" för {email}" if email else ""
    audit.record(
        "nekade inloggning via inloggningstjänst",
        user if user is not None else SignInAttempt(provider.name),
        summary=f"Nekad inloggning via {provider.name}{who}: {reason}"[:300],
        changes={"provider": [None, provider.name], "reason": [None, kind]},
    )


def _groups(provider: Provider, claims: dict) -> set[str]:
    value = claims.get(provider.groups_claim)
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {str(v) for v in value}
    return set()


# Group mappings -------------------------------------------------------------------------------


class MappingError(ValueError):
    """A mapping could not be saved; the message is Swedish and shown as it is."""


def mappings(provider_name: str | None = None) -> list[GroupMapping]:
    query = sa.select(GroupMapping).order_by(GroupMapping.provider, GroupMapping.group_name)
    if provider_name is not None:
        query = query.where(GroupMapping.provider == provider_name)
    return list(db.session.scalars(query))


def add_mapping(
    provider_name: str, group_name: str, role: Role, target_id: int | None, actor=None
) -> GroupMapping:
    group_name = group_name.strip()
    if not group_name:
        raise MappingError("Fyll i gruppens namn eller id.")
    try:
        ensure_no_patient_data(group_name, "Grupp")
    except PatientDataError as error:
        raise MappingError(str(error)) from None
    if role is Role.ADMIN:
        # Administrators are appointed by hand, never by a group in someone else's directory.
        raise MappingError("Administratörsrollen kan inte ges genom en grupp.")
    if target_id is None:
        raise MappingError(f"Rollen {role.label} måste kopplas till en organisation.")
    exists = db.session.scalar(
        sa.select(GroupMapping.id).where(
            GroupMapping.provider == provider_name, GroupMapping.group_name == group_name
        )
    )
    if exists is not None:
        raise MappingError("Gruppen har redan en koppling hos den inloggningstjänsten.")
    mapping = GroupMapping(
        provider=provider_name,
        group_name=group_name,
        role=role,
        **{ROLE_TARGETS[role].field: target_id},
    )
    db.session.add(mapping)
    audit.record(
        "skapade gruppkoppling",
        mapping,
        actor=actor,
        summary=f"{provider_name}: {group_name}",
        changes={"scope": [None, f"{role.value}:{target_id}"]},
    )
    return mapping


def remove_mapping(mapping: GroupMapping, actor=None) -> None:
    """Delete a mapping and take away the scopes it gave (narrowing is always allowed)."""
    grants = list(
        db.session.scalars(sa.select(GroupGrant).where(GroupGrant.mapping_id == mapping.id))
    )
    for grant in grants:
        _revoke(grant, actor=actor)
    audit.record(
        "tog bort gruppkoppling",
        mapping,
        actor=actor,
        summary=f"{mapping.provider}: {mapping.group_name}",
        changes={"scope": [f"{mapping.role.value}:{mapping.target_id}", None]},
    )
    db.session.delete(mapping)
    db.session.flush()


def _same_scope(scope: UserScope, mapping: GroupMapping) -> bool:
    return scope.role is mapping.role and scope.target_id == mapping.target_id


def apply_group_mappings(user: User, provider: Provider, groups: set[str]) -> dict:
    """Bring the user's mapping-given scopes from this provider in line with their groups.

    Adds a scope for each matching mapping the user does not hold yet, unless an administrator
    locked the account; removes scopes this provider's mappings gave for groups the user has
    left. Scopes given by hand are never touched. Returns the changes for the audit entry."""
    provider_mappings = mappings(provider.name)
    if not provider_mappings:
        return {}
    grants = list(
        db.session.scalars(
            sa.select(GroupGrant)
            .join(GroupGrant.user_scope)
            .join(GroupGrant.mapping)
            .where(UserScope.user_id == user.id, GroupMapping.provider == provider.name)
        )
    )
    added, removed = [], []
    for grant in grants:
        if grant.mapping.group_name not in groups:
            removed.append(f"{grant.mapping.role.value}:{grant.mapping.target_id}")
            _revoke(grant, actor=user, audited=False)
    if not is_locked(user):
        for mapping in provider_mappings:
            if mapping.group_name not in groups:
                continue
            if any(_same_scope(s, mapping) for s in user.scopes):
                continue  # already held, given by hand or by an earlier login
            scope = UserScope(
                role=mapping.role, **{ROLE_TARGETS[mapping.role].field: mapping.target_id}
            )
            user.scopes.append(scope)
            db.session.flush()
            db.session.add(GroupGrant(user_scope_id=scope.id, mapping_id=mapping.id))
            added.append(f"{mapping.role.value}:{mapping.target_id}")
    db.session.flush()
    changes = {}
    if added:
        changes["added"] = [None, added]
    if removed:
        changes["removed"] = [removed, None]
    return changes


def _revoke(grant: GroupGrant, actor=None, audited: bool = True) -> None:
    scope = grant.user_scope
    user = scope.user
    if audited:
        audit.record(
            "tog bort behörighet via grupp",
            user,
            actor=actor,
            changes={"scope": [f"{scope.role.value}:{scope.target_id}", None]},
        )
    db.session.delete(grant)
    user.scopes.remove(scope)
    db.session.flush()


def is_locked(user: User) -> bool:
    return db.session.get(GroupMappingLock, user.id) is not None


def locked_user_ids() -> set[int]:
    return set(db.session.scalars(sa.select(GroupMappingLock.user_id)))


def set_locked(user: User, locked: bool, actor=None) -> None:
    """An administrator restricts an account: group mappings then never widen it."""
    lock = db.session.get(GroupMappingLock, user.id)
    if (lock is not None) == locked:
        return
    if locked:
        db.session.add(GroupMappingLock(user_id=user.id))
    else:
        db.session.delete(lock)
    audit.record(
        "låste behörighet" if locked else "låste upp behörighet",
        user,
        actor=actor,
        changes={"group_lock": [not locked, locked]},
    )
    db.session.flush()


def identities_by_user() -> dict[int, list[OidcIdentity]]:
    result: dict[int, list[OidcIdentity]] = {}
    for identity in db.session.scalars(sa.select(OidcIdentity).order_by(OidcIdentity.provider)):
        result.setdefault(identity.user_id, []).append(identity)
    return result


def unlink(identity: OidcIdentity, actor=None) -> None:
    """An administrator removes a link (the wrong person linked, or a new subject): the next
    login links again through a verified address."""
    audit.record(
        "tog bort koppling till inloggningstjänst",
        identity.user,
        actor=actor,
        changes={"provider": [identity.provider, None], "issuer": [identity.issuer, None]},
    )
    db.session.delete(identity)
    db.session.flush()


def granted_scope_ids() -> set[int]:
    return set(db.session.scalars(sa.select(GroupGrant.user_scope_id)))


@dataclass
class UsersPageExtras:
    """What the users page shows about single sign-on, loaded in three queries."""

    identities: dict[int, list[OidcIdentity]]
    locked: set[int]
    granted: set[int]


def users_page_extras() -> UsersPageExtras:
    return UsersPageExtras(identities_by_user(), locked_user_ids(), granted_scope_ids())
