"""Word documents for a dialogue (agenda, kallelse, dokumentationsmall, stödmaterial), rendered
with docxtpl from templates that administrators and regional users can replace."""

from . import minutes_layout
from .kinds import KINDS
from .samples import sample_document, sample_kinds

# minutes_layout: the documentation template's tables, shared with the findings importer.
# sample_document/sample_kinds: the region's templates with sample values (shared material).
__all__ = ["KINDS", "init_app", "minutes_layout", "sample_document", "sample_kinds"]


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
