"""The weekly digest to each MAS/MAR and regional user: what became overdue and what was raised
to MAS/MAR and the region in their scope since they last heard.

Once a week, on the first run on or after the region's digest weekday (Monday by default). The
week is claimed per recipient before anything is built, and every item the digest reports is
recorded too (sent_log), so a second run, another worker or next week's digest never repeats
it. A week with nothing new sends no mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Action,
    ActionStatus,
    Dialogue,
    DialogueStatus,
    EscalationAck,
    EscalationLevel,
    Finding,
    Role,
    User,
    UserScope,
)
from ..models.invitations import MessageKind
from ..region_settings import settings_for_region
from ..scope import Scope
from ..timeutil import local, local_to_utc, now_utc
from . import mail, outbox, sent_log
from .action_reminders import action_url

# How far back "became overdue" reaches (a little over a month: a missed week is caught up).
OVERDUE_SINCE = timedelta(days=35)
ESCALATED_SINCE = timedelta(days=120)
DONE_STATES = [DialogueStatus.HELD, DialogueStatus.DOCUMENTED]


@dataclass
class Digest:
    overdue: list[Action]
    escalated: list[Finding]

    def __bool__(self) -> bool:
        return bool(self.overdue or self.escalated)


def escalation_url(finding_id: int) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/lyfta/{finding_id}"


def week_key(today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"sammanfattning:{year}-V{week:02d}"


def _regions(user: User) -> set[int]:
    ids = set()
    for s in user.scopes:
        if s.role is Role.REGIONAL:
            ids.add(s.region_id)
        elif s.role is Role.MUNICIPALITY and s.municipality is not None:
            ids.add(s.municipality.region_id)
    return ids


def recipients() -> list[User]:
    """Active users with a MAS/MAR (kommun) or regional scope."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.active.is_(True),
                User.id.in_(
                    sa.select(UserScope.user_id).where(
                        UserScope.role.in_([Role.MUNICIPALITY, Role.REGIONAL])
                    )
                ),
            )
            .order_by(User.id)
        )
    )


def collect(scope: Scope, today: date) -> Digest:
    """Overdue actions and unacknowledged escalated findings in scope (not yet filtered for
    what this recipient has already been told)."""
    in_scope = sa.select(Dialogue.id).where(
        scope.dialogue_clause(), Dialogue.status.in_(DONE_STATES)
    )
    overdue = db.session.scalars(
        sa.select(Action)
        .where(
            Action.dialogue_id.in_(in_scope),
            Action.status.in_([ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]),
            Action.due_date < today,
            Action.due_date >= today - OVERDUE_SINCE,
        )
        .options(joinedload(Action.dialogue).joinedload(Dialogue.care_home))
        .order_by(Action.due_date, Action.id)
    ).unique()
    acknowledged = sa.select(EscalationAck.finding_id).where(
        EscalationAck.level == EscalationLevel.for_scope(scope)
    )
    escalated = db.session.scalars(
        sa.select(Finding)
        .where(
            Finding.dialogue_id.in_(in_scope),
            Finding.escalate.is_(True),
            Finding.escalated_at.is_not(None),
            Finding.escalated_at >= local_to_utc(today - ESCALATED_SINCE, time(0, 0)),
            Finding.id.not_in(acknowledged),
        )
        .options(joinedload(Finding.dialogue).joinedload(Dialogue.care_home))
        .order_by(Finding.escalated_at, Finding.id)
    ).unique()
    return Digest(list(overdue), list(escalated))


def _item_keys(digest: Digest) -> dict[str, object]:
    keys = {}
    for a in digest.overdue:
        keys[f"sammanfattning-post:forsenad:{a.id}:{a.due_date.isoformat()}"] = a
    for f in digest.escalated:
        keys[f"sammanfattning-post:lyft:{f.id}"] = f
    return keys


def _due_today(user: User, today: date) -> bool:
    regions = _regions(user) or {None}
    settings = [settings_for_region(r) for r in regions]
    enabled = [s for s in settings if s.followup_mail]
    if not enabled:
        return False
    return today.weekday() >= min(s.digest_weekday for s in enabled)


def digest_for(user: User, today: date) -> Digest:
    """What this user's digest would hold today: only what they have not been told before."""
    digest = collect(Scope.of(user), today)
    keys = _item_keys(digest)
    told = sent_log.already_sent(list(keys), user.email)
    return Digest(
        [a for k, a in keys.items() if k not in told and isinstance(a, Action)],
        [f for k, f in keys.items() if k not in told and isinstance(f, Finding)],
    )


def send_digests(now: datetime | None = None) -> int:
    """Queue this week's digests that are due (the edge commits). Returns messages queued."""
    today = local(now or now_utc()).date()
    items = []
    for user in recipients():
        if not _due_today(user, today):
            continue
        if not sent_log.claim(week_key(today), user.email, user_id=user.id):
            continue  # this week's digest is done (sent, or there was nothing new)
        digest = digest_for(user, today)
        if not digest:
            continue
        for key in _item_keys(digest):
            sent_log.claim(key, user.email, user_id=user.id)
        homes = {a.dialogue.care_home_id for a in digest.overdue} | {
            f.dialogue.care_home_id for f in digest.escalated
        }
        text, html = mail.render_bodies(
            "digest",
            name=user.name,
            digest=digest,
            homes=len(homes),
            today=today,
            action_url=action_url,
            escalation_url=escalation_url,
            start_url=current_app.config["BASE_URL"].rstrip("/") + "/start",
        )
        year, week, _ = today.isocalendar()
        items.append(
            outbox.Outgoing(
                mail.notice_message(
                    to_name=user.name,
                    to_email=user.email,
                    subject=f"Veckosammanfattning vecka {week}: försenade åtgärder och lyfta "
                    "iakttagelser",
                    text=text,
                    html=html,
                ),
                MessageKind.DIGEST,
            )
        )
    return outbox.queue_many(items)
