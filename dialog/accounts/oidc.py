"""OpenID Connect single sign-on: the providers from the environment, and the protocol through
Authlib (authorization code flow with PKCE, state and nonce, discovery, ID-token checks).

Who may come in once the provider has vouched for a person is decided in `identities.py`.
Tokens never leave this module except the ID token kept in the session as the logout hint: they
are never written to the audit log or the server log.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import current_app, session, url_for
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError

PREFIX = "DIALOG_OIDC_"
DEFAULT_NAME = "sso"
FIELDS = (
    "ISSUER",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "SCOPES",
    "EMAIL_CLAIM",
    "GROUPS_CLAIM",
    "TRUST_EMAIL",
    "LABEL",
    "METADATA_URL",
)
NAME_PATTERN = re.compile(r"[a-z0-9_]{1,40}")
SESSION_PROVIDER = "oidc_provider"
SESSION_ID_TOKEN = "oidc_id_token"
SESSION_NEXT = "oidc_next"
HTTP_TIMEOUT_SECONDS = 10


class ConfigurationError(ValueError):
    """The DIALOG_OIDC_* settings are incomplete or contradict each other."""


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    email_claim: str
    groups_claim: str
    # On: every address the provider issues is the organisation's own (a single-tenant Entra ID's
    # UPN, say), so no email_verified claim is needed to link an account.
    trust_email: bool
    label: str
    metadata_url: str


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on", "ja"}


def load_providers(environ: Mapping[str, str]) -> list[Provider]:
    """The providers configured in the environment: DIALOG_OIDC_ISSUER and its siblings for the
    provider named `sso`, DIALOG_OIDC_<NAME>_ISSUER and so on for each further one."""
    prefixes: dict[str, str] = {}
    if environ.get(f"{PREFIX}ISSUER"):
        prefixes[DEFAULT_NAME] = PREFIX
    for key in environ:
        match = re.fullmatch(rf"{PREFIX}([A-Za-z0-9_]+)_ISSUER", key)
        if not match or not environ[key]:
            continue
        name = match.group(1).lower()
        if name in prefixes:
            raise ConfigurationError(
                f"Inloggningstjänsten {name!r} är inställd två gånger "
                f"({PREFIX}ISSUER och {key}). Använd den ena."
            )
        if not NAME_PATTERN.fullmatch(name):
            raise ConfigurationError(f"Ogiltigt namn på inloggningstjänst i {key}.")
        prefixes[name] = f"{PREFIX}{match.group(1)}_"
    return [_provider(name, prefix, environ) for name, prefix in sorted(prefixes.items())]


def _provider(name: str, prefix: str, environ: Mapping[str, str]) -> Provider:
    def get(field: str, default: str | None = None) -> str | None:
        value = environ.get(prefix + field)
        return value.strip() if value and value.strip() else default

    issuer = get("ISSUER", "").rstrip("/")
    client_id, client_secret = get("CLIENT_ID"), get("CLIENT_SECRET")
    if not client_id or not client_secret:
        raise ConfigurationError(
            f"Inloggningstjänsten {name!r} saknar {prefix}CLIENT_ID eller {prefix}CLIENT_SECRET."
        )
    scopes = get("SCOPES", "openid email profile").replace(",", " ").split()
    if "openid" not in scopes:
        scopes.insert(0, "openid")
    default_label = (
        "Logga in med organisationens konto" if name == DEFAULT_NAME else f"Logga in med {name}"
    )
    return Provider(
        name=name,
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        scopes=" ".join(scopes),
        email_claim=get("EMAIL_CLAIM", "email"),
        groups_claim=get("GROUPS_CLAIM", "groups"),
        trust_email=_truthy(get("TRUST_EMAIL")),
        label=get("LABEL", default_label),
        metadata_url=get("METADATA_URL", f"{issuer}/.well-known/openid-configuration"),
    )


def init_app(app) -> None:
    if "OIDC_PROVIDERS" not in app.config:
        app.config["OIDC_PROVIDERS"] = load_providers(os.environ)
    app.config.setdefault("PASSWORD_LOGIN", _truthy(os.environ.get("DIALOG_PASSWORD_LOGIN", "on")))
    # Tolerated clock difference between us and the provider when checking exp, iat and nbf.
    app.config.setdefault("OIDC_LEEWAY_SECONDS", int(os.environ.get("DIALOG_OIDC_LEEWAY", "120")))
    app.config.setdefault("ACCESS_CONTACT", os.environ.get("DIALOG_ACCESS_CONTACT", "").strip())
    if not app.config["PASSWORD_LOGIN"] and not app.config["OIDC_PROVIDERS"]:
        raise ConfigurationError(
            "DIALOG_PASSWORD_LOGIN är avstängd men ingen inloggningstjänst (DIALOG_OIDC_ISSUER) "
            "är inställd: ingen skulle kunna logga in."
        )
    # One Authlib registry per application, so that apps built with other settings never share
    # a cached client.
    oauth = OAuth(app)
    for provider in app.config["OIDC_PROVIDERS"]:
        oauth.register(
            provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={
                "scope": provider.scopes,
                "code_challenge_method": "S256",
                "default_timeout": HTTP_TIMEOUT_SECONDS,
            },
        )
    app.extensions["dialog_oidc"] = oauth
    # The logout form is redirected to the provider's end_session_endpoint (on the issuer's host).
    app.config.setdefault(
        "CSP_FORM_ACTION_ORIGINS", [_origin(p.issuer) for p in app.config["OIDC_PROVIDERS"]]
    )
    app.jinja_env.globals.update(sso_providers=providers, password_login=password_login_enabled)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def providers() -> list[Provider]:
    return current_app.config["OIDC_PROVIDERS"]


def get_provider(name: str) -> Provider | None:
    return next((p for p in providers() if p.name == name), None)


def password_login_enabled() -> bool:
    return current_app.config["PASSWORD_LOGIN"]


def _client(provider: Provider):
    return current_app.extensions["dialog_oidc"].create_client(provider.name)


def redirect_uri_for(endpoint: str) -> str:
    # From the public base URL, not the request: behind a proxy the request's host and scheme
    # may not be what the provider has registered.
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint)


def redirect_uri(provider: Provider) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for("oidc.callback", name=provider.name)


def unusable_password() -> str:
    """For accounts made while password login is off: random, never shown, never typed."""
    return secrets.token_urlsafe(32)


class SignInFailed(Exception):
    """The provider's answer was not accepted. `reason` is a short code for the audit log and
    the server log (never a token); `kind` picks the page the person sees."""

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


@dataclass(frozen=True)
class ProviderAnswer:
    """What the provider vouched for, after every check."""

    issuer: str
    subject: str
    claims: dict
    id_token: str


def _metadata(provider: Provider) -> dict:
    try:
        metadata = _client(provider).load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise SignInFailed("unreachable", f"discovery: {type(error).__name__}") from None
    # OpenID Connect Discovery 1.0 §4.3: the document must name the issuer we were given.
    if metadata.get("issuer", "").rstrip("/") != provider.issuer:
        raise SignInFailed("failed", "discovery: issuer does not match the configuration")
    return metadata


def start(provider: Provider, next_url: str | None):
    """The redirect to the provider's authorization endpoint. Authlib keeps state, nonce and the
    PKCE verifier in the session until the callback."""
    _metadata(provider)
    session[SESSION_NEXT] = next_url
    return _client(provider).authorize_redirect(redirect_uri(provider))


def finish(provider: Provider) -> ProviderAnswer:
    """Check the callback: state, the code exchanged with the PKCE verifier, the ID token's
    signature, issuer, audience, nonce and times (with leeway for clock skew)."""
    metadata = _metadata(provider)
    issuer = metadata["issuer"]
    client = _client(provider)
    # Authlib checks the audience only through azp unless told: require our client id in aud.
    claims_options = {
        "iss": {"essential": True, "values": [issuer]},
        "aud": {"essential": True, "values": [provider.client_id]},
        "sub": {"essential": True},
    }
    try:
        token = client.authorize_access_token(
            claims_options=claims_options,
            leeway=current_app.config["OIDC_LEEWAY_SECONDS"],
        )
    except MismatchingStateError:
        raise SignInFailed("failed", "state does not match this browser's login") from None
    except OAuthError as error:
        kind = "cancelled" if error.error == "access_denied" else "failed"
        raise SignInFailed(kind, f"provider error: {error.error}") from None
    except ExpiredTokenError:
        raise SignInFailed("failed", "id token expired") from None
    except (InvalidClaimError, MissingClaimError) as error:
        raise SignInFailed("failed", f"id token claim rejected: {error.claim}") from None
    except JoseError as error:
        raise SignInFailed("failed", f"id token rejected: {error.error}") from None
    except requests.RequestException as error:
        raise SignInFailed("unreachable", f"token endpoint: {type(error).__name__}") from None
    claims = token.get("userinfo")
    if not claims or "id_token" not in token:
        raise SignInFailed("failed", "no id token in the token response")
    claims = dict(claims)
    if _needs_userinfo(provider, claims) and metadata.get("userinfo_endpoint"):
        claims = _with_userinfo(client, claims)
    return ProviderAnswer(
        issuer=issuer, subject=str(claims["sub"]), claims=claims, id_token=token["id_token"]
    )


def _needs_userinfo(provider: Provider, claims: dict) -> bool:
    return provider.email_claim not in claims or provider.groups_claim not in claims


def _with_userinfo(client, claims: dict) -> dict:
    """Many providers put e-mail and groups only in the UserInfo response for the code flow."""
    try:
        info = client.userinfo()
    except (requests.RequestException, ValueError) as error:
        raise SignInFailed("unreachable", f"userinfo: {type(error).__name__}") from None
    # OpenID Connect Core §5.3.2: a UserInfo response about someone else must be refused.
    if str(info.get("sub")) != str(claims["sub"]):
        raise SignInFailed("failed", "userinfo sub differs from the id token")
    return {**info, **claims}


def end_session_url(post_logout_url: str) -> str | None:
    """Forget the provider login kept in our session; where the provider offers RP-initiated
    logout, the URL that ends its session too."""
    name = session.pop(SESSION_PROVIDER, None)
    id_token = session.pop(SESSION_ID_TOKEN, None)
    provider = get_provider(name) if name else None
    if provider is None:
        return None
    try:
        metadata = _metadata(provider)
    except SignInFailed:
        current_app.logger.warning("OIDC %s: no RP-initiated logout, provider unreachable", name)
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return _client(provider).create_logout_url(
        post_logout_redirect_uri=post_logout_url,
        id_token_hint=id_token,
        client_id=provider.client_id,
    )["url"]


def remember_login(provider: Provider, answer: ProviderAnswer) -> str | None:
    """After login_user: keep what logout needs; returns where the person was going."""
    session[SESSION_PROVIDER] = provider.name
    session[SESSION_ID_TOKEN] = answer.id_token
    return session.pop(SESSION_NEXT, None)
