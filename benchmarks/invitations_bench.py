"""Benchmark: build and deliver invitations for 300 dialogues (about 2,000 messages).

A real SMTP server (aiosmtpd) listens on loopback. We time the whole path the app takes —
queue_invitations for every dialogue (calendar, MIME message, answer links, outbox rows, audit)
then the outbox sender delivering over SMTP — and compare with the floor measured in the same
run: bare smtplib sending the same pre-built messages (the bytes our outbox holds) over one
connection to the same server. Target: at least half the floor's rate.

    .venv/bin/python benchmarks/invitations_bench.py [--dialogues 300] [--db sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import smtplib
import sys
import tempfile
import time as clock
from datetime import date, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402


class CountingHandler:
    """Counts what arrives and any Message-ID seen twice (shared with the parent process)."""

    def __init__(self, count, duplicates):
        self.count_value, self.duplicates = count, duplicates
        self.seen: set[bytes] = set()

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        head = content.split(b"\r\n\r\n", 1)[0]
        message_id = next(
            (line for line in head.split(b"\r\n") if line.lower().startswith(b"message-id:")), b""
        )
        with self.count_value.get_lock():
            self.count_value.value += 1
            if message_id in self.seen:
                self.duplicates.value += 1
            self.seen.add(message_id)
        return "250 OK"

    @property
    def count(self) -> int:
        return self.count_value.value


def _serve(port, count, duplicates, stop):
    controller = Controller(CountingHandler(count, duplicates), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


class SmtpServerProcess:
    """aiosmtpd in its own process, as a local mail relay would be: the server does not
    compete with the code under test for the interpreter lock."""

    def __init__(self, port: int):
        ctx = multiprocessing.get_context("fork")
        self.count, self.duplicates = ctx.Value("i", 0), ctx.Value("i", 0)
        self.stop_event = ctx.Event()
        self.process = ctx.Process(
            target=_serve, args=(port, self.count, self.duplicates, self.stop_event), daemon=True
        )
        self.port = port

    def start(self):
        self.process.start()
        deadline = clock.monotonic() + 20
        while clock.monotonic() < deadline:
            try:
                smtplib.SMTP("127.0.0.1", self.port, timeout=2).quit()
                return self
            except OSError:
                clock.sleep(0.1)
        raise RuntimeError("the SMTP server did not start")

    def stop(self):
        self.stop_event.set()
        self.process.join(10)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_world(n_dialogues: int) -> list[int]:
    """n homes, each with its dialogue booked; 6-7 participants each (about 2,000 in all)."""
    from dialog.extensions import db
    from dialog.models import (
        CareHome,
        Contact,
        ContactRole,
        Dialogue,
        HealthCentre,
        Municipality,
        Participant,
        Region,
        Side,
        User,
    )
    from dialog.timeutil import local_to_utc

    region = Region(name="Benchmarkregionen")
    municipality = Municipality(name="Benchmarkkommunen", region=region)
    organiser = User(username="bench", name="Åsa Öberg-Ängström", email="bench@example.org")
    organiser.set_password("benchmark-losenord-1")
    db.session.add_all([region, municipality, organiser])
    ids = []
    day = date(2027, 1, 11)
    for i in range(n_dialogues):
        centre = HealthCentre(name=f"Demo-vårdcentralen {i}", region=region)
        home = CareHome(
            name=f"Demoboendet Åkerbäret {i}",
            municipality=municipality,
            health_centre=centre,
            address=f"Provgatan {i}",
        )
        staff = [
            (ContactRole.UNIT_MANAGER, "chef"),
            (ContactRole.NURSE, "ssk"),
            (ContactRole.OCCUPATIONAL_THERAPIST, "at"),
            (ContactRole.PHYSIOTHERAPIST, "ft"),
        ]
        if i % 3 == 0:
            staff.append((ContactRole.NURSE, "ssk2"))
        contacts = [
            Contact(
                name=f"Demo {tag.upper()} Östlund {i}",
                role=role,
                care_home=home,
                email=f"{tag}.{i}@example.org",
            )
            for role, tag in staff
        ]
        contacts += [
            Contact(
                name=f"Demo Läkare Ström {i}",
                role=ContactRole.HOME_PHYSICIAN,
                health_centre=centre,
                email=f"lakare.{i}@example.org",
            ),
            Contact(
                name=f"Demo Verksamhetschef {i}",
                role=ContactRole.CENTRE_MANAGER,
                health_centre=centre,
                email=f"vc.{i}@example.org",
            ),
        ]
        while day.weekday() >= 5:
            day += timedelta(days=1)
        dialogue = Dialogue(
            care_home=home,
            health_centre=centre,
            year=2027,
            organiser=organiser,
            starts_at=local_to_utc(day, time(13, 0)),
            ends_at=local_to_utc(day, time(15, 0)),
            location=f"Demoboendet Åkerbäret {i}, samlingsrummet",
            participants=[
                Participant(
                    name=c.name,
                    email=c.email,
                    role=c.role,
                    side=Side.CARE_HOME if c.care_home is not None else Side.HEALTH_CENTRE,
                )
                for c in contacts
            ],
        )
        db.session.add_all([centre, home, *contacts, dialogue])
        if i % 2:
            day += timedelta(days=1)
    db.session.commit()
    ids = list(db.session.scalars(db.select(Dialogue.id).order_by(Dialogue.id)))
    return ids


def run(n_dialogues: int, db_kind: str) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="invitations-bench-"))
    pg = None
    if db_kind == "postgresql":
        from tests.support.pgserver import PostgresServer

        pg = PostgresServer()
        pg.start()
        os.environ["DIALOG_DATABASE_URL"] = pg.url()
    else:
        os.environ["DIALOG_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DIALOG_INSTANCE_PATH"] = str(workdir / "instance")

    port = free_port()
    server = SmtpServerProcess(port).start()
    try:
        from dialog import create_app
        from dialog.extensions import db

        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "benchmark-secret",
                "MAIL_SMTP_HOST": "127.0.0.1",
                "MAIL_SMTP_PORT": port,
                "MAIL_SMTP_SECURITY": "none",
            }
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            dialogue_ids = build_world(n_dialogues)
        run_measurements(app, dialogue_ids, server, port, db_kind)
    finally:
        server.stop()
        if pg is not None:
            pg.stop()


def run_measurements(app, dialogue_ids, server, port, db_kind) -> None:
    import sqlalchemy as sa

    from dialog.extensions import db
    from dialog.invitations.services import load_for_sending, queue_invitations, sending_in_bulk
    from dialog.invitations.worker import deliver_due
    from dialog.models.invitations import OutboxMessage, OutboxStatus

    with app.app_context():
        t0 = clock.perf_counter()
        queued = 0
        # As the year view's bulk send does: load the dialogues at once, queue, commit once.
        with sending_in_bulk():
            for dialogue in load_for_sending(dialogue_ids):
                queued += queue_invitations(dialogue)
        db.session.commit()
        t1 = clock.perf_counter()
        db.session.remove()
    with app.app_context():
        raws = [
            (r, raw)
            for r, raw in db.session.execute(
                sa.select(OutboxMessage.recipient, OutboxMessage.raw).order_by(OutboxMessage.id)
            )
        ]
    sender = app.config["MAIL_SENDER"]

    def floor_run() -> float:
        """Bare smtplib: the same pre-built messages, one connection, the same server."""
        before = server.count.value
        f0 = clock.perf_counter()
        conn = smtplib.SMTP("127.0.0.1", port)
        for recipient, raw in raws:
            conn.sendmail(sender, [recipient], raw)
        conn.quit()
        elapsed = clock.perf_counter() - f0
        assert server.count.value - before == len(raws)
        return elapsed

    # The machine is shared, so the floor is measured right before and right after our
    # delivery and averaged.
    floor_before = floor_run()
    with app.app_context():
        counted, duplicates_before = server.count.value, server.duplicates.value
        t2 = clock.perf_counter()
        result = deliver_due()
        t3 = clock.perf_counter()
        sent_ok = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.SENT)
        )
    arrived_ours = server.count.value - counted
    duplicates_ours = server.duplicates.value - duplicates_before - n_floor_repeats(raws)
    floor_after = floor_run()
    assert result.sent == queued == sent_ok == arrived_ours, (result, queued, sent_ok, arrived_ours)
    floor = (floor_before + floor_after) / 2

    n = queued
    build, deliver = t1 - t0, t3 - t2
    end_to_end = build + deliver
    floor_rate = n / floor
    e2e_rate = n / end_to_end
    deliver_rate = n / deliver
    size = sum(len(raw) for _, raw in raws) / n
    print(
        f"Database: {db_kind}; dialogues: {len(dialogue_ids)}; messages: {n} "
        f"(average {size / 1024:.1f} KiB, multipart/mixed with calendar)"
    )
    print(f"  build + queue (queue_invitations, commit): {build:6.2f} s  {n / build:8.0f} msg/s")
    print(
        f"  deliver (outbox -> SMTP, one connection):  {deliver:6.2f} s  {deliver_rate:8.0f} msg/s"
    )
    print(
        f"  ours, end to end:                          {end_to_end:6.2f} s  {e2e_rate:8.0f} msg/s"
    )
    print(
        f"  floor, bare smtplib same bytes (mean of before/after: {floor_before:.2f} s, "
        f"{floor_after:.2f} s): {floor:5.2f} s  {floor_rate:8.0f} msg/s"
    )
    print(
        f"  ratio end to end / floor: {e2e_rate / floor_rate:.2f}  (target >= 0.50: "
        f"{'met' if e2e_rate / floor_rate >= 0.5 else 'NOT met'})"
    )
    print(f"  ratio delivery only / floor: {deliver_rate / floor_rate:.2f}")
    print(
        f"  every message arrived exactly once: {arrived_ours == n and duplicates_ours == 0} "
        f"({arrived_ours} arrived, {duplicates_ours} Message-IDs repeated by our sender)"
    )


def n_floor_repeats(raws) -> int:
    """Our delivery follows one floor run of the same messages: each of ours repeats an id."""
    return len(raws)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dialogues", type=int, default=300)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    run(args.dialogues, args.db)


if __name__ == "__main__":
    main()
