"""Benchmark: the nation's invitations out and the calendars' answers back.

About 2,000 dialogues with 7 participants each (14,000 messages):

1. queue every invitation in ONE transaction (as the year view's bulk send: calendar built with
   icalendar once per dialogue, one MIME message per participant with the email package);
2. drain the outbox with TWO worker processes (`flask outbox send`, run side by side) to a local
   aiosmtpd in its own process, checking every message arrived exactly once;
3. append one REPLY per participant to a real Dovecot (in the shapes Outlook, Google, Apple and
   Thunderbird send) and read them back with TWO reader processes (`flask inbox read`),
   checking every answer was recorded exactly once.

Prints messages per second both ways and the cost of building one message. Targets: each
direction within 5 minutes on the 2-core machine. Not a test: run it by hand, on a quiet machine.

    .venv/bin/python benchmarks/calendar_roundtrip_bench.py [--dialogues 2000] \
        [--db sqlite|postgresql] [--workers 2] [--readers 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time as clock
from datetime import date, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from invitations_bench import SmtpServerProcess, free_port  # noqa: E402

TARGET_SECONDS = 300
SECRET = "benchmark-secret"


def build_world(n_dialogues: int) -> list[int]:
    """n homes with their dialogue booked; exactly 7 participants each."""
    from dialog.extensions import db
    from dialog.models import (
        CareHome,
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
    day = date(2027, 1, 11)
    people = [
        (ContactRole.UNIT_MANAGER, "chef", Side.CARE_HOME),
        (ContactRole.NURSE, "ssk", Side.CARE_HOME),
        (ContactRole.NURSE, "ssk2", Side.CARE_HOME),
        (ContactRole.OCCUPATIONAL_THERAPIST, "at", Side.CARE_HOME),
        (ContactRole.PHYSIOTHERAPIST, "ft", Side.CARE_HOME),
        (ContactRole.HOME_PHYSICIAN, "lakare", Side.HEALTH_CENTRE),
        (ContactRole.CENTRE_MANAGER, "vc", Side.HEALTH_CENTRE),
    ]
    for i in range(n_dialogues):
        centre = HealthCentre(name=f"Demo-vårdcentralen {i}", region=region)
        home = CareHome(
            name=f"Demoboendet Åkerbäret {i}", municipality=municipality, health_centre=centre
        )
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
            video_link=f"https://video.example.org/möte?id={i},7;pin=1234",
            participants=[
                Participant(
                    name=f"Demo {tag.upper()} Östlund {i}",
                    email=f"{tag}.{i}@example.org",
                    role=role,
                    side=side,
                )
                for role, tag, side in people
            ],
        )
        db.session.add_all([centre, home, dialogue])
        if i % 8 == 7:
            day += timedelta(days=1)
    db.session.commit()
    return list(db.session.scalars(db.select(Dialogue.id).order_by(Dialogue.id)))


def build_cost_ms(app, samples: int = 300) -> tuple[float, float]:
    """Milliseconds to build one invitation message with the email package, and one calendar."""
    from dialog.extensions import db
    from dialog.invitations import content, mail
    from dialog.models import Dialogue

    with app.app_context():
        dialogue = db.session.scalars(db.select(Dialogue).limit(1)).one()
        t0 = clock.perf_counter()
        for _ in range(50):
            cal = content.request_calendar(dialogue)
        calendar_ms = (clock.perf_counter() - t0) / 50 * 1000
        participant = dialogue.participants[0]
        text, html = mail.render_bodies(
            "invitation",
            dialogue=dialogue,
            participant=participant,
            links={"ja": "x", "nej": "y", "kanske": "z"},
            when=cal.when,
            update=False,
            purpose=content.PURPOSE,
            organiser="Demo",
            dialogue_url="http://x",
        )
        t0 = clock.perf_counter()
        for _ in range(samples):
            mail.invitation_message(
                to_name=participant.name,
                to_email=participant.email,
                subject="Inbjudan: Patientsäkerhetsdialog Demoboendet Åkerbäret",
                text=text,
                html=html,
                ics=cal.ics,
                method="REQUEST",
                organiser_mailbox="patientsakerhetsdialog@example.se",
            )
        message_ms = (clock.perf_counter() - t0) / samples * 1000
    return message_ms, calendar_ms


def run_side_by_side(commands: list[list[str]], env: dict) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of the processes, run side by side. The CPU
    figure does not depend on how busy the shared machine is."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = clock.perf_counter()
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for cmd in commands
    ]
    outputs = [p.communicate()[0].decode("utf-8", "replace") for p in procs]
    elapsed = clock.perf_counter() - t0
    for p, out in zip(procs, outputs):
        if p.returncode != 0:
            raise RuntimeError(f"{p.args} failed:\n{out}")
    for out in outputs:
        print("    " + out.strip().splitlines()[-1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def replies(app, dovecot) -> int:
    """One REPLY per participant, appended to the organiser mailbox, shapes in rotation."""
    from dialog.extensions import db
    from dialog.models import Dialogue, Participant
    from tests.invitations.reply_shapes import SHAPES, Reply

    with app.app_context():
        rows = db.session.execute(
            db.select(Participant.email, Participant.name, Dialogue.calendar_uid)
            .join(Dialogue)
            .order_by(Participant.id)
        ).all()
    shapes = list(SHAPES.values())
    client = dovecot.client()
    batch = []
    for i, (email, name, uid) in enumerate(rows):
        batch.append(shapes[i % len(shapes)](Reply(uid=uid, attendee=email, name=name)))
        if len(batch) == 500:
            client.multiappend("INBOX", batch)
            batch = []
    if batch:
        client.multiappend("INBOX", batch)
    client.logout()
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dialogues", type=int, default=2000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--readers", type=int, default=2)
    args = parser.parse_args()

    from tests.invitations.dovecot import DovecotServer, dovecot_available

    if not dovecot_available():
        raise SystemExit(
            "Dovecot (dovecot-imapd, run as root) is needed: scripts/install-test-tools.sh"
        )
    workdir = Path(tempfile.mkdtemp(prefix="roundtrip-bench-"))
    pg = None
    if args.db == "postgresql":
        from tests.support.pgserver import PostgresServer

        pg = PostgresServer()
        pg.start()
        url = pg.url()
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    port = free_port()
    smtp = SmtpServerProcess(port).start()
    dovecot = DovecotServer().start()
    env = {
        **os.environ,
        "DIALOG_DATABASE_URL": url,
        "DIALOG_INSTANCE_PATH": str(workdir / "instance"),
        "DIALOG_SECRET_KEY": SECRET,
        "DIALOG_LOAD_DEMO_DATA": "0",
        "DIALOG_SMTP_HOST": "127.0.0.1",
        "DIALOG_SMTP_PORT": str(port),
        "DIALOG_SMTP_SECURITY": "none",
        **{f"DIALOG_{k}": str(v) for k, v in dovecot.config_for_app().items()},
    }
    os.environ.update({k: env[k] for k in ("DIALOG_DATABASE_URL", "DIALOG_INSTANCE_PATH")})
    try:
        from dialog import create_app
        from dialog.extensions import db
        from dialog.invitations.services import load_for_sending, queue_invitations, sending_in_bulk
        from dialog.models import Participant, ResponseStatus
        from dialog.models.invitations import (
            InboxMessage,
            OutboxMessage,
            OutboxStatus,
            ResponseEvent,
        )

        app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "MAIL_SMTP_HOST": "127.0.0.1"})
        with app.app_context():
            db.drop_all()
            db.create_all()
            t0 = clock.perf_counter()
            dialogue_ids = build_world(args.dialogues)
            print(
                f"Database: {args.db}; {len(dialogue_ids)} dialogues built in "
                f"{clock.perf_counter() - t0:.1f} s; load average {os.getloadavg()[0]:.1f} on "
                f"{os.cpu_count()} cores (the machine is shared)"
            )
        message_ms, calendar_ms = build_cost_ms(app)

        # 1. Queue in one transaction.
        with app.app_context():
            t0 = clock.perf_counter()
            c0 = clock.process_time()
            queued = 0
            with sending_in_bulk():
                for dialogue in load_for_sending(dialogue_ids):
                    queued += queue_invitations(dialogue)
            db.session.commit()
            queue_s = clock.perf_counter() - t0
            queue_cpu = clock.process_time() - c0
        print(
            f"  queue {queued} invitations in one transaction: {queue_s:6.1f} s "
            f"({queued / queue_s:6.0f} msg/s, {queue_s / queued * 1000:.2f} ms per message "
            "all in: links, bodies, MIME, outbox row, audit; "
            f"CPU {queue_cpu / queued * 1000:.2f} ms per message)"
        )
        print(
            f"  build cost: one MIME message {message_ms:.2f} ms (email.mime, CRLF policy); "
            f"one calendar {calendar_ms:.2f} ms (icalendar, once per dialogue)"
        )
        if message_ms > 3:
            print(
                f"  NOTE: building one message costs {message_ms:.1f} ms, more than a few "
                "milliseconds (the email package's header and body encoding)."
            )

        # 2. Two workers drain the outbox to the SMTP server.
        before, dup_before = smtp.count.value, smtp.duplicates.value
        send = [sys.executable, "-m", "flask", "--app", "app", "outbox", "send"]
        deliver_s, deliver_cpu = run_side_by_side([send] * args.workers, env)
        arrived = smtp.count.value - before
        duplicates = smtp.duplicates.value - dup_before
        with app.app_context():
            sent = db.session.scalar(
                db.select(db.func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.SENT)
            )
        print(
            f"  deliver with {args.workers} workers: {deliver_s:6.1f} s "
            f"({arrived / deliver_s:6.0f} msg/s); arrived {arrived}, sent rows {sent}, "
            f"Message-IDs seen twice {duplicates}"
        )
        print(
            f"    workers' CPU {deliver_cpu:.1f} s = {deliver_cpu / max(arrived, 1) * 1000:.2f} ms"
            f" per message (start-up included); load average now {os.getloadavg()[0]:.1f}"
        )
        ok_out = arrived == queued == sent and duplicates == 0
        print(
            f"  invitations: every message exactly once: {ok_out}; within "
            f"{TARGET_SECONDS} s: {'met' if queue_s + deliver_s <= TARGET_SECONDS else 'NOT met'}"
            f" (queue + deliver {queue_s + deliver_s:.1f} s)"
        )

        # 3. The answers back over IMAP.
        t0 = clock.perf_counter()
        n_replies = replies(app, dovecot)
        print(
            f"  appended {n_replies} REPLY messages to Dovecot in "
            f"{clock.perf_counter() - t0:.1f} s (setup, not timed)"
        )
        read = [sys.executable, "-m", "flask", "--app", "app", "inbox", "read"]
        read_s, read_cpu = run_side_by_side([read] * args.readers, env)
        with app.app_context():
            events = db.session.execute(
                db.select(ResponseEvent.participant_id, db.func.count()).group_by(
                    ResponseEvent.participant_id
                )
            ).all()
            inbox_rows = db.session.scalar(db.select(db.func.count()).select_from(InboxMessage))
            accepted = db.session.scalar(
                db.select(db.func.count())
                .select_from(Participant)
                .where(Participant.response == ResponseStatus.ACCEPTED)
            )
        once = len(events) == n_replies and all(n == 1 for _, n in events)
        print(
            f"  read back with {args.readers} readers: {read_s:6.1f} s "
            f"({n_replies / read_s:6.0f} msg/s); answers recorded {accepted}, inbox rows "
            f"{inbox_rows}"
        )
        print(
            f"    readers' CPU {read_cpu:.1f} s = {read_cpu / max(n_replies, 1) * 1000:.2f} ms"
            f" per message (start-up included); load average now {os.getloadavg()[0]:.1f}"
        )
        print(
            f"  answers: every answer recorded exactly once: {once and accepted == n_replies}; "
            f"within {TARGET_SECONDS} s: {'met' if read_s <= TARGET_SECONDS else 'NOT met'}"
        )
        left = len(dovecot.uids("INBOX"))
        print(
            f"  left in the inbox: {left}; moved to the done folder: "
            f"{len(dovecot.uids('Behandlade kalendersvar'))}"
        )
    finally:
        dovecot.stop()
        smtp.stop()
        if pg is not None:
            pg.stop()


if __name__ == "__main__":
    main()
