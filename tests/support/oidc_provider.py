"""A real OpenID Connect provider on 127.0.0.1: the npm package oidc-provider run by Node with
the configuration in tests/js/oidc_provider.mjs."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "tests" / "js"
SCRIPT = JS / "oidc_provider.mjs"


def provider_available() -> bool:
    return shutil.which("node") is not None and (JS / "node_modules" / "oidc-provider").is_dir()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OidcProvider:
    """One provider process. `accounts` is the people it knows, with the claims it vouches for;
    `set_account` changes one of them for the next login."""

    def __init__(
        self,
        *,
        clients: list[dict],
        accounts: dict[str, dict],
        workdir: Path,
        clock_offset_seconds: int = 0,
        id_token_ttl: int = 3600,
        rp_logout: bool = True,
    ):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.accounts_file = workdir / f"accounts-{self.port}.json"
        self.accounts = dict(accounts)
        self._write_accounts()
        self.env = {
            **os.environ,
            "PORT": str(self.port),
            "ACCOUNTS_FILE": str(self.accounts_file),
            "CLIENTS_JSON": json.dumps(clients),
            "CLOCK_OFFSET_SECONDS": str(clock_offset_seconds),
            "ID_TOKEN_TTL": str(id_token_ttl),
            "RP_LOGOUT": "1" if rp_logout else "0",
            "NODE_ENV": "test",
        }
        self.log: list[str] = []
        self.process: subprocess.Popen | None = None

    def _write_accounts(self) -> None:
        self.accounts_file.write_text(json.dumps(self.accounts))

    def set_account(self, login: str, **claims) -> None:
        self.accounts[login] = {**self.accounts.get(login, {}), **claims}
        self._write_accounts()

    def start(self) -> OidcProvider:
        self.process = subprocess.Popen(
            ["node", str(SCRIPT)],
            cwd=JS,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        ready = threading.Event()

        def read_output():
            for line in self.process.stdout:
                self.log.append(line.rstrip())
                if line.startswith("ready "):
                    ready.set()

        threading.Thread(target=read_output, daemon=True).start()
        deadline = time.monotonic() + 30
        while not ready.wait(0.1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("oidc-provider did not start:\n" + "\n".join(self.log))
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
