"""Single sign-on rules without a provider: configuration from the environment, who gets in,
linking, group mappings and locks, password login off, and the administrator's pages.

The whole protocol against a real provider is in test_browser.py; here the provider's verified
answer is given directly to the rules that decide what happens next."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dialog import create_app
from dialog.accounts import identities, oidc
from dialog.extensions import db
from dialog.models import (
    AuditEntry,
    GroupGrant,
    GroupMapping,
    OidcIdentity,
    Role,
    User,
    UserScope,
)

ISSUER = "https://idp.example.org/tenant"


@pytest.fixture(autouse=True)
def sso_env(monkeypatch):
    monkeypatch.setenv("DIALOG_OIDC_ISSUER", ISSUER)
    monkeypatch.setenv("DIALOG_OIDC_CLIENT_ID", "dialog")
    monkeypatch.setenv("DIALOG_OIDC_CLIENT_SECRET", "not-a-real-secret")
    monkeypatch.setenv("DIALOG_OIDC_KOMMUN_ISSUER", "https://login.example.net/kommun")
    monkeypatch.setenv("DIALOG_OIDC_KOMMUN_CLIENT_ID", "dialog-k")
    monkeypatch.setenv("DIALOG_OIDC_KOMMUN_CLIENT_SECRET", "not-a-real-secret-either")
    monkeypatch.setenv("DIALOG_OIDC_KOMMUN_TRUST_EMAIL", "on")
    monkeypatch.setenv("DIALOG_OIDC_KOMMUN_EMAIL_CLAIM", "upn")


@pytest.fixture
def app(sso_env, app):
    """The app of tests/conftest.py, built after sso_env has set the environment."""
    return app


def answer(sub: str, issuer: str = ISSUER, **claims) -> oidc.ProviderAnswer:
    return oidc.ProviderAnswer(
        issuer=issuer, subject=sub, claims={"sub": sub, **claims}, id_token="not-used"
    )


def sso(name: str = "sso") -> oidc.Provider:
    return oidc.get_provider(name)


def test_providers_from_the_environment():
    providers = oidc.load_providers(
        {
            "DIALOG_OIDC_ISSUER": "https://idp.example.org/t/",
            "DIALOG_OIDC_CLIENT_ID": "a",
            "DIALOG_OIDC_CLIENT_SECRET": "s",
            "DIALOG_OIDC_SCOPES": "email profile",
            "DIALOG_OIDC_REGION_SKANE_ISSUER": "https://region.example.org",
            "DIALOG_OIDC_REGION_SKANE_CLIENT_ID": "b",
            "DIALOG_OIDC_REGION_SKANE_CLIENT_SECRET": "t",
            "DIALOG_OIDC_REGION_SKANE_LABEL": "Logga in med SITHS-kort",
            "DIALOG_OIDC_REGION_SKANE_EMAIL_CLAIM": "mail",
        }
    )
    assert [p.name for p in providers] == ["region_skane", "sso"]
    region, default = providers
    assert default.issuer == "https://idp.example.org/t"
    assert default.scopes == "openid email profile"
    assert default.metadata_url == "https://idp.example.org/t/.well-known/openid-configuration"
    assert default.label == "Logga in med organisationens konto"
    assert (default.email_claim, default.groups_claim, default.trust_email) == (
        "email",
        "groups",
        False,
    )
    assert (region.label, region.email_claim, region.client_id) == (
        "Logga in med SITHS-kort",
        "mail",
        "b",
    )
    with pytest.raises(oidc.ConfigurationError, match="CLIENT_SECRET"):
        oidc.load_providers(
            {"DIALOG_OIDC_ISSUER": "https://x.example.org", "DIALOG_OIDC_CLIENT_ID": "a"}
        )
    with pytest.raises(oidc.ConfigurationError, match="två gånger"):
        oidc.load_providers(
            {
                "DIALOG_OIDC_ISSUER": "https://x.example.org",
                "DIALOG_OIDC_SSO_ISSUER": "https://y.example.org",
            }
        )
    assert oidc.load_providers({}) == []


def test_password_login_off_needs_a_provider(monkeypatch, tmp_path, database_url):
    monkeypatch.delenv("DIALOG_OIDC_ISSUER")
    monkeypatch.delenv("DIALOG_OIDC_KOMMUN_ISSUER")
    monkeypatch.setenv("DIALOG_PASSWORD_LOGIN", "off")
    monkeypatch.setenv("DIALOG_INSTANCE_PATH", str(tmp_path / "instance"))
    with pytest.raises(oidc.ConfigurationError, match="ingen skulle kunna logga in"):
        create_app({"TESTING": True, "SECRET_KEY": "test"})


def test_password_login_off_shows_only_the_buttons_and_refuses_passwords(
    monkeypatch, tmp_path, database_url, world
):
    monkeypatch.setenv("DIALOG_PASSWORD_LOGIN", "off")
    off = create_app({"TESTING": True, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False})
    off.config["WTF_CSRF_ENABLED"] = False
    client = off.test_client()
    page = client.get("/logga-in").get_data(as_text=True)
    assert 'href="/logga-in/oidc/sso"' in page and 'href="/logga-in/oidc/kommun"' in page
    assert 'name="password"' not in page
    refused = client.post("/logga-in", data={"login": "admin", "password": "testlosenord-123"})
    assert refused.status_code == 403
    assert "Inloggning med lösenord är avstängd" in refused.get_data(as_text=True)
    assert client.get("/arsoversikt").status_code == 302  # not logged in


def test_pages_may_post_forms_to_the_providers_for_logout(client):
    policy = client.get("/logga-in").headers["Content-Security-Policy"]
    assert "form-action 'self' https://idp.example.org https://login.example.net;" in policy


def test_unknown_provider_is_404(client):
    assert client.get("/logga-in/oidc/nagon-annan").status_code == 404
    assert client.get("/logga-in/oidc/nagon-annan/callback?code=x&state=y").status_code == 404


def test_an_account_keeps_one_subject_per_issuer(app, world):
    with app.app_context():
        user = identities.admit(
            sso(), answer("sub-1", email="MAS_A@test.example.org", email_verified=True)
        )
        assert user.id == world.users["mas_a"]
        db.session.commit()
        # Someone else at the same provider who got the same (verified) address later.
        with pytest.raises(identities.Refused) as refused:
            identities.admit(
                sso(), answer("sub-2", email="mas_a@test.example.org", email_verified=True)
            )
        assert refused.value.kind == "linked_elsewhere"
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(OidcIdentity.id))) == 1


def test_missing_or_unverified_address_and_trusted_providers(app, world):
    with app.app_context():
        for claims, kind in (
            ({}, "no_email"),
            ({"email": "inte en adress"}, "no_email"),
            ({"email": "mas_a@test.example.org"}, "unverified"),
            ({"email": "mas_a@test.example.org", "email_verified": "true"}, "unverified"),
        ):
            with pytest.raises(identities.Refused) as refused:
                identities.admit(sso(), answer("sub-x", **claims))
            assert refused.value.kind == kind
        # A provider whose addresses are the organisation's own (TRUST_EMAIL), e-mail in `upn`.
        kommun = sso("kommun")
        user = identities.admit(
            kommun,
            answer(
                "sub-k", issuer="https://login.example.net/kommun", upn="mas_b@test.example.org"
            ),
        )
        assert user.id == world.users["mas_b"]
        db.session.commit()
        assert db.session.scalar(sa.select(OidcIdentity.provider)) == "kommun"


def _mapping(world, group="sabo-chefer", home="a2", provider="sso") -> int:
    mapping = identities.add_mapping(provider, group, Role.UNIT_MANAGER, world.homes[home])
    db.session.commit()
    return mapping.id


def _scopes(user_id: int) -> list[tuple[str, int | None]]:
    return sorted(
        (s.role.value, s.care_home_id)
        for s in db.session.scalars(sa.select(UserScope).where(UserScope.user_id == user_id))
    )


def test_a_locked_account_is_never_widened_but_may_be_narrowed(app, world):
    chef = world.users["chef_a1"]
    claims = {"email": "chef_a1@test.example.org", "email_verified": True}
    with app.app_context():
        _mapping(world, "sabo-chefer", "a2")
        _mapping(world, "sabo-chefer-b", "b1")
        identities.admit(sso(), answer("sub-c", **claims, groups=["sabo-chefer"]))
        db.session.commit()
        assert _scopes(chef) == sorted(
            [("enhetschef", world.homes["a1"]), ("enhetschef", world.homes["a2"])]
        )

        identities.set_locked(db.session.get(User, chef), True)
        db.session.commit()
        identities.admit(sso(), answer("sub-c", groups=["sabo-chefer", "sabo-chefer-b"]))
        db.session.commit()
        assert ("enhetschef", world.homes["b1"]) not in _scopes(chef)  # never widened
        identities.admit(sso(), answer("sub-c", groups=[]))
        db.session.commit()
        assert _scopes(chef) == [("enhetschef", world.homes["a1"])]  # narrowed: allowed

        identities.set_locked(db.session.get(User, chef), False)
        db.session.commit()
        identities.admit(sso(), answer("sub-c", groups=["sabo-chefer-b"]))
        db.session.commit()
        assert _scopes(chef) == sorted(
            [("enhetschef", world.homes["a1"]), ("enhetschef", world.homes["b1"])]
        )
        actions = list(db.session.scalars(sa.select(AuditEntry.action)))
        assert actions.count("låste behörighet") == 1 and actions.count("låste upp behörighet") == 1


def test_a_mapping_never_takes_a_scope_given_by_hand(app, world):
    chef = world.users["chef_a1"]
    with app.app_context():
        # The mapping gives exactly the scope an administrator already gave.
        _mapping(world, "sabo-chefer", "a1")
        identities.admit(
            sso(),
            answer(
                "sub-c",
                email="chef_a1@test.example.org",
                email_verified=True,
                groups=["sabo-chefer"],
            ),
        )
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(GroupGrant.id))) == 0
        identities.admit(sso(), answer("sub-c", groups=[]))
        db.session.commit()
        assert _scopes(chef) == [("enhetschef", world.homes["a1"])]


def test_removing_a_mapping_takes_away_what_it_gave(app, world):
    chef = world.users["chef_a1"]
    with app.app_context():
        mapping_id = _mapping(world, "sabo-chefer", "a2")
        other = _mapping(world, "sabo-chefer", "a2", provider="kommun")  # another provider's
        identities.admit(
            sso(),
            answer(
                "sub-c",
                email="chef_a1@test.example.org",
                email_verified=True,
                groups=["sabo-chefer"],
            ),
        )
        db.session.commit()
        identities.remove_mapping(db.session.get(GroupMapping, mapping_id))
        db.session.commit()
        assert _scopes(chef) == [("enhetschef", world.homes["a1"])]
        assert [m.id for m in identities.mappings()] == [other]


def test_mapping_rules(app, world):
    with app.app_context():
        with pytest.raises(identities.MappingError, match="Administratörsrollen"):
            identities.add_mapping("sso", "it-admins", Role.ADMIN, None)
        _mapping(world, "sabo-chefer", "a2")
        with pytest.raises(identities.MappingError, match="redan en koppling"):
            identities.add_mapping("sso", " sabo-chefer ", Role.UNIT_MANAGER, world.homes["a1"])
        with pytest.raises(identities.MappingError):
            identities.add_mapping(
                "sso", "Patient 19121212-1212", Role.UNIT_MANAGER, world.homes["a1"]
            )
        # An Entra ID group is named by its object id: not mistaken for patient data.
        identities.add_mapping(
            "sso",
            "8f2c6a1e-4b7d-4c1a-9e0f-2d3b5a6c7e8f",
            Role.MUNICIPALITY,
            world.municipalities["A"],
        )


def test_admin_pages_for_mappings_locks_and_links(app, client, login_as, world):
    login_as("mas_a")
    assert client.get("/anvandare/gruppkopplingar").status_code == 403
    assert client.post(f"/anvandare/{world.users['chef_a1']}/las-behorighet").status_code == 403
    client.post("/logga-ut")

    login_as("admin")
    assert client.get("/anvandare/gruppkopplingar").status_code == 200
    form = {
        "provider": "sso",
        "group_name": "mas-testkommun-a",
        "role": "kommun",
        "target": f"municipality:{world.municipalities['A']}",
    }
    assert client.post("/anvandare/gruppkopplingar", data=form, csrf=False).status_code == 400
    wrong = {**form, "target": f"care_home:{world.homes['a1']}"}
    assert client.post("/anvandare/gruppkopplingar", data=wrong).status_code == 400
    assert client.post("/anvandare/gruppkopplingar", data=form).status_code == 302
    with app.app_context():
        mapping = db.session.scalar(sa.select(GroupMapping))
        assert (mapping.group_name, mapping.role, mapping.municipality_id) == (
            "mas-testkommun-a",
            Role.MUNICIPALITY,
            world.municipalities["A"],
        )
        mapping_id = mapping.id
        identities.admit(
            sso(), answer("sub-v", email="vc_alfa@test.example.org", email_verified=True)
        )
        db.session.commit()
        identity_id = db.session.scalar(sa.select(OidcIdentity.id))

    users_page = client.get("/anvandare").get_data(as_text=True)
    assert "Inte kopplad" in users_page and "Lås behörighet" in users_page
    assert client.post(f"/anvandare/{world.users['chef_a1']}/las-behorighet").status_code == 302
    assert client.post(f"/anvandare/koppling/{identity_id}/ta-bort").status_code == 302
    assert client.post(f"/anvandare/gruppkopplingar/{mapping_id}/ta-bort").status_code == 302
    with app.app_context():
        assert identities.is_locked(db.session.get(User, world.users["chef_a1"]))
        assert db.session.scalar(sa.select(sa.func.count(OidcIdentity.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(GroupMapping.id))) == 0
        actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {
        "skapade gruppkoppling",
        "tog bort gruppkoppling",
        "låste behörighet",
        "tog bort koppling till inloggningstjänst",
    } <= actions
