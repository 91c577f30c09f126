"""Test support for the invitations feature: a real SMTP server on loopback (aiosmtpd) and
three calendar parsers that did not write our files (libical, ical.js, vobject)."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import threading
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SYSTEM_PYTHON = "/usr/bin/python3"
ICALJS = ROOT / "tests" / "js" / "node_modules" / "ical.js" / "dist" / "ical.es5.cjs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    """aiosmtpd handler: keeps every message that arrived. `refuse` can answer with an error
    code for chosen messages: a callable(count_so_far, envelope) -> '451 ...' or None."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse = None
        self.delay = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.refuse is not None:
                answer = self.refuse(len(self.messages), envelope)
                if answer:
                    return answer
            self.messages.append(
                (list(envelope.rcpt_tos), envelope.original_content or envelope.content)
            )
        return "250 Message accepted for delivery"

    def parsed(self):
        return [message_from_bytes(raw, policy=default_policy) for _, raw in self.messages]


class SmtpServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.recorder = Recorder()
        self.controller = None

    def start(self):
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def libical_available() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    check = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('ICalGLib', '3.0')"],
        capture_output=True,
    )
    return check.returncode == 0


def icaljs_available() -> bool:
    return shutil.which("node") is not None and ICALJS.exists()


def read_libical(ics: str) -> dict:
    out = subprocess.run(
        [SYSTEM_PYTHON, str(HERE / "read_libical.py")],
        input=ics,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout)


def read_icaljs(ics: str) -> dict:
    out = subprocess.run(
        ["node", str(HERE / "read_icaljs.cjs")],
        input=ics,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout)


def read_vobject(ics: str) -> dict:
    import vobject

    cal = vobject.readOne(ics)
    method = cal.method.value if hasattr(cal, "method") else None
    events = []
    for ev in cal.vevent_list:
        start = ev.dtstart.value if hasattr(ev, "dtstart") else None
        end = ev.dtend.value if hasattr(ev, "dtend") else None
        events.append(
            {
                "uid": ev.uid.value,
                "sequence": int(ev.sequence.value),
                "summary": ev.summary.value if hasattr(ev, "summary") else None,
                "location": ev.location.value if hasattr(ev, "location") else None,
                "description": ev.description.value if hasattr(ev, "description") else None,
                "status": ev.status.value if hasattr(ev, "status") else None,
                "url": ev.url.value if hasattr(ev, "url") else None,
                "tzid": (
                    ev.dtstart.params.get("TZID")
                    or ev.dtstart.params.get("X-VOBJ-ORIGINAL-TZID")
                    or [None]
                )[0]
                if start is not None
                else None,
                "start_utc": int(start.astimezone(UTC).timestamp()) if start else None,
                "end_utc": int(end.astimezone(UTC).timestamp()) if end else None,
                "attendees": [
                    {"email": a.value, "cn": a.params.get("CN", [None])[0]}
                    for a in getattr(ev, "attendee_list", [])
                ],
            }
        )
    return {"method": method, "events": events}


PARSERS = {"libical": read_libical, "ical.js": read_icaljs, "vobject": read_vobject}


def utc_iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


def calendar_parts(msg):
    """(inline text/calendar part, .ics attachment) of a parsed invitation."""
    inline = attachment = None
    for part in msg.walk():
        if part.get_content_type() == "text/calendar":
            inline = part
        elif part.get_filename() and part.get_filename().endswith(".ics"):
            attachment = part
    return inline, attachment


def part_text(part) -> str:
    payload = part.get_payload(decode=True)
    return payload.decode("utf-8")
