"""Models of the documents feature (replaceable Word templates). Owned by dialog/documents."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..extensions import db
from ..privacy import exempt, guarded
from ..timeutil import now_utc
from .base import UTCDateTime


class DocumentTemplate(db.Model):
    """One uploaded version of a Word template for one document kind.

    region_id None = the template for every region (only administrators upload those); a
    region's own active template wins over the global one, which wins over the shipped default
    in agenda_templates/. At most one version per (kind, region) is active; none active means
    the shipped default (or the global one, for a region). Versions are never deleted.
    """

    __tablename__ = "document_template"
    __table_args__ = (sa.Index("ix_document_template_lookup", "kind", "region_id", "active"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), info=exempt("a dialog.documents.kinds key"))
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("region.id"), index=True)
    version: Mapped[int] = mapped_column()
    filename: Mapped[str] = mapped_column(sa.String(255), info=guarded("text", "Filnamn"))
    comment: Mapped[str] = mapped_column(
        sa.String(500), default="", info=guarded("text", "Kommentar")
    )
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64), info=exempt("hash of the file"))
    content: Mapped[bytes] = deferred(
        mapped_column(
            sa.LargeBinary, info=exempt("a Word template (placeholders), validated on upload")
        )
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    active: Mapped[bool] = mapped_column(default=False)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last time this version could not be filled in for a download (the default was used
    # instead), and why: shown to administrators on the templates page.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failure: Mapped[str] = mapped_column(
        sa.String(500),
        default="",
        server_default="",
        info=exempt("the renderer's own message about a template, written by the code"),
    )
    failures: Mapped[int] = mapped_column(default=0, server_default="0")

    region = relationship("Region")
    uploaded_by = relationship("User")

    def __str__(self) -> str:
        return f"{self.kind} version {self.version}"


# At most one active version per document and target, and version numbers unique per target,
# enforced by the database (coalesce: NULL = every region would otherwise never collide).
sa.Index(
    "uq_document_template_active",
    DocumentTemplate.kind,
    sa.func.coalesce(DocumentTemplate.region_id, 0),
    unique=True,
    sqlite_where=DocumentTemplate.active.is_(True),
    postgresql_where=DocumentTemplate.active.is_(True),
)
sa.Index(
    "uq_document_template_version",
    DocumentTemplate.kind,
    sa.func.coalesce(DocumentTemplate.region_id, 0),
    DocumentTemplate.version,
    unique=True,
)
