"""The read-only JSON API: tokens, authentication, scope, pagination, and its OpenAPI schema."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings

from dialog.extensions import db
from dialog.models import AuditEntry
from dialog.models.api import ApiToken
from tests.conftest import login


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_no_token_is_401_json_not_a_redirect(client, data):
    for path in ("/api/v1/dialogues", "/api/v1/summary"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.is_json and "error" in response.get_json()
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/findings", headers=bearer("psd_fel")).status_code == 401
    # A logged-in session is not enough: the API takes tokens only.
    login(client, "regional_norr")
    assert client.get("/api/v1/actions").status_code == 401


def test_openapi_document_is_public_and_openapi_3(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/dialogues", "/findings", "/actions", "/summary"}


def test_tokens_are_created_and_revoked_on_the_account_page(app, client, data, world):
    login(client, "mas_a")
    page = client.get("/konto").get_data(as_text=True)
    assert "API-nycklar" in page and "Skapa API-nyckel" in page
    assert (
        client.post("/uppfoljning/api-nycklar", data={"name": "BI"}, csrf=False).status_code == 400
    )
    response = client.post("/uppfoljning/api-nycklar", data={"name": "BI-verktyget"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    token = html.split('value="', 2)[-1].split('"', 1)[0]
    assert token.startswith("psd_")
    with app.app_context():
        row = db.session.scalar(sa.select(ApiToken))
        # Only a hash is stored, never the token.
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (row.prefix, row.name, row.token_hash)
        assert (
            db.session.scalar(
                sa.select(AuditEntry).where(AuditEntry.action == "skapade API-nyckel")
            )
            is not None
        )
        token_id = row.id
    assert client.get("/api/v1/dialogues", headers=bearer(token)).status_code == 200
    assert "BI-verktyget" in client.get("/konto").get_data(as_text=True)
    # Another user cannot revoke it.
    other = app.test_client()
    login(other, "mas_b")
    assert other.post(f"/uppfoljning/api-nycklar/{token_id}/aterkalla").status_code == 404
    assert client.post(f"/uppfoljning/api-nycklar/{token_id}/aterkalla").status_code == 302
    assert client.get("/api/v1/dialogues", headers=bearer(token)).status_code == 401
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(AuditEntry).where(AuditEntry.action == "återkallade API-nyckel")
            )
            is not None
        )


def test_pagination(client, data, api_token):
    token = api_token("admin")
    first = client.get("/api/v1/findings?year=2026&per_page=3", headers=bearer(token)).get_json()
    assert first["total"] == 6 and first["pages"] == 2 and len(first["items"]) == 3
    assert first["next"] and "page=2" in first["next"]
    second = client.get(
        first["next"].replace("http://localhost", ""), headers=bearer(token)
    ).get_json()
    assert len(second["items"]) == 3 and second["next"] is None
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert len(set(ids)) == 6
    assert client.get("/api/v1/findings?per_page=0", headers=bearer(token)).status_code == 400
    assert client.get("/api/v1/findings?year=x", headers=bearer(token)).status_code == 400


def test_api_scope_follows_the_user(client, data, api_token, world):
    token = api_token("vc_alfa")
    items = client.get("/api/v1/dialogues?year=2026", headers=bearer(token)).get_json()["items"]
    assert {i["home"] for i in items} == {"Testboendet Ett", "Testboendet Två"}
    token = api_token("regional_syd")
    items = client.get("/api/v1/actions?year=2026", headers=bearer(token)).get_json()["items"]
    assert {i["municipality"] for i in items} == {"Testkommun C"}


def test_schemathesis_against_the_openapi_document(app, data, api_token):
    import schemathesis

    token = api_token("regional_norr")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(headers=bearer(token))

        check()
