"""Rules of the documents feature: which template is in force, rendering for a dialogue, and the
template versions (upload, activate, go back to the shipped default), each change audited."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..models import Dialogue, Region
from ..models.documents import DocumentTemplate
from ..scope import Scope
from ..timeutil import local, now_utc
from . import rendering
from .context import build_context, demo_context
from .kinds import KINDS, DocumentKind
from .validation import TemplateRejected, validate_template  # noqa: F401 (re-exported)


@lru_cache(maxsize=8)
def _default_bytes(path: str, mtime: float) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def default_template_bytes(kind: DocumentKind) -> bytes:
    path = kind.default_path
    return _default_bytes(str(path), path.stat().st_mtime)


@dataclass(frozen=True)
class TemplateInForce:
    content: bytes
    source: str  # "standard", "global", "region"
    template_id: int | None = None
    version: int | None = None

    @property
    def label(self) -> str:
        if self.source == "standard":
            return "Standardmallen"
        where = "för alla regioner" if self.source == "global" else "regionens egen"
        return f"Version {self.version} ({where})"


def active_version(kind_key: str, region_id: int | None) -> DocumentTemplate | None:
    return db.session.scalar(
        sa.select(DocumentTemplate).where(
            DocumentTemplate.kind == kind_key,
            DocumentTemplate.active.is_(True),
            DocumentTemplate.region_id.is_(None)
            if region_id is None
            else DocumentTemplate.region_id == region_id,
        )
    )


def template_in_force(kind: DocumentKind, region_id: int | None) -> TemplateInForce:
    """The region's active template, else the active one for all regions, else the default."""
    candidates = [region_id, None] if region_id is not None else [None]
    for rid in candidates:
        row = active_version(kind.key, rid)
        if row is not None:
            return TemplateInForce(
                row.content, "region" if rid is not None else "global", row.id, row.version
            )
    return TemplateInForce(default_template_bytes(kind), "standard")


def render_for_dialogue(
    dialogue: Dialogue, kind: DocumentKind, template: TemplateInForce | None = None
) -> bytes:
    """The document filled in from `template` (default: the one in force). Raises
    RenderFailed if that template cannot be filled in; render_document falls back instead."""
    if template is None:
        template = template_in_force(kind, dialogue.care_home.municipality.region_id)
    return rendering.render(template.content, kind, build_context(dialogue, kind))


@dataclass(frozen=True)
class RenderedDocument:
    data: bytes
    template: TemplateInForce  # the template actually used
    failure: str | None = None  # why the template in force was not used, if it was not


def render_document(
    dialogue: Dialogue, kind: DocumentKind, template: TemplateInForce | None = None, *, actor=None
) -> RenderedDocument:
    """The document for a download. If an uploaded template cannot be filled in (an error in
    it, or more work than a render may do), the shipped default is used for this document and
    the failure is recorded on the template version for the administrators (flushes)."""
    if template is None:
        template = template_in_force(kind, dialogue.care_home.municipality.region_id)
    context = build_context(dialogue, kind)
    try:
        return RenderedDocument(rendering.render(template.content, kind, context), template)
    except rendering.RenderFailed as failure:
        if template.source == "standard":
            raise
        record_failure(template, dialogue, failure, actor)
        default = standard_template(kind)
        data = rendering.render(default.content, kind, context)
        return RenderedDocument(data, default, failure.message)


def standard_template(kind: DocumentKind) -> TemplateInForce:
    return TemplateInForce(default_template_bytes(kind), "standard")


def record_failure(template: TemplateInForce, dialogue: Dialogue, failure, actor=None) -> None:
    """Note on the version when and why it could not be filled in. Audited the first time a
    version fails and whenever the reason changes, so a failing template does not flood the
    log with one entry per download."""
    row = db.session.get(DocumentTemplate, template.template_id)
    if row is None:
        return
    reason = failure.message[:500]
    changed = row.failure != reason
    row.failed_at = now_utc()
    row.failures = (row.failures or 0) + 1
    row.failure = reason
    if changed:
        audit.record(
            "dokumentmall kunde inte användas",
            row,
            where=dialogue,
            actor=actor,
            summary=f"{KINDS[row.kind].label} version {row.version}: standardmallen användes",
            changes={"reason": failure.message[:300], "dialogue_id": dialogue.id},
        )
    db.session.flush()


def render_minutes(dialogue: Dialogue) -> tuple[bytes, str]:
    """The minutes (protokoll) of a dialogue as a Word file, and its file name."""
    kind = KINDS["protokoll"]
    return render_for_dialogue(dialogue, kind), download_name(kind, dialogue)


def render_preview(content: bytes, kind: DocumentKind, region_id: int | None) -> bytes:
    return rendering.render(content, kind, demo_context(kind, region_id))


def safe_filename(text: str) -> str:
    """Keep letters (å, ä, ö too), digits, spaces and - . ; drop what file systems refuse."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", text)
    return re.sub(r"\s+", " ", text).strip(" .") or "dokument"


def download_name(kind: DocumentKind, dialogue: Dialogue) -> str:
    day = local(dialogue.starts_at).date().isoformat()
    return safe_filename(f"{kind.label} {dialogue.care_home.name} {day}") + ".docx"


# --- template versions ---------------------------------------------------------------------


def can_manage_templates(scope: Scope, region_id: int | None) -> bool:
    """Administrators for every target; regional users for their own region only."""
    if scope.admin:
        return True
    return region_id is not None and region_id in scope.region_ids


def manageable_regions(scope: Scope) -> list[Region]:
    query = sa.select(Region).order_by(Region.name)
    if not scope.admin:
        query = query.where(Region.id.in_(scope.region_ids))
    return list(db.session.scalars(query))


def versions(kind_key: str, region_ids: list[int | None]) -> list[DocumentTemplate]:
    clauses = []
    if None in region_ids:
        clauses.append(DocumentTemplate.region_id.is_(None))
    ids = [r for r in region_ids if r is not None]
    if ids:
        clauses.append(DocumentTemplate.region_id.in_(ids))
    if not clauses:
        return []
    return list(
        db.session.scalars(
            sa.select(DocumentTemplate)
            .where(DocumentTemplate.kind == kind_key, sa.or_(*clauses))
            .order_by(
                DocumentTemplate.region_id.is_(None).desc(),
                DocumentTemplate.region_id,
                DocumentTemplate.version.desc(),
            )
        )
    )


def _where(region_id: int | None):
    return db.session.get(Region, region_id) if region_id is not None else None


def upload_template(
    kind: DocumentKind, region_id: int | None, data: bytes, filename: str, comment: str, actor
) -> DocumentTemplate:
    """Check and store a new, inactive version. Raises TemplateRejected and stores nothing."""
    validate_template(data, filename, kind)
    latest = (
        db.session.scalar(
            sa.select(sa.func.max(DocumentTemplate.version)).where(
                DocumentTemplate.kind == kind.key,
                DocumentTemplate.region_id.is_(None)
                if region_id is None
                else DocumentTemplate.region_id == region_id,
            )
        )
        or 0
    )
    row = DocumentTemplate(
        kind=kind.key,
        region_id=region_id,
        version=latest + 1,
        filename=safe_filename(filename)[:255],
        comment=(comment or "")[:500],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by_id=getattr(actor, "id", None),
        uploaded_at=now_utc(),
        active=False,
    )
    db.session.add(row)
    audit.record(
        "laddade upp dokumentmall",
        row,
        where=_where(region_id),
        actor=actor,
        summary=f"{kind.label} version {row.version}",
        changes={
            "kind": kind.key,
            "region_id": region_id,
            "version": row.version,
            "filename": row.filename,
            "sha256": row.sha256,
            "size": row.size,
        },
    )
    return row


def activate_template(row: DocumentTemplate, actor) -> None:
    previous = active_version(row.kind, row.region_id)
    if previous is not None and previous.id != row.id:
        previous.active = False
        db.session.flush()
    row.active = True
    row.activated_at = now_utc()
    audit.record(
        "aktiverade dokumentmall",
        row,
        where=_where(row.region_id),
        actor=actor,
        summary=f"{KINDS[row.kind].label} version {row.version}",
        changes={"active_version": [previous.version if previous else None, row.version]},
    )


def revert_to_default(kind: DocumentKind, region_id: int | None, actor) -> bool:
    """Deactivate the target's active version; returns False if the default was in force."""
    previous = active_version(kind.key, region_id)
    if previous is None:
        return False
    previous.active = False
    audit.record(
        "återgick till standardmall",
        previous,
        where=_where(region_id),
        actor=actor,
        summary=f"{kind.label}",
        changes={"active_version": [previous.version, None]},
    )
    return True
