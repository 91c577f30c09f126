"""Upload a filled-in documentation template, preview per table what will be added, changed
and left as it is (and what is not read), and save exactly that only when the user confirms."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..documents import render_documentation_template
from ..extensions import db
from ..locking import StaleDialogueError
from ..scope import current_scope
from . import lifecycle
from .forms import ImportForm, VersionForm
from .import_reading import Problem, read_document
from .import_saving import STATE_LABELS, plan_import, save_import, sign, unsign
from .views import bp, managed_dialogue

ACCEPTED = (".docx", ".odt")


def _page(dialogue, form, *, result=None, plan=None, token=None, code=200):
    problems = list(result.problems) if result else []
    return render_template(
        "findings/import.html",
        dialogue=dialogue,
        form=form,
        result=result,
        problems=problems,
        plan=plan,
        token=token,
        state_labels=STATE_LABELS,
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
    if not upload.filename.lower().endswith(ACCEPTED):
        form.document.errors = [
            "Filen måste vara ett Word-dokument (.docx) eller OpenDocument (.odt). "
            "Spara om den som .docx i Word eller LibreOffice."
        ]
        return _page(dialogue, form, code=400)
    result = read_document(upload.read(), dialogue, render_documentation_template(dialogue))
    if result.fatal:
        return _page(dialogue, form, result=result, code=422)
    plan = plan_import(dialogue, result)
    for message in dict.fromkeys(plan.checker.errors.values()):
        result.problems.append(Problem("Kontroll mot det som är registrerat", message))
    token = sign(dialogue, result, plan) if result.ok and not plan.checker.errors else None
    code = 200 if token else 422
    return _page(dialogue, form, result=result, plan=plan, token=token, code=code)


@bp.post("/dialoger/<int:dialogue_id>/importera/spara")
@login_required
def import_save(dialogue_id):
    dialogue = managed_dialogue(dialogue_id)
    form = VersionForm()
    if not form.validate_on_submit():
        flash("Formuläret har gått ut. Läs in filen igen.", "error")
        return redirect(url_for("findings.import_document", dialogue_id=dialogue.id))
    try:
        result, version, digest = unsign(dialogue, request.form.get("rows", ""))
        counts = save_import(
            dialogue,
            result,
            scope=current_scope(),
            expected_version=version,
            digest=digest,
            actor=current_user,
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
        + (", ".join(f"{n} {k}" for k, n in counts.items()) or "inga ändringar")
        + "."
        + (" Dialogen är markerad som genomförd." if held else ""),
        "success",
    )
    return redirect(url_for("findings.record", dialogue_id=dialogue.id))
