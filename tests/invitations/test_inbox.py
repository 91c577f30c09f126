"""The calendars' own answers, read back from a real IMAP server (Dovecot on loopback): replies
in the shapes Outlook, Google, Apple and Thunderbird send (see reply_shapes.py for sources),
appended to the organiser mailbox and read by `flask inbox read`."""

from __future__ import annotations

import logging
import threading
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import AuditEntry, Dialogue, Participant, ResponseStatus
from dialog.models.invitations import (
    CounterProposal,
    CounterStatus,
    InboxMessage,
    InboxOutcome,
    MessageKind,
    OutboxMessage,
    ResponseEvent,
)
from dialog.timeutil import local_to_utc
from tests.conftest import login
from tests.invitations.helpers import book_with_organiser, send_invitations
from tests.invitations.reply_shapes import SHAPES, Reply, google, outlook, thunderbird

NURSE = "ssk.a1@test.example.org"
DONE = "Behandlade kalendersvar"


def _dialogue(app, world, book, **kwargs) -> tuple[int, str]:
    dialogue_id = book_with_organiser(app, world, book, **kwargs)
    send_invitations(app, dialogue_id)
    with app.app_context():
        return dialogue_id, db.session.get(Dialogue, dialogue_id).calendar_uid


def _participant(app, email: str) -> Participant:
    with app.app_context():
        p = db.session.scalar(
            sa.select(Participant).where(
                Participant.email == email, Participant.removed_at.is_(None)
            )
        )
        db.session.expunge(p)
        return p


def _read(runner) -> str:
    result = runner.invoke(args=["inbox", "read"])
    assert result.exit_code == 0, result.output
    return result.output


def _outcomes(app) -> list[InboxOutcome]:
    with app.app_context():
        return list(db.session.scalars(sa.select(InboxMessage.outcome).order_by(InboxMessage.id)))


@pytest.mark.parametrize(
    "shape, partstat, expected",
    [
        ("outlook", "ACCEPTED", ResponseStatus.ACCEPTED),
        ("outlook-with-vtimezone", "DECLINED", ResponseStatus.DECLINED),
        ("google", "ACCEPTED", ResponseStatus.ACCEPTED),
        ("apple", "TENTATIVE", ResponseStatus.TENTATIVE),
        ("thunderbird", "DECLINED", ResponseStatus.DECLINED),
    ],
)
def test_each_calendars_reply_is_recorded_and_moved(
    app, world, book, imap, runner, shape, partstat, expected
):
    dialogue_id, uid = _dialogue(app, world, book)
    imap.append(
        SHAPES[shape](Reply(uid=uid, attendee=NURSE, name="Test SSK a1", partstat=partstat))
    )
    output = _read(runner)
    assert "Läste 1 nya meddelanden: 1 svar registrerat" in output
    nurse = _participant(app, NURSE)
    assert nurse.response is expected
    with app.app_context():
        (event,) = db.session.scalars(sa.select(ResponseEvent)).all()
        assert (event.source.value, event.sequence, event.earlier_time) == ("kalender", 0, False)
    assert _outcomes(app) == [InboxOutcome.APPLIED]
    assert imap.uids("INBOX") == [] and len(imap.uids(DONE)) == 1
    # Read again (a restart): nothing new, nothing changes.
    assert "Läste 0 nya meddelanden" in _read(runner)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ResponseEvent)) == 1


def test_matching_is_case_insensitive_and_follows_an_alias(app, world, book, imap, runner):
    _dialogue_id, uid = _dialogue(app, world, book)
    # The attendee's address in capitals.
    imap.append(outlook(Reply(uid=uid, attendee="SSK.A1@Test.Example.org", partstat="ACCEPTED")))
    # An alias address, made plain by SENT-BY (an assistant's Outlook answering for her).
    imap.append(
        outlook(
            Reply(
                uid=uid,
                attendee="lakaren@vc-alias.example.org",
                sent_by="lakare.alfa@test.example.org",
                sender="lakare.alfa@test.example.org",
                partstat="TENTATIVE",
            )
        )
    )
    # An alias made plain by From: the calendar answered as vc-chefen@..., sent from her address.
    imap.append(
        google(
            Reply(
                uid=uid,
                attendee="vc-chefen@alias.example.org",
                sender="vc_chef.alfa@test.example.org",
                partstat="DECLINED",
            )
        )
    )
    _read(runner)
    assert _participant(app, NURSE).response is ResponseStatus.ACCEPTED
    assert _participant(app, "lakare.alfa@test.example.org").response is ResponseStatus.TENTATIVE
    assert _participant(app, "vc_chef.alfa@test.example.org").response is ResponseStatus.DECLINED
    assert _outcomes(app) == [InboxOutcome.APPLIED] * 3


def test_replies_that_match_nothing_are_ignored_logged_without_text_and_counted(
    app, world, book, imap, runner, client, caplog
):
    from dialog.dialogues.services import cancel_dialogue

    _dialogue_id, uid = _dialogue(app, world, book)
    cancelled_id, cancelled_uid = _dialogue(app, world, book, home="a2", day=date(2027, 3, 11))
    with app.app_context():
        cancel_dialogue(db.session.get(Dialogue, cancelled_id), "Flyttas till hösten")
        db.session.commit()
    secret = "Hemlig kommentar som aldrig får loggas"
    imap.append(outlook(Reply(uid="okand@annan.example.org", attendee=NURSE, comment=secret)))
    imap.append(outlook(Reply(uid=uid, attendee="okand@test.example.org", comment=secret)))
    imap.append(outlook(Reply(uid=cancelled_uid, attendee="ssk.a2@test.example.org")))
    imap.append(
        google(
            Reply(uid=uid, attendee=NURSE, sender="nagon.annan@test.example.org", comment=secret)
        )
    )
    plain = b"From: Test Person <person@test.example.org>\r\nTo: x@example.se\r\nSubject: Fraga\r\nMessage-ID: <plain-1@test>\r\n\r\nEtt vanligt brev om invite.ics och text/calendar.\r\n"
    imap.append(plain)
    with caplog.at_level(logging.DEBUG):
        output = _read(runner)
    assert "1 andra brev lämnades kvar" in output
    assert _outcomes(app) == [
        InboxOutcome.UNMATCHED,
        InboxOutcome.UNMATCHED,
        InboxOutcome.CLOSED,
        InboxOutcome.WRONG_SENDER,
    ]
    assert _participant(app, NURSE).response is ResponseStatus.NEEDS_ACTION
    assert secret not in caplog.text and "okand@" not in caplog.text
    # The ordinary letter stays where it was, unread, for the people who read the mailbox.
    assert len(imap.uids("INBOX")) == 1 and len(imap.uids(DONE)) == 4
    with imap.client_session() as mailbox:
        mailbox.select_folder("INBOX", readonly=True)
        (flags,) = mailbox.get_flags(mailbox.search(["ALL"])).values()
        assert b"\\Seen" not in flags
    login(client, "admin")
    page = client.get("/utkorg").text
    assert "4</span> ignorerade" in page
    assert "Matchar ingen dialog eller deltagare: 2" in page
    assert "Dialogen är inställd eller genomförd: 1" in page
    assert "Avsändaren är inte deltagaren: 1" in page
    with app.app_context():
        stored = " ".join(str(r) for r in db.session.execute(sa.select(InboxMessage)).all())
        assert secret not in stored


def test_a_reply_to_an_earlier_time_is_kept_but_marked(app, world, book, imap, runner, client):
    from dialog.dialogues.services import Booking, rebook_dialogue

    dialogue_id, uid = _dialogue(app, world, book)
    with app.app_context():
        rebook_dialogue(
            db.session.get(Dialogue, dialogue_id),
            Booking(day=date(2027, 3, 12), start=time(9, 0), end=time(11, 0), location="Rummet"),
        )
        db.session.commit()
        assert db.session.get(Dialogue, dialogue_id).time_sequence == 1
    imap.append(thunderbird(Reply(uid=uid, attendee=NURSE, partstat="ACCEPTED", sequence=0)))
    imap.append(
        outlook(Reply(uid=uid, attendee="at.a1@test.example.org", partstat="ACCEPTED", sequence=1))
    )
    _read(runner)
    assert _participant(app, NURSE).response is ResponseStatus.NEEDS_ACTION  # does not count
    assert _participant(app, "at.a1@test.example.org").response is ResponseStatus.ACCEPTED
    with app.app_context():
        events = db.session.scalars(sa.select(ResponseEvent).order_by(ResponseEvent.id)).all()
        assert [(e.sequence, e.earlier_time) for e in events] == [(0, True), (1, False)]
    login(client, "chef_a1")
    page = client.get(f"/dialoger/{dialogue_id}").text
    assert "Test SSK a1 svarade Ja på en tidigare tid (version 0)" in page


def test_delegated_to_makes_the_delegate_a_guarded_stand_in(app, world, book, imap, runner):
    dialogue_id, uid = _dialogue(app, world, book)
    imap.append(
        thunderbird(
            Reply(
                uid=uid,
                attendee="lakare.alfa@test.example.org",
                partstat="DELEGATED",
                delegated_to="Vikarie.Lakare@test.example.org",
                delegate_name="Test Vikarierande Läkare",
            )
        )
    )
    # A delegation to someone already invited adds no one (the stand-in rule).
    imap.append(
        thunderbird(
            Reply(
                uid=uid,
                attendee="vc_chef.alfa@test.example.org",
                partstat="DELEGATED",
                delegated_to=NURSE,
            )
        )
    )
    _read(runner)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        people = {p.email: p for p in dialogue.current_participants}
        assert len(people) == 6
        stand_in = people["vikarie.lakare@test.example.org"]
        assert stand_in.name == "Test Vikarierande Läkare"
        assert stand_in.stand_in_for.email == "lakare.alfa@test.example.org"
        assert stand_in.role is people["lakare.alfa@test.example.org"].role
        assert people["lakare.alfa@test.example.org"].response is ResponseStatus.DECLINED
        assert people["vc_chef.alfa@test.example.org"].response is ResponseStatus.DECLINED
        invited = db.session.scalar(
            sa.select(OutboxMessage).where(
                OutboxMessage.recipient == "vikarie.lakare@test.example.org"
            )
        )
        assert invited is not None and invited.kind is MessageKind.INVITATION
    # The delegate answers from their own calendar like anyone else.
    imap.append(google(Reply(uid=uid, attendee="vikarie.lakare@test.example.org")))
    _read(runner)
    assert _participant(app, "vikarie.lakare@test.example.org").response is ResponseStatus.ACCEPTED


def test_a_comment_with_patient_data_is_dropped_and_the_answer_kept(
    app, world, book, imap, runner, client, caplog
):
    dialogue_id, uid = _dialogue(app, world, book)
    bad = "Kan inte, ska till patient 19121212-1212 i rum 4"
    imap.append(outlook(Reply(uid=uid, attendee=NURSE, partstat="DECLINED", comment=bad)))
    imap.append(
        google(
            Reply(
                uid=uid, attendee="at.a1@test.example.org", comment="Jag kommer tio minuter sent."
            )
        )
    )
    with caplog.at_level(logging.DEBUG):
        _read(runner)
    nurse = _participant(app, NURSE)
    assert nurse.response is ResponseStatus.DECLINED and nurse.response_comment == ""
    therapist = _participant(app, "at.a1@test.example.org")
    assert therapist.response_comment == "Jag kommer tio minuter sent."
    assert "19121212" not in caplog.text
    with app.app_context():
        everything = " ".join(
            str(row)
            for model in (ResponseEvent, AuditEntry, Participant, InboxMessage)
            for row in db.session.execute(sa.select(model)).all()
        )
        everything += " ".join(
            str(c) for c in db.session.scalars(sa.select(AuditEntry.changes)).all()
        )
        assert "19121212" not in everything
        dropped = db.session.scalar(sa.select(ResponseEvent).where(ResponseEvent.comment_dropped))
        assert dropped is not None and dropped.comment == ""
    login(client, "chef_a1")
    page = client.get(f"/dialoger/{dialogue_id}").text
    assert "togs bort eftersom den kunde innehålla patientuppgifter. Svaret är registrerat" in page


def test_the_same_message_twice_and_a_restart_change_nothing(app, world, book, imap, runner):
    _dialogue_id, uid = _dialogue(app, world, book)
    raw = google(Reply(uid=uid, attendee=NURSE, partstat="ACCEPTED", message_id="<samma@test>"))
    imap.append(raw)
    imap.append(raw)  # delivered twice
    output = _read(runner)
    assert "1 svar registrerat" in output and "1 redan behandlade" in output
    # A restart that lost its place (the cursor) and finds the message back in the inbox.
    with app.app_context():
        db.session.execute(sa.text("DELETE FROM inbox_cursor"))
        db.session.commit()
    imap.append(raw)
    assert "1 redan behandlade" in _read(runner)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ResponseEvent)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxMessage)) == 1
    assert imap.uids("INBOX") == [] and len(imap.uids(DONE)) == 3


def test_a_malformed_message_never_stops_the_loop(app, world, book, imap, runner):
    _dialogue_id, uid = _dialogue(app, world, book)
    imap.append(google(Reply(uid=uid, attendee=NURSE)))
    broken = (
        b"From: trasig@test.example.org\r\nTo: x@example.se\r\nSubject: Trasig\r\n"
        b"Message-ID: <trasig@test>\r\nContent-Type: text/calendar; method=REPLY\r\n\r\n"
        b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nDTSTART:inte-ett-datum\r\n"
    )
    imap.append(broken)
    imap.append(b"\x00\xff not even a mail \r\n\r\n" + b"\x80" * 50)
    imap.append(outlook(Reply(uid=uid, attendee="at.a1@test.example.org", partstat="TENTATIVE")))
    output = _read(runner)
    assert "2 svar registrerat" in output and "1 kunde inte läsas" in output
    assert _participant(app, NURSE).response is ResponseStatus.ACCEPTED
    assert _participant(app, "at.a1@test.example.org").response is ResponseStatus.TENTATIVE


def test_two_readers_at_once_apply_each_message_once(app, world, book, imap):
    from dialog.invitations.inbox.worker import read_once

    uids = {}
    for home, day in (("a1", date(2027, 3, 10)), ("b1", date(2027, 3, 12))):
        dialogue_id, uid = _dialogue(app, world, book, home=home, day=day)
        uids[dialogue_id] = uid
    with app.app_context():
        people = db.session.execute(
            sa.select(Participant.email, Dialogue.calendar_uid).join(Dialogue)
        ).all()
    shapes = list(SHAPES.values())
    for i, (email, uid) in enumerate(people):
        imap.append(shapes[i % len(shapes)](Reply(uid=uid, attendee=email, partstat="ACCEPTED")))
    results, errors = [], []
    start = threading.Barrier(2)

    def reader():
        try:
            with app.app_context():
                start.wait()
                results.append(read_once())
                db.session.remove()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert sum(r.handled for r in results) == len(people)
    with app.app_context():
        counted = db.session.execute(
            sa.select(ResponseEvent.participant_id, sa.func.count()).group_by(
                ResponseEvent.participant_id
            )
        ).all()
        assert len(counted) == len(people) and {n for _, n in counted} == {1}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxMessage)) == len(
            people
        )
        responses = db.session.scalars(sa.select(Participant.response)).all()
        assert set(responses) == {ResponseStatus.ACCEPTED}


def test_counter_proposal_accept_rebooks_and_decline_sends_declinecounter(
    app, world, book, imap, runner, client, parsers
):
    from email import message_from_bytes
    from email.policy import default as default_policy

    from tests.invitations.support import calendar_parts, part_text

    dialogue_id, uid = _dialogue(app, world, book)
    proposed_start = local_to_utc(date(2027, 3, 17), time(9, 0))
    imap.append(
        outlook(
            Reply(
                uid=uid,
                attendee=NURSE,
                method="COUNTER",
                partstat="TENTATIVE",
                start=proposed_start,
                end=proposed_start + timedelta(hours=2),
                comment="Onsdag förmiddag passar alla bättre.",
            )
        )
    )
    imap.append(
        google(
            Reply(
                uid=uid,
                attendee="at.a1@test.example.org",
                method="COUNTER",
                start=proposed_start + timedelta(days=1),
                end=proposed_start + timedelta(days=1, hours=2),
            )
        )
    )
    assert "2 förslag på ny tid" in _read(runner)
    login(client, "chef_a1")
    page = client.get(f"/dialoger/{dialogue_id}").text
    assert "Test SSK a1</strong> föreslår 2027-03-17 kl. 09.00–11.00" in page
    assert "Onsdag förmiddag passar alla bättre." in page
    with app.app_context():
        nurse_proposal, other_proposal = db.session.scalars(
            sa.select(CounterProposal).order_by(CounterProposal.id)
        ).all()
    # Decline the therapist's: a DECLINECOUNTER to them alone.
    response = client.post(f"/dialoger/{dialogue_id}/forslag/{other_proposal.id}/avboj")
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(
            sa.select(OutboxMessage).where(OutboxMessage.kind == MessageKind.DECLINE_COUNTER)
        )
        assert row.recipient == "at.a1@test.example.org"
        msg = message_from_bytes(row.raw, policy=default_policy)
    inline, _attachment = calendar_parts(msg)
    assert inline.get_param("method") == "DECLINECOUNTER"
    for name, read in parsers.items():
        reading = read(part_text(inline))
        assert reading["method"] == "DECLINECOUNTER", name
        assert reading["events"][0]["uid"] == uid, name
    # Accept the nurse's: rebooked, a new SEQUENCE to everyone.
    response = client.post(f"/dialoger/{dialogue_id}/forslag/{nurse_proposal.id}/godta")
    assert response.status_code == 302
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        assert dialogue.starts_at == proposed_start and dialogue.calendar_sequence == 1
        updates = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.kind == MessageKind.UPDATE)
        ).all()
        assert len(updates) == 5 and {u.sequence for u in updates} == {1}
        statuses = [
            c.status
            for c in db.session.scalars(sa.select(CounterProposal).order_by(CounterProposal.id))
        ]
        assert statuses == [CounterStatus.ACCEPTED, CounterStatus.DECLINED]
    # Deciding twice is refused with a message, nothing changes.
    again = client.post(
        f"/dialoger/{dialogue_id}/forslag/{nurse_proposal.id}/godta", follow_redirects=True
    )
    assert "redan besvarat" in again.text


def test_inbox_read_fails_when_the_mailbox_cannot_be_reached(app, runner):
    from tests.invitations.support import free_port

    app.config.update(
        IMAP_HOST="127.0.0.1", IMAP_PORT=free_port(), IMAP_SECURITY="none", IMAP_USER="x"
    )
    result = runner.invoke(args=["inbox", "read"])
    assert result.exit_code != 0 and "Kunde inte nå organisatörens brevlåda" in result.output
    app.config["IMAP_HOST"] = None
    result = runner.invoke(args=["inbox", "read"])
    assert result.exit_code != 0 and "DIALOG_IMAP_HOST" in result.output


def test_wrong_password_is_an_unreachable_mailbox(app, imap, runner):
    app.config["IMAP_PASSWORD"] = "fel-losenord"
    result = runner.invoke(args=["inbox", "read"])
    assert result.exit_code != 0 and "Kunde inte nå organisatörens brevlåda" in result.output


@pytest.fixture(scope="module")
def dovecot_tls():
    from tests.conftest import require_tool
    from tests.invitations.dovecot import DovecotServer, dovecot_available

    require_tool(dovecot_available(), "Dovecot (dovecot-imapd) run as root")
    server = DovecotServer(tls=True).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_the_mailbox_over_tls_with_a_verified_certificate(
    app, world, book, dovecot_tls, runner, security
):
    dovecot_tls.empty()
    _dialogue_id, uid = _dialogue(app, world, book)
    dovecot_tls.append(google(Reply(uid=uid, attendee=NURSE, partstat="TENTATIVE")))
    app.config.update(
        dovecot_tls.config_for_app()
        | {
            "IMAP_SECURITY": security,
            "IMAP_PORT": dovecot_tls.tls_port if security == "ssl" else dovecot_tls.port,
        }
    )
    # A certificate nobody vouches for is refused: nothing is read.
    refused = runner.invoke(args=["inbox", "read"])
    assert refused.exit_code != 0 and "CERTIFICATE_VERIFY_FAILED" in refused.output
    app.config["IMAP_CA_FILE"] = str(dovecot_tls.cafile)
    assert "1 svar registrerat" in _read(runner)
    assert _participant(app, NURSE).response is ResponseStatus.TENTATIVE
