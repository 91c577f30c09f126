"""Configuration read from DIALOG_* environment variables.

Secrets are never committed: without DIALOG_SECRET_KEY a random key is generated once and kept in
the instance folder, so the embedded default works with nothing configured.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"DIALOG_{name}", default)


def _env_bool(name: str, default: bool = False) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def _instance_secret(instance_path: Path) -> str:
    path = instance_path / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: str) -> dict:
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    database_url = _env("DATABASE_URL") or f"sqlite:///{instance / 'dialog.sqlite3'}"
    return {
        "SECRET_KEY": _env("SECRET_KEY") or _instance_secret(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SECURE_COOKIES"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _env_bool("SECURE_COOKIES"),
        # "Kom ihåg mig" lasts at most this long, and so does any login (the user loader
        # refuses a session or cookie from an older login; see accounts.services.load_user).
        "REMEMBER_COOKIE_DURATION": timedelta(days=float(_env("REMEMBER_DAYS", "30"))),
        # Reverse proxies in front of the app whose X-Forwarded-For to trust (0 = none): the
        # client's address counts failed logins per address.
        "PROXY_HOPS": int(_env("PROXY_HOPS", "0")),
        "PREFERRED_URL_SCHEME": _env("URL_SCHEME", "http"),
        "MAX_CONTENT_LENGTH": int(_env("MAX_UPLOAD_BYTES", str(12 * 1024 * 1024))),
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        # Failed logins, counted in the database (every worker sees the same counts).
        "LOGIN_MAX_FAILURES": int(_env("LOGIN_MAX_FAILURES", "5")),  # per name
        "LOGIN_MAX_FAILURES_ADDRESS": int(_env("LOGIN_MAX_FAILURES_ADDRESS", "30")),
        "LOGIN_WINDOW_MINUTES": int(_env("LOGIN_WINDOW_MINUTES", "15")),
        "LOGIN_LOCK_MINUTES": int(_env("LOGIN_LOCK_MINUTES", "15")),
        # Word templates are filled in a render process with these limits (dialog/sandbox).
        "RENDER_CPU_SECONDS": float(_env("RENDER_CPU_SECONDS", "5")),
        "RENDER_MEMORY_MB": int(_env("RENDER_MEMORY_MB", "1024")),
        # Public base URL used in mails and calendar links.
        "BASE_URL": _env("BASE_URL", "http://127.0.0.1:5000"),
        # Mail: with no SMTP host, messages are written as .eml files under instance/mail.
        "MAIL_SMTP_HOST": _env("SMTP_HOST"),
        "MAIL_SMTP_PORT": int(_env("SMTP_PORT", "25")),
        "MAIL_SMTP_SECURITY": _env("SMTP_SECURITY", "none"),  # none | starttls | ssl
        "MAIL_SMTP_USER": _env("SMTP_USER"),
        "MAIL_SMTP_PASSWORD": _env("SMTP_PASSWORD"),
        "MAIL_SENDER": _env("MAIL_SENDER", "patientsakerhetsdialog@example.se"),
        "MAIL_ORGANISER_MAILBOX": _env("ORGANISER_MAILBOX", "patientsakerhetsdialog@example.se"),
        "MAIL_DIRECTORY": str(instance / "mail"),
        # A worker's claim on outbox messages counts as abandoned after this long.
        "OUTBOX_STALE_SECONDS": float(_env("OUTBOX_STALE_SECONDS", "900")),
        # The organiser mailbox, read for the calendars' own replies (none: not read).
        "IMAP_HOST": _env("IMAP_HOST"),
        "IMAP_PORT": int(_env("IMAP_PORT", "0")) or None,
        "IMAP_SECURITY": _env("IMAP_SECURITY", "ssl"),  # none | starttls | ssl
        "IMAP_USER": _env("IMAP_USER"),
        "IMAP_PASSWORD": _env("IMAP_PASSWORD"),
        "IMAP_FOLDER": _env("IMAP_FOLDER", "INBOX"),
        # Where a handled calendar message is moved (created when missing).
        "IMAP_DONE_FOLDER": _env("IMAP_DONE_FOLDER", "Behandlade kalendersvar"),
        "IMAP_TIMEOUT": float(_env("IMAP_TIMEOUT", "30")),
        "IMAP_CA_FILE": _env("IMAP_CA_FILE"),
        "LOAD_DEMO_DATA": _env_bool("LOAD_DEMO_DATA", True),
    }


def _engine_options(database_url: str) -> dict:
    if database_url.startswith("sqlite"):
        # Wait for a competing writer instead of failing at once; needed by concurrent bookings.
        return {"connect_args": {"timeout": 30}}
    connect_args: dict = {"options": POSTGRESQL_SESSION_OPTIONS}
    if not _env_bool("POSTGRESQL_PREPARED", True):
        # Behind a PgBouncer in transaction mode older than 1.21 a statement prepared on one
        # server connection is missing on the next: psycopg then never prepares.
        connect_args["prepare_threshold"] = None
    return {"pool_pre_ping": True, "connect_args": connect_args}


# The planner settings of the application's own PostgreSQL sessions (measured on the national
# demo data, 2,000 homes):
# - no JIT: the dashboards' queries run in tens of milliseconds, and compiling them costs about
#   as much again;
# - random_page_cost 1.1, the usual value for data in memory or on SSD: with the default 4 the
#   planner scans all 97,000 participants or 168,000 actions instead of reading one year's rows
#   from the covering indexes (national representation 20 → 8 ms, actions 20 → 7 ms);
# - no parallel workers: the requests already keep every core busy, and a worker started for
#   one request only takes a core from another (database CPU per request in the load mix
#   about 10 % lower).
POSTGRESQL_SESSION_OPTIONS = (
    "-c jit=off -c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"
)
