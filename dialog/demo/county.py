"""Fictional demo data for Region Sörmland. Every home, centre and person is made up and reads so.

Names follow the pattern "Demo…" or "Exempel…"; e-mail addresses are under example.org
(reserved for examples, RFC 2606). No patient data, ever.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

import sqlalchemy as sa

from ..catalogues import ensure_default_catalogues
from ..dialogues import participant_from_contact
from ..extensions import db
from ..models import (
    Action,
    ActionStatus,
    Area,
    Attendance,
    CareHome,
    Contact,
    ContactRole,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    HealthCentre,
    Municipality,
    Operator,
    Party,
    Region,
    ResponseStatus,
    Role,
    User,
    UserScope,
)
from ..planning import next_bookable
from ..timeutil import local_to_utc, now_utc
from . import DEMO_PASSWORD
from .steering import load_steering_demo

MUNICIPALITIES = [
    "Eskilstuna",
    "Flen",
    "Gnesta",
    "Katrineholm",
    "Nyköping",
    "Oxelösund",
    "Strängnäs",
    "Trosa",
    "Vingåker",
]
HOMES_PER_MUNICIPALITY = {
    "Eskilstuna": 6,
    "Nyköping": 5,
    "Katrineholm": 4,
    "Strängnäs": 4,
    "Flen": 3,
    "Oxelösund": 2,
    "Trosa": 2,
    "Gnesta": 2,
    "Vingåker": 2,
}
HOME_WORDS = [
    "Solbacken",
    "Linden",
    "Ekhagen",
    "Björkliden",
    "Rönnen",
    "Lärkan",
    "Tallgården",
    "Sjöglimten",
    "Äppelgården",
    "Vallmon",
    "Ängsbacken",
    "Granhöjden",
    "Kastanjen",
    "Hagtornet",
    "Syrenen",
    "Måsen",
    "Fyren",
    "Ljungen",
    "Klövern",
    "Hästhoven",
    "Blåklinten",
    "Näckrosen",
    "Tranan",
    "Vitsippan",
    "Häggen",
    "Lönnen",
    "Askgården",
    "Smultronet",
    "Kvarnen",
    "Bryggan",
]
CENTRE_WORDS = [
    "Ekbacken",
    "Torget",
    "Åsen",
    "Strandvägen",
    "Centrum",
    "Norra",
    "Söder",
    "Västra",
    "Hamnen",
    "Slottet",
]
FIRST_NAMES = [
    "Alfa",
    "Beta",
    "Gamma",
    "Delta",
    "Epsilon",
    "Zeta",
    "Eta",
    "Theta",
    "Iota",
    "Kappa",
    "Lambda",
    "My",
]
LAST_NAMES = [
    "Exempelsson",
    "Demoberg",
    "Testlund",
    "Påhittad",
    "Låtsasson",
    "Provström",
    "Fiktivsson",
    "Modellqvist",
]

STRUCTURAL_FINDINGS = [
    (
        FindingKind.DEFICIENCY,
        "Läkemedel",
        "Läkemedelsgenomgångar dokumenteras inte på ett enhetligt sätt mellan boende och vårdcentral.",
    ),
    (
        FindingKind.RISK,
        "Informationsöverföring",
        "Risk att information om ändrad ordination inte når kvällspersonalen vid skiftbyte.",
    ),
    (
        FindingKind.SUCCESS_FACTOR,
        "Palliativ vård",
        "Gemensamma brytpunktssamtal med fast läkare ger trygghet i planeringen.",
    ),
    (
        FindingKind.DEFICIENCY,
        "Fall",
        "Fallriskbedömningar görs inte regelbundet vid förändrat hälsotillstånd.",
    ),
    (
        FindingKind.RISK,
        "Läkartillgänglighet",
        "Oklart vem som ska kontaktas när SÄBO-läkaren är på semester.",
    ),
    (
        FindingKind.SUCCESS_FACTOR,
        "Hygien",
        "Hygienombud på varje avdelning har minskat antalet avvikelser inom basala hygienrutiner.",
    ),
    (
        FindingKind.DEFICIENCY,
        "Nutrition",
        "Viktuppföljning saknar en gemensam rutin för när läkaren ska informeras.",
    ),
    (FindingKind.RISK, "Delegering", "Delegeringar förnyas inte i tid under sommarperioden."),
]
ACTIONS = [
    (
        "Ta fram en gemensam checklista för läkemedelsgenomgång.",
        Party.JOINT,
        ContactRole.HOME_PHYSICIAN,
    ),
    ("Inför rutin för överrapportering vid skiftbyte.", Party.CARE_HOME, ContactRole.NURSE),
    (
        "Utse ersättare för SÄBO-läkaren under semesterperioder.",
        Party.HEALTH_CENTRE,
        ContactRole.CENTRE_MANAGER,
    ),
    (
        "Schemalägg fallriskbedömning vid varje vårdplanering.",
        Party.CARE_HOME,
        ContactRole.PHYSIOTHERAPIST,
    ),
]


def is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count(Region.id))) == 0


def _email(name: str, domain: str) -> str:
    local_part = name.lower().replace(" ", ".")
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e")):
        local_part = local_part.replace(a, b)
    return f"{local_part}@{domain}.example.org"


class _People:
    """Hands out unique fictional names."""

    def __init__(self, rng: random.Random):
        self.names = [f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES]
        rng.shuffle(self.names)
        self.i = 0

    def next(self) -> str:
        name = self.names[self.i % len(self.names)]
        suffix = "" if self.i < len(self.names) else f" {self.i // len(self.names) + 1}"
        self.i += 1
        return name + suffix


def load_demo_data(today: date | None = None) -> dict[str, str]:
    """Create the demo region. Returns the demo logins (user name -> description)."""
    today = today or date.today()
    rng = random.Random(2026)
    people = _People(rng)
    ensure_default_catalogues()

    region = Region(name="Region Sörmland")
    db.session.add(region)
    db.session.add(
        Contact(
            name=people.next(),
            email="cheflakare@region-sormland.example.org",
            role=ContactRole.CHIEF_PHYSICIAN,
            region=region,
        )
    )

    centres = []
    for i, word in enumerate(CENTRE_WORDS):
        centre = HealthCentre(
            name=f"Demo-vårdcentralen {word}",
            region=region,
            operator=Operator.PRIVATE if i % 3 == 2 else Operator.PUBLIC,
            address=f"Exempelgatan {i + 1}",
        )
        db.session.add(centre)
        centres.append(centre)
        for role in (
            ContactRole.HOME_PHYSICIAN,
            ContactRole.HOME_PHYSICIAN,
            ContactRole.CENTRE_MANAGER,
        ):
            name = people.next()
            centre.contacts.append(
                Contact(
                    name=name,
                    email=_email(name, "vc"),
                    role=role,
                    phone=f"010-000 {i:02d} {len(centre.contacts):02d}",
                )
            )

    homes = []
    word_iter = iter(HOME_WORDS)
    for m_index, m_name in enumerate(MUNICIPALITIES):
        municipality = Municipality(name=m_name, region=region)
        db.session.add(municipality)
        for role in (ContactRole.MAS, ContactRole.MAR):
            name = people.next()
            db.session.add(
                Contact(
                    name=name, email=_email(name, "kommun"), role=role, municipality=municipality
                )
            )
        for h in range(HOMES_PER_MUNICIPALITY[m_name]):
            word = next(word_iter)
            home = CareHome(
                name=f"Demoboendet {word}",
                municipality=municipality,
                address=f"Påhittade vägen {h + 1}, {m_name}",
                health_centre=centres[(m_index + h) % len(centres)],
            )
            db.session.add(home)
            homes.append(home)
            roles = [
                ContactRole.UNIT_MANAGER,
                ContactRole.NURSE,
                ContactRole.NURSE,
                ContactRole.OCCUPATIONAL_THERAPIST,
                ContactRole.PHYSIOTHERAPIST,
            ]
            for role in roles:
                name = people.next()
                home.contacts.append(Contact(name=name, email=_email(name, "sabo"), role=role))
    db.session.flush()

    logins = _demo_users(region, homes, centres)
    _demo_dialogues(homes, today, rng)
    load_steering_demo(homes, today, rng)
    db.session.flush()
    return logins


def _demo_users(region, homes, centres) -> dict[str, str]:
    eskilstuna = next(h.municipality for h in homes if h.municipality.name == "Eskilstuna")
    managed = [h for h in homes if h.municipality_id == eskilstuna.id][:2]
    specs = [
        ("admin", "Demo Administratör", [UserScope(role=Role.ADMIN)], "administratör"),
        (
            "regional",
            "Demo Chefläkare",
            [UserScope(role=Role.REGIONAL, region_id=region.id)],
            "regional, Region Sörmland",
        ),
        (
            "mas",
            "Demo MAS Eskilstuna",
            [UserScope(role=Role.MUNICIPALITY, municipality_id=eskilstuna.id)],
            "kommun (MAS/MAR), Eskilstuna",
        ),
        (
            "enhetschef",
            "Demo Enhetschef",
            [UserScope(role=Role.UNIT_MANAGER, care_home_id=h.id) for h in managed],
            "enhetschef, " + " och ".join(h.name for h in managed),
        ),
        (
            "vardcentral",
            "Demo Verksamhetschef",
            [UserScope(role=Role.HEALTH_CENTRE, health_centre_id=centres[0].id)],
            f"vårdcentral, {centres[0].name}",
        ),
    ]
    logins = {}
    for username, name, scopes, description in specs:
        user = User(
            username=username, name=name, email=f"{username}@demo.example.org", scopes=scopes
        )
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        logins[username] = description
    db.session.flush()
    return logins


def _working_day(day: date) -> date:
    """The first day from `day` the planner would allow: no weekend, holiday, eve or blocked
    period (no demo dialogue on julafton)."""
    return next_bookable(day)


def _demo_dialogues(homes, today: date, rng: random.Random) -> None:
    areas = {a.name: a for a in db.session.scalars(sa.select(Area).where(Area.region_id.is_(None)))}
    organiser = db.session.scalar(sa.select(User).where(User.username == "enhetschef"))
    for i, home in enumerate(homes):
        # Last year: every home held its dialogue; most documented, one cancelled and rebooked.
        # Outside the blocked summer and Christmas periods, as the planner would have put them.
        last = _working_day(date(today.year - 1, (2, 3, 4, 5, 9, 10, 11)[i % 7], 1 + (i * 3) % 26))
        state = DialogueStatus.DOCUMENTED if i % 5 else DialogueStatus.HELD
        _make_dialogue(home, last, state, rng, areas, organiser)
        # This year: a mix of states, with some homes not yet planned.
        mode = i % 6
        if mode in (0, 1):
            day = _working_day(date(today.year, 2 + i % 4, 2 + i % 25))
            if day < today:
                _make_dialogue(home, day, DialogueStatus.DOCUMENTED, rng, areas, organiser)
        elif mode == 2:
            day = _working_day(date(today.year, 3 + i % 5, 5 + i % 20))
            if day < today:
                _make_dialogue(home, day, DialogueStatus.HELD, rng, areas, organiser)
        elif mode == 3:
            day = _working_day(today + timedelta(days=7 + i))
            if day.year == today.year:
                _make_dialogue(home, day, DialogueStatus.PLANNED, rng, areas, organiser)
        elif mode == 4:
            day = _working_day(today + timedelta(days=3 + i))
            if day.year == today.year:
                cancelled = _make_dialogue(
                    home, day, DialogueStatus.CANCELLED, rng, areas, organiser
                )
                cancelled.cancel_reason = "Lokalen var inte tillgänglig; ny tid bokas."
                cancelled.cancelled_at = now_utc()
        # mode 5: not yet planned


def _make_dialogue(home, day, status, rng, areas, organiser) -> Dialogue:
    start = time(9, 0) if rng.random() < 0.5 else time(13, 0)
    dialogue = Dialogue(
        care_home=home,
        health_centre=home.health_centre,
        year=day.year,
        starts_at=local_to_utc(day, start),
        ends_at=local_to_utc(day, time(start.hour + 2, 0)),
        location=f"Samlingssalen, {home.name}",
        status=status,
        organiser=organiser,
    )
    if status is DialogueStatus.CANCELLED:
        dialogue.cancelled_at = now_utc()
    contacts = list(home.contacts) + (
        list(home.health_centre.contacts) if home.health_centre else []
    )
    for contact in contacts:
        participant = participant_from_contact(contact)
        if status in (DialogueStatus.HELD, DialogueStatus.DOCUMENTED):
            participant.response = ResponseStatus.ACCEPTED
            participant.attendance = (
                Attendance.ATTENDED if rng.random() < 0.85 else Attendance.ABSENT
            )
            participant.invited_sequence = 0
        dialogue.participants.append(participant)
    db.session.add(dialogue)
    if status in (DialogueStatus.HELD, DialogueStatus.DOCUMENTED):
        dialogue.held_at = dialogue.ends_at
    if status is DialogueStatus.DOCUMENTED:
        dialogue.documented_at = dialogue.ends_at + timedelta(days=3)
        for kind, area_name, text in rng.sample(STRUCTURAL_FINDINGS, 3):
            finding = Finding(
                dialogue=dialogue,
                kind=kind,
                area=areas[area_name],
                description=text,
                concerns=rng.choice(list(Party)),
                spread_as_lesson=kind is FindingKind.SUCCESS_FACTOR,
                escalate=rng.random() < 0.2,
            )
            if finding.escalate:
                finding.escalated_at = dialogue.documented_at
            db.session.add(finding)
            if kind is not FindingKind.SUCCESS_FACTOR:
                what, party, role = rng.choice(ACTIONS)
                db.session.add(
                    Action(
                        dialogue=dialogue,
                        finding=finding,
                        description=what,
                        responsible_party=party,
                        responsible_role=role,
                        due_date=day + timedelta(days=rng.choice([60, 90, 180, 400])),
                        status=rng.choice(
                            [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.DONE]
                        ),
                    )
                )
    return dialogue
