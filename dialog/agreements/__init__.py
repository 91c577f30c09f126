"""Local agreements (lokala överenskommelser) between municipalities and health centres, and
the homes whose health centre has no valid agreement with the duty to take part."""

from .services import Gaps, homes_without_agreement, reference_day

__all__ = ["Gaps", "homes_without_agreement", "init_app", "reference_day"]


def init_app(app):
    from ..registers import register_csv_importer
    from ..web import add_nav_item
    from . import csv_import, import_views, services  # noqa: F401  (import routes)
    from .template_hooks import agreement_warning, year_gaps
    from .views import bp

    app.register_blueprint(bp)
    register_csv_importer(app, csv_import.KIND, csv_import.preview, csv_import.apply)
    add_nav_item(app, "Överenskommelser", "agreements.index", services.can_use_register, order=25)
    # The year view, the booking page and the dialogue page show the gaps (their templates
    # include agreements/_*.html).
    app.jinja_env.globals.update(agreement_year_gaps=year_gaps, agreement_warning=agreement_warning)
