"""Word documents for a dialogue (agenda, kallelse, dokumentationsmall, stödmaterial), rendered
with docxtpl from templates that administrators and regional users can replace."""

from . import minutes_layout
from .kinds import KINDS
from .services import render_minutes
from .shared_material import sample_document, sample_kinds

# minutes_layout: the documentation template's tables, shared with the findings importer.
# render_minutes: the protokoll of a dialogue, sent to its participants when it is documented.
# render_documentation_template: what a filled-in copy is compared with on import.
# sample_document/sample_kinds: the region's templates with sample values (shared material).
__all__ = [
    "KINDS",
    "init_app",
    "minutes_layout",
    "render_documentation_template",
    "render_minutes",
    "sample_document",
    "sample_kinds",
]


def render_documentation_template(dialogue) -> bytes:
    """The dialogue's documentation template as it is downloaded now (the template in force,
    prefilled with what is recorded): what a filled-in copy is compared with on import."""
    from .services import render_for_dialogue

    return render_for_dialogue(dialogue, KINDS["dokumentationsmall"])


def init_app(app):
    from ..web import add_nav_item
    from .views import bp

    app.register_blueprint(bp)
    add_nav_item(
        app,
        "Dokumentmallar",
        "documents.templates",
        lambda scope: scope.admin or bool(scope.region_ids),
        order=80,
    )

    @app.context_processor
    def document_kinds():
        return {"document_kinds": KINDS}
