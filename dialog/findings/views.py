"""Recording a dialogue: attendance, findings, actions, follow-up, documented. Thin views."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..locking import StaleDialogueError, form_version
from ..models import (
    Action,
    ActionStatus,
    Attendance,
    ContactRole,
    Dialogue,
    Finding,
    FindingKind,
    Party,
)
from ..scope import current_scope, get_or_404, require
from ..timeutil import today_local
from ..wording import count
from . import action_followup, findings_actions, lifecycle
from .forms import (
    ActionForm,
    ConfirmForm,
    FindingForm,
    NoteForm,
    UnlockForm,
    VersionForm,
    enum_or_none,
)

bp = Blueprint("findings", __name__)


def _version(value) -> int | None:
    return form_version(value)


def managed_dialogue(dialogue_id: int) -> Dialogue:
    """The dialogue, when the user may see and manage it (404 hides, 403 refuses)."""
    dialogue = get_or_404(Dialogue, dialogue_id)
    scope = current_scope()
    require(scope.can_view_dialogue(dialogue))
    require(scope.can_manage_dialogue(dialogue), hide=False)
    return dialogue


def _blocked(dialogue: Dialogue):
    """A GET of an edit form on a dialogue the user may not change: back to the page."""
    if request.method == "GET" and not lifecycle.can_record(current_scope(), dialogue):
        flash(
            "Dialogen är dokumenterad och låst eller inställd. Bara MAS/MAR eller en "
            "administratör kan ändra en dokumenterad dialog.",
            "error",
        )
        return redirect(_record_url(dialogue))
    return None


def _record_url(dialogue, anchor: str = "") -> str:
    return url_for("findings.record", dialogue_id=dialogue.id) + (f"#{anchor}" if anchor else "")


def _page_context(dialogue: Dialogue, **extra) -> dict:
    scope = current_scope()
    status, full = lifecycle.achieved_representation(dialogue)
    actions = findings_actions.dialogue_actions(dialogue)
    context = dict(
        dialogue=dialogue,
        can_edit=lifecycle.can_record(scope, dialogue),
        locked=lifecycle.is_locked(dialogue),
        can_unlock=lifecycle.is_locked(dialogue) and lifecycle.can_change_locked(scope, dialogue),
        seats=status,
        full=full,
        attendance_choices=list(Attendance),
        findings=findings_actions.findings_by_kind(dialogue),
        actions=actions,
        followable={a.id for a in actions if action_followup.can_follow_up(scope, a)},
        overdue={a.id for a in actions if action_followup.is_overdue(a)},
        suggested=lifecycle.suggested_attendance(dialogue),
        today=today_local(),
        previous=findings_actions.previous_actions(dialogue),
        reviews=findings_actions.reviews_by_action(dialogue),
        statuses=list(ActionStatus),
        kinds=list(FindingKind),
        version_form=VersionForm(formdata=None, version=dialogue.version),
        submitted={},
        errors={},
        notes=lifecycle.NOTES,
    )
    context.update(extra)
    return context


@bp.get("/dialoger/<int:dialogue_id>/dokumentation")
@login_required
def record(dialogue_id):
    dialogue = get_or_404(Dialogue, dialogue_id)
    require(current_scope().can_view_dialogue(dialogue))
    return render_template("findings/record.html", **_page_context(dialogue))


def _fail_page(dialogue, error, *, submitted=None, errors=None):
    """Re-render the recording page with the message and what the user typed; nothing saved."""
    db.session.rollback()
    code = 409 if isinstance(error, (StaleDialogueError, lifecycle.FindingsError)) else 400
    if isinstance(error, lifecycle.LockedError):
        code = 403
    if isinstance(error, lifecycle.ValidationFailed):
        code = 400
        errors = error.errors
    flash(str(error), "error")
    return render_template(
        "findings/record.html",
        **_page_context(dialogue, submitted=submitted or {}, errors=errors or {}),
    ), code


@bp.post("/dialoger/<int:dialogue_id>/narvaro")
@login_required
def attendance(dialogue_id):
    dialogue = managed_dialogue(dialogue_id)
    form = VersionForm()
    if not form.validate_on_submit():
        return _fail_page(
            dialogue, lifecycle.FindingsError("Formuläret har gått ut. Ladda om sidan.")
        )
    values, comments = {}, {}
    for p in dialogue.current_participants:
        raw = request.form.get(f"attendance-{p.id}", "")
        values[p.id] = enum_or_none(Attendance, raw)
        if f"attendance-comment-{p.id}" in request.form:
            comments[p.id] = request.form.get(f"attendance-comment-{p.id}", "")
    try:
        refused = lifecycle.record_attendance(
            dialogue,
            values,
            scope=current_scope(),
            expected_version=_version(form.version.data),
            actor=current_user,
            mark_held="mark_held" in request.form,
            comments=comments,
        )
    except (lifecycle.FindingsError, StaleDialogueError) as error:
        return _fail_page(
            dialogue,
            error,
            submitted={f"attendance-{k}": v.value if v else "" for k, v in values.items()}
            | {f"attendance-comment-{k}": v for k, v in comments.items()},
        )
    db.session.commit()
    if refused:
        # What the user entered is kept; only the status change was refused.
        flash("Närvaron är sparad. Dialogen är inte markerad som genomförd: " + refused, "error")
    else:
        flash(
            "Närvaron är sparad."
            + (" Dialogen är markerad som genomförd." if "mark_held" in request.form else ""),
            "success",
        )
    return redirect(_record_url(dialogue, "narvaro"))


@bp.post("/dialoger/<int:dialogue_id>/anteckningar")
@login_required
def notes(dialogue_id):
    dialogue = managed_dialogue(dialogue_id)
    form = VersionForm()
    if not form.validate_on_submit():
        return _fail_page(
            dialogue, lifecycle.FindingsError("Formuläret har gått ut. Ladda om sidan.")
        )
    values = {attr: request.form.get(attr, "") for attr in lifecycle.NOTES}
    try:
        lifecycle.record_notes(
            dialogue,
            values,
            scope=current_scope(),
            expected_version=_version(form.version.data),
            actor=current_user,
        )
    except (lifecycle.FindingsError, StaleDialogueError) as error:
        return _fail_page(dialogue, error, submitted=values)
    db.session.commit()
    flash("Anteckningarna från mötet är sparade.", "success")
    return redirect(_record_url(dialogue, "anteckningar"))


def _status_change(dialogue_id, service, message):
    dialogue = managed_dialogue(dialogue_id)
    form = VersionForm()
    if not form.validate_on_submit():
        return _fail_page(
            dialogue, lifecycle.FindingsError("Formuläret har gått ut. Ladda om sidan.")
        )
    try:
        service(
            dialogue,
            scope=current_scope(),
            expected_version=_version(form.version.data),
            actor=current_user,
        )
    except (lifecycle.FindingsError, StaleDialogueError) as error:
        return _fail_page(dialogue, error)
    db.session.commit()
    flash(message, "success")
    return redirect(_record_url(dialogue))


@bp.post("/dialoger/<int:dialogue_id>/genomford")
@login_required
def held(dialogue_id):
    return _status_change(dialogue_id, lifecycle.mark_held, "Dialogen är markerad som genomförd.")


@bp.route("/dialoger/<int:dialogue_id>/dokumenterad", methods=["GET", "POST"])
@login_required
def documented(dialogue_id):
    """Locking asks first: the page says what follows, and the POST carries the confirmation."""
    dialogue = managed_dialogue(dialogue_id)
    form = ConfirmForm()
    if request.method == "GET" or form.confirmed.data != "ja":
        if not lifecycle.can_record(current_scope(), dialogue):
            return _blocked(dialogue) or redirect(_record_url(dialogue))
        return render_template(
            "findings/confirm_lock.html",
            dialogue=dialogue,
            form=ConfirmForm(formdata=None, version=dialogue.version, confirmed="ja"),
            recipients=len({p.email.lower() for p in dialogue.current_participants}),
            problems=lifecycle.documenting_problems(dialogue),
        )
    if not form.validate_on_submit():
        return _fail_page(
            dialogue, lifecycle.FindingsError("Formuläret har gått ut. Ladda om sidan.")
        )
    try:
        sent = lifecycle.mark_documented(
            dialogue,
            scope=current_scope(),
            expected_version=_version(form.version.data),
            actor=current_user,
        )
    except (lifecycle.FindingsError, StaleDialogueError) as error:
        return _fail_page(dialogue, error)
    db.session.commit()
    flash(
        "Dialogen är dokumenterad och låst för ändringar. Åtgärderna följs upp under året. "
        + (
            f"Protokollet har skickats till {count(sent, 'deltagare', 'deltagare')}."
            if sent
            else "Protokollet hade redan skickats till alla deltagare."
        ),
        "success",
    )
    return redirect(_record_url(dialogue))


@bp.route("/dialoger/<int:dialogue_id>/las-upp", methods=["GET", "POST"])
@login_required
def unlock(dialogue_id):
    """MAS/MAR or an administrator unlocks with a reason, which is audited."""
    dialogue = managed_dialogue(dialogue_id)
    scope = current_scope()
    require(lifecycle.is_locked(dialogue), hide=False)
    require(lifecycle.can_change_locked(scope, dialogue), hide=False)
    form = UnlockForm()
    if request.method == "GET":
        form.version.data = dialogue.version
        return render_template("findings/confirm_unlock.html", dialogue=dialogue, form=form)
    if form.validate_on_submit():
        try:
            lifecycle.reopen(
                dialogue,
                scope=scope,
                expected_version=_version(form.version.data),
                actor=current_user,
                reason=form.reason.data or "",
            )
        except (lifecycle.FindingsError, StaleDialogueError) as error:
            db.session.rollback()
            _apply_errors(form, error)
            form.version.data = dialogue.version
            flash(str(error), "error")
            code = 400 if isinstance(error, lifecycle.ValidationFailed) else 409
            return render_template(
                "findings/confirm_unlock.html", dialogue=dialogue, form=form
            ), code
        db.session.commit()
        flash("Dialogen är upplåst och kan ändras av enhetschefen igen.", "success")
        return redirect(_record_url(dialogue))
    return render_template("findings/confirm_unlock.html", dialogue=dialogue, form=form), 400


@bp.post("/dialoger/<int:dialogue_id>/uppfoljning")
@login_required
def review(dialogue_id):
    dialogue = managed_dialogue(dialogue_id)
    form = VersionForm()
    if not form.validate_on_submit():
        return _fail_page(
            dialogue, lifecycle.FindingsError("Formuläret har gått ut. Ladda om sidan.")
        )
    values, submitted = {}, {}
    for action in findings_actions.previous_actions(dialogue):
        status_raw = request.form.get(f"status-{action.id}", "")
        comment = request.form.get(f"comment-{action.id}", "")
        submitted[f"status-{action.id}"], submitted[f"comment-{action.id}"] = status_raw, comment
        values[action.id] = findings_actions.ReviewData(
            enum_or_none(ActionStatus, status_raw), comment
        )
    try:
        findings_actions.review_actions(
            dialogue,
            values,
            scope=current_scope(),
            expected_version=_version(form.version.data),
            actor=current_user,
        )
    except (lifecycle.FindingsError, StaleDialogueError) as error:
        return _fail_page(dialogue, error, submitted=submitted)
    db.session.commit()
    flash("Uppföljningen av tidigare åtgärder är sparad.", "success")
    return redirect(_record_url(dialogue, "uppfoljning"))


# --- findings ---------------------------------------------------------------------------------


def _finding_choices(form: FindingForm, dialogue: Dialogue, current_area=None) -> None:
    areas = findings_actions.region_areas(dialogue)
    if current_area is not None and current_area not in areas:
        areas = [current_area] + areas
    form.area_id.choices = [("", "Välj område")] + [(a.id, a.name) for a in areas]
    form.plan_area_id.choices = [("", "Inget valt")] + [
        (p.id, f"{p.name} ({p.kind.label.lower()})") for p in findings_actions.plan_areas()
    ]


def _finding_data(form: FindingForm) -> findings_actions.FindingData:
    return findings_actions.FindingData(
        kind=enum_or_none(FindingKind, form.kind.data),
        area_id=form.area_id.data,
        plan_area_id=form.plan_area_id.data,
        description=form.description.data or "",
        concerns=enum_or_none(Party, form.concerns.data),
        spread_as_lesson=bool(form.spread_as_lesson.data),
        escalate=bool(form.escalate.data),
    )


def _apply_errors(form, error) -> None:
    for name, message in getattr(error, "errors", {}).items():
        if name in form:
            form[name].errors = [message]


def _save_form(form, template, context, save, success, target):
    """Run save() when the form is posted; on any refusal re-render with what was typed."""
    if form.validate_on_submit():
        try:
            save()
        except (lifecycle.FindingsError, StaleDialogueError) as error:
            db.session.rollback()
            _apply_errors(form, error)
            if isinstance(error, StaleDialogueError):
                form.version.data = context["dialogue"].version
            flash(str(error), "error")
            code = (
                403
                if isinstance(error, lifecycle.LockedError)
                else (409 if isinstance(error, StaleDialogueError) else 400)
            )
            return render_template(template, form=form, **context), code
        db.session.commit()
        flash(success, "success")
        return redirect(target)
    code = 400 if form.is_submitted() else 200
    return render_template(template, form=form, **context), code


@bp.route("/dialoger/<int:dialogue_id>/iakttagelser/ny", methods=["GET", "POST"])
@login_required
def new_finding(dialogue_id):
    dialogue = managed_dialogue(dialogue_id)
    if (blocked := _blocked(dialogue)) is not None:
        return blocked
    form = FindingForm()
    _finding_choices(form, dialogue)
    if request.method == "GET":
        kind = request.args.get("typ")
        form.kind.data = kind if kind in {k.value for k in FindingKind} else None
        form.version.data = dialogue.version
    return _save_form(
        form,
        "findings/finding_form.html",
        {"dialogue": dialogue, "finding": None},
        lambda: findings_actions.add_finding(
            dialogue, _finding_data(form), scope=current_scope(), actor=current_user
        ),
        "Iakttagelsen är sparad.",
        _record_url(dialogue, "iakttagelser"),
    )


@bp.route("/iakttagelser/<int:finding_id>/andra", methods=["GET", "POST"])
@login_required
def edit_finding(finding_id):
    finding = get_or_404(Finding, finding_id)
    dialogue = managed_dialogue(finding.dialogue_id)
    if (blocked := _blocked(dialogue)) is not None:
        return blocked
    form = FindingForm(obj=finding) if request.method == "GET" else FindingForm()
    _finding_choices(form, dialogue, finding.area)
    if request.method == "GET":
        form.kind.data, form.concerns.data = finding.kind.value, finding.concerns.value
        form.version.data = dialogue.version
    return _save_form(
        form,
        "findings/finding_form.html",
        {"dialogue": dialogue, "finding": finding},
        lambda: findings_actions.update_finding(
            finding,
            _finding_data(form),
            scope=current_scope(),
            expected_version=_version(form.version.data),
            actor=current_user,
        ),
        "Iakttagelsen är ändrad.",
        _record_url(dialogue, f"iakttagelse-{finding.id}"),
    )


def _confirm_delete(dialogue, obj, what: str, template: str):
    """A GET (or a POST without the confirmation) shows what deleting means, and asks."""
    if (blocked := _blocked(dialogue)) is not None:
        return blocked
    return render_template(
        template,
        dialogue=dialogue,
        obj=obj,
        what=what,
        form=ConfirmForm(formdata=None, version=dialogue.version, confirmed="ja"),
    )


@bp.route("/iakttagelser/<int:finding_id>/ta-bort", methods=["GET", "POST"])
@login_required
def delete_finding(finding_id):
    finding = get_or_404(Finding, finding_id)
    dialogue = managed_dialogue(finding.dialogue_id)
    form = ConfirmForm()
    if request.method == "GET" or form.confirmed.data != "ja":
        return _confirm_delete(dialogue, finding, "finding", "findings/confirm_delete.html")
    if not form.validate_on_submit():
        return _fail_page(
            dialogue, lifecycle.FindingsError("Formuläret har gått ut. Ladda om sidan.")
        )
    try:
        findings_actions.delete_finding(
            finding,
            scope=current_scope(),
            expected_version=_version(form.version.data),
            actor=current_user,
        )
    except (lifecycle.FindingsError, StaleDialogueError) as error:
        return _fail_page(dialogue, error)
    db.session.commit()
    flash("Iakttagelsen är borttagen. Dess åtgärder finns kvar under dialogen.", "success")
    return redirect(_record_url(dialogue, "iakttagelser"))


# --- actions ----------------------------------------------------------------------------------


def _action_choices(form: ActionForm, dialogue: Dialogue) -> None:
    form.finding_id.choices = [("", "Dialogen i stort")] + [
        (f.id, f"{f.kind.label}: {f.area.name} – {f.description[:60]}")
        for kind in findings_actions.findings_by_kind(dialogue).values()
        for f in kind
    ]


def _action_data(form: ActionForm, current: Action | None = None) -> findings_actions.ActionData:
    finding_id = form.finding_id.data
    area_id = current.area_id if current is not None else None
    if finding_id is not None:
        finding = db.session.get(Finding, finding_id)
        area_id = finding.area_id if finding is not None else area_id
    return findings_actions.ActionData(
        description=form.description.data or "",
        responsible_party=enum_or_none(Party, form.responsible_party.data),
        responsible_role=enum_or_none(ContactRole, form.responsible_role.data),
        due_date=form.due_date.data,
        status=enum_or_none(ActionStatus, form.status.data) or ActionStatus.NOT_STARTED,
        finding_id=finding_id,
        area_id=area_id,
    )


@bp.route("/dialoger/<int:dialogue_id>/atgarder/ny", methods=["GET", "POST"])
@login_required
def new_action(dialogue_id):
    dialogue = managed_dialogue(dialogue_id)
    if (blocked := _blocked(dialogue)) is not None:
        return blocked
    form = ActionForm()
    _action_choices(form, dialogue)
    if request.method == "GET":
        form.finding_id.data = request.args.get("iakttagelse", type=int)
        form.version.data = dialogue.version
    return _save_form(
        form,
        "findings/action_form.html",
        {"dialogue": dialogue, "action": None},
        lambda: findings_actions.add_action(
            dialogue, _action_data(form), scope=current_scope(), actor=current_user
        ),
        "Åtgärden är sparad.",
        _record_url(dialogue, "atgarder"),
    )


@bp.route("/atgarder/<int:action_id>/andra", methods=["GET", "POST"])
@login_required
def edit_action(action_id):
    action = get_or_404(Action, action_id)
    dialogue = managed_dialogue(action.dialogue_id)
    if (blocked := _blocked(dialogue)) is not None:
        return blocked
    form = ActionForm(obj=action) if request.method == "GET" else ActionForm()
    _action_choices(form, dialogue)
    if request.method == "GET":
        form.responsible_party.data = action.responsible_party.value
        form.responsible_role.data = (
            action.responsible_role.value if action.responsible_role else ""
        )
        form.status.data = action.status.value
        form.version.data = dialogue.version
    context = {
        "dialogue": dialogue,
        "action": action,
        "note_form": NoteForm(formdata=None, version=dialogue.version),
    }
    return _save_form(
        form,
        "findings/action_form.html",
        context,
        lambda: findings_actions.update_action(
            action,
            _action_data(form, action),
            scope=current_scope(),
            expected_version=_version(form.version.data),
            actor=current_user,
        ),
        "Åtgärden är ändrad.",
        _record_url(dialogue, "atgarder"),
    )


@bp.post("/atgarder/<int:action_id>/anteckningar")
@login_required
def add_note(action_id):
    action = get_or_404(Action, action_id)
    dialogue = managed_dialogue(action.dialogue_id)
    note_form = NoteForm()
    form = ActionForm(formdata=None, obj=action)
    _action_choices(form, dialogue)
    form.responsible_party.data = action.responsible_party.value
    form.responsible_role.data = action.responsible_role.value if action.responsible_role else ""
    form.status.data = action.status.value
    form.version.data = dialogue.version
    context = {"dialogue": dialogue, "action": action, "note_form": note_form, "form": form}
    if note_form.validate_on_submit():
        try:
            findings_actions.add_note(
                action,
                note_form.note_date.data,
                note_form.text.data or "",
                scope=current_scope(),
                expected_version=_version(note_form.version.data),
                actor=current_user,
            )
        except (lifecycle.FindingsError, StaleDialogueError) as error:
            db.session.rollback()
            _apply_errors(note_form, error)
            note_form.version.data = dialogue.version
            flash(str(error), "error")
            return render_template("findings/action_form.html", **context), 400
        db.session.commit()
        flash("Anteckningen är sparad.", "success")
        return redirect(url_for("findings.edit_action", action_id=action.id) + "#anteckningar")
    return render_template("findings/action_form.html", **context), 400


@bp.route("/atgarder/<int:action_id>/ta-bort", methods=["GET", "POST"])
@login_required
def delete_action(action_id):
    action = get_or_404(Action, action_id)
    dialogue = managed_dialogue(action.dialogue_id)
    form = ConfirmForm()
    if request.method == "GET" or form.confirmed.data != "ja":
        return _confirm_delete(dialogue, action, "action", "findings/confirm_delete.html")
    if not form.validate_on_submit():
        return _fail_page(
            dialogue, lifecycle.FindingsError("Formuläret har gått ut. Ladda om sidan.")
        )
    try:
        findings_actions.delete_action(
            action,
            scope=current_scope(),
            expected_version=_version(form.version.data),
            actor=current_user,
        )
    except (lifecycle.FindingsError, StaleDialogueError) as error:
        return _fail_page(dialogue, error)
    db.session.commit()
    flash("Åtgärden är borttagen.", "success")
    return redirect(_record_url(dialogue, "atgarder"))
