from datetime import date

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import Participant, ResponseStatus
from dialog.models.invitations import MessageKind, OutboxMessage
from tests.invitations.helpers import book_with_organiser, send_invitations


def test_reminders_go_once_to_those_who_have_not_answered(app, world, book, runner):
    dialogue_id = book_with_organiser(app, world, book, day=date(2027, 3, 10))
    send_invitations(app, dialogue_id)
    with app.app_context():
        nurse = db.session.scalar(
            sa.select(Participant).where(Participant.email == "ssk.a1@test.example.org")
        )
        nurse.response = ResponseStatus.ACCEPTED
        db.session.commit()
    early = runner.invoke(args=["reminders", "send", "--now", "2027-02-20T08:00:00"])
    assert "Köade 0" in early.output
    due = runner.invoke(args=["reminders", "send", "--now", "2027-03-04T08:00:00"])
    assert "Köade 5" in due.output, due.output  # 4 unanswered + 1 summary to the organiser
    again = runner.invoke(args=["reminders", "send", "--now", "2027-03-05T08:00:00"])
    assert "Köade 0" in again.output
    with app.app_context():
        rows = db.session.scalars(
            sa.select(OutboxMessage).where(
                OutboxMessage.kind.in_([MessageKind.REMINDER, MessageKind.SUMMARY])
            )
        ).all()
        reminded = sorted(r.recipient for r in rows if r.kind is MessageKind.REMINDER)
        assert "ssk.a1@test.example.org" not in reminded and len(reminded) == 4
        (summary,) = [r for r in rows if r.kind is MessageKind.SUMMARY]
        assert summary.recipient == "chef_a1@test.example.org"
        assert "/svar/" in rows[0].raw.decode()


def test_outbox_cli_sends_once(app, world, book, runner):
    dialogue_id = book_with_organiser(app, world, book)
    send_invitations(app, dialogue_id)
    assert "Skickade 5" in runner.invoke(args=["outbox", "send"]).output
    assert "Skickade 0" in runner.invoke(args=["outbox", "send"]).output
    assert "stannat" in runner.invoke(args=["outbox", "work", "--once"]).output
