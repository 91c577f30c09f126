"""Twelve months of due dates with the clock moved a day at a time: how many reminders and
digests go out, checked against an independent model of the rules, and that nobody gets the
same mail twice. The figures are printed and written to test-artifacts/mail-year.txt."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa

from dialog.extensions import db
from dialog.invitations.action_reminders import send_action_reminders
from dialog.invitations.digests import send_digests
from dialog.models import (
    Action,
    ActionStatus,
    Attendance,
    Dialogue,
    DialogueStatus,
    EscalationAck,
    EscalationLevel,
    Finding,
    FindingKind,
    Party,
)
from dialog.models.invitations import MessageKind, OutboxMessage
from dialog.models.notifications import NotificationLog
from dialog.timeutil import local_to_utc

from .helpers import area

START, END = date(2027, 1, 18), date(2028, 1, 31)
ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "mail-year.txt"
PARTIES = [Party.CARE_HOME, Party.HEALTH_CENTRE, Party.JOINT, Party.REGION]
# Who is reminded (the owning side): users in scope, else the register's contacts.
OWNERS = {
    ("a1", Party.CARE_HOME): {"chef_a1@test.example.org"},
    ("a2", Party.CARE_HOME): {"chef.a2@test.example.org"},
    ("b1", Party.CARE_HOME): {"chef.b1@test.example.org"},
    ("a1", Party.HEALTH_CENTRE): {"vc_alfa@test.example.org"},
    ("a2", Party.HEALTH_CENTRE): {"vc_alfa@test.example.org"},
    ("b1", Party.HEALTH_CENTRE): {"vc_chef.beta@test.example.org"},
}
DIGEST_SCOPE = {
    "mas_a@test.example.org": {"a1", "a2"},
    "mas_b@test.example.org": {"b1"},
    "regional_norr@test.example.org": {"a1", "a2", "b1"},
    "regional_syd@test.example.org": set(),
}


def owners(home: str, party: Party) -> set[str]:
    if party is Party.JOINT:
        return OWNERS[(home, Party.CARE_HOME)] | OWNERS[(home, Party.HEALTH_CENTRE)]
    if party is Party.REGION:
        return {"regional_norr@test.example.org"}
    return OWNERS[(home, party)]


@dataclass
class Plan:
    home: str
    party: Party
    due: date
    done_on: date | None  # when the owner marks it done (None: never)
    action_id: int = 0


def _plans() -> list[Plan]:
    """Per home, one action due on the 15th of every month from February; how each ends:
    done three weeks early (no reminder), a week early (reminded once), ten days late
    (reminded twice), or never (reminded twice)."""
    plans = []
    for h, home in enumerate(("a1", "a2", "b1")):
        for m in range(12):
            due = date(2027 + (m + 1) // 12, (m + 1) % 12 + 1, 15)
            i = h * 12 + m
            fate = i % 4
            done = {0: due - timedelta(days=20), 1: due - timedelta(days=7)}.get(fate)
            if fate == 2:
                done = due + timedelta(days=10)
            plans.append(Plan(home, PARTIES[i % 4], due, done))
    return plans


# Escalated findings: (home, raised on, MAS/MAR acknowledges on or None).
ESCALATIONS = [
    ("a1", date(2027, 3, 3), date(2027, 3, 4)),  # acknowledged before MAS/MAR's digest
    ("b1", date(2027, 6, 23), None),
    ("a2", date(2027, 10, 6), date(2027, 10, 20)),
]


def _setup(app, world, book) -> tuple[list[Plan], list[int]]:
    plans = _plans()
    booked = {home: book(home, date(2027, 1, 12 + n)) for n, home in enumerate(("a1", "a2", "b1"))}
    with app.app_context():
        dialogues = {}
        for home, dialogue_id in booked.items():
            dialogue = db.session.get(Dialogue, dialogue_id)
            for p in dialogue.current_participants:
                p.attendance = Attendance.ATTENDED
            dialogue.status = DialogueStatus.DOCUMENTED
            dialogues[home] = dialogue
        for plan in plans:
            action = Action(
                dialogue=dialogues[plan.home],
                description=f"Åtgärd {plan.home} {plan.due.isoformat()} ({plan.party.label})",
                responsible_party=plan.party,
                due_date=plan.due,
            )
            db.session.add(action)
            db.session.flush()
            plan.action_id = action.id
        findings = []
        for home, _raised, _ack in ESCALATIONS:
            finding = Finding(
                dialogue=dialogues[home],
                kind=FindingKind.RISK,
                area=area(),
                description=f"Risk som lyfts ({home}).",
                concerns=Party.JOINT,
            )
            db.session.add(finding)
            db.session.flush()
            findings.append(finding.id)
        db.session.commit()
    return plans, findings


def _at(day: date) -> datetime:
    return local_to_utc(day, time(7, 0))


def _simulate(app, plans, findings, *, events: bool = True) -> None:
    by_done = {}
    for plan in plans:
        if plan.done_on:
            by_done.setdefault(plan.done_on, []).append(plan.action_id)
    day = START
    while day <= END:
        with app.app_context():
            for action_id in by_done.get(day, []):
                action = db.session.get(Action, action_id)
                action.status, action.done_on = ActionStatus.DONE, day
            for finding_id, (_home, raised, acked) in zip(findings, ESCALATIONS):
                if raised == day:
                    finding = db.session.get(Finding, finding_id)
                    finding.escalate = True
                    finding.escalated_at = _at(day) - timedelta(hours=1)
                if acked == day and events:
                    db.session.add(
                        EscalationAck(finding_id=finding_id, level=EscalationLevel.MUNICIPALITY)
                    )
            db.session.commit()
            send_action_reminders(_at(day))
            send_digests(_at(day))
            db.session.commit()
        day += timedelta(days=1)


def _expected_reminders(plans) -> tuple[Counter, Counter]:
    soon, late = Counter(), Counter()
    for plan in plans:
        people = owners(plan.home, plan.party)
        first_soon = plan.due - timedelta(days=14)
        if plan.done_on is None or plan.done_on > first_soon:
            for who in people:
                soon[who] += 1
        # Overdue from the day after the due date; done that day, before the run: no mail.
        if plan.done_on is None or plan.done_on > plan.due + timedelta(days=1):
            for who in people:
                late[who] += 1
    return soon, late


def _expected_digests(plans) -> Counter:
    """Digests per recipient: Mondays on which something new is to be told (an action that
    became overdue and is still open, or an escalation their level has not acknowledged)."""
    digests = Counter()
    for who, homes in DIGEST_SCOPE.items():
        told = set()
        level_is_region = who.startswith("regional")
        day = START
        while day <= END:
            if day.weekday() == 0:
                new = []
                for plan in plans:
                    still_open = plan.done_on is None or plan.done_on > day
                    if (
                        plan.home in homes
                        and still_open
                        and day - timedelta(days=35) <= plan.due < day
                        and ("a", plan.action_id) not in told
                    ):
                        new.append(("a", plan.action_id))
                for n, (home, raised, acked) in enumerate(ESCALATIONS):
                    acknowledged = not level_is_region and acked is not None and acked <= day
                    if (
                        home in homes
                        and raised <= day
                        and not acknowledged
                        and ("f", n) not in told
                    ):
                        new.append(("f", n))
                if new:
                    digests[who] += 1
                    told.update(new)
            day += timedelta(days=1)
    return digests


def test_a_year_of_due_dates_sends_each_mail_once(app, world, book):
    plans, findings = _setup(app, world, book)
    _simulate(app, plans, findings)
    with app.app_context():
        rows = db.session.execute(
            sa.select(OutboxMessage.kind, OutboxMessage.recipient, OutboxMessage.subject)
        ).all()
        log_keys = db.session.execute(
            sa.select(NotificationLog.key, NotificationLog.recipient)
        ).all()
    reminders = [r for r in rows if r.kind is MessageKind.ACTION_REMINDER]
    digests = [r for r in rows if r.kind is MessageKind.DIGEST]
    soon = Counter(r.recipient for r in reminders if r.subject.startswith("Påminnelse"))
    late = Counter(r.recipient for r in reminders if r.subject.startswith("Försenad"))
    got_digests = Counter(r.recipient for r in digests)
    want_soon, want_late = _expected_reminders(plans)
    want_digests = _expected_digests(plans)

    # Nobody gets the same mail twice: one reminder per (action, kind, recipient).
    assert len(set(log_keys)) == len(log_keys)
    assert len({(r.recipient, r.subject) for r in reminders}) == len(reminders)
    assert soon == want_soon
    assert late == want_late
    assert got_digests == +want_digests  # +: drop the zero counts

    # Running the whole year again sends nothing new.
    _simulate(app, plans, findings, events=False)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == len(rows)

    lines = [
        f"Simulated {START.isoformat()}–{END.isoformat()} ({(END - START).days + 1} days), "
        f"{len(plans)} actions due on the 15th of each month in 3 homes, "
        f"{len(ESCALATIONS)} escalated findings.",
        f"Reminders before the due date: {sum(soon.values())} "
        + ", ".join(f"{k}: {v}" for k, v in sorted(soon.items())),
        f"Overdue reminders: {sum(late.values())} "
        + ", ".join(f"{k}: {v}" for k, v in sorted(late.items())),
        f"Weekly digests: {sum(got_digests.values())} "
        + ", ".join(f"{k}: {v}" for k, v in sorted(got_digests.items())),
        f"All mail: {len(rows)}; a second pass over the same year: 0 more.",
    ]
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n" + "\n".join(lines))
