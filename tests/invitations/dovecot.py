"""A real IMAP server for the tests: Debian's Dovecot started on 127.0.0.1 with a throwaway
configuration, one throwaway user and a Maildir in a temporary directory.

Dovecot runs as root here (the tests and CI do); the mail itself is owned by `nobody`.
scripts/install-test-tools.sh installs dovecot-imapd.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from imapclient import IMAPClient

USER = "organisator@test.example.org"
PASSWORD = "test-losenord-imap"


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )


def dovecot_available() -> bool:
    return dovecot_binary() is not None and os.geteuid() == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


TLS_CONFIG = """\
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
{dh}
"""


class DovecotServer:
    """tls=True: a self-signed certificate for 127.0.0.1 (cert.pem, to trust as a CA file),
    STARTTLS on `port` and implicit TLS on `tls_port`."""

    def __init__(self, tls: bool = False):
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-test-"))
        self.port = _free_port()
        self.tls = tls
        self.tls_port = _free_port() if tls else 0
        self.config = self.root / "dovecot.conf"
        self.cafile = self.root / "cert.pem"

    def start(self) -> DovecotServer:
        nobody = pwd.getpwnam("nobody")
        for sub in ("run", "state", "home"):
            (self.root / sub).mkdir()
        os.chmod(self.root, 0o755)
        os.chown(self.root / "home", nobody.pw_uid, nobody.pw_gid)
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        config = CONFIG.format(
            root=self.root, port=self.port, uid=nobody.pw_uid, gid=nobody.pw_gid
        ).replace("    port = 0\n", f"    port = {self.tls_port}\n")
        if self.tls:
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
                + ["-keyout", str(self.root / "key.pem"), "-out", str(self.cafile)]
                + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                check=True,
                capture_output=True,
            )
            dh = Path("/usr/share/dovecot/dh.pem")
            config = config.replace("ssl = no\n", "") + TLS_CONFIG.format(
                root=self.root, dh=f"ssl_dh = <{dh}" if dh.exists() else ""
            )
        self.config.write_text(config)
        subprocess.run([dovecot_binary(), "-c", str(self.config)], check=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                self.client().logout()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("Dovecot did not start: " + self.log())

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def stop(self) -> None:
        pid_file = self.root / "run" / "master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().strip())
            try:
                os.kill(pid, signal.SIGTERM)
                for _ in range(100):
                    os.kill(pid, 0)
                    time.sleep(0.05)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)

    def client(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def config_for_app(self) -> dict:
        return {
            "IMAP_HOST": "127.0.0.1",
            "IMAP_PORT": self.port,
            "IMAP_SECURITY": "none",
            "IMAP_USER": USER,
            "IMAP_PASSWORD": PASSWORD,
            "IMAP_FOLDER": "INBOX",
            "IMAP_DONE_FOLDER": "Behandlade kalendersvar",
            "IMAP_TIMEOUT": 10,
        }

    def empty(self) -> None:
        """Every folder emptied (and the done folder removed): a fresh mailbox per test."""
        with self.client_session() as client:
            for _flags, _sep, name in client.list_folders():
                client.select_folder(name)
                uids = client.search(["ALL"])
                if uids:
                    client.delete_messages(uids)
                    client.expunge()
                if name != "INBOX":
                    client.close_folder()
                    client.delete_folder(name)

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        with self.client_session() as client:
            client.append(folder, raw)

    def uids(self, folder: str = "INBOX") -> list[int]:
        with self.client_session() as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            return client.search(["ALL"])

    def client_session(self):
        server = self

        class _Session:
            def __enter__(self_inner):
                self_inner.client = server.client()
                return self_inner.client

            def __exit__(self_inner, *exc):
                self_inner.client.logout()

        return _Session()
