"""The outbox never strands a message: a real `flask outbox work` process is killed (SIGKILL)
in the middle of an SMTP exchange. Messages it never tried go back to the queue; the one whose
outcome is unknown is sent again with the same Message-ID and shown as resent after an
interruption."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import sqlalchemy as sa

from dialog.extensions import db
from dialog.invitations import mail, outbox
from dialog.models.invitations import MessageKind, OutboxMessage, OutboxStatus
from tests.conftest import login
from tests.invitations.helpers import deliver, outbox_rows
from tests.invitations.support import ROOT

MESSAGES = 12
STOP_AT = 5  # the worker dies while the server holds the answer to the 5th message


def _queue(app, n: int) -> None:
    with app.app_context(), app.test_request_context():
        app.config["OUTBOX_DELIVER_INLINE"] = False
        for i in range(n):
            msg = mail.notice_message(
                to_name=f"Test Mottagare {i}",
                to_email=f"mottagare{i}@test.example.org",
                subject=f"Testmeddelande {i}",
                text="Hej",
                html="<p>Hej</p>",
            )
            outbox.queue(msg, kind=MessageKind.REMINDER)
        db.session.commit()


class Holding:
    """Wraps the recorder: at the STOP_AT-th message the server has the whole message but
    does not answer until released - the client cannot know whether it was delivered."""

    def __init__(self, recorder):
        self.recorder = recorder
        self.arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        answer = await self.recorder.handle_DATA(server, session, envelope)
        if len(self.recorder.messages) == STOP_AT and not self.release.is_set():
            self.arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return answer


def test_killing_a_real_worker_mid_delivery_strands_nothing(
    app, world, smtp, database_url, tmp_path, client
):
    _queue(app, MESSAGES)
    holding = Holding(smtp.recorder)
    smtp.controller.handler = holding
    env = {
        **os.environ,
        "DIALOG_DATABASE_URL": database_url,
        "DIALOG_INSTANCE_PATH": str(tmp_path / "worker-instance"),
        "DIALOG_SECRET_KEY": "test-secret-key-not-for-production",
        "DIALOG_SMTP_HOST": "127.0.0.1",
        "DIALOG_SMTP_PORT": str(smtp.port),
        "DIALOG_SMTP_SECURITY": "none",
        "DIALOG_LOAD_DEMO_DATA": "0",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "outbox", "work", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert holding.arrived.wait(60), "the worker never reached the held message"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
        holding.release.set()
    assert worker.returncode == -signal.SIGKILL

    rows = outbox_rows(app)
    sent = [r for r in rows if r.status is OutboxStatus.SENT]
    claimed = [r for r in rows if r.status is OutboxStatus.SENDING]
    assert len(sent) == STOP_AT - 1 and len(claimed) == MESSAGES - STOP_AT + 1
    in_flight = [r for r in claimed if r.attempt_started_at is not None]
    assert len(in_flight) == 1, "exactly one attempt was under way when the worker died"
    held_id, held_message_id = in_flight[0].id, in_flight[0].message_id
    assert deliver(app).sent == 0  # the claim is fresh: its worker might still be alive

    app.config["OUTBOX_STALE_SECONDS"] = 0.5
    time.sleep(1.0)
    smtp.controller.handler = smtp.recorder
    result = deliver(app)
    assert (result.sent, result.retried, result.failed) == (MESSAGES - STOP_AT + 1, 0, 0)

    rows = {r.id: r for r in outbox_rows(app)}
    assert all(r.status is OutboxStatus.SENT for r in rows.values())
    assert [r.id for r in rows.values() if r.interrupted] == [held_id]
    assert rows[held_id].attempts == 2
    assert all(r.attempts == 1 for i, r in rows.items() if i != held_id)
    arrived = Counter(m["Message-ID"] for m in smtp.recorder.parsed())
    # Every message arrived; the one whose outcome was unknown twice, with one Message-ID.
    assert len(arrived) == MESSAGES
    assert arrived[held_message_id] == 2
    assert all(n == 1 for mid, n in arrived.items() if mid != held_message_id)
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.interrupted)
            )
            == 1
        )

    login(client, "admin")
    page = client.get("/utkorg")
    assert page.text.count("Skickad igen efter ett avbrott") == 1
