"""Several workers at once deliver each message exactly once (FOR UPDATE SKIP LOCKED on
PostgreSQL; the conditional claim keeps it true on SQLite as well)."""

from __future__ import annotations

import threading
from collections import Counter

import sqlalchemy as sa

from dialog.extensions import db
from dialog.invitations import mail, outbox
from dialog.invitations import worker as outbox_worker
from dialog.models.invitations import MessageKind, OutboxMessage, OutboxStatus
from tests.conftest import DB_KIND


def _queue_many(app, n: int) -> None:
    with app.app_context(), app.test_request_context():
        for i in range(n):
            msg = mail.notice_message(
                to_name=f"Test Mottagare {i}",
                to_email=f"mottagare{i}@test.example.org",
                subject=f"Testmeddelande {i} åäö",
                text="Hej",
                html="<p>Hej</p>",
            )
            outbox.queue(msg, kind=MessageKind.REMINDER)
        db.session.commit()


def test_two_workers_deliver_each_message_exactly_once(app, smtp, monkeypatch):
    monkeypatch.setattr(outbox_worker, "BATCH_SIZE", 7)
    monkeypatch.setattr(outbox_worker, "COMMIT_EVERY", 3)
    smtp.recorder.delay = 0.002
    _queue_many(app, 120)
    results, errors = {}, []
    start = threading.Barrier(2)

    def worker(name):
        try:
            with app.app_context():
                start.wait()
                results[name] = outbox_worker.deliver_due()
                db.session.remove()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    sent = [r.sent for r in results.values()]
    assert sum(sent) == 120
    if DB_KIND == "postgresql":
        assert all(n > 0 for n in sent), sent  # both really worked, side by side
    ids = Counter(m["Message-ID"] for m in smtp.recorder.parsed())
    assert len(ids) == 120 and set(ids.values()) == {1}
    with app.app_context():
        statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
        assert Counter(statuses) == {OutboxStatus.SENT: 120}
