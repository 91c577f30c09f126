"""Helpers for the single sign-on browser tests."""

from __future__ import annotations

import json

import sqlalchemy as sa

from dialog.extensions import db
from dialog.models import AuditEntry, OidcIdentity
from tests.support.browser import axe_violations, describe_violations, screenshot


def assert_accessible(page, name: str):
    violations = axe_violations(page)
    screenshot(page, name)
    assert violations == [], describe_violations(violations)


def sign_in_at_provider(page, login: str):
    """The provider's own login page: fill in who we are and submit."""
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("vilket-som-helst")
    page.locator("button[type=submit]").click()


def sso_login(page, base: str, button: str, login: str):
    page.goto(f"{base}/logga-in")
    page.get_by_role("link", name=button).click()
    sign_in_at_provider(page, login)
    page.wait_for_url(lambda url: url.startswith(base))
    page.wait_for_load_state()


def audit_rows(app, action_prefix: str) -> list[AuditEntry]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action.startswith(action_prefix))
        ).all()
        db.session.expunge_all()
        return rows


def all_audit_text(app) -> str:
    with app.app_context():
        rows = db.session.scalars(sa.select(AuditEntry)).all()
        return json.dumps([[r.action, r.summary, r.changes] for r in rows], ensure_ascii=False)


def identities(app) -> list[tuple[int, str, str]]:
    with app.app_context():
        return [
            (i.user_id, i.issuer, i.subject)
            for i in db.session.scalars(sa.select(OidcIdentity).order_by(OidcIdentity.id))
        ]
