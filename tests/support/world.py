"""A small, deterministic test world: two regions, three municipalities, homes, health centres,
contacts and one user per role. All names are fictional."""

from __future__ import annotations

from dataclasses import dataclass, field

from dialog.catalogues import ensure_default_catalogues
from dialog.extensions import db
from dialog.models import (
    CareHome,
    Contact,
    ContactRole,
    HealthCentre,
    Municipality,
    Region,
    Role,
    User,
    UserScope,
)

PASSWORD = "testlosenord-123"


@dataclass
class World:
    """Ids only, so tests can use them in any app context."""

    regions: dict[str, int] = field(default_factory=dict)
    municipalities: dict[str, int] = field(default_factory=dict)
    centres: dict[str, int] = field(default_factory=dict)
    homes: dict[str, int] = field(default_factory=dict)
    contacts: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)


def build_world() -> World:
    world = World()
    ensure_default_catalogues()
    norr = Region(name="Testregion Norr")
    syd = Region(name="Testregion Syd")
    muni = {
        "A": Municipality(name="Testkommun A", region=norr),
        "B": Municipality(name="Testkommun B", region=norr),
        "C": Municipality(name="Testkommun C", region=syd),
    }
    centres = {
        "alfa": HealthCentre(name="Test-VC Alfa", region=norr),
        "beta": HealthCentre(name="Test-VC Beta", region=norr),
        "gamma": HealthCentre(name="Test-VC Gamma", region=syd),
    }
    homes = {
        "a1": CareHome(
            name="Testboendet Ett",
            municipality=muni["A"],
            health_centre=centres["alfa"],
            address="Provgatan 1",
        ),
        "a2": CareHome(
            name="Testboendet Två", municipality=muni["A"], health_centre=centres["alfa"]
        ),
        "b1": CareHome(
            name="Testboendet Tre", municipality=muni["B"], health_centre=centres["beta"]
        ),
        "c1": CareHome(
            name="Testboendet Fyra", municipality=muni["C"], health_centre=centres["gamma"]
        ),
    }
    db.session.add_all([norr, syd, *muni.values(), *centres.values(), *homes.values()])
    for key, home in homes.items():
        for role, suffix in (
            (ContactRole.UNIT_MANAGER, "chef"),
            (ContactRole.NURSE, "ssk"),
            (ContactRole.OCCUPATIONAL_THERAPIST, "at"),
        ):
            contact = Contact(
                name=f"Test {suffix.upper()} {key}",
                role=role,
                email=f"{suffix}.{key}@test.example.org",
                care_home=home,
            )
            db.session.add(contact)
            world.contacts[f"{key}_{suffix}"] = contact
    for key, centre in centres.items():
        for role, suffix in (
            (ContactRole.HOME_PHYSICIAN, "lakare"),
            (ContactRole.CENTRE_MANAGER, "vc_chef"),
        ):
            contact = Contact(
                name=f"Test {suffix} {key}",
                role=role,
                email=f"{suffix}.{key}@test.example.org",
                health_centre=centre,
            )
            db.session.add(contact)
            world.contacts[f"{key}_{suffix}"] = contact
    users = {
        "admin": [UserScope(role=Role.ADMIN)],
        "regional_norr": [UserScope(role=Role.REGIONAL, region=norr)],
        "regional_syd": [UserScope(role=Role.REGIONAL, region=syd)],
        "mas_a": [UserScope(role=Role.MUNICIPALITY, municipality=muni["A"])],
        "mas_b": [UserScope(role=Role.MUNICIPALITY, municipality=muni["B"])],
        "chef_a1": [UserScope(role=Role.UNIT_MANAGER, care_home=homes["a1"])],
        "vc_alfa": [UserScope(role=Role.HEALTH_CENTRE, health_centre=centres["alfa"])],
    }
    user_objs = {}
    hashed = User(username="", email="", name="")
    hashed.set_password(PASSWORD)  # scrypt is slow by design: hash once for all test users
    for username, scopes in users.items():
        user = User(
            username=username,
            name=f"Test {username}",
            email=f"{username}@test.example.org",
            scopes=scopes,
            password_hash=hashed.password_hash,
        )
        db.session.add(user)
        user_objs[username] = user
    db.session.commit()
    world.regions = {"norr": norr.id, "syd": syd.id}
    world.municipalities = {k: m.id for k, m in muni.items()}
    world.centres = {k: c.id for k, c in centres.items()}
    world.homes = {k: h.id for k, h in homes.items()}
    world.contacts = {k: c.id for k, c in world.contacts.items()}
    world.users = {k: u.id for k, u in user_objs.items()}
    return world
