"""The follow-up mail settings page, per region (administrators and the region's users)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Region
from ..scope import current_scope, get_or_404, require
from . import mail_settings
from .forms import MailSettingsForm
from .views import bp


def can_edit_settings(scope) -> bool:
    return bool(scope.admin or scope.region_ids)


def _regions(scope) -> list[Region]:
    query = sa.select(Region).order_by(Region.name)
    if not scope.admin:
        query = query.where(Region.id.in_(scope.region_ids))
    return list(db.session.scalars(query))


@bp.route("/paminnelser", methods=["GET", "POST"])
@login_required
def mail_settings_page():
    scope = current_scope()
    require(can_edit_settings(scope), hide=False)
    regions = _regions(scope)
    region_id = request.values.get("region", type=int) or (regions[0].id if regions else None)
    if region_id is None:
        return render_template("invitations/mail_settings.html", regions=[], form=None)
    region = get_or_404(Region, region_id)
    require(scope.admin or region.id in scope.region_ids)
    form = MailSettingsForm()
    status = 200
    if request.method == "GET":
        values = mail_settings.current(region.id)
        form.followup_mail.data = values.followup_mail
        form.action_reminder_days.data = values.action_reminder_days
        form.overdue_reminders.data = values.overdue_reminders
        form.digest_weekday.data = str(values.digest_weekday)
    elif form.validate_on_submit():
        try:
            changed = mail_settings.save(
                region,
                mail_settings.MailSettings(
                    bool(form.followup_mail.data),
                    form.action_reminder_days.data,
                    bool(form.overdue_reminders.data),
                    int(form.digest_weekday.data),
                ),
                actor=current_user,
            )
        except mail_settings.SettingsError as error:
            db.session.rollback()
            form.action_reminder_days.errors = [str(error)]
            status = 400
        else:
            db.session.commit()
            flash(
                f"Påminnelserna för {region.name} är sparade." if changed else "Inget var ändrat.",
                "success",
            )
            return redirect(url_for("invitations.mail_settings_page", region=region.id))
    else:
        status = 400
    return render_template(
        "invitations/mail_settings.html",
        regions=regions,
        region=region,
        form=form,
        weekdays=mail_settings.WEEKDAYS,
    ), status
