"""Invitations over a real SMTP server on loopback: what arrived is parsed, not what we meant."""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa

from dialog.dialogues.services import Booking, cancel_dialogue, rebook_dialogue, set_participants
from dialog.extensions import db
from dialog.models import Dialogue, ResponseStatus
from dialog.models.invitations import MessageKind, OutboxMessage, OutboxStatus
from dialog.timeutil import now_utc
from tests.invitations.helpers import (
    answer_links,
    body_text,
    book_with_organiser,
    deliver,
    outbox_rows,
    send_invitations,
)
from tests.invitations.support import calendar_parts, part_text


def _calendars(messages, parsers):
    """Parse every arrived message's inline calendar with every parser."""
    readings = []
    for msg in messages:
        inline, attachment = calendar_parts(msg)
        assert inline is not None and attachment is not None
        ics = part_text(inline)
        assert part_text(attachment) == ics
        method = inline.get_param("method")
        assert inline.get_param("charset").lower() == "utf-8"
        assert msg["Content-Class"] == "urn:content-classes:calendarmessage"
        per_parser = {name: read(ics) for name, read in parsers.items()}
        for name, result in per_parser.items():
            assert result["method"] == method, f"{name}: METHOD differs from the MIME method"
        readings.append((msg, method, per_parser, ics))
    return readings


def test_invitation_is_imip_with_swedish_intact(app, world, book, smtp, parsers):
    dialogue_id = book_with_organiser(app, world, book, day=date(2027, 5, 12))
    assert send_invitations(app, dialogue_id) == 5
    assert send_invitations(app, dialogue_id) == 0  # nobody twice
    result = deliver(app)
    assert (result.sent, result.retried, result.failed) == (5, 0, 0)
    arrived = smtp.recorder.parsed()
    assert len(arrived) == 5
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        uid, starts = dialogue.calendar_uid, int(dialogue.starts_at.timestamp())
        emails = sorted(p.email for p in dialogue.current_participants)
    assert sorted(rcpt[0] for rcpt, _ in smtp.recorder.messages) == emails
    for msg, method, per_parser, ics in _calendars(arrived, parsers):
        assert msg.get_content_type() == "multipart/mixed"
        alternative = msg.get_payload()[0]
        assert alternative.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in alternative.get_payload()] == [
            "text/plain",
            "text/html",
            "text/calendar",
        ]
        assert method == "REQUEST"
        assert msg["Subject"].startswith("Inbjudan: Patientsäkerhetsdialog Testboendet Ett")
        assert "kl. 13.00" in msg["Subject"]
        assert "Test chef_a1" in ics  # ORGANIZER CN: the organising manager
        assert "PARTSTAT=NEEDS-ACTION" in ics and "RSVP=TRUE" in ics.replace("\r\n ", "")
        assert "BEGIN:VALARM" in ics and "ROLE=REQ-PARTICIPANT" in ics.replace("\r\n ", "")
        text = body_text(msg)
        assert "inga enskilda patienter diskuteras" in text
        assert len(answer_links(text)) == 3
        for name, result in per_parser.items():
            (event,) = result["events"]
            assert event["uid"] == uid and event["sequence"] == 0, name
            assert event["start_utc"] == starts, name
            assert "inga enskilda patienter" in event["description"], name
            assert len(event["attendees"]) == 5, name
            assert {a["email"].lower().removeprefix("mailto:") for a in event["attendees"]} == set(
                emails
            ), name
    rows = outbox_rows(app)
    assert all(r.status is OutboxStatus.SENT and r.attempts == 1 for r in rows)
    # Built by the email package with a policy that writes CRLF: no bare line feeds.
    assert all(b"\n" not in r.raw.replace(b"\r\n", b"") for r in rows)


def test_update_cancel_and_participant_changes(app, world, book, smtp, parsers):
    dialogue_id = book_with_organiser(app, world, book, day=date(2027, 3, 24))
    send_invitations(app, dialogue_id)
    deliver(app)
    seen = len(smtp.recorder.messages)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        uid = dialogue.calendar_uid
        dialogue.current_participants[0].response = ResponseStatus.ACCEPTED
        db.session.commit()
        rebook_dialogue(
            dialogue,
            Booking(
                day=date(2027, 3, 29),
                start=time(9, 0),
                end=time(11, 0),
                location="Nya rummet; plan 2, hus C",
            ),
        )
        db.session.commit()
    deliver(app)
    updates = smtp.recorder.parsed()[seen:]
    seen += len(updates)
    assert len(updates) == 5
    with app.app_context():  # a new time voids the answers given for the old one
        assert {p.response for p in db.session.get(Dialogue, dialogue_id).current_participants} == {
            ResponseStatus.NEEDS_ACTION
        }
    for msg, method, per_parser, _ in _calendars(updates, parsers):
        assert method == "REQUEST" and msg["Subject"].startswith("Uppdaterad:")
        for name, result in per_parser.items():
            event = result["events"][0]
            assert (event["uid"], event["sequence"]) == (uid, 1), name
            assert event["location"] == "Nya rummet; plan 2, hus C", name
            assert event["start_utc"] == int(
                (date(2027, 3, 29).toordinal() - date(1970, 1, 1).toordinal()) * 86400 + 7 * 3600
            ), name  # 09.00 CEST = 07.00 UTC, the day after the change

    # One participant removed: a CANCEL to them, the new attendee list to the rest.
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        keep = [world.contacts[k] for k in ("a1_chef", "a1_ssk", "alfa_lakare", "alfa_vc_chef")]
        set_participants(dialogue, keep)
        db.session.commit()
    deliver(app)
    changed = smtp.recorder.parsed()[seen:]
    seen += len(changed)
    by_method = {}
    for msg, method, per_parser, _ in _calendars(changed, parsers):
        by_method.setdefault(method, []).append((msg, per_parser))
    assert len(by_method["CANCEL"]) == 1 and len(by_method["REQUEST"]) == 4
    cancel_msg, cancel_readings = by_method["CANCEL"][0]
    assert cancel_msg["To"].addresses[0].addr_spec == "at.a1@test.example.org"
    for name, result in cancel_readings.items():
        # Defect kept as a test: uninviting one attendee must not say STATUS:CANCELLED
        # (RFC 5546 3.2.5); the CANCEL lists only the one removed.
        event = result["events"][0]
        assert (event["uid"], event["sequence"], event["status"]) == (uid, 2, None), name
        assert [a["email"].lower().removeprefix("mailto:") for a in event["attendees"]] == [
            "at.a1@test.example.org"
        ], name
    for _, readings in by_method["REQUEST"]:
        for name, result in readings.items():
            assert (
                result["events"][0]["sequence"] == 2 and len(result["events"][0]["attendees"]) == 4
            ), name

    # Added back later: only the newcomer gets the current invitation.
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        set_participants(dialogue, keep + [world.contacts["a1_at"]])
        db.session.commit()
    deliver(app)
    added = smtp.recorder.parsed()[seen:]
    seen += len(added)
    assert len(added) == 1 and added[0]["To"].addresses[0].addr_spec == "at.a1@test.example.org"
    ((_, method, readings, _),) = _calendars(added, parsers)
    assert method == "REQUEST" and all(r["events"][0]["sequence"] == 2 for r in readings.values())

    # Cancelled: a CANCEL with a higher SEQUENCE to everyone.
    with app.app_context():
        cancel_dialogue(db.session.get(Dialogue, dialogue_id), "Vårdcentralen byter lokaler")
        db.session.commit()
    deliver(app)
    cancels = smtp.recorder.parsed()[seen:]
    assert len(cancels) == 5
    for msg, method, per_parser, _ in _calendars(cancels, parsers):
        assert method == "CANCEL" and msg["Subject"].startswith("Inställd:")
        assert "Vårdcentralen byter lokaler" in body_text(msg)
        for result in per_parser.values():
            event = result["events"][0]
            assert (event["uid"], event["sequence"], event["status"]) == (uid, 3, "CANCELLED")
    # Nothing further is queued, and nothing was ever sent twice.
    assert deliver(app).sent == 0
    ids = [m["Message-ID"] for m in smtp.recorder.parsed()]
    assert len(ids) == len(set(ids))


def test_signals_do_nothing_before_invitations_are_sent(app, world, book, smtp):
    dialogue_id = book_with_organiser(app, world, book)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        rebook_dialogue(
            dialogue,
            Booking(day=date(2027, 3, 11), start=time(13, 0), end=time(14, 0), location="Rummet"),
        )
        db.session.commit()
        cancel_dialogue(db.session.get(Dialogue, dialogue_id), "Flyttas till hösten")
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
        assert db.session.get(Dialogue, dialogue_id).calendar_sequence == 0


def test_smtp_down_then_up_delivers_every_message_exactly_once(app, world, book, smtp):
    first = book_with_organiser(app, world, book, home="a1")
    second = book_with_organiser(app, world, book, home="b1")
    smtp.stop()  # the mail server is down while the invitations go out
    assert send_invitations(app, first) + send_invitations(app, second) == 10
    down = deliver(app)
    assert (down.sent, down.retried, down.failed) == (0, 10, 0)
    assert "Kunde inte ansluta" in down.errors[0]
    rows = outbox_rows(app)
    assert all(r.status is OutboxStatus.QUEUED and r.attempts == 1 for r in rows)
    assert all(r.next_attempt_at > now_utc() for r in rows)
    assert deliver(app).sent == 0  # backoff: not due yet

    # Up again, but busy: a 4xx for two messages the first time round.
    smtp.start()
    tries = []

    def busy(count, envelope):
        tries.append(envelope.rcpt_tos[0])
        if len(tries) in (3, 6):  # the third and sixth attempt of this round
            return "451 4.3.0 Tillfälligt fel, försök senare"
        return None

    smtp.recorder.refuse = busy
    later = now_utc() + timedelta(minutes=2)
    up = deliver(app, now=later)
    assert (up.sent, up.retried, up.failed) == (8, 2, 0)
    again = deliver(app, now=later + timedelta(minutes=5))
    assert (again.sent, again.retried, again.failed) == (2, 0, 0)
    assert deliver(app, now=later + timedelta(hours=2)).sent == 0
    ids = [m["Message-ID"] for m in smtp.recorder.parsed()]
    assert len(ids) == 10 and len(set(ids)) == 10
    rows = outbox_rows(app)
    assert {r.message_id for r in rows} == set(ids)
    assert all(r.status is OutboxStatus.SENT for r in rows)
    assert sorted(r.attempts for r in rows) == [2] * 8 + [3] * 2


def test_5xx_gives_up_with_a_visible_error_until_an_admin_retries(app, world, book, smtp, client):
    from tests.conftest import login

    dialogue_id = book_with_organiser(app, world, book)
    send_invitations(app, dialogue_id)
    smtp.recorder.refuse = lambda count, env: (
        "550 5.1.1 Mottagaren finns inte" if env.rcpt_tos[0] == "ssk.a1@test.example.org" else None
    )
    result = deliver(app)
    assert (result.sent, result.failed) == (4, 1)
    failed = [r for r in outbox_rows(app) if r.status is OutboxStatus.FAILED]
    assert len(failed) == 1 and "550" in failed[0].last_error
    assert deliver(app, now=now_utc() + timedelta(days=1)).sent == 0  # given up: not retried

    login(client, "admin")
    page = client.get("/utkorg?status=misslyckad")
    assert page.status_code == 200 and "550 5.1.1 Mottagaren finns inte" in page.text
    smtp.recorder.refuse = None
    response = client.post(f"/utkorg/{failed[0].id}/forsok-igen")
    assert response.status_code == 302
    assert deliver(app).sent == 1
    assert [r[0][0] for r in smtp.recorder.messages].count("ssk.a1@test.example.org") == 1
    assert all(r.status is OutboxStatus.SENT for r in outbox_rows(app))


def test_invitation_kinds_are_recorded(app, world, book, smtp):
    dialogue_id = book_with_organiser(app, world, book)
    send_invitations(app, dialogue_id)
    with app.app_context():
        kinds = db.session.scalars(sa.select(OutboxMessage.kind)).all()
        assert set(kinds) == {MessageKind.INVITATION}
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert all(p.invited_sequence == 0 for p in dialogue.current_participants)


def test_hostile_names_cannot_inject_headers_or_recipients(app, world, book, smtp, parsers):
    from dialog.models import CareHome

    dialogue_id = book_with_organiser(app, world, book)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        home = db.session.get(CareHome, dialogue.care_home_id)
        home.name = "Ängen\r\nBcc: inkraktare@test.example.org"
        dialogue.location = 'Rum "A"; plan 2, hus: C\r\nEND:VEVENT'
        for p in dialogue.current_participants:
            p.name = f'{p.name}, "Smeknamn"; X\r\nCc: inkraktare@test.example.org'
        db.session.commit()
    send_invitations(app, dialogue_id)
    assert deliver(app).sent == 5
    for (rcpt, _), msg in zip(smtp.recorder.messages, smtp.recorder.parsed()):
        assert rcpt == [msg["To"].addresses[0].addr_spec]
        assert msg["Bcc"] is None and msg["Cc"] is None
        assert (
            msg["To"]
            .addresses[0]
            .display_name.endswith(', "Smeknamn"; X Cc: inkraktare@test.example.org')
        )
        assert "Ängen Bcc: inkraktare@test.example.org" in msg["Subject"]
    for _, _, per_parser, _ in _calendars(smtp.recorder.parsed()[:1], parsers):
        for name, result in per_parser.items():
            assert len(result["events"]) == 1, name
            assert result["events"][0]["location"] == 'Rum "A"; plan 2, hus: C\nEND:VEVENT'


def test_a_dead_workers_claim_is_never_stranded(app, world, book, smtp, client):
    """Claimed but never tried: back to the queue as it was. Tried but the outcome unknown:
    sent again with the same Message-ID and shown as resent after an interruption."""
    from tests.conftest import login

    dialogue_id = book_with_organiser(app, world, book)
    send_invitations(app, dialogue_id)
    with app.app_context():
        first, second = db.session.scalars(
            sa.select(OutboxMessage).order_by(OutboxMessage.id).limit(2)
        ).all()
        for row in (first, second):  # a worker claimed both and died
            row.status = OutboxStatus.SENDING
            row.claim_token = "dead-worker"
            row.claimed_at = now_utc() - timedelta(hours=1)
        first.attempt_started_at = now_utc() - timedelta(hours=1)  # it was sending this one
        db.session.commit()
        untried_id, unknown_id = second.id, first.id
        unknown_message_id = first.message_id
    assert deliver(app).sent == 5
    assert deliver(app).sent == 0
    rows = {r.id: r for r in outbox_rows(app)}
    assert all(r.status is OutboxStatus.SENT for r in rows.values())
    assert not rows[untried_id].interrupted and rows[untried_id].attempts == 1
    assert rows[unknown_id].interrupted and rows[unknown_id].attempts == 2
    ids = [m["Message-ID"] for m in smtp.recorder.parsed()]
    assert len(ids) == 5 and ids.count(unknown_message_id) == 1
    login(client, "admin")
    page = client.get("/utkorg")
    assert page.text.count("Skickad igen efter ett avbrott") == 1


def test_a_fresh_claim_is_left_to_its_worker(app, world, book, smtp):
    dialogue_id = book_with_organiser(app, world, book)
    send_invitations(app, dialogue_id)
    with app.app_context():
        row = db.session.scalars(sa.select(OutboxMessage)).first()
        row.status = OutboxStatus.SENDING
        row.claim_token = "live-worker"
        row.claimed_at = now_utc()
        row.attempt_started_at = now_utc()
        db.session.commit()
    assert deliver(app).sent == 4
    statuses = sorted(r.status.value for r in outbox_rows(app))
    assert statuses == ["skickad"] * 4 + ["skickas"]
