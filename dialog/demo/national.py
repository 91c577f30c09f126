"""A fictional country for benchmarks: `flask demo-data --scale national`.

21 regions, 290 municipalities, 1,200 health centres, 2,000 homes and ten years of dialogues
(about 20 findings and 10 actions each), written with bulk Core inserts in a few minutes.
Every name is invented ("Demoregion …", "Demokommun …", "Demoboendet …"); e-mail under
example.org. No patient data.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from ..catalogues import ensure_default_catalogues
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
    Participant,
    Party,
    PlanArea,
    Region,
    ResponseStatus,
    Role,
    Side,
    User,
    UserScope,
)
from ..planning import is_bookable
from ..timeutil import STOCKHOLM
from . import DEMO_PASSWORD as PASSWORD

REGIONS = 21
MUNICIPALITIES = 290
CENTRES = 1200
HOMES = 2000
YEARS = 10
FINDINGS_PER_DIALOGUE = 20
ACTIONS_PER_DIALOGUE = 10

REGION_WORDS = [
    "Norrfjäll",
    "Älvdalen",
    "Skogsbygd",
    "Kustland",
    "Mellanslätt",
    "Sjöriket",
    "Bergslagen Demo",
    "Östersand",
    "Västerhav",
    "Sydslätt",
    "Granmark",
    "Myrland",
    "Ådalen Demo",
    "Höglandet",
    "Ekbygd",
    "Ljungmark",
    "Havsbandet",
    "Dalgången",
    "Åsryggen",
    "Fjärdland",
    "Slättbygd",
]
SYLLABLES = [
    "Bro",
    "Ek",
    "Ås",
    "Lind",
    "Sjö",
    "Berg",
    "Dal",
    "Holm",
    "Vik",
    "Hed",
    "Mo",
    "Näs",
    "Tor",
    "Lund",
    "Sand",
    "Fors",
    "Ång",
    "Björk",
    "Hag",
    "Rud",
]
SUFFIXES = ["by", "sund", "köping", "ås", "stad", "vik", "hult", "fors", "berga", "tuna"]
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
    "Blåklinten",
]
PHRASES = {
    FindingKind.DEFICIENCY: [
        "Rutinen för {a} följs inte lika på alla avdelningar.",
        "Dokumentationen inom {a} är ofullständig mellan parterna.",
        "Ansvarsfördelningen inom {a} är oklar vid helger.",
    ],
    FindingKind.RISK: [
        "Risk att information om {a} inte når kvällspersonalen.",
        "Risk för fördröjd bedömning inom {a} under semesterperioder.",
        "Risk att uppföljningen av {a} faller mellan stolarna.",
    ],
    FindingKind.SUCCESS_FACTOR: [
        "Gemensam genomgång av {a} varje månad ger trygghet.",
        "Ombud för {a} på varje avdelning har gett resultat.",
        "Fast kontaktperson för {a} underlättar samarbetet.",
    ],
}
ACTION_TEXTS = [
    "Ta fram en gemensam rutin för {a}.",
    "Utbilda personalen inom {a}.",
    "Följ upp {a} vid nästa samverkansmöte.",
    "Utse ansvarig för {a} på varje enhet.",
]
CHUNK = 20000


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SYLLABLES) + rng.choice(SUFFIXES).lower()
        if name not in used:
            used.add(name)
            return name
        name = f"{name} {len(used)}"
        if name not in used:
            used.add(name)
            return name


def _insert(table, rows: list[dict]) -> None:
    for i in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(table), rows[i : i + CHUNK])


def _working_day(rng: random.Random, year: int) -> date:
    while True:
        day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        if is_bookable(day) and day.month != 12:
            return day


def _utc(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=STOCKHOLM).astimezone(UTC)


def build_national(
    echo=print,
    *,
    years: int = YEARS,
    homes: int = HOMES,
    today: date | None = None,
    seed: int = 2026,
) -> dict:
    """Build the fictional country into an empty database, in the caller's transaction (the
    edge commits, then calls analyze()). Returns counts of what was made."""
    today = today or datetime.now(STOCKHOLM).date()
    rng = random.Random(seed)
    started = datetime.now()
    ensure_default_catalogues()
    db.session.flush()
    areas = list(
        db.session.execute(sa.select(Area.id, Area.name).where(Area.region_id.is_(None))).all()
    )
    plan_ids = list(db.session.scalars(sa.select(PlanArea.id)))

    # --- registers ------------------------------------------------------------------------
    region_rows = [
        {"id": i + 1, "name": f"Demoregion {REGION_WORDS[i]}", "active": True}
        for i in range(REGIONS)
    ]
    used: set[str] = set()
    municipality_rows = [
        {
            "id": i + 1,
            "name": f"Demokommun {_name(rng, used)}",
            "region_id": i % REGIONS + 1,
            "active": True,
        }
        for i in range(MUNICIPALITIES)
    ]
    centre_rows = [
        {
            "id": i + 1,
            "name": f"Demo-vårdcentralen {_name(rng, used)}",
            "region_id": i % REGIONS + 1,
            "active": True,
            "operator": Operator.PRIVATE if i % 3 == 2 else Operator.PUBLIC,
            "address": f"Exempelgatan {i % 90 + 1}",
        }
        for i in range(CENTRES)
    ]
    centres_by_region: dict[int, list[int]] = {}
    for c in centre_rows:
        centres_by_region.setdefault(c["region_id"], []).append(c["id"])
    home_rows = []
    for i in range(homes):
        m = municipality_rows[i % MUNICIPALITIES]
        home_rows.append(
            {
                "id": i + 1,
                "name": f"Demoboendet {HOME_WORDS[i % 20]} {i + 1}",
                "municipality_id": m["id"],
                "active": i % 97 != 5,
                "health_centre_id": rng.choice(centres_by_region[m["region_id"]]),
                "address": f"Påhittade vägen {i % 50 + 1}",
            }
        )
    _insert(Region.__table__, region_rows)
    _insert(Municipality.__table__, municipality_rows)
    _insert(HealthCentre.__table__, centre_rows)
    _insert(CareHome.__table__, home_rows)

    home_roles = [
        ContactRole.UNIT_MANAGER,
        ContactRole.NURSE,
        ContactRole.OCCUPATIONAL_THERAPIST,
        ContactRole.PHYSIOTHERAPIST,
    ]
    centre_roles = [ContactRole.HOME_PHYSICIAN, ContactRole.CENTRE_MANAGER]
    contact_rows = []
    for h in home_rows:
        for role in home_roles:
            contact_rows.append(
                {
                    "id": len(contact_rows) + 1,
                    "care_home_id": h["id"],
                    "health_centre_id": None,
                    "role": role,
                    "name": f"Demo {role.label} {h['id']}",
                    "email": f"{role.value}.{h['id']}@sabo.example.org",
                    "phone": "",
                    "active": True,
                }
            )
    for c in centre_rows:
        for role in centre_roles:
            contact_rows.append(
                {
                    "id": len(contact_rows) + 1,
                    "care_home_id": None,
                    "health_centre_id": c["id"],
                    "role": role,
                    "name": f"Demo {role.label} VC {c['id']}",
                    "email": f"{role.value}.{c['id']}@vc.example.org",
                    "phone": "",
                    "active": True,
                }
            )
    _insert(Contact.__table__, contact_rows)
    echo(
        f"Register: {REGIONS} regioner, {MUNICIPALITIES} kommuner, {CENTRES} vårdcentraler, "
        f"{homes} boenden, {len(contact_rows)} kontakter."
    )

    # --- users ----------------------------------------------------------------------------
    specs = [
        ("admin", "Demo Administratör", UserScope(role=Role.ADMIN)),
        ("regional", "Demo Chefläkare", UserScope(role=Role.REGIONAL, region_id=1)),
        ("mas", "Demo MAS", UserScope(role=Role.MUNICIPALITY, municipality_id=1)),
        ("enhetschef", "Demo Enhetschef", UserScope(role=Role.UNIT_MANAGER, care_home_id=1)),
        ("vardcentral", "Demo Vårdcentral", UserScope(role=Role.HEALTH_CENTRE, health_centre_id=1)),
    ]
    for username, name, scope in specs:
        user = User(
            username=username, name=name, email=f"{username}@demo.example.org", scopes=[scope]
        )
        user.set_password(PASSWORD)
        db.session.add(user)
    db.session.flush()

    # --- dialogues, year by year ----------------------------------------------------------
    totals = {"dialogues": 0, "participants": 0, "findings": 0, "actions": 0}
    ids = {"dialogue": 0, "participant": 0, "finding": 0, "action": 0}
    now = datetime.now(UTC)
    first_year = today.year - years + 1
    for year in range(first_year, today.year + 1):
        dialogues, participants, findings, actions = [], [], [], []
        for h in home_rows:
            if not h["active"] and year == today.year:
                continue
            roll = rng.random()
            if roll < 0.03:
                continue  # no dialogue this year: a gap in coverage
            day = _working_day(rng, year)
            if day < today:
                status = (
                    DialogueStatus.CANCELLED
                    if roll < 0.05
                    else (DialogueStatus.HELD if roll < 0.15 else DialogueStatus.DOCUMENTED)
                )
            else:
                status = DialogueStatus.PLANNED
            hour = 9 if rng.random() < 0.5 else 13
            ids["dialogue"] += 1
            did = ids["dialogue"]
            starts = _utc(day, hour)
            held = status in (DialogueStatus.HELD, DialogueStatus.DOCUMENTED)
            dialogues.append(
                {
                    "id": did,
                    "care_home_id": h["id"],
                    "health_centre_id": h["health_centre_id"],
                    "year": year,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                    "location": "Samlingssalen",
                    "video_link": "",
                    "status": status,
                    "cancel_reason": "Lokalen var inte tillgänglig."
                    if status is DialogueStatus.CANCELLED
                    else "",
                    "cancelled_at": starts - timedelta(days=7)
                    if status is DialogueStatus.CANCELLED
                    else None,
                    "held_at": starts + timedelta(hours=2) if held else None,
                    "documented_at": starts + timedelta(days=3)
                    if status is DialogueStatus.DOCUMENTED
                    else None,
                    "organiser_id": None,
                    "calendar_uid": f"{uuid.UUID(int=rng.getrandbits(128))}@patientsakerhetsdialog",
                    "calendar_sequence": 0,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            people = [
                (
                    role,
                    Side.CARE_HOME,
                    f"{role.value}.{h['id']}@sabo.example.org",
                    f"Demo {role.label} {h['id']}",
                )
                for role in home_roles[:3]
            ]
            people += [
                (
                    role,
                    Side.HEALTH_CENTRE,
                    f"{role.value}.{h['health_centre_id']}@vc.example.org",
                    f"Demo {role.label} VC {h['health_centre_id']}",
                )
                for role in centre_roles
            ]
            for role, side, email, name in people:
                ids["participant"] += 1
                r = rng.random()
                attendance = None
                if held:
                    attendance = (
                        Attendance.ATTENDED
                        if r < 0.86
                        else Attendance.STAND_IN
                        if r < 0.9
                        else Attendance.ABSENT
                    )
                participants.append(
                    {
                        "id": ids["participant"],
                        "dialogue_id": did,
                        "contact_id": None,
                        "name": name,
                        "email": email,
                        "role": role,
                        "side": side,
                        "response": ResponseStatus.ACCEPTED
                        if held
                        else ResponseStatus.NEEDS_ACTION,
                        "response_comment": "",
                        "responded_at": None,
                        "stand_in_for_id": None,
                        "invited_sequence": 0,
                        "removed_at": None,
                        "attendance": attendance,
                        "created_at": now,
                    }
                )
            if status is not DialogueStatus.DOCUMENTED:
                continue
            n_findings = rng.randint(FINDINGS_PER_DIALOGUE - 4, FINDINGS_PER_DIALOGUE + 4)
            dialogue_findings = []
            for _ in range(n_findings):
                ids["finding"] += 1
                kind = rng.choice(
                    (FindingKind.DEFICIENCY, FindingKind.RISK, FindingKind.SUCCESS_FACTOR)
                )
                area_id, area_name = rng.choice(areas)
                plan_area_id = rng.choice(plan_ids) if rng.random() < 0.8 else None
                description = rng.choice(PHRASES[kind]).format(a=area_name.lower())
                concerns = rng.choice(list(Party))
                lesson = kind is FindingKind.SUCCESS_FACTOR and rng.random() < 0.3
                escalate = kind is not FindingKind.SUCCESS_FACTOR and rng.random() < 0.02
                findings.append(
                    {
                        "id": ids["finding"],
                        "dialogue_id": did,
                        "kind": kind,
                        "area_id": area_id,
                        "plan_area_id": plan_area_id,
                        "description": description,
                        "concerns": concerns,
                        "spread_as_lesson": lesson,
                        "escalate": escalate,
                        "escalated_at": starts + timedelta(days=3) if escalate else None,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                if kind is not FindingKind.SUCCESS_FACTOR:
                    dialogue_findings.append((ids["finding"], area_name))
            n_actions = rng.randint(ACTIONS_PER_DIALOGUE - 3, ACTIONS_PER_DIALOGUE + 3)
            for _ in range(n_actions):
                ids["action"] += 1
                finding_id, area_name = (
                    rng.choice(dialogue_findings) if dialogue_findings else (None, "samverkan")
                )
                due = day + timedelta(days=rng.choice((60, 90, 180, 365)))
                age = (today - due).days
                r = rng.random()
                if age > 365:
                    status = (
                        ActionStatus.DONE
                        if r < 0.9
                        else (ActionStatus.CANCELLED if r < 0.95 else ActionStatus.IN_PROGRESS)
                    )
                else:
                    status = (
                        ActionStatus.DONE
                        if r < 0.4
                        else (ActionStatus.IN_PROGRESS if r < 0.75 else ActionStatus.NOT_STARTED)
                    )
                actions.append(
                    {
                        "id": ids["action"],
                        "dialogue_id": did,
                        "finding_id": finding_id,
                        "description": rng.choice(ACTION_TEXTS).format(a=area_name.lower()),
                        "responsible_party": rng.choice(list(Party)),
                        "responsible_role": rng.choice(home_roles + centre_roles),
                        "due_date": due,
                        "status": status,
                        "completed_at": (
                            _utc(min(due, today), 12) if status is ActionStatus.DONE else None
                        ),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        _insert(Dialogue.__table__, dialogues)
        _insert(Participant.__table__, participants)
        _insert(Finding.__table__, findings)
        _insert(Action.__table__, actions)
        for key, rows in (
            ("dialogues", dialogues),
            ("participants", participants),
            ("findings", findings),
            ("actions", actions),
        ):
            totals[key] += len(rows)
        echo(
            f"{year}: {len(dialogues)} dialoger, {len(findings)} fynd, {len(actions)} åtgärder "
            f"({(datetime.now() - started).total_seconds():.0f} s)"
        )

    _reset_sequences()
    echo(
        f"Klart på {(datetime.now() - started).total_seconds():.0f} s: "
        + ", ".join(f"{v} {k}" for k, v in totals.items())
        + f". Inloggningar: admin, regional, mas, enhetschef, vardcentral (lösenord: {PASSWORD})."
    )
    return totals


def analyze() -> None:
    """Refresh the planner statistics after a bulk load; run after the load has committed."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))


def _reset_sequences() -> None:
    """Explicit ids were inserted; on PostgreSQL move the id sequences past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in (
        "region",
        "municipality",
        "health_centre",
        "care_home",
        "contact",
        "dialogue",
        "participant",
        "finding",
        "action",
    ):
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
            )
        )
