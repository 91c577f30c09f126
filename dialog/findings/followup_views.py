"""An action's own page: what was agreed, its timeline, and the owner's follow-up form.

Reminder mails link straight here. Everyone who may see the dialogue may read the page; the
form is there for those who may follow the action up (see action_followup.py).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Action, ActionStatus
from ..scope import current_scope, get_or_404, require
from ..timeutil import today_local
from . import action_followup, lifecycle
from .forms import FollowUpForm, enum_or_none
from .views import bp


def _viewable_action(action_id: int) -> Action:
    action = get_or_404(Action, action_id)
    require(current_scope().can_view_dialogue(action.dialogue))
    return action


def _page(action: Action, form: FollowUpForm, status: int = 200):
    scope = current_scope()
    return render_template(
        "findings/action_page.html",
        action=action,
        dialogue=action.dialogue,
        form=form,
        can_follow_up=action_followup.can_follow_up(scope, action),
        refusal=action_followup.refusal(scope, action),
        can_edit=lifecycle.can_record(scope, action.dialogue),
        overdue=action_followup.is_overdue(action),
        timeline=action_followup.timeline(action),
        notes=sorted(action.notes, key=lambda n: (n.note_date, n.id), reverse=True),
        statuses=list(ActionStatus),
    ), status


@bp.get("/atgarder/<int:action_id>")
@login_required
def action_page(action_id):
    action = _viewable_action(action_id)
    form = FollowUpForm(formdata=None)
    form.status.data = action.status.value
    form.done_on.data = action.done_on or today_local()
    form.cancel_reason.data = action.cancel_reason or ""
    form.note_date.data = today_local()
    form.seen.data = action_followup.stamp(action)
    return _page(action, form)


@bp.post("/atgarder/<int:action_id>/uppfoljning")
@login_required
def follow_up(action_id):
    action = _viewable_action(action_id)
    scope = current_scope()
    require(action_followup.can_follow_up(scope, action), hide=False)
    form = FollowUpForm()
    if not form.validate_on_submit():
        flash("Formuläret innehåller fel. Inget har sparats.", "error")
        return _page(action, form, 400)
    data = action_followup.FollowUp(
        status=enum_or_none(ActionStatus, form.status.data),
        done_on=form.done_on.data,
        cancel_reason=form.cancel_reason.data or "",
        note=form.note.data or "",
        note_date=form.note_date.data,
        seen=form.seen.data or None,
    )
    try:
        changes = action_followup.follow_up(action, data, scope=scope, actor=current_user)
    except lifecycle.FindingsError as error:
        db.session.rollback()
        for name, message in getattr(error, "errors", {}).items():
            if name in form:
                form[name].errors = [message]
        # The refused words stay in the form only (never in the session cookie).
        flash(
            "Uppföljningen är inte sparad. Rätta det som är markerat."
            if isinstance(error, lifecycle.ValidationFailed)
            else str(error),
            "error",
        )
        if isinstance(error, action_followup.StaleActionError):
            form.seen.data = action_followup.stamp(action)
        return _page(
            action, form, 409 if isinstance(error, action_followup.StaleActionError) else 400
        )
    if not changes:
        flash("Inget var ändrat.", "info")
        return redirect(url_for("findings.action_page", action_id=action.id))
    db.session.commit()
    flash("Uppföljningen är sparad.", "success")
    return redirect(url_for("findings.action_page", action_id=action.id) + "#tidslinje")
