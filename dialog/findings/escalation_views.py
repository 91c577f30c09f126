"""Findings raised to MAS/MAR and the region: the list, one finding, acknowledging it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import EscalationLevel, Finding
from ..scope import current_scope, get_or_404, require
from . import escalations, lifecycle
from .forms import AcknowledgeForm
from .views import bp


def _follow_up_user():
    scope = current_scope()
    require(escalations.follows_up(scope), hide=False)
    return scope


@bp.get("/lyfta")
@login_required
def escalation_list():
    scope = _follow_up_user()
    show_all = request.args.get("visa") == "alla"
    return render_template(
        "findings/escalations.html",
        items=escalations.escalations(scope, open_only=not show_all),
        open_count=escalations.count_open(scope),
        show_all=show_all,
        level=EscalationLevel.for_scope(scope),
    )


def _escalated(finding_id: int) -> Finding:
    scope = _follow_up_user()
    finding = get_or_404(Finding, finding_id)
    require(finding.escalate and scope.can_view_dialogue(finding.dialogue))
    require(escalations.can_acknowledge(scope, finding))
    return finding


def _page(finding: Finding, form: AcknowledgeForm, status: int = 200):
    scope = current_scope()
    return render_template(
        "findings/escalation.html",
        item=escalations.escalation(scope, finding),
        finding=finding,
        dialogue=finding.dialogue,
        form=form,
        level=EscalationLevel.for_scope(scope),
    ), status


@bp.get("/lyfta/<int:finding_id>")
@login_required
def escalation_page(finding_id):
    return _page(_escalated(finding_id), AcknowledgeForm(formdata=None))


@bp.post("/lyfta/<int:finding_id>/kvittera")
@login_required
def acknowledge(finding_id):
    finding = _escalated(finding_id)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        flash("Formuläret har gått ut. Ladda om sidan.", "error")
        return _page(finding, form, 400)
    try:
        escalations.acknowledge(
            finding, form.comment.data or "", scope=current_scope(), actor=current_user
        )
    except lifecycle.FindingsError as error:
        db.session.rollback()
        for name, message in getattr(error, "errors", {}).items():
            if name in form:
                form[name].errors = [message]
        flash(
            "Kvitteringen är inte sparad. Rätta kommentaren."
            if isinstance(error, lifecycle.ValidationFailed)
            else str(error),
            "error",
        )
        return _page(finding, form, 400)
    db.session.commit()
    flash("Iakttagelsen är kvitterad.", "success")
    return redirect(url_for("findings.escalation_list"))
