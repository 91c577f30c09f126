"""CSV import of agreements: upload, preview with every bad row, then confirm (all or nothing)."""

from __future__ import annotations

import base64
import binascii
import logging

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..registers import ImportFileError
from ..scope import current_scope, require
from . import csv_import, services
from .forms import ConfirmForm, UploadForm
from .views import bp

log = logging.getLogger(__name__)


def _upload_page(form, status=200):
    return render_template(
        "agreements/import.html",
        form=form,
        columns=csv_import.COLUMNS,
        labels=csv_import.LABELS,
    ), status


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_csv():
    scope = current_scope()
    require(services.can_edit_any(scope), hide=False)
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(form, 400 if form.is_submitted() else 200)
    raw = form.file.data.read()
    try:
        result = csv_import.preview(raw, scope, actor=current_user)
    except ImportFileError as error:
        flash(str(error), "error")
        return _upload_page(form, 400)
    confirm = ConfirmForm(payload=base64.b64encode(raw).decode("ascii"))
    return render_template(
        "agreements/import_preview.html",
        result=result,
        confirm=confirm,
        columns=list(csv_import.COLUMNS),
        labels=csv_import.LABELS,
    ), 200 if result.ok else 422


@bp.post("/import/bekrafta")
@login_required
def import_confirm():
    scope = current_scope()
    require(services.can_edit_any(scope), hide=False)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("Förhandsgranskningen har gått ut. Ladda upp filen igen.", "error")
        return redirect(url_for("agreements.import_csv"))
    try:
        raw = base64.b64decode(form.payload.data or "", validate=True)
        # Checked again: the file is trusted no more on confirm than on upload.
        result = csv_import.preview(raw, scope, actor=current_user)
        count = csv_import.apply(result)
    except (ImportFileError, binascii.Error, services.AgreementError) as error:
        db.session.rollback()
        flash(
            "Filen kunde inte läsas. Ladda upp den igen."
            if isinstance(error, binascii.Error)
            else str(error),
            "error",
        )
        return redirect(url_for("agreements.import_csv"))
    db.session.commit()
    log.info("event=csv_imported kind=%s rows=%d", csv_import.KIND, count)
    flash(f"{count} överenskommelser importerades.", "success")
    return redirect(url_for("agreements.index"))
