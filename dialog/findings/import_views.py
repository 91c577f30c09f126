"""Upload a filled-in documentation template, preview it with every problem marked, and save it
only when the user confirms and nothing is wrong."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..locking import StaleDialogueError
from ..models import ActionStatus, ContactRole, Party
from ..scope import current_scope
from . import lifecycle
from .forms import ImportForm, VersionForm
from .import_reading import read_document
from .import_saving import save_import, sign, unsign
from .views import bp, managed_dialogue

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page(dialogue, form, *, result=None, token=None, code=200):
    problem_places = {p.where for p in result.problems} if result else set()
    labels = {e.value: e.label for cls in (Party, ContactRole, ActionStatus) for e in cls}
    return render_template(
        "findings/import.html",
        dialogue=dialogue,
        form=form,
        result=result,
        token=token,
        problem_places=problem_places,
        labels=labels,
        confirm=VersionForm(formdata=None, version=dialogue.version),
    ), code


@bp.route("/dialoger/<int:dialogue_id>/importera", methods=["GET", "POST"])
@login_required
def import_document(dialogue_id):
    dialogue = managed_dialogue(dialogue_id)
    scope = current_scope()
    form = ImportForm()
    if not lifecycle.can_record(scope, dialogue):
        flash(
            "Dialogen är dokumenterad och låst eller inställd; den kan inte läsas in nu.", "error"
        )
        return redirect(url_for("findings.record", dialogue_id=dialogue.id))
    if not form.validate_on_submit():
        return _page(dialogue, form, code=400 if form.is_submitted() else 200)
    upload = form.document.data
    if upload is None or not getattr(upload, "filename", ""):
        form.document.errors = ["Välj en ifylld dokumentationsmall (.docx)."]
        return _page(dialogue, form, code=400)
    if not upload.filename.lower().endswith(".docx"):
        form.document.errors = [
            "Filen måste vara ett Word-dokument (.docx). Spara om den som .docx."
        ]
        return _page(dialogue, form, code=400)
    result = read_document(upload.read(), dialogue)
    token = sign(dialogue, result) if result.ok else None
    return _page(dialogue, form, result=result, token=token, code=200 if result.ok else 422)


@bp.post("/dialoger/<int:dialogue_id>/importera/spara")
@login_required
def import_save(dialogue_id):
    dialogue = managed_dialogue(dialogue_id)
    form = VersionForm()
    if not form.validate_on_submit():
        flash("Formuläret har gått ut. Läs in filen igen.", "error")
        return redirect(url_for("findings.import_document", dialogue_id=dialogue.id))
    try:
        result, version = unsign(dialogue, request.form.get("rows", ""))
        counts = save_import(
            dialogue, result, scope=current_scope(), expected_version=version, actor=current_user
        )
    except (lifecycle.FindingsError, StaleDialogueError) as error:
        db.session.rollback()
        message = str(error)
        if isinstance(error, lifecycle.ValidationFailed):
            message = (
                "Inläsningen stoppades eftersom något inte längre stämmer (till exempel "
                "ett område som tagits bort). Inget har sparats. Läs in filen igen."
            )
        flash(message, "error")
        return redirect(url_for("findings.import_document", dialogue_id=dialogue.id))
    db.session.commit()
    held = counts.pop("markerad som genomförd", 0)
    flash(
        "Dokumentationsmallen är inläst: "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
        + "."
        + (" Dialogen är markerad som genomförd." if held else ""),
        "success",
    )
    return redirect(url_for("findings.record", dialogue_id=dialogue.id))
