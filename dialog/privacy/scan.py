"""Re-checking what is already stored, with today's guard, and cleaning it.

`scan()` reads every guarded column (findings, actions, notes, comments, participants, places,
cancellation reasons, registers …), the audit log's changes and summaries, and the bodies of
queued mail, and reports table, row, column and kinds: never the matched text. `redact()`
replaces each match with [borttaget] in the caller's transaction and writes one audit entry that
holds counts, not text; the edge (the CLI command, the admin view) commits.

Stored text repeats a lot (catalogue phrases, demo data, copied notes), so each distinct text is
checked once per mode.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default as default_policy

import icalendar
import sqlalchemy as sa

from ..extensions import db
from .columns import _mode_by_attribute, guarded_columns, strings_in
from .guard import Hit, find_patient_data

REDACTED = "[borttaget]"
_BATCH = 5000
_MEMO_LIMIT = 200_000


@dataclass(frozen=True)
class Finding:
    """One stored value with patient data in it: where it is and what kinds, never the text."""

    table: str
    row_id: int
    column: str
    kinds: tuple[str, ...]


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    checked_values: int = 0
    tables: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)
        self.tables[finding.table] += 1
        self.kinds.update(finding.kinds)

    @property
    def clean(self) -> bool:
        return not self.findings


class _Checker:
    """find_patient_data with a memo per (mode, text): stored text repeats."""

    def __init__(self):
        self.memo: dict[tuple[str, str], list[Hit]] = {}

    def __call__(self, text: str, mode: str, org_names: list[str] | None = None) -> list[Hit]:
        if not text or not text.strip():
            return []
        if org_names is not None:
            return find_patient_data(text, mode=mode, org_names=org_names)
        key = (mode, text)
        hits = self.memo.get(key)
        if hits is None:
            hits = find_patient_data(text, mode=mode)
            if len(self.memo) < _MEMO_LIMIT:
                self.memo[key] = hits
        return hits


def _key(table: sa.Table) -> sa.Column:
    """The table's one-column integer primary key (id, or dialogue_id for a 1:1 table)."""
    (key,) = table.primary_key.columns
    return key


def _rows(table: sa.Table, *columns, where=None) -> Iterator[sa.Row]:
    """Stream rows in key order, in batches (keyset pagination keeps memory flat)."""
    key = _key(table)
    last = 0
    while True:
        query = sa.select(key, *columns).where(key > last)
        if where is not None:
            query = query.where(where)
        batch = db.session.execute(query.order_by(key).limit(_BATCH)).all()
        if not batch:
            return
        yield from batch
        last = batch[-1][0]


def _redacted(text: str, hits: list[Hit]) -> str:
    out, pos = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start < pos:
            continue
        out.append(text[pos : hit.start])
        out.append(REDACTED)
        pos = hit.end
    out.append(text[pos:])
    return "".join(out)


def _redact_json(value, key_mode: Callable[[str], str | None], check, key=None):
    """The JSON value with every guarded string redacted (keys of unknown columns untouched)."""
    if isinstance(value, dict):
        return {k: _redact_json(v, key_mode, check, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_json(v, key_mode, check, key) for v in value]
    if isinstance(value, str):
        mode = key_mode(key)
        if mode:
            hits = check(value, mode)
            if hits:
                return _redacted(value, hits)
    return value


# --- what is scanned ---------------------------------------------------------------------


def _scan_columns(check, report: Report, fix: bool) -> None:
    for spec in guarded_columns():
        table = spec.model.__table__
        column = table.c[spec.column]
        for row_id, value in _rows(table, column, where=column.is_not(None)):
            report.checked_values += 1
            if spec.is_json:
                texts = list(strings_in(value))
                hits_by_text = {t: check(t, spec.mode) for t in texts}
                kinds = tuple(dict.fromkeys(h.kind for hs in hits_by_text.values() for h in hs))
                if kinds:
                    report.add(Finding(spec.table, row_id, spec.column, kinds))
                    if fix:
                        new = _redact_json(value, lambda _k, m=spec.mode: m, check)
                        db.session.execute(
                            table.update().where(_key(table) == row_id).values({column: new})
                        )
                continue
            hits = check(value, spec.mode)
            if hits:
                report.add(
                    Finding(
                        spec.table, row_id, spec.column, tuple(dict.fromkeys(h.kind for h in hits))
                    )
                )
                if fix:
                    db.session.execute(
                        table.update()
                        .where(_key(table) == row_id)
                        .values({column: _redacted(value, hits)})
                    )


def _scan_audit(check, report: Report, fix: bool) -> None:
    from ..models import AuditEntry

    modes = _mode_by_attribute()
    table = AuditEntry.__table__

    def key_mode(key):
        if key in modes:
            return modes[key][0]
        return None

    for row_id, changes, summary in _rows(table, table.c.changes, table.c.summary):
        report.checked_values += 1
        kinds: dict[str, None] = {}
        for key, value in (changes or {}).items():
            mode = key_mode(key)
            if not mode:
                continue
            for text in strings_in(value):
                kinds.update(dict.fromkeys(h.kind for h in check(text, mode)))
        if kinds:
            report.add(Finding("audit_entry", row_id, "changes", tuple(kinds)))
            if fix:
                new = _redact_json(changes, key_mode, check)
                db.session.execute(table.update().where(_key(table) == row_id).values(changes=new))
        # Summaries are built by the code from names of homes and people: identity numbers,
        # birth dates, rooms and ages are what could have slipped in.
        hits = check(summary or "", "org")
        if hits:
            report.add(
                Finding(
                    "audit_entry", row_id, "summary", tuple(dict.fromkeys(h.kind for h in hits))
                )
            )
            if fix:
                db.session.execute(
                    table.update()
                    .where(_key(table) == row_id)
                    .values(summary=_redacted(summary, hits))
                )


def _mail_known_names(dialogue_id: int | None) -> list[str]:
    """Names a mail legitimately carries: the dialogue's participants and organiser."""
    from ..models import Dialogue, Participant, User
    from .guard import _register_names

    names = list(_register_names())
    if dialogue_id is not None:
        names += db.session.scalars(
            sa.select(Participant.name).where(Participant.dialogue_id == dialogue_id)
        ).all()
        organiser = db.session.scalar(
            sa.select(User.name)
            .join(Dialogue, Dialogue.organiser_id == User.id)
            .where(Dialogue.id == dialogue_id)
        )
        if organiser:
            names.append(organiser)
    return names


def _mail_body(msg) -> str:
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def _redact_mail(msg, words: list[str]) -> bytes:
    for part in msg.walk():
        if part.get_content_maintype() != "text" or part.is_multipart():
            continue
        content = part.get_content()
        calendar = part.get_content_subtype() == "calendar"
        # iCalendar folds long lines (RFC 5545 3.1) and escapes commas: unfold, replace, fold.
        before = re.sub(r"\r?\n[ \t]", "", content) if calendar else content
        new = before
        for word in words:
            new = new.replace(word, REDACTED)
            if calendar:
                new = new.replace(_ics_escape(word), REDACTED)
        if new == before:
            continue
        if calendar:
            new = icalendar.Calendar.from_ical(new).to_ical().decode("utf-8")
        params = {k: v for k, v in part.get_params()[1:] if k.lower() != "charset"}
        part.set_content(new, subtype=part.get_content_subtype(), params=params)
    return msg.as_bytes()


def _scan_outbox(check, report: Report, fix: bool) -> None:
    from ..models.invitations import OutboxMessage, OutboxStatus

    table = OutboxMessage.__table__
    waiting = table.c.status.in_([OutboxStatus.QUEUED.value, OutboxStatus.FAILED.value])
    for row_id, raw, dialogue_id in _rows(table, table.c.raw, table.c.dialogue_id, where=waiting):
        report.checked_values += 1
        msg = message_from_bytes(raw, policy=default_policy)
        body = _mail_body(msg)
        hits = check(body, "text", _mail_known_names(dialogue_id))
        if not hits:
            continue
        report.add(
            Finding("outbox_message", row_id, "raw", tuple(dict.fromkeys(h.kind for h in hits)))
        )
        if fix:
            words = sorted({h.text for h in hits}, key=len, reverse=True)
            db.session.execute(
                table.update().where(_key(table) == row_id).values(raw=_redact_mail(msg, words))
            )


def scan(*, fix: bool = False) -> Report:
    """Check everything stored. With fix=True, also replace every match with [borttaget] (in
    the caller's transaction; see redact())."""
    check = _Checker()
    report = Report()
    with db.session.no_autoflush:
        _scan_columns(check, report, fix)
        _scan_audit(check, report, fix)
        _scan_outbox(check, report, fix)
    return report


def redact(*, actor=None) -> Report:
    """Replace every match with [borttaget] and write one audit entry with counts only. The
    caller commits (one transaction for all of it)."""
    from .. import audit

    report = scan(fix=True)
    if report.findings:
        audit.record(
            "rensade patientuppgifter",
            PrivacyScan(),
            actor=actor,
            summary=f"{len(report.findings)} värden rensade",
            changes={
                "tabeller": [None, dict(report.tables)],
                "typer": [None, dict(report.kinds)],
                "rader": [None, len(report.findings)],
            },
        )
    return report


class PrivacyScan:
    """What the audit entry of a cleaning is about: the stored data as a whole."""

    id = None


def describe(finding: Finding) -> str:
    from .guard import KIND_LABELS

    kinds = ", ".join(KIND_LABELS.get(k, k).lower() for k in finding.kinds)
    return f"{finding.table} rad {finding.row_id} ({finding.column}): {kinds}"
