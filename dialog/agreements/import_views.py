"""CSV import of agreements: upload, preview with every bad row, then confirm (all or nothing)."""

from __future__ import annotations

from flask_login import login_required

from ..csv_import_views import CsvImportPages
from ..scope import current_scope, require
from . import csv_import, services
from .views import bp

PAGES = CsvImportPages(
    importer=csv_import,
    upload_template="agreements/import.html",
    preview_template="agreements/import_preview.html",
    upload_endpoint="agreements.import_csv",
    done_endpoint="agreements.index",
    done_message=lambda count: f"{count} överenskommelser importerades.",
    refusals=(services.AgreementError,),
)


def _importer_scope():
    scope = current_scope()
    require(services.can_edit_any(scope), hide=False)
    return scope


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_csv():
    return PAGES.upload(_importer_scope())


@bp.post("/import/bekrafta")
@login_required
def import_confirm():
    return PAGES.confirm(_importer_scope())
