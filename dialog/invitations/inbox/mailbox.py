"""The organiser mailbox over IMAP, with imapclient: connect (none, STARTTLS or SSL), list what
is new since the last look, fetch without marking as read, and move handled messages away."""

from __future__ import annotations

import logging
import ssl

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

log = logging.getLogger(__name__)
# imapclient logs the whole IMAP conversation at DEBUG - the replies' text included. Replies are
# logged without their text, whatever the logging configuration says.
logging.getLogger("imapclient").setLevel(logging.WARNING)

FETCH_CHUNK = 100


class MailboxUnavailable(Exception):
    """The mailbox cannot be reached or logged in to; the message is Swedish."""


def configured(config) -> bool:
    return bool(config.get("IMAP_HOST"))


class Mailbox:
    def __init__(self, config):
        self.host = config["IMAP_HOST"]
        self.security = (config.get("IMAP_SECURITY") or "ssl").lower()
        self.port = int(config.get("IMAP_PORT") or (993 if self.security == "ssl" else 143))
        self.user = config.get("IMAP_USER") or ""
        self.password = config.get("IMAP_PASSWORD") or ""
        self.folder = config.get("IMAP_FOLDER") or "INBOX"
        self.done_folder = config.get("IMAP_DONE_FOLDER") or "Behandlade kalendersvar"
        self.timeout = float(config.get("IMAP_TIMEOUT") or 30)
        self.cafile = config.get("IMAP_CA_FILE") or None
        self.client: IMAPClient | None = None

    def __enter__(self) -> Mailbox:
        self.connect()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def connect(self) -> None:
        where = f"{self.host}:{self.port}"
        if self.security not in {"none", "starttls", "ssl"}:
            raise MailboxUnavailable(
                f"DIALOG_IMAP_SECURITY måste vara none, starttls eller ssl, inte {self.security}."
            )
        context = ssl.create_default_context(cafile=self.cafile)
        try:
            client = IMAPClient(
                self.host,
                port=self.port,
                ssl=self.security == "ssl",
                ssl_context=context,
                timeout=self.timeout,
            )
            if self.security == "starttls":
                client.starttls(context)
            client.login(self.user, self.password)
        except (TimeoutError, OSError, ssl.SSLError, IMAPClientError) as error:
            raise MailboxUnavailable(
                f"Kunde inte nå organisatörens brevlåda {where}: {type(error).__name__}: {error}"
            ) from None
        self.client = client

    def select(self) -> int:
        """Open the folder read-write; returns its UIDVALIDITY."""
        try:
            info = self.client.select_folder(self.folder)
        except IMAPClientError as error:
            raise MailboxUnavailable(f"Mappen {self.folder} kunde inte öppnas: {error}") from None
        return int(info[b"UIDVALIDITY"])

    def new_uids(self, after: int) -> list[int]:
        # "n:*" also matches the highest UID when it is below n: filter.
        return sorted(uid for uid in self.client.search(["UID", f"{after + 1}:*"]) if uid > after)

    def fetch(self, uids: list[int]) -> dict[int, bytes]:
        """Whole messages, without setting \\Seen (BODY.PEEK)."""
        found: dict[int, bytes] = {}
        for start in range(0, len(uids), FETCH_CHUNK):
            chunk = uids[start : start + FETCH_CHUNK]
            for uid, data in self.client.fetch(chunk, ["BODY.PEEK[]"]).items():
                raw = data.get(b"BODY[]")
                if raw is not None:
                    found[uid] = raw
        return found

    def move_done(self, uids: list[int]) -> None:
        """Move handled messages to the done folder (created when missing)."""
        if not uids:
            return
        if not self.client.folder_exists(self.done_folder):
            try:
                self.client.create_folder(self.done_folder)
            except IMAPClientError:
                pass  # another reader created it just now
        if self.client.has_capability("MOVE"):
            self.client.move(uids, self.done_folder)
        else:
            self.client.copy(uids, self.done_folder)
            self.client.delete_messages(uids)
            if self.client.has_capability("UIDPLUS"):
                self.client.uid_expunge(uids)
            else:
                self.client.expunge()

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.logout()
            except (OSError, IMAPClientError):
                pass
            self.client = None
