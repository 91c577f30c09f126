"""The form crawler (crawler.py) as every role: no answer is a 500, nothing of a refused request
is stored, and no request reaches the database with a number or a text it cannot take (the
error handlers' safety nets in dialog/errors.py must never be what catches it)."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

import pytest

from dialog.extensions import db
from dialog.models import (
    Action,
    ActionNote,
    ActionStatus,
    Area,
    Dialogue,
    DialogueStatus,
    Finding,
    FindingKind,
    Participant,
    Party,
    User,
)
from tests.conftest import DB_KIND, login
from tests.documents import helpers as document_helpers

from .crawler import Crawler

# Every role once (the anonymous visitor too): what differs between two users of the same role
# is their scope, which the authorisation tests cover.
ROLES = [None, "admin", "regional_norr", "mas_a", "chef_a1", "vc_alfa"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TOTALS: dict = {}


def _seed(app, world, book) -> dict[str, list]:
    """A world with something behind every kind of id: dialogues of two years (one held and
    documented with a finding, an action and a note), an uploaded template, an outbox message,
    an API token and a calendar feed."""
    from dialog.documents import services as documents
    from dialog.documents.kinds import KINDS
    from dialog.followup.tokens import create_token
    from dialog.invitations import queue_invitations
    from dialog.invitations.feeds import create_feed
    from dialog.invitations.links import make_token
    from dialog.models.invitations import OutboxMessage

    old = book("a1", date(2026, 3, 11))
    new = book("a1", date(2027, 3, 10))
    other = book("c1", date(2027, 3, 11))
    with app.app_context():
        admin = db.session.get(User, world.users["admin"])
        held = db.session.get(Dialogue, old)
        held.status = DialogueStatus.DOCUMENTED
        area_id = db.session.scalar(db.select(Area.id).where(Area.region_id.is_(None)))
        finding = Finding(
            dialogue_id=old,
            kind=FindingKind.RISK,
            area_id=area_id,
            description="Rutinen för läkemedelsgenomgång följs inte alltid.",
        )
        action = Action(
            dialogue_id=old,
            finding=finding,
            description="Inför en checklista.",
            responsible_party=Party.JOINT,
            due_date=date(2026, 9, 30),
            status=ActionStatus.IN_PROGRESS,
        )
        db.session.add_all([finding, action])
        db.session.add(ActionNote(action=action, note_date=date(2026, 5, 1), text="Påbörjad."))
        template = documents.upload_template(
            KINDS["agenda"],
            None,
            document_helpers.simple_template(["{{ home.name }}"]),
            "egen.docx",
            "",
            admin,
        )
        queue_invitations(db.session.get(Dialogue, new))
        _, api_token = create_token(admin, "Crawler")
        feed = create_feed(admin)
        db.session.commit()
        participant = db.session.scalar(
            db.select(Participant).where(Participant.dialogue_id == new)
        )
        answer = make_token(participant)
        message = db.session.scalar(db.select(OutboxMessage.id))
        seeds = {
            "dialogue_id": [new, old, other],
            "home_id": [world.homes["a1"], world.homes["c1"]],
            "action_id": [action.id],
            "finding_id": [finding.id],
            "template_id": [template.id],
            "user_id": [world.users["mas_b"]],
            "contact_id": [world.contacts["a1_ssk"]],
            "centre_id": [world.centres["alfa"]],
            "municipality_id": [world.municipalities["A"]],
            "region_id": [world.regions["norr"]],
            "message_id": [message],
            "token_id": [1],
            "object_id": [world.homes["a2"]],
            "documents.download:kind": ["agenda"],
            "documents.default_file:kind": ["agenda"],
            "documents.default_preview:kind": ["agenda"],
            "registers.toggle_active:kind": ["boenden"],
            "followup.items:kind": ["boenden"],
            "followup.export_csv:table": ["dialoger"],
            "followup.chart:name": ["tackning"],
            "invitations.answer:token": [answer],
            "invitations.feed:token": [feed],
        }
        return seeds, api_token


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_crawler_finds_no_500_and_refused_requests_store_nothing(
    app, client, world, book, role, caplog
):
    seeds, api_token = _seed(app, world, book)
    if role:
        login(client, role)
    crawler = Crawler(app, client, seeds, heavy=role in (None, "admin"))
    assert not logging.getLogger("dialog.errors").disabled  # else the check below sees nothing
    with caplog.at_level(logging.WARNING, logger="dialog.errors"):
        crawler.run()
    if role:  # the crawl did not lose its session on the way (it would then prove little)
        assert client.get("/konto").status_code == 200
    assert crawler.requests > 150
    assert not crawler.failures, "\n".join(crawler.failures[:40])
    nets = [r.getMessage() for r in caplog.records if r.name == "dialog.errors"]
    assert not nets, "reached the database unchecked:\n" + "\n".join(nets[:20])
    _record(role, crawler)


def _record(role, crawler) -> None:
    """Counts per database in test-artifacts/crawler-<db>.json (for the report)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"crawler-{DB_KIND}.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[role or "anonymous"] = {
        "requests": crawler.requests,
        "forms": len(crawler.forms),
        "statuses": {str(k): v for k, v in sorted(crawler.statuses.items())},
        "phases": crawler.timings,
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))


def test_the_crawler_notices_a_refused_request_that_stored_something(app, client, world):
    """The check above can fail: a route that stores a row and then answers 400 is caught."""
    from dialog.models import Region

    def leaky():
        db.session.add(Region(name="Läckan"))
        db.session.commit()
        return "nej", 400

    app.add_url_rule("/test-lacka", "test_leaky", leaky, methods=["POST"])
    crawler = Crawler(app, client, {}, heavy=False)
    crawler.send("POST", "/test-lacka", data={}, check_refusal=True)
    assert crawler.failures and "stored {'region': (2, 3)}" in crawler.failures[0]
