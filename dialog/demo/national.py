"""A fictional country for benchmarks: `flask demo-data --scale national`.

21 regions, 290 municipalities, 1,200 health centres, 2,000 homes and ten years of dialogues
(about 20 findings and 10 actions each) with their audit history (booked, rebooked, cancelled,
held, documented, actions followed up), written in bulk: rows go to the driver in large
batches (SQLite executemany, PostgreSQL COPY), each value converted once by the column's own
SQLAlchemy type, so what is stored is what a Core insert would store.
Every name is invented ("Demoregion …", "Demokommun …", "Demoboendet …"); e-mail under
example.org; audit actors are fictional logins and the audit texts are structural. No patient
data.
"""

from __future__ import annotations

import functools
import operator
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
    AuditEntry,
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
from ..models.tallies import create_triggers, drop_triggers, rebuild_tally
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
# The tables with hundreds of thousands of rows: their indexes are built after the load.
BULK_TABLES = [
    Participant.__table__,
    Finding.__table__,
    Action.__table__,
    AuditEntry.__table__,
]


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


def _insert(table: sa.Table, rows: list[dict]) -> None:
    """Write plain rows through the session's own connection, in its transaction.

    Each value is converted once by its column's SQLAlchemy type (enums to their stored value,
    UTC timestamps, JSON) and columns left out get their Python default, as a Core insert would
    do; the rows then go to the driver in one batch: executemany on SQLite, COPY on PostgreSQL
    (psycopg 3). A Core insert's per-row parameter handling cost more than the writing."""
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    fixed = {}
    for column in table.columns:
        if column.name in names or column.default is None or column.primary_key:
            continue
        default = column.default
        fixed[column.name] = default.arg(None) if default.is_callable else default.arg
    columns = [table.c[name] for name in names] + [table.c[name] for name in fixed]
    # One tuple per row, each value converted by its column's type as a Core insert would.
    converters = {}
    for column in columns:
        processor = column.type._cached_bind_processor(dialect)
        if processor is not None:
            converters[column.name] = _converter(column.type, processor)
    extra = tuple(converters[n](v) if n in converters else v for n, v in fixed.items())
    values = list(map(_row_maker(names, converters, extra), rows))
    quoted = ", ".join(dialect.identifier_preparer.quote(c.name) for c in columns)
    name = dialect.identifier_preparer.format_table(table)
    raw = connection.connection.driver_connection
    if dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
            for value in values:
                copy.write_row(value)
        return
    marks = ", ".join("?" for _ in columns)
    cursor = raw.cursor()
    try:
        for i in range(0, len(values), CHUNK):
            cursor.executemany(
                f"INSERT INTO {name} ({quoted}) VALUES ({marks})", values[i : i + CHUNK]
            )
    finally:
        cursor.close()


def _row_maker(names: list[str], converters: dict, extra: tuple):
    """A function from a row dict to the driver's row, built once per table: a column with a
    converter is passed through it, the rest are taken as they are, the (converted) defaults
    appended."""
    plain = operator.itemgetter(*names) if len(names) > 1 else (lambda r: (r[names[0]],))
    if not converters:
        return lambda row: plain(row) + extra
    steps = [(i, converters[n]) for i, n in enumerate(names) if n in converters]

    def make(row):
        value = [*plain(row), *extra]
        for i, convert in steps:
            value[i] = convert(value[i])
        return value

    return make


def _converter(type_, processor):
    """The column's converter, made cheap: an enum's stored values looked up in a dict built
    from the type's own converter, any other hashable value converted once per distinct value
    (flags and the shared timestamps repeat hundreds of thousands of times); JSON as it is."""
    if isinstance(type_, sa.JSON):
        return processor
    if isinstance(type_, sa.Enum) and type_.enum_class is not None:
        stored = {member: processor(member) for member in type_.enum_class} | {None: None}
        return stored.__getitem__
    seen: dict = {}
    missing = object()

    def convert(value):
        found = seen.get(value, missing)
        if found is missing:
            found = seen[value] = processor(value)
        return found

    return convert


@functools.lru_cache(maxsize=32)
def _bookable_days(year: int) -> frozenset[date]:
    """The days of a year a demo dialogue may fall on (the planner's rules, December out)."""
    first = date(year, 1, 1)
    days = (first + timedelta(days=n) for n in range(366))
    return frozenset(d for d in days if d.year == year and d.month != 12 and is_bookable(d))


def _working_day(rng: random.Random, year: int) -> date:
    bookable = _bookable_days(year)
    while True:
        day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        if day in bookable:
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
    users = []
    for username, name, scope in specs:
        user = User(
            username=username, name=name, email=f"{username}@demo.example.org", scopes=[scope]
        )
        if users:  # one password, hashed once (scrypt is slow on purpose)
            user.password_hash = users[0].password_hash
        else:
            user.set_password(PASSWORD)
        db.session.add(user)
        users.append(user)
    db.session.flush()
    actors = _Actors({u.username: u.id for u in users})

    # --- dialogues, year by year ----------------------------------------------------------
    totals = {"dialogues": 0, "participants": 0, "findings": 0, "actions": 0, "audit_entries": 0}
    ids = {"dialogue": 0, "participant": 0, "finding": 0, "action": 0}
    now = datetime.now(UTC)
    # The audit history draws from its own generator: the rest of the data stays as it was.
    audit_rng = random.Random(seed + 1)
    latest = min(now, _utc(today, 23))  # nothing is logged after the build's "today"
    region_of = {m["id"]: m["region_id"] for m in municipality_rows}
    parties, action_roles = list(Party), home_roles + centre_roles  # built once, drawn from often
    first_year = today.year - years + 1
    dropped = _drop_indexes(BULK_TABLES)
    # The findings' tally is counted once after the load, not by a trigger per row.
    drop_triggers(db.session.connection())
    for year in range(first_year, today.year + 1):
        dialogues, participants, findings, actions, audit = [], [], [], [], []
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
            attended = {}
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
                if attendance is not None:
                    attended[f"{name} ({role.label})"] = [None, attendance.value]
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
            where = (region_of[h["municipality_id"]], h["municipality_id"], h["id"])
            audit += _dialogue_history(audit_rng, actors, dialogues[-1], h, where, attended, latest)
            if status is not DialogueStatus.DOCUMENTED:
                continue
            first_action = len(actions)
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
                concerns = rng.choice(parties)
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
                        "responsible_party": rng.choice(parties),
                        "responsible_role": rng.choice(action_roles),
                        "due_date": due,
                        "status": status,
                        "completed_at": (
                            _utc(min(due, today), 12) if status is ActionStatus.DONE else None
                        ),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            audit += _action_history(
                audit_rng, actors, dialogues[-1], actions[first_action:], h, where, latest
            )
        _insert(Dialogue.__table__, dialogues)
        _insert(Participant.__table__, participants)
        _insert(Finding.__table__, findings)
        _insert(Action.__table__, actions)
        _insert(AuditEntry.__table__, audit)
        for key, rows in (
            ("dialogues", dialogues),
            ("participants", participants),
            ("findings", findings),
            ("actions", actions),
            ("audit_entries", audit),
        ):
            totals[key] += len(rows)
        echo(
            f"{year}: {len(dialogues)} dialoger, {len(findings)} fynd, {len(actions)} åtgärder, "
            f"{len(audit)} loggposter "
            f"({(datetime.now() - started).total_seconds():.0f} s)"
        )

    _create_indexes(dropped)
    rebuild_tally(db.session.connection())
    create_triggers(db.session.connection())
    _reset_sequences()
    echo(
        f"Klart på {(datetime.now() - started).total_seconds():.0f} s: "
        + ", ".join(f"{v} {k}" for k, v in totals.items())
        + f". Inloggningar: admin, regional, mas, enhetschef, vardcentral (lösenord: {PASSWORD})."
    )
    return totals


class _Actors:
    """Fictional logins for the audit history: each home's unit manager, each centre's manager.
    Home 1 and centre 1 are the demo logins enhetschef and vardcentral, so their own history
    carries their account."""

    def __init__(self, user_ids: dict[str, int]):
        self.user_ids = user_ids

    def home(self, home_id: int) -> tuple[str, int | None]:
        if home_id == 1:
            return "enhetschef", self.user_ids["enhetschef"]
        return f"enhetschef.{home_id}", None

    def centre(self, centre_id: int) -> tuple[str, int | None]:
        if centre_id == 1:
            return "vardcentral", self.user_ids["vardcentral"]
        return f"vardcentral.{centre_id}", None


def _entry(at, actor, action, object_type, object_id, where, summary="", changes=None) -> dict:
    region_id, municipality_id, care_home_id = where
    return {
        "at": at,
        "user_id": actor[1],
        "actor": actor[0],
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "summary": summary[:300],
        "changes": changes or {},
        "region_id": region_id,
        "municipality_id": municipality_id,
        "care_home_id": care_home_id,
    }


def _dialogue_history(rng, actors, d: dict, home: dict, where, attended, latest) -> list[dict]:
    """What the services would have logged for one dialogue: booked (sometimes rebooked),
    cancelled, or attendance recorded with the dialogue held, and documented. The same verbs
    and the same kind of changes as dialog/dialogues and dialog/findings write."""
    starts, ends = d["starts_at"], d["ends_at"]
    actor = actors.home(home["id"])
    entries = []
    booked_at = min(starts - timedelta(days=rng.randint(21, 120), hours=rng.randint(0, 8)), latest)
    first_starts = starts
    rebooked = rng.random() < 0.12
    if rebooked:
        first_starts = starts - timedelta(days=rng.choice((-14, -7, 7, 14)))
    entries.append(
        _entry(
            booked_at,
            actor,
            "bokade dialog",
            "Dialogue",
            d["id"],
            where,
            f"{home['name']} {first_starts.astimezone(STOCKHOLM).date().isoformat()}",
            {
                "year": d["year"],
                "starts_at": first_starts.isoformat(),
                "ends_at": (first_starts + (ends - starts)).isoformat(),
                "location": d["location"],
                "video_link": d["video_link"],
                "health_centre_id": d["health_centre_id"],
            },
        )
    )
    if rebooked:
        moved_at = booked_at + (min(first_starts, starts, latest) - booked_at) / 2
        entries.append(
            _entry(
                max(moved_at, booked_at),
                actor,
                "bokade om dialog",
                "Dialogue",
                d["id"],
                where,
                changes={
                    "starts_at": [first_starts.isoformat(), starts.isoformat()],
                    "ends_at": [(first_starts + (ends - starts)).isoformat(), ends.isoformat()],
                },
            )
        )
    status = d["status"]
    if status is DialogueStatus.CANCELLED:
        entries.append(
            _entry(
                min(d["cancelled_at"], latest),
                actor,
                "ställde in dialog",
                "Dialogue",
                d["id"],
                where,
                changes={
                    "status": ["planerad", "installd"],
                    "cancel_reason": [None, d["cancel_reason"]],
                },
            )
        )
    if d["held_at"] is not None:
        entries.append(
            _entry(
                min(d["held_at"] + timedelta(minutes=rng.randint(5, 240)), latest),
                actor,
                "registrerade närvaro",
                "Dialogue",
                d["id"],
                where,
                changes=attended | {"status": ["planerad", "genomford"]},
            )
        )
    if d["documented_at"] is not None:
        entries.append(
            _entry(
                min(d["documented_at"], latest),
                actor,
                "markerade dialog som dokumenterad",
                "Dialogue",
                d["id"],
                where,
                changes={"status": ["genomford", "dokumenterad"]},
            )
        )
    return entries


def _action_history(rng, actors, d: dict, actions: list[dict], home, where, latest) -> list:
    """One or two of a documented dialogue's actions followed up during the year: started,
    or done (by the side responsible for it)."""
    moved = [a for a in actions if a["status"] in (ActionStatus.IN_PROGRESS, ActionStatus.DONE)]
    if not moved:
        return []
    entries = []
    for action in rng.sample(moved, min(len(moved), rng.choice((1, 1, 2)))):
        actor = (
            actors.centre(home["health_centre_id"])
            if action["responsible_party"] is Party.HEALTH_CENTRE
            else actors.home(home["id"])
        )
        begun = d["documented_at"] + timedelta(days=rng.randint(7, 45))
        if action["status"] is ActionStatus.DONE:
            at = max(action["completed_at"], d["documented_at"])
            changes = {"status": [ActionStatus.IN_PROGRESS.value, ActionStatus.DONE.value]}
        else:
            at = begun
            changes = {"status": [ActionStatus.NOT_STARTED.value, ActionStatus.IN_PROGRESS.value]}
        entries.append(
            _entry(
                min(at, latest),
                actor,
                "följde upp åtgärd",
                "Action",
                action["id"],
                where,
                action["description"][:120],
                changes | {"efter_dokumentation": [None, True]},
            )
        )
    return entries


def analyze() -> None:
    """Refresh the planner statistics after a bulk load; run after the load has committed.

    On PostgreSQL also VACUUM, as its manual advises after a bulk load: it sets the visibility
    map, without which no index-only scan skips the table (the escalation counts read 3,000
    table pages instead of none), and it spares the benchmarks an autovacuum that would
    otherwise start within a minute and change the plans half-way through a run."""
    if db.engine.dialect.name == "postgresql":
        # VACUUM refuses to run inside a transaction block.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
        return
    # In a transaction of its own that commits: on SQLite the app's own BEGIN (database.py)
    # would otherwise hold the statistics in a transaction that is never committed.
    with db.engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))


def _drop_indexes(tables) -> list:
    """Drop the plain (non-unique) indexes of the big tables for the load, and on PostgreSQL
    their foreign keys too: building an index, or checking a key, once over all the rows is
    far cheaper than row by row. In the load's own transaction (both databases have
    transactional DDL), so a failed build keeps them; SQLite checks its keys as it goes."""
    connection = db.session.connection()
    dropped = []
    for table in tables:
        for index in sorted(table.indexes, key=lambda i: i.name):
            if not index.unique:
                index.drop(connection)
                dropped.append(index)
        if connection.dialect.name == "postgresql":
            for key in sorted(table.foreign_key_constraints, key=lambda k: k.name):
                connection.execute(sa.schema.DropConstraint(key))
                dropped.append(key)
    return dropped


def _create_indexes(dropped: list) -> None:
    """The dropped indexes and keys again, exactly as the models define them (a key is checked
    over every row as it is added back)."""
    connection = db.session.connection()
    for item in dropped:
        if isinstance(item, sa.Index):
            item.create(connection)
        else:
            connection.execute(sa.schema.AddConstraint(item))


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
