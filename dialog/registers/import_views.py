"""CSV import pages: upload, preview with every bad row, then confirm (all or nothing)."""

from __future__ import annotations

import base64
import binascii
import logging

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..scope import current_scope, require
from ..wording import count
from . import csv_import, services
from .forms import ImportConfirmForm, ImportUploadForm
from .views import bp

log = logging.getLogger(__name__)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_csv():
    scope = current_scope()
    require(scope.admin or bool(scope.region_ids or scope.municipality_ids), hide=False)
    form = ImportUploadForm()
    if form.validate_on_submit():
        raw = form.file.data.read()
        return _preview(form.kind.data, raw)
    return render_template(
        "registers/import.html",
        form=form,
        columns=csv_import.COLUMNS,
        labels=csv_import.COLUMN_LABELS,
    ), 400 if form.is_submitted() else 200


def _preview(kind: str, raw: bytes):
    form = ImportUploadForm()
    try:
        result = csv_import.preview(kind, raw, current_scope(), actor=current_user)
    except csv_import.ImportFileError as error:
        flash(str(error), "error")
        return render_template(
            "registers/import.html",
            form=form,
            columns=csv_import.COLUMNS,
            labels=csv_import.COLUMN_LABELS,
        ), 400
    confirm = ImportConfirmForm(kind=kind, payload=base64.b64encode(raw).decode("ascii"))
    return render_template(
        "registers/import_preview.html",
        result=result,
        confirm=confirm,
        labels=csv_import.COLUMN_LABELS,
        kind_label=csv_import.KIND_LABELS[kind],
        columns=list(csv_import.COLUMNS[kind]),
    ), 200 if result.ok else 422


@bp.post("/import/bekrafta")
@login_required
def import_confirm():
    scope = current_scope()
    require(scope.admin or bool(scope.region_ids or scope.municipality_ids), hide=False)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        flash("Förhandsgranskningen har gått ut. Ladda upp filen igen.", "error")
        return redirect(url_for("registers.import_csv"))
    try:
        raw = base64.b64decode(form.payload.data or "", validate=True)
        # Checked again: the file is trusted no more on confirm than on upload.
        result = csv_import.preview(form.kind.data, raw, scope, actor=current_user)
        imported = csv_import.apply(result)
        db.session.commit()
        log.info("event=csv_imported kind=%s rows=%d", form.kind.data, imported)
    except (csv_import.ImportFileError, binascii.Error, services.RegisterError) as error:
        db.session.rollback()
        flash(
            str(error)
            if not isinstance(error, binascii.Error)
            else "Filen kunde inte läsas. Ladda upp den igen.",
            "error",
        )
        return redirect(url_for("registers.import_csv"))
    flash(f"{count(imported, 'rad', 'rader')} importerades.", "success")
    return redirect(url_for("registers.import_csv"))
