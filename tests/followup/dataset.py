"""A small follow-up dataset on top of the test world (ids only; all names fictional).

  a1 (A, alfa): 2025 documented, full representation; 2026 documented, nurse absent
  a2 (A, alfa): 2025 cancelled; 2026 planned (September)
  b1 (B, beta): 2026 held in October (physician came as a stand-in: still full)
  c1 (C, gamma, region Syd): 2026 documented, the physician absent
Descriptions carry a marker of their municipality so scope leaks are easy to find.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

import sqlalchemy as sa

from dialog.dialogues.services import participant_from_contact
from dialog.extensions import db
from dialog.models import (
    Action,
    ActionStatus,
    Area,
    Attendance,
    CareHome,
    Contact,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    Party,
    PlanArea,
    ResponseStatus,
)
from dialog.timeutil import local_to_utc

PAST = date(2020, 1, 31)  # an open action due then is overdue
FUTURE = date(2099, 12, 31)  # an open action due then is not


@dataclass
class Data:
    dialogues: dict[str, int] = field(default_factory=dict)


def _dialogue(world, home_key, day, status, absent=(), stand_in=()):
    home = db.session.get(CareHome, world.homes[home_key])
    start = local_to_utc(day, time(13, 0))
    d = Dialogue(
        care_home=home,
        health_centre_id=home.health_centre_id,
        year=day.year,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="Rummet",
        status=status,
    )
    contacts = db.session.scalars(
        sa.select(Contact)
        .where(
            sa.or_(
                Contact.care_home_id == home.id, Contact.health_centre_id == home.health_centre_id
            )
        )
        .order_by(Contact.id)
    ).all()
    held = status in (DialogueStatus.HELD, DialogueStatus.DOCUMENTED)
    for contact in contacts:
        p = participant_from_contact(contact)
        if held:
            p.response = ResponseStatus.ACCEPTED
            p.attendance = (
                Attendance.ABSENT
                if contact.role.value in absent
                else Attendance.STAND_IN
                if contact.role.value in stand_in
                else Attendance.ATTENDED
            )
        d.participants.append(p)
    if held:
        d.held_at = d.ends_at
    if status is DialogueStatus.DOCUMENTED:
        d.documented_at = d.ends_at + timedelta(days=2)
    if status is DialogueStatus.CANCELLED:
        d.cancel_reason = "Lokalen var upptagen."
        d.cancelled_at = d.starts_at - timedelta(days=5)
    db.session.add(d)
    db.session.flush()
    return d


def build(world) -> Data:
    areas = {a.name: a for a in db.session.scalars(sa.select(Area))}
    plan = db.session.scalars(sa.select(PlanArea).order_by(PlanArea.sort_order)).all()
    data = Data()

    def finding(d, kind, area, text, *, plan_area=None, lesson=False, escalate=False):
        f = Finding(
            dialogue_id=d.id,
            kind=kind,
            area=areas[area],
            description=text,
            plan_area=plan_area,
            spread_as_lesson=lesson,
            escalate=escalate,
            concerns=Party.JOINT,
        )
        db.session.add(f)
        db.session.flush()
        return f

    def action(d, party, status, due, text, f=None):
        db.session.add(
            Action(
                dialogue_id=d.id,
                finding_id=f.id if f else None,
                description=text,
                responsible_party=party,
                status=status,
                due_date=due,
            )
        )

    d1 = _dialogue(world, "a1", date(2025, 3, 11), DialogueStatus.DOCUMENTED)
    f = finding(
        d1,
        FindingKind.RISK,
        "Läkemedel",
        "Kommun-A-markör: ordinationer når inte kvällen.",
        plan_area=plan[0],
    )
    finding(d1, FindingKind.DEFICIENCY, "Fall", "Kommun-A-markör: fallrutin saknas.")
    finding(
        d1,
        FindingKind.SUCCESS_FACTOR,
        "Hygien",
        "Kommun-A-markör: hygienombud fungerar.",
        lesson=True,
    )
    action(d1, Party.JOINT, ActionStatus.DONE, date(2025, 6, 1), "Kommun-A-markör: checklista.", f)
    action(d1, Party.CARE_HOME, ActionStatus.NOT_STARTED, PAST, "Kommun-A-markör: fallrutin.")

    d2 = _dialogue(
        world, "a1", date(2026, 3, 10), DialogueStatus.DOCUMENTED, absent=("sjukskoterska",)
    )
    finding(
        d2,
        FindingKind.RISK,
        "Läkemedel",
        "Kommun-A-markör: läkemedelslistor skiljer sig.",
        plan_area=plan[0],
    )
    finding(
        d2,
        FindingKind.SUCCESS_FACTOR,
        "Palliativ vård",
        "Kommun-A-markör: brytpunktssamtal med fast läkare ger trygghet.",
        lesson=True,
        plan_area=plan[5],
    )
    f = finding(
        d2,
        FindingKind.DEFICIENCY,
        "Nutrition",
        "Kommun-A-markör: viktuppföljning brister.",
        escalate=True,
    )
    action(d2, Party.HEALTH_CENTRE, ActionStatus.IN_PROGRESS, FUTURE, "Kommun-A-markör: vikt.", f)
    action(d2, Party.CARE_HOME, ActionStatus.DONE, date(2026, 5, 1), "Kommun-A-markör: rutin.")
    action(d2, Party.REGION, ActionStatus.CANCELLED, None, "Kommun-A-markör: avbruten.")

    d3 = _dialogue(world, "a2", date(2026, 9, 15), DialogueStatus.PLANNED)
    d6 = _dialogue(world, "a2", date(2025, 5, 12), DialogueStatus.CANCELLED)

    d4 = _dialogue(world, "b1", date(2026, 10, 6), DialogueStatus.HELD, stand_in=("sabo_lakare",))
    f = finding(
        d4,
        FindingKind.RISK,
        "Delegering",
        "Kommun-B-markör: delegeringar förnyas sent.",
        escalate=True,
        plan_area=plan[6],
    )
    action(d4, Party.JOINT, ActionStatus.NOT_STARTED, PAST, "Kommun-B-markör: delegeringsplan.", f)

    d5 = _dialogue(
        world, "c1", date(2026, 2, 10), DialogueStatus.DOCUMENTED, absent=("sabo_lakare",)
    )
    f = finding(d5, FindingKind.DEFICIENCY, "Läkemedel", "Kommun-C-markör: dosett saknas.")
    finding(
        d5, FindingKind.SUCCESS_FACTOR, "Hygien", "Kommun-C-markör: lärdom om hygien.", lesson=True
    )
    action(d5, Party.CARE_HOME, ActionStatus.IN_PROGRESS, PAST, "Kommun-C-markör: dosett.", f)
    db.session.commit()
    data.dialogues = {"d1": d1.id, "d2": d2.id, "d3": d3.id, "d4": d4.id, "d5": d5.id, "d6": d6.id}
    return data


def independent_figures(
    region_names: set[str] | None, municipality_names: set[str] | None, year: int, today: date
) -> dict:
    """The figures computed straight from the raw rows with SQL text and plain Python."""
    rows = db.session.execute(
        sa.text(
            "SELECT d.id, d.status, d.year, m.name AS muni, r.name AS region "
            "FROM dialogue d JOIN care_home h ON h.id = d.care_home_id "
            "JOIN municipality m ON m.id = h.municipality_id JOIN region r ON r.id = m.region_id"
        )
    ).all()

    def wanted(r):
        return (region_names is None or r.region in region_names) and (
            municipality_names is None or r.muni in municipality_names
        )

    ds = {r.id: r for r in rows if wanted(r) and r.year == year}
    out = {
        "booked": sum(1 for r in ds.values() if r.status != "installd"),
        "held": sum(1 for r in ds.values() if r.status in ("genomford", "dokumenterad")),
        "documented": sum(1 for r in ds.values() if r.status == "dokumenterad"),
        "cancelled": sum(1 for r in ds.values() if r.status == "installd"),
    }
    kinds = {"brist": 0, "risk": 0, "framgangsfaktor": 0}
    for dialogue_id, kind in db.session.execute(sa.text("SELECT dialogue_id, kind FROM finding")):
        if dialogue_id in ds:
            kinds[kind] += 1
    out["findings"] = kinds
    acts = {"open": 0, "overdue": 0, "done": 0, "cancelled": 0, "total": 0}
    for dialogue_id, status, due in db.session.execute(
        sa.text("SELECT dialogue_id, status, due_date FROM action")
    ):
        if dialogue_id not in ds:
            continue
        if isinstance(due, str):
            due = date.fromisoformat(due)
        acts["total"] += 1
        if status in ("ej_paborjad", "pagar"):
            acts["open"] += 1
            acts["overdue"] += 1 if due is not None and due < today else 0
        elif status == "klar":
            acts["done"] += 1
        else:
            acts["cancelled"] += 1
    out["actions"] = acts
    # Full representation by the default rule, from attendance.
    present: dict[int, set[str]] = {
        d: set() for d, r in ds.items() if r.status in ("genomford", "dokumenterad")
    }
    for dialogue_id, role, attendance, removed in db.session.execute(
        sa.text("SELECT dialogue_id, role, attendance, removed_at FROM participant")
    ):
        if dialogue_id in present and removed is None and attendance in ("deltog", "ersattare"):
            present[dialogue_id].add(role)
    full = 0
    for roles in present.values():
        home_ok = {"enhetschef", "sjukskoterska"} <= roles and bool(
            {"arbetsterapeut", "fysioterapeut"} & roles
        )
        centre_ok = {"sabo_lakare", "verksamhetschef"} <= roles
        full += home_ok and centre_ok
    out["full"] = full
    return out
