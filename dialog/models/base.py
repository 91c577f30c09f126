"""Shared column helpers for the typed models."""

from __future__ import annotations

import enum
from datetime import UTC

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always handed back timezone-aware.

    SQLite has no time zone type, so without this a value would come back naive there and aware
    on PostgreSQL; every comparison in the services would then depend on the database.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class LabelledEnum(enum.Enum):
    """An enum stored by its code, with the Swedish label the UI shows.

    Members are written MEMBER = ("code", "Etikett"): the code is the value (what the database
    and URLs hold), the label is what people read.
    """

    label: str

    def __new__(cls, value: str, label: str):
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        return member


def enum_column(enum_cls: type[enum.Enum]) -> sa.Enum:
    """Store an enum as its value in a plain string column (portable, easy to migrate)."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def render_migration_item(type_, obj, autogen_context):
    """Alembic hook: write our column types as plain SQLAlchemy types in migrations."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
