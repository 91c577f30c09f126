"""The two pages of a one-kind CSV import: upload with a preview of every bad row, then confirm
(all or nothing). Features give their importer, templates and wording; their views check role
and scope and hand over."""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

from .extensions import db
from .registers import ImportFileError

log = logging.getLogger(__name__)


class CsvUploadForm(FlaskForm):
    file = FileField("CSV-fil", validators=[FileRequired("Välj en CSV-fil.")])


class CsvConfirmForm(FlaskForm):
    payload = HiddenField()


@dataclass(frozen=True)
class CsvImportPages:
    """importer: a module with preview(raw, scope, actor=…), apply(result), KIND, COLUMNS and
    LABELS. The file is read again on confirm: it is trusted no more then than on upload."""

    importer: ModuleType
    upload_template: str
    preview_template: str
    upload_endpoint: str
    done_endpoint: str
    done_message: Callable[[int], str]
    refusals: tuple[type[Exception], ...] = ()  # the service's own errors, shown as they are
    upload_context: Callable[[], dict] = dict

    def _upload_page(self, form, status: int):
        return render_template(
            self.upload_template,
            form=form,
            columns=self.importer.COLUMNS,
            labels=self.importer.LABELS,
            **self.upload_context(),
        ), status

    def upload(self, scope):
        form = CsvUploadForm()
        if not form.validate_on_submit():
            return self._upload_page(form, 400 if form.is_submitted() else 200)
        raw = form.file.data.read()
        try:
            result = self.importer.preview(raw, scope, actor=current_user)
        except ImportFileError as error:
            flash(str(error), "error")
            return self._upload_page(form, 400)
        confirm = CsvConfirmForm(payload=base64.b64encode(raw).decode("ascii"))
        return render_template(
            self.preview_template,
            result=result,
            confirm=confirm,
            columns=list(self.importer.COLUMNS),
            labels=self.importer.LABELS,
        ), 200 if result.ok else 422

    def confirm(self, scope):
        form = CsvConfirmForm()
        if not form.validate_on_submit():
            flash("Förhandsgranskningen har gått ut. Ladda upp filen igen.", "error")
            return redirect(url_for(self.upload_endpoint))
        try:
            raw = base64.b64decode(form.payload.data or "", validate=True)
            result = self.importer.preview(raw, scope, actor=current_user)
            count = self.importer.apply(result)
        except (ImportFileError, binascii.Error, *self.refusals) as error:
            db.session.rollback()
            flash(
                "Filen kunde inte läsas. Ladda upp den igen."
                if isinstance(error, binascii.Error)
                else str(error),
                "error",
            )
            return redirect(url_for(self.upload_endpoint))
        db.session.commit()
        log.info("event=csv_imported kind=%s rows=%d", self.importer.KIND, count)
        flash(self.done_message(count), "success")
        return redirect(url_for(self.done_endpoint))
