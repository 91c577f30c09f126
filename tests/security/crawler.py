"""A form crawler: walks every route of the application as one user and submits every form
it finds with junk, counting the answers.

For one role it
1. opens every GET route (ids from a seeded world) and follows the links it finds, a few URLs
   per endpoint, collecting the forms on every page;
2. submits each distinct form (per endpoint and set of fields) with junk: very long text, NUL
   bytes, 2026-02-30, year 0, negative and huge numbers in every field; and (`heavy` roles)
   junk in the typed fields with the page's own values in the choices;
3. as the administrator and the anonymous visitor (`heavy`; the bounds they test do not depend
   on the role, and this keeps the run short): sends non-UTF-8 bytes and a 10 MB body to every
   form, opens every route with junk in the path (0, 2^31, 10^20, %00, 300 characters) and
   every GET route with junk in every query parameter seen anywhere.
After each junk request that was refused (4xx), the row count of every table must be as before:
nothing of a refused request is stored. Every answer is counted by status; a 500 is a failure.
"""

from __future__ import annotations

import io
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import sqlalchemy as sa
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from dialog.extensions import db

JUNK = {
    "long": "Lång text åäö " * 720,  # ~10 000 characters
    "nul": "Text\x00med NUL\x00",
    "bad_date": "2026-02-30",
    "year_zero": "0000-01-01",
    "negative": "-1",
    "huge": "99999999999999999999",
}
PATH_INT_JUNK = ["0", "2147483648", "99999999999999999999"]
PATH_STR_JUNK = ["%00", "x" * 300, "..%2F..%2Fetc%2Fpasswd"]
NON_UTF8 = b"\xff\xfe\xfa\x80 \xc3\x28 \xed\xa0\x80"
BIG_BODY_BYTES = 10 * 1024 * 1024
URLS_PER_ENDPOINT = 2
QUERY_JUNK = ("nul", "huge", "long", "year_zero")
# With the page's own values in the choices, junk goes into the typed fields of these kinds.
DEFAULTS_WITH = {"long", "nul", "bad_date", "huge"}
ENDING = ("cancel", "delete", "toggle", "revoke", "unlock", "documented", "held")
# Not submitted: they end the crawler's own session (their junk-free behaviour has its own tests).
SKIPPED_FORMS = {"accounts.logout", "accounts.logout_everywhere"}
# Counted on purpose for refused requests: failed logins (see accounts/attempts.py).
COUNTED_ON_REFUSAL = {"login_attempt"}


@dataclass
class Form:
    method: str
    action: str
    enctype: str
    fields: list[dict] = field(default_factory=list)

    def key(self, endpoint: str) -> tuple:
        return (self.method, endpoint, tuple(sorted({f["name"] for f in self.fields})))


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(
                (a.get("method") or "get").upper(),
                a.get("action") or "",
                a.get("enctype") or "application/x-www-form-urlencoded",
            )
            self.forms.append(self._form)
        elif self._form is None or not a.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form.fields.append(
                    {"name": a["name"], "type": kind, "value": None, "option": a.get("value")}
                )
                return
            self._form.fields.append(
                {"name": a["name"], "type": kind, "value": a.get("value", ""), "option": None}
            )
        elif tag == "select":
            self._select = {"name": a["name"], "type": "select", "value": None, "options": []}
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a or self._select["value"] is None:
                self._select["value"] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = {"name": a["name"], "type": "textarea", "value": ""}
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class Crawler:
    def __init__(self, app, client, seeds: dict[str, list], *, heavy: bool):
        self.app = app
        self.client = client
        self.seeds = seeds
        self.heavy = heavy
        self.adapter = app.url_map.bind("localhost")
        self.statuses: Counter = Counter()
        self.failures: list[str] = []
        self.forms: dict[tuple, tuple[str, Form]] = {}
        self.seen_urls: dict[str, set[str]] = {}
        self.query_names: set[str] = set()
        self.requests = 0
        self.timings: dict[str, tuple[int, float]] = {}

    # --- requests -------------------------------------------------------------------------

    def send(self, method: str, url: str, *, check_refusal: bool = False, **kwargs):
        before = self.row_counts() if check_refusal else None
        response = self.client.open(url, method=method, **kwargs)
        self.requests += 1
        self.statuses[response.status_code] += 1
        label = f"{method} {url[:160]!r}"
        if response.status_code >= 500:
            self.failures.append(f"{label} -> {response.status_code}")
        if before is not None and 400 <= response.status_code < 500:
            after = self.row_counts()
            changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
            if changed:
                self.failures.append(f"{label} -> {response.status_code} but stored {changed}")
        return response

    def row_counts(self) -> dict[str, int]:
        tables = [t for t in db.metadata.sorted_tables if t.name not in COUNTED_ON_REFUSAL]
        query = sa.union_all(
            *(sa.select(sa.literal(t.name), sa.func.count()).select_from(t) for t in tables)
        )
        with self.app.app_context():
            return dict(db.session.execute(query).all())

    # --- walking ---------------------------------------------------------------------------

    def endpoint_of(self, url: str, method: str = "GET") -> str | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            return None
        try:
            endpoint, _ = self.adapter.match(parts.path, method)
        except HTTPException:
            return None
        return endpoint

    def seed_urls(self) -> list[str]:
        urls = []
        for rule in self.app.url_map.iter_rules():
            if rule.endpoint == "static":
                continue
            values = self._seed_values(rule)
            if values is not None:
                urls.append(self.adapter.build(rule.endpoint, values, append_unknown=False))
        return urls

    def _seed_values(self, rule) -> dict | None:
        values = dict(rule.defaults or {})
        for arg in rule.arguments - set(values):
            options = self.seeds.get(f"{rule.endpoint}:{arg}") or self.seeds.get(arg)
            if not options:
                return None
            values[arg] = options[0]
        return values

    def walk(self) -> None:
        queue = [u for u in self.seed_urls()]
        while queue:
            url = queue.pop(0)
            endpoint = self.endpoint_of(url)
            if endpoint is None or endpoint == "static":
                continue
            seen = self.seen_urls.setdefault(endpoint, set())
            if url in seen or len(seen) >= URLS_PER_ENDPOINT:
                continue
            seen.add(url)
            self.query_names.update(k for k, _ in parse_qsl(urlsplit(url).query))
            response = self.send("GET", url)
            if response.mimetype != "text/html":
                continue
            parser = _PageParser()
            parser.feed(response.get_data(as_text=True))
            for form in parser.forms:
                self._add_form(form, url)
            queue.extend(link.split("#")[0] for link in parser.links if link.startswith("/"))

    def _add_form(self, form: Form, page_url: str) -> None:
        action = form.action or page_url
        endpoint = self.endpoint_of(action, form.method)
        if endpoint is None or endpoint in SKIPPED_FORMS:
            return
        if form.method == "GET":
            self.query_names.update(f["name"] for f in form.fields)
        self.forms.setdefault(form.key(endpoint), (action, form))

    # --- junk --------------------------------------------------------------------------------

    def _data(self, form: Form, junk: str, everywhere: bool) -> dict:
        data: dict[str, list] = {}
        for f in form.fields:
            name, kind = f["name"], f["type"]
            if name == "csrf_token":
                data.setdefault(name, []).append(f["value"])
            elif kind == "file":
                continue
            elif everywhere or kind in (
                "text",
                "textarea",
                "email",
                "url",
                "search",
                "date",
                "time",
                "number",
                "password",
                "tel",
            ):
                data.setdefault(name, []).append(junk)
            elif f.get("value") is not None:
                data.setdefault(name, []).append(f["value"])
            elif f.get("option") is not None:
                data.setdefault(name, []).append(f["option"])
        return data

    def _files(self, form: Form) -> dict:
        return {
            f["name"]: (io.BytesIO(b"PK\x03\x04 junk \x00\xff" * 100), "junk.docx")
            for f in form.fields
            if f["type"] == "file"
        }

    def submit_forms(self) -> None:
        # Forms that end something (cancel, delete, deactivate …) last, so the others still
        # find their objects in a state that lets the junk reach their checks.
        def order(item):
            (method, endpoint, names), _ = item
            return (any(word in endpoint for word in ENDING), method, endpoint, names)

        for (method, _endpoint, _names), (action, form) in sorted(self.forms.items(), key=order):
            for junk_name, junk in JUNK.items():
                for everywhere in (True, False):
                    if not everywhere and (not self.heavy or junk_name not in DEFAULTS_WITH):
                        continue
                    data = self._data(form, junk, everywhere)
                    if method == "GET":
                        url = action.split("?")[0] + "?" + urlencode(data, doseq=True)
                        self.send("GET", url)
                        continue
                    data.update(self._files(form))
                    self.send(
                        method,
                        action,
                        data=data,
                        check_refusal=True,
                        content_type="multipart/form-data" if "multipart" in form.enctype else None,
                    )
            if method == "POST" and self.heavy:
                self._raw_bodies(action, form)

    def _raw_bodies(self, action: str, form: Form) -> None:
        token = next((f["value"] for f in form.fields if f["name"] == "csrf_token"), "")
        names = [f["name"] for f in form.fields if f["name"] != "csrf_token"] or ["x"]
        raw = f"csrf_token={token}".encode() + b"".join(
            b"&" + n.encode() + b"=" + NON_UTF8 for n in names
        )
        self.send(
            "POST",
            action,
            data=raw,
            content_type="application/x-www-form-urlencoded",
            check_refusal=True,
        )
        big = f"csrf_token={token}&{names[0]}=".encode() + b"A" * BIG_BODY_BYTES
        self.send(
            "POST",
            action,
            data=big,
            content_type="application/x-www-form-urlencoded",
            check_refusal=True,
        )

    def junk_paths(self) -> None:
        for rule in self.app.url_map.iter_rules():
            if rule.endpoint == "static" or not rule.arguments:
                continue
            base = self._seed_values(rule) or {}
            for arg in rule.arguments - set(rule.defaults or {}):
                numeric = isinstance(rule._converters[arg], IntegerConverter)
                for junk in PATH_INT_JUNK if numeric else PATH_STR_JUNK:
                    url = self._build_raw(rule, {**base, arg: junk})
                    if url is None:
                        continue
                    method = "GET" if "GET" in rule.methods else "POST"
                    self.send(method, url, check_refusal=method == "POST", data={})

    @staticmethod
    def _build_raw(rule, values: dict) -> str | None:
        """The rule's path with these values put in as they are (no converter checks)."""
        path = rule.rule
        for arg in rule.arguments:
            if arg not in values:
                return None
            path = re.sub(r"<(?:[^:<>]+:)?" + re.escape(arg) + r">", str(values[arg]), path)
        return path

    def junk_queries(self) -> None:
        names = sorted(self.query_names - {"csrf_token"})
        for _endpoint, urls in sorted(self.seen_urls.items()):
            url = sorted(urls)[0].split("?")[0]
            for junk_name in QUERY_JUNK:
                self.send("GET", url + "?" + urlencode({n: JUNK[junk_name] for n in names}))

    def run(self) -> None:
        phases = [self.walk, self.submit_forms]
        if self.heavy:
            phases += [self.junk_paths, self.junk_queries]
        for phase in phases:
            started, before = time.perf_counter(), self.requests
            phase()
            self.timings[phase.__name__] = (
                self.requests - before,
                round(time.perf_counter() - started, 1),
            )
