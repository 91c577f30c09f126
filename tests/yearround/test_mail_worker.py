"""Reminders about actions and the weekly digest, delivered by the outbox worker to a real SMTP
server on loopback: exactly once over two worker runs, each with a link straight to its page."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Action, Finding, RegionSettings
from dialog.timeutil import now_utc, today_local
from tests.invitations.helpers import body_text

from .helpers import documented


def _prepare(app, world, book):
    today = today_local()
    rec = documented(app, book)
    with app.app_context():
        db.session.get(Action, rec.actions["sabo"]).due_date = today + timedelta(days=3)
        db.session.get(Action, rec.actions["vardcentral"]).due_date = today - timedelta(days=2)
        for party in ("gemensamt", "regionen"):  # far off: no reminder yet
            db.session.get(Action, rec.actions[party]).due_date = today + timedelta(days=60)
        db.session.get(Finding, rec.escalated_id).escalated_at = now_utc() - timedelta(days=1)
        db.session.add(
            RegionSettings(region_id=world.regions["norr"], digest_weekday=today.weekday())
        )
        db.session.commit()
    return rec


def test_reminders_and_digests_reach_smtp_exactly_once_over_two_worker_runs(
    app, world, book, runner, smtp
):
    rec = _prepare(app, world, book)
    first = runner.invoke(args=["outbox", "work", "--once", "--reminder-interval", "0"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["outbox", "work", "--once", "--reminder-interval", "0"])
    assert second.exit_code == 0, second.output
    messages = smtp.recorder.parsed()
    by_recipient = {}
    for (rcpts, _raw), msg in zip(smtp.recorder.messages, messages):
        for r in rcpts:
            by_recipient.setdefault(r, []).append(msg)
    assert sorted(by_recipient) == [
        "chef_a1@test.example.org",
        "mas_a@test.example.org",
        "regional_norr@test.example.org",
        "vc_alfa@test.example.org",
    ]
    assert all(len(v) == 1 for v in by_recipient.values()), {
        k: [m["Subject"] for m in v] for k, v in by_recipient.items()
    }
    soon = by_recipient["chef_a1@test.example.org"][0]
    assert soon["Subject"].startswith("Påminnelse: åtgärd ska vara klar")
    assert f"/atgarder/{rec.actions['sabo']}" in body_text(soon)
    assert "om 3 dagar" in body_text(soon)
    late = by_recipient["vc_alfa@test.example.org"][0]
    assert late["Subject"].startswith("Försenad åtgärd")
    assert f"/atgarder/{rec.actions['vardcentral']}" in body_text(late)
    for who in ("mas_a@test.example.org", "regional_norr@test.example.org"):
        digest = by_recipient[who][0]
        text = body_text(digest)
        assert digest["Subject"].startswith("Veckosammanfattning vecka")
        assert (
            "Försenade åtgärder (1)" in text and f"/atgarder/{rec.actions['vardcentral']}" in text
        )
        assert "Lyfta till MAS/MAR och region (1)" in text and f"/lyfta/{rec.escalated_id}" in text
    # A third run, later the same day, still sends nothing new.
    third = runner.invoke(args=["outbox", "work", "--once", "--reminder-interval", "0"])
    assert third.exit_code == 0 and len(smtp.recorder.messages) == 4
    with app.app_context():
        from dialog.models.notifications import NotificationLog

        keys = db.session.scalars(sa.select(NotificationLog.key)).all()
        # The week is settled for all four MAS/MAR and regional users; mas_b and regional_syd
        # had nothing new, so no mail went to them.
        assert sum(k.startswith("sammanfattning:") for k in keys) == 4
