"""In Chromium: send invitations, answer through the links that arrived over SMTP, and watch
the representation panel turn complete. Screenshots and axe-core on every page."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from tests.invitations.helpers import answer_links, body_text, book_with_organiser, deliver
from tests.support.browser import axe_violations, describe_violations, login_in_browser, screenshot
from tests.support.world import PASSWORD

pytestmark = pytest.mark.browser


def _axe_clean(page):
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_send_answer_and_representation_turns_complete(
    app, world, book, smtp, live_server, page, browser
):
    dialogue_id = book_with_organiser(app, world, book, day=date(2027, 4, 14))
    login_in_browser(page, live_server.url, "chef_a1", PASSWORD)
    page.goto(f"{live_server.url}/dialoger/{dialogue_id}")
    assert page.locator(".rep-status").get_attribute("data-complete") == "false"
    page.get_by_role("button", name="Skicka kallelser (5)").click()
    page.get_by_text("5 kallelser har lagts i utkorgen").wait_for()
    _axe_clean(page)
    screenshot(page, "invitations-dialogue-sent")

    assert deliver(app).sent == 5
    arrived = {m["To"].addresses[0].addr_spec: body_text(m) for m in smtp.recorder.parsed()}
    assert len(arrived) == 5

    guest = browser.new_context(viewport={"width": 820, "height": 1000}, locale="sv-SE")
    answer_page = guest.new_page()
    try:
        for number, (_email, text) in enumerate(sorted(arrived.items())):
            yes = next(link for link in answer_links(text) if link.endswith("?svar=ja"))
            answer_page.goto(live_server.url + yes[yes.index("/svar/") :])
            assert answer_page.get_by_label("Ja, jag kommer").is_checked()
            if number == 0:
                answer_page.get_by_label("Kommentar (valfri)").fill(
                    "Jag tar med förra årets åtgärder."
                )
                _axe_clean(answer_page)
                screenshot(answer_page, "invitations-answer-form")
            answer_page.get_by_role("button", name="Skicka svar").click()
            answer_page.get_by_role("heading", name="Tack för ditt svar").wait_for()
            if number == 0:
                _axe_clean(answer_page)
                screenshot(answer_page, "invitations-answer-done")
                # The same link again: the answer so far, ready to be changed.
                answer_page.goto(live_server.url + yes[yes.index("/svar/") :])
                answer_page.get_by_text("Dina tidigare svar (1)").wait_for()
                _axe_clean(answer_page)
                screenshot(answer_page, "invitations-answer-again")
            if number == 3:
                page.reload()
                assert page.locator(".rep-status").get_attribute("data-complete") == "false"
                screenshot(page, "invitations-representation-incomplete")
    finally:
        guest.close()

    page.reload()
    status = page.locator(".rep-status")
    assert status.get_attribute("data-complete") == "true"
    assert "Full representation" in status.inner_text()
    assert page.locator(".seat-badge-bekraftad").count() == 5
    _axe_clean(page)
    screenshot(page, "invitations-representation-complete")

    page.goto(f"{live_server.url}/arsoversikt?ar=2027")
    page.get_by_text("Full representation").wait_for()
    _axe_clean(page)
    screenshot(page, "invitations-year-view")


def test_outbox_and_account_pages_are_accessible(app, world, book, live_server, page):
    dialogue_id = book_with_organiser(app, world, book, day=date(2027, 4, 14))
    book_with_organiser(
        app, world, book, home="a2", day=date(2027, 4, 15), contact_keys=["a2_chef"]
    )
    login_in_browser(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/arsoversikt?ar=2027")
    page.locator(f'input[name="dialogue_ids"][value="{dialogue_id}"]').check()
    page.get_by_role("button", name="Skicka kallelser för markerade").click()
    page.get_by_text("5 kallelser har lagts i utkorgen").wait_for()
    assert page.get_by_text("Representation saknas: Sjuksköterska").count() == 1
    _axe_clean(page)
    screenshot(page, "invitations-year-bulk-sent")
    page.get_by_role("link", name="Utkorg").click()
    page.get_by_role("heading", name="Utkorg").wait_for()
    assert page.locator(".outbox-table tbody tr").count() == 5
    _axe_clean(page)
    screenshot(page, "invitations-outbox")
    page.get_by_role("link", name="Öppna meddelande").first.click()
    page.get_by_text("text/calendar (method=REQUEST)").wait_for()
    _axe_clean(page)
    screenshot(page, "invitations-outbox-message")
    page.goto(f"{live_server.url}/konto")
    page.get_by_role("button", name="Skapa kalenderflöde").click()
    assert "/kalender/" in page.get_by_label("Adress att prenumerera på").input_value()
    _axe_clean(page)
    screenshot(page, "invitations-feed-created")


def test_calendar_answers_on_the_dialogue_and_outbox_pages(
    app, world, book, imap, runner, live_server, page, browser
):
    """Replies read from the mailbox, as the organiser and the administrator see them: a
    proposed new time with accept/decline, a dropped comment, an answer to an earlier time,
    the mailbox counts; and the page a closed link shows. At 1280 px and at a phone's 390 px."""
    import sqlalchemy as sa

    from dialog.dialogues.services import set_participants
    from dialog.extensions import db
    from dialog.models import Dialogue
    from dialog.models.invitations import OutboxMessage
    from dialog.timeutil import local_to_utc
    from tests.invitations.helpers import send_invitations
    from tests.invitations.reply_shapes import Reply, google, outlook, thunderbird

    dialogue_id = book_with_organiser(app, world, book, day=date(2027, 4, 14))
    send_invitations(app, dialogue_id)
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        uid = dialogue.calendar_uid
        row = db.session.scalar(
            sa.select(OutboxMessage).where(OutboxMessage.recipient == "at.a1@test.example.org")
        )
        body = row.raw
    from email import message_from_bytes
    from email.policy import default as default_policy

    link = answer_links(body_text(message_from_bytes(body, policy=default_policy)))[0]
    start = local_to_utc(date(2027, 4, 15), time(9, 0))
    imap.append(
        outlook(
            Reply(
                uid=uid,
                attendee="ssk.a1@test.example.org",
                method="COUNTER",
                partstat="TENTATIVE",
                start=start,
                end=start + timedelta(hours=2),
                comment="Torsdag förmiddag passar bättre för nattpersonalen.",
            )
        )
    )
    imap.append(
        google(
            Reply(
                uid=uid,
                attendee="lakare.alfa@test.example.org",
                partstat="DECLINED",
                comment="Ring 070-123 45 67 om patient 19121212-1212",
            )
        )
    )
    imap.append(thunderbird(Reply(uid=uid, attendee="vc_chef.alfa@test.example.org")))
    imap.append(outlook(Reply(uid="okand@annan.example.org", attendee="x@test.example.org")))
    assert runner.invoke(args=["inbox", "read"]).exit_code == 0

    login_in_browser(page, live_server.url, "chef_a1", PASSWORD)
    page.goto(f"{live_server.url}/dialoger/{dialogue_id}#forslag")
    page.get_by_text("Förslag på ny tid").wait_for()
    page.get_by_text("togs bort eftersom den kunde innehålla patientuppgifter").wait_for()
    assert "19121212" not in page.content()
    _axe_clean(page)
    screenshot(page, "invitations-calendar-answers")
    page.set_viewport_size({"width": 390, "height": 900})
    screenshot(page, "invitations-calendar-answers-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Avböj förslaget från Test SSK a1").click()
    page.get_by_text("Förslaget är avböjt").wait_for()
    _axe_clean(page)

    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    admin_page = admin.new_page()
    try:
        login_in_browser(admin_page, live_server.url, "admin", PASSWORD)
        admin_page.goto(f"{live_server.url}/utkorg")
        admin_page.get_by_text("Kalendersvar i organisatörens brevlåda").wait_for()
        assert "Matchar ingen dialog eller deltagare: 1" in admin_page.content()
        _axe_clean(admin_page)
        screenshot(admin_page, "invitations-outbox-inbox-counts")
    finally:
        admin.close()

    # The therapist is removed: their link now names the organiser and how to reach them.
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        keep = [world.contacts[k] for k in ("a1_chef", "a1_ssk", "alfa_lakare", "alfa_vc_chef")]
        set_participants(dialogue, keep)
        db.session.commit()
    guest = browser.new_context(viewport={"width": 390, "height": 800}, locale="sv-SE")
    guest_page = guest.new_page()
    try:
        guest_page.goto(live_server.url + link[link.index("/svar/") :])
        guest_page.get_by_role("heading", name="Du är inte längre kallad").wait_for()
        assert "chef_a1@test.example.org" in guest_page.content()
        _axe_clean(guest_page)
        screenshot(guest_page, "invitations-link-closed-phone")
    finally:
        guest.close()
