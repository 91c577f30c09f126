"""Answer links: no login, signed, expiring, single-use; comments guarded; stand-ins invited."""

from __future__ import annotations

import re
from datetime import date, timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from dialog.extensions import db
from dialog.models import AuditEntry, Dialogue, Participant, ResponseStatus
from dialog.models.invitations import MessageKind, OutboxMessage, ResponseEvent
from dialog.timeutil import now_utc
from tests.invitations.helpers import answer_links, book_with_organiser, send_invitations


def _links_for(app, email: str) -> list[str]:
    with app.app_context():
        row = db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.recipient == email)
            .order_by(OutboxMessage.id.desc())
        ).first()
        msg = message_from_bytes(row.raw, policy=default_policy)
    return answer_links(msg.get_body(preferencelist=("plain",)).get_content())


def _path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _participant(app, email):
    with app.app_context():
        p = db.session.scalar(
            sa.select(Participant).where(
                Participant.email == email, Participant.removed_at.is_(None)
            )
        )
        db.session.expunge(p)
        return p


def test_the_same_link_changes_the_answer_until_the_meeting_starts(app, world, book, client):
    dialogue_id = book_with_organiser(app, world, book)
    send_invitations(app, dialogue_id)
    yes, no, maybe = _links_for(app, "ssk.a1@test.example.org")
    page = client.get(_path(yes))
    assert page.status_code == 200
    assert "Svara på kallelsen" in page.text
    assert re.search(r'<input checked[^>]*value="ja"', page.text)  # the link's answer is chosen
    response = client.post(
        _path(yes), data={"response": "ja", "comment": "Jag kommer tio minuter sent."}
    )
    assert response.status_code == 200 and "Tack för ditt svar" in response.text
    assert "samma länk" in response.text
    p = _participant(app, "ssk.a1@test.example.org")
    assert p.response is ResponseStatus.ACCEPTED and p.responded_at is not None
    assert p.response_comment == "Jag kommer tio minuter sent."
    # Changing one's mind with the same link (any of its variants): yes -> no -> maybe -> yes.
    for url, code, expected in (
        (no, "nej", ResponseStatus.DECLINED),
        (maybe, "kanske", ResponseStatus.TENTATIVE),
        (yes, "ja", ResponseStatus.ACCEPTED),
    ):
        again = client.post(_path(url), data={"response": code})
        assert again.status_code == 200 and "Tack för ditt svar" in again.text
        assert _participant(app, "ssk.a1@test.example.org").response is expected
    page = client.get(_path(no))
    assert "Dina tidigare svar (4)" in page.text and "Nuvarande svar</dt><dd>Ja" in page.text
    with app.app_context():
        history = db.session.scalars(
            sa.select(ResponseEvent.response).order_by(ResponseEvent.id)
        ).all()
        assert [h.value for h in history] == ["accepted", "declined", "tentative", "accepted"]
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "svarade på kallelse")
            )
            == 4
        )
        # The meeting starts: the link stops working, and the page says who to ask.
        dialogue = db.session.get(Dialogue, dialogue_id)
        dialogue.starts_at = now_utc() - timedelta(minutes=5)
        db.session.commit()
    late = client.post(_path(no), data={"response": "nej"})
    assert late.status_code == 410 and "Mötet har redan börjat" in late.text
    assert "Test chef_a1" in late.text and "mailto:chef_a1@test.example.org" in late.text
    assert _participant(app, "ssk.a1@test.example.org").response is ResponseStatus.ACCEPTED


def test_link_stops_when_removed_or_held_and_names_the_organiser(app, world, book, client):
    from dialog.dialogues.services import set_participants
    from dialog.models import DialogueStatus

    dialogue_id = book_with_organiser(app, world, book)
    send_invitations(app, dialogue_id)
    nurse = _links_for(app, "ssk.a1@test.example.org")[0]
    therapist = _links_for(app, "at.a1@test.example.org")[0]
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        keep = [world.contacts[k] for k in ("a1_chef", "a1_ssk", "alfa_lakare", "alfa_vc_chef")]
        set_participants(dialogue, keep)
        db.session.commit()
    removed = client.post(_path(therapist), data={"response": "ja"})
    assert removed.status_code == 410 and "Du är inte längre kallad" in removed.text
    assert "chef_a1@test.example.org" in removed.text
    with app.app_context():
        db.session.get(Dialogue, dialogue_id).status = DialogueStatus.HELD
        db.session.commit()
    held = client.get(_path(nurse))
    assert held.status_code == 410 and "redan genomförd" in held.text
    assert "Test chef_a1" in held.text
    assert _participant(app, "ssk.a1@test.example.org").response is ResponseStatus.NEEDS_ACTION


def test_tampered_and_expired_links_change_nothing(app, world, book, client):
    dialogue_id = book_with_organiser(app, world, book)
    send_invitations(app, dialogue_id)
    yes = _links_for(app, "ssk.a1@test.example.org")[0]
    token = yes.rsplit("/", 1)[1].split("?")[0]
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.post(f"/svar/{tampered}", data={"response": "nej"})
    assert response.status_code == 404 and "Länken är ogiltig" in response.text
    # Someone else's participant id with a forged signature:
    forged = URLSafeTimedSerializer("not-the-secret", salt="dialog-answer-link-v1").dumps(
        {"p": 1, "n": "x" * 32}
    )
    assert client.get(f"/svar/{forged}").status_code == 404
    app.config["ANSWER_LINK_DAYS"] = -1  # every link is now older than its lifetime
    response = client.post(f"/svar/{token}", data={"response": "nej"})
    assert response.status_code == 410 and "gått ut" in response.text
    assert "mailto:chef_a1@test.example.org" in response.text  # still says who to ask
    assert _participant(app, "ssk.a1@test.example.org").response is ResponseStatus.NEEDS_ACTION


def test_patient_data_in_comment_is_refused_and_not_stored(app, world, book, client):
    dialogue_id = book_with_organiser(app, world, book)
    send_invitations(app, dialogue_id)
    yes = _links_for(app, "ssk.a1@test.example.org")[0]
    bad = "Kan inte, ska till patient 19121212-1212"
    response = client.post(_path(yes), data={"response": "nej", "comment": bad})
    assert response.status_code == 400 and "patientuppgifter" in response.text
    p = _participant(app, "ssk.a1@test.example.org")
    assert p.response is ResponseStatus.NEEDS_ACTION and "1212" not in p.response_comment
    with app.app_context():
        logged = db.session.scalars(sa.select(AuditEntry.changes)).all()
        assert not any("19121212" in str(c) for c in logged)
    # Nothing was recorded, and the link still works.
    ok = client.post(_path(yes), data={"response": "nej", "comment": "Krockar med annat möte"})
    assert ok.status_code == 200


def test_stand_in_gets_own_invitation_and_counts_for_the_seat(app, world, book, client):
    dialogue_id = book_with_organiser(app, world, book)
    send_invitations(app, dialogue_id)
    no = _links_for(app, "lakare.alfa@test.example.org")[1]
    invalid = client.post(
        _path(no),
        data={
            "response": "nej",
            "stand_in_name": "Test Ersättare",
            "stand_in_email": "inte en adress",
            "stand_in_role": "sabo_lakare",
        },
    )
    assert invalid.status_code == 400 and "inte giltig" in invalid.text
    response = client.post(
        _path(no),
        data={
            "response": "nej",
            "stand_in_name": 'Test "Ersättare", läkare;\nX',
            "stand_in_email": "ersattare@test.example.org",
            "stand_in_role": "sabo_lakare",
        },
    )
    assert response.status_code == 200 and "egen kallelse" in response.text
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        substitute = next(
            p for p in dialogue.current_participants if p.email == "ersattare@test.example.org"
        )
        assert substitute.stand_in_for.email == "lakare.alfa@test.example.org"
        assert substitute.name == 'Test "Ersättare", läkare; X'
        assert substitute.invited_sequence == dialogue.calendar_sequence
        row = db.session.scalar(
            sa.select(OutboxMessage).where(OutboxMessage.recipient == "ersattare@test.example.org")
        )
        assert row.kind is MessageKind.INVITATION
        msg = message_from_bytes(row.raw, policy=default_policy)
        assert msg["To"].addresses[0].display_name == 'Test "Ersättare", läkare; X'
        assert msg["To"].addresses[0].addr_spec == "ersattare@test.example.org"
    # The stand-in answers yes with their own link.
    yes = _links_for(app, "ersattare@test.example.org")[0]
    assert client.post(_path(yes), data={"response": "ja"}).status_code == 200
    assert _participant(app, "ersattare@test.example.org").response is ResponseStatus.ACCEPTED


def test_no_answers_to_a_cancelled_dialogue(app, world, book, client):
    from dialog.dialogues.services import cancel_dialogue

    dialogue_id = book_with_organiser(app, world, book, day=date(2027, 4, 7))
    send_invitations(app, dialogue_id)
    yes = _links_for(app, "ssk.a1@test.example.org")[0]
    with app.app_context():
        cancel_dialogue(db.session.get(Dialogue, dialogue_id), "Flyttas")
        db.session.commit()
    response = client.post(_path(yes), data={"response": "ja"})
    assert response.status_code == 410 and "Dialogen är inställd" in response.text
    assert "Test chef_a1" in response.text
