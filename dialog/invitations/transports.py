"""Where delivered mail goes: an SMTP relay, or .eml files in the embedded default."""

from __future__ import annotations

import smtplib
import ssl
from pathlib import Path

from ..models.invitations import OutboxMessage


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


class ConnectionFailure(Exception):
    pass


class SmtpTransport:
    """One SMTP connection for a whole batch, opened lazily."""

    def __init__(self, config):
        self.host = config["MAIL_SMTP_HOST"]
        self.port = int(config["MAIL_SMTP_PORT"])
        self.security = (config.get("MAIL_SMTP_SECURITY") or "none").lower()
        self.user = config.get("MAIL_SMTP_USER")
        self.password = config.get("MAIL_SMTP_PASSWORD")
        self.sender = config["MAIL_SENDER"]
        self.timeout = float(config.get("MAIL_SMTP_TIMEOUT", 30)) or None
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        try:
            if self.security == "ssl":
                conn = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.security == "starttls":
                    conn.starttls(context=ssl.create_default_context())
            if self.user:
                conn.login(self.user, self.password or "")
        except (OSError, smtplib.SMTPException) as error:
            raise ConnectionFailure(
                f"Kunde inte ansluta till e-postservern {self.host}:{self.port}: {error}"
            ) from None
        return conn

    def send(self, row: OutboxMessage) -> str:
        if self.connection is None:
            self.connection = self._connect()
        try:
            refused = self.connection.sendmail(self.sender, [row.recipient], row.raw)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise _classify(code, text) from None
        except smtplib.SMTPResponseException as error:
            # smtplib has reset the transaction; the connection stays usable (421 closes it,
            # and the next message then finds out).
            raise _classify(error.smtp_code, error.smtp_error) from None
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise ConnectionFailure(f"Förbindelsen med e-postservern bröts: {error}") from None
        if refused:
            code, text = next(iter(refused.values()))
            raise _classify(code, text)
        return ""

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.connection = None


def _classify(code: int, text) -> Exception:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    message = f"Servern svarade {code} {text}".strip()
    if 500 <= code < 600:
        return PermanentFailure(message)
    return TemporaryFailure(message) if 400 <= code < 500 else ConnectionFailure(message)


class EmlTransport:
    """The embedded default: every message becomes a .eml file under MAIL_DIRECTORY."""

    def __init__(self, config):
        self.directory = Path(config["MAIL_DIRECTORY"])

    def send(self, row: OutboxMessage) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{row.id:07d}-{row.kind.value}.eml"
        path = self.directory / name
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(row.raw)
        temporary.replace(path)
        return name

    def close(self) -> None:
        pass


def transport_for(config):
    return SmtpTransport(config) if config.get("MAIL_SMTP_HOST") else EmlTransport(config)
