"""The region's documents filled with sample values, for the shared-material page."""

from __future__ import annotations

from .kinds import KINDS
from .services import render_preview, template_in_force

# The order the shared material lists them in: agenda, minutes template, letter, guide.
SAMPLE_ORDER = ["agenda", "dokumentationsmall", "kallelse", "stodmaterial"]


def sample_document(kind_key: str, region_id: int | None) -> bytes:
    """The template in force for the region (its own, the global one or the shipped default)
    rendered with the fictional sample dialogue. KeyError for an unknown kind."""
    kind = KINDS[kind_key]
    return render_preview(template_in_force(kind, region_id).content, kind, region_id)


def sample_kinds() -> list:
    return [KINDS[k] for k in SAMPLE_ORDER if k in KINDS]
