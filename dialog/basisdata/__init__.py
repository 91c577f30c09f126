"""Basis data (underlag) per home and year: deviations by category, Senior alert, medication
reviews and hygiene rounds, as counts and shares; typed in or imported from CSV."""

from .services import BasisSummary, basis_summary, document_context, sample_document_context

__all__ = [
    "BasisSummary",
    "basis_summary",
    "document_context",
    "init_app",
    "sample_document_context",
]


def init_app(app):
    from ..registers import register_csv_importer
    from ..web import add_nav_item
    from . import csv_import, services
    from .views import bp

    app.register_blueprint(bp)
    register_csv_importer(app, csv_import.KIND, csv_import.preview, csv_import.apply)
    add_nav_item(app, "Underlag", "basisdata.index", services.can_use, order=42)
