"""One choke point in the model layer: guarded columns.

Every text column that a user, an invitee or an import can fill is declared in its model with
`info=guarded(mode, label)`; every other text column with `info=exempt(reason)`. A flush
listener checks the new and changed values of guarded columns in every session, so no form,
service, CLI command or import can store refused text by forgetting to call the guard: the
flush raises PatientDataError before any SQL is sent, and the edge rolls back. A test walks the
models and fails on a text column that is neither guarded nor exempt.

Audit entries are written by the code from values that have passed here; their `changes` are
still checked, key by key, against the mode of the column of the same name, so a service that
put refused words in the audit log without storing them would fail too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from .guard import (
    PatientDataError,
    add_register_names,
    find_patient_data,
    forget_register_names,
)

INFO_KEY = "privacy"


def guarded(mode: str = "text", label: str = "Texten") -> dict:
    """Column info for a column the guard checks on every flush (modes: see guard.py)."""
    return {INFO_KEY: {"mode": mode, "label": label}}


def exempt(reason: str) -> dict:
    """Column info for a text column the guard leaves alone, with the reason why."""
    if not reason.strip():
        raise ValueError("an exempt column needs a reason")
    return {INFO_KEY: {"exempt": reason}}


@dataclass(frozen=True)
class GuardedColumn:
    model: type
    key: str  # the mapped attribute
    table: str
    column: str
    mode: str
    label: str
    is_json: bool


def is_text_column(column: sa.Column) -> bool:
    """Columns that can hold free text: strings, text, JSON and binary (an e-mail, a file)."""
    kind = column.type
    if isinstance(kind, sa.Enum):
        return False
    return isinstance(kind, (sa.String, sa.Text, sa.JSON, sa.LargeBinary))


def guarded_columns() -> list[GuardedColumn]:
    from ..extensions import db

    out = []
    for mapper in db.Model.registry.mappers:
        for attr in mapper.column_attrs:
            for column in attr.columns:
                spec = column.info.get(INFO_KEY) or {}
                if "mode" in spec:
                    out.append(
                        GuardedColumn(
                            mapper.class_,
                            attr.key,
                            column.table.name,
                            column.name,
                            spec["mode"],
                            spec["label"],
                            isinstance(column.type, sa.JSON),
                        )
                    )
    return sorted(out, key=lambda g: (g.table, g.column))


@cache
def _by_model() -> dict[type, list[GuardedColumn]]:
    out: dict[type, list[GuardedColumn]] = {}
    for g in guarded_columns():
        out.setdefault(g.model, []).append(g)
    return out


@cache
def _mode_by_attribute() -> dict[str, tuple[str, str]]:
    """Attribute name -> (mode, label), to check audit changes by the column they describe."""
    # Several models share an attribute name ("name"): the most lenient mode is used here, the
    # column itself was checked in its own mode.
    leniency = {"org": 0, "name": 1, "link": 2, "phone": 3, "text": 4}
    out: dict[str, tuple[str, str]] = {}
    for g in guarded_columns():
        if g.key not in out or leniency[g.mode] < leniency[out[g.key][0]]:
            out[g.key] = (g.mode, g.label)
    # Keys the services use for people in audit changes.
    for key in ("stand_in", "added", "removed", "participant"):
        out.setdefault(key, ("name", "Namn"))
    return out


def strings_in(value) -> Iterator[str]:
    """Every string in a JSON value (dict keys excluded: they are the code's)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)


def check_value(value, mode: str, label: str) -> None:
    for text in strings_in(value):
        hits = find_patient_data(text, mode=mode)
        if hits:
            raise PatientDataError(label, hits)


def _check_audit_changes(entry) -> None:
    modes = _mode_by_attribute()
    for key, value in (entry.changes or {}).items():
        if key in modes:
            mode, label = modes[key]
            check_value(value, mode, label)


_REGISTER_TABLES = {"region", "municipality", "care_home", "health_centre"}


@event.listens_for(Session, "before_flush")
def _guard_before_flush(session, flush_context, instances) -> None:
    by_model = _by_model()
    changed_registers = False
    new_register_names: list[str] = []
    for obj in [*session.new, *session.dirty]:
        table = getattr(type(obj), "__tablename__", None)
        if table in _REGISTER_TABLES:
            if obj in session.new:
                new_register_names += [obj.name, getattr(obj, "address", None)]
            else:
                changed_registers = True
        if table == "audit_entry":
            _check_audit_changes(obj)
            continue
        specs = by_model.get(type(obj))
        if not specs:
            continue
        state = sa.inspect(obj)
        for spec in specs:
            if obj in session.new:
                value = getattr(obj, spec.key)
            else:
                history = state.attrs[spec.key].history
                if not history.added:
                    continue
                value = history.added[0]
            if value:
                check_value(value, spec.mode, spec.label)
    if changed_registers or any(
        getattr(type(obj), "__tablename__", None) in _REGISTER_TABLES for obj in session.deleted
    ):
        forget_register_names()
    elif new_register_names:
        add_register_names(new_register_names)


@event.listens_for(Session, "do_orm_execute")
def _guard_orm_statements(state) -> None:
    """ORM-enabled INSERT and UPDATE statements (sa.update(Finding).values(…), bulk inserts
    of mapped classes) skip the flush: their guarded values are checked here. Statements on
    plain tables (the demo data's bulk load, privacy-scan's own redaction) are not."""
    if not (state.is_update or state.is_insert):
        return
    # Built from a mapped class (sa.update(Finding)), not from its plain table.
    attrs = getattr(state.statement, "_propagate_attrs", None) or {}
    if attrs.get("compile_state_plugin") != "orm":
        return
    entity = getattr(attrs.get("plugin_subject"), "class_", None)
    specs = _by_model().get(entity) if entity is not None else None
    if not specs:
        return
    by_name = {}
    for spec in specs:
        by_name[spec.key] = spec
        by_name[spec.column] = spec
    values: list[dict] = []
    params = state.parameters
    if isinstance(params, dict):
        values.append(params)
    elif isinstance(params, (list, tuple)):
        values.extend(p for p in params if isinstance(p, dict))
    statement_values = getattr(state.statement, "_values", None) or {}
    values.append(
        {
            getattr(key, "key", key): getattr(value, "value", value)
            for key, value in statement_values.items()
        }
    )
    for row in values:
        for key, value in row.items():
            spec = by_name.get(getattr(key, "key", key))
            if spec is not None and value:
                check_value(value, spec.mode, spec.label)
