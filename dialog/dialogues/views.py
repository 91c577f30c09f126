from datetime import date, time

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..locking import StaleDialogueError, form_version
from ..models import CareHome, ContactRole, Dialogue, DialogueStatus, HealthCentre
from ..privacy import PatientDataError
from ..scope import current_scope, get_or_404, require
from ..timeutil import local
from ..wording import plural
from . import services
from .forms import BookingForm, CancelForm, ParticipantsForm, RebookForm

bp = Blueprint("dialogues", __name__)


def _version(form) -> int | None:
    return form_version(form.version.data)


def _contact_choices(contacts):
    return [(c.id, f"{c.name}, {c.role.label} – {c.organisation.name}") for c in contacts]


def _refused_text(form, error: PatientDataError) -> None:
    """Show the guard's verdict at the field only: the refused words must not travel in the
    session cookie (flash) or anywhere else."""
    field = form.video_link if error.field_label == "Videolänk" else form.location
    field.errors = [error.field_message]
    flash(f"{error.field_label} innehåller patientuppgifter. Skriv om den.", "error")


def _managed_dialogue(dialogue_id: int) -> Dialogue:
    dialogue = get_or_404(Dialogue, dialogue_id)
    scope = current_scope()
    require(scope.can_view_dialogue(dialogue))
    require(scope.can_manage_dialogue(dialogue), hide=False)
    return dialogue


def _planned_only(dialogue: Dialogue):
    """Rebooking, cancelling and changing participants apply to planned dialogues only."""
    if dialogue.status is DialogueStatus.PLANNED:
        return None
    flash(f"Dialogen är {dialogue.status.label.lower()} och kan inte ändras här.", "error")
    return redirect(url_for("dialogues.show", dialogue_id=dialogue.id))


def _booking_page(form, home, status=200):
    return render_template(
        "dialogues/book.html",
        form=form,
        home=home,
        own_contacts=services.home_has_own_contacts(home),
    ), status


def _new_contact(form, home):
    """The participant typed in on the booking page, saved as a contact of the home (or None
    when nothing was typed). Raises BookingError with a Swedish message."""
    if not (form.new_name.data or "").strip() and not (form.new_email.data or "").strip():
        return None
    role = ContactRole(form.new_role.data) if form.new_role.data else None
    return services.add_home_contact(
        home, form.new_name.data, form.new_email.data, role, actor=current_user
    )


@bp.route("/boenden/<int:home_id>/boka", methods=["GET", "POST"])
@login_required
def book(home_id):
    home = get_or_404(CareHome, home_id)
    scope = current_scope()
    require(scope.can_view_home(home))
    require(scope.can_manage_home(home), hide=False)
    form = BookingForm()
    centres = db.session.scalars(
        select(HealthCentre)
        .where(HealthCentre.region_id == home.municipality.region_id, HealthCentre.active.is_(True))
        .order_by(HealthCentre.name)
    ).all()
    form.health_centre.choices = [(c.id, c.name) for c in centres]
    form.new_role.choices = [("", "Välj roll")] + [(r.value, r.label) for r in services.HOME_ROLES]
    contacts = services.eligible_contacts(home, home.health_centre)
    form.participants.choices = _contact_choices(contacts)
    if request.method == "GET":
        year = request.args.get("ar", type=int)
        form.start.data, form.end.data = time(13, 0), time(15, 0)
        if year and year != date.today().year:
            form.day.data = None
        form.health_centre.data = home.health_centre_id
        form.participants.data = [c.id for c in contacts]
        form.location.data = home.name + (f", {home.address}" if home.address else "")
        return _booking_page(form, home)
    if "add_contact" in request.form:
        # Only add the participant; everything else typed stays in the form (the CSRF token
        # is checked for every POST before the view runs).
        try:
            contact = _new_contact(form, home)
            if contact is None:
                raise services.BookingError("Ange namn, e-postadress och roll för deltagaren.")
        except services.BookingError as error:
            db.session.rollback()
            form.new_name.errors = [str(error)]
            return _booking_page(form, home, 400)
        db.session.commit()
        flash(f"{contact.name} är tillagd som kontaktperson för {home.name} och vald.", "success")
        form.participants.choices = _contact_choices(
            services.eligible_contacts(home, home.health_centre)
        )
        form.participants.data = list(form.participants.data or []) + [contact.id]
        for name in ("new_name", "new_email", "new_role"):
            form[name].raw_data, form[name].data = [], ""
        return _booking_page(form, home)
    if form.validate_on_submit():
        try:
            contact = _new_contact(form, home)
            booking = services.Booking(
                day=form.day.data,
                start=form.start.data,
                end=form.end.data,
                location=form.location.data or "",
                video_link=form.video_link.data or "",
                health_centre_id=form.health_centre.data,
                contact_ids=(form.participants.data or []) + ([contact.id] if contact else []),
            )
            dialogue = services.book_dialogue(home, booking, actor=current_user)
        except PatientDataError as error:
            db.session.rollback()
            _refused_text(form, error)
            return render_template("dialogues/book.html", form=form, home=home), 400
        except (services.BookingError, StaleDialogueError) as error:
            db.session.rollback()
            flash(str(error), "error")
            return _booking_page(form, home, 409)
        db.session.commit()
        flash(f"Dialogen för {home.name} är bokad.", "success")
        return redirect(url_for("dialogues.show", dialogue_id=dialogue.id))
    return _booking_page(form, home, 400)


@bp.get("/dialoger/<int:dialogue_id>")
@login_required
def show(dialogue_id):
    dialogue = get_or_404(Dialogue, dialogue_id)
    scope = current_scope()
    require(scope.can_view_dialogue(dialogue))
    return render_template(
        "dialogues/show.html", dialogue=dialogue, can_manage=scope.can_manage_dialogue(dialogue)
    )


@bp.route("/dialoger/<int:dialogue_id>/boka-om", methods=["GET", "POST"])
@login_required
def rebook(dialogue_id):
    dialogue = _managed_dialogue(dialogue_id)
    if (refused := _planned_only(dialogue)) is not None:
        return refused
    form = RebookForm()
    if request.method == "GET":
        start, end = local(dialogue.starts_at), local(dialogue.ends_at)
        form.day.data, form.start.data, form.end.data = start.date(), start.time(), end.time()
        form.location.data, form.video_link.data = dialogue.location, dialogue.video_link
        form.version.data = dialogue.version
    if form.validate_on_submit():
        booking = services.Booking(
            day=form.day.data,
            start=form.start.data,
            end=form.end.data,
            location=form.location.data or "",
            video_link=form.video_link.data or "",
        )
        try:
            services.rebook_dialogue(
                dialogue, booking, expected_version=_version(form), actor=current_user
            )
        except PatientDataError as error:
            db.session.rollback()
            _refused_text(form, error)
            return render_template("dialogues/rebook.html", form=form, dialogue=dialogue), 400
        except (services.BookingError, StaleDialogueError) as error:
            db.session.rollback()
            flash(str(error), "error")
            return render_template("dialogues/rebook.html", form=form, dialogue=dialogue), 409
        db.session.commit()
        flash("Dialogen är ombokad.", "success")
        return redirect(url_for("dialogues.show", dialogue_id=dialogue.id))
    status = 400 if form.is_submitted() else 200
    return render_template("dialogues/rebook.html", form=form, dialogue=dialogue), status


@bp.route("/dialoger/<int:dialogue_id>/stall-in", methods=["GET", "POST"])
@login_required
def cancel(dialogue_id):
    dialogue = _managed_dialogue(dialogue_id)
    if (refused := _planned_only(dialogue)) is not None:
        return refused
    form = CancelForm()
    if request.method == "GET":
        form.version.data = dialogue.version
    if form.validate_on_submit():
        try:
            services.cancel_dialogue(
                dialogue, form.reason.data, expected_version=_version(form), actor=current_user
            )
        except PatientDataError as error:
            db.session.rollback()
            # Shown in the form only: the refused words must not travel in the session cookie.
            form.reason.errors = [error.field_message]
            flash("Anledningen innehåller patientuppgifter. Skriv om den.", "error")
            return render_template("dialogues/cancel.html", form=form, dialogue=dialogue), 400
        except (services.BookingError, StaleDialogueError) as error:
            db.session.rollback()
            flash(str(error), "error")
            return render_template("dialogues/cancel.html", form=form, dialogue=dialogue), 409
        db.session.commit()
        flash("Dialogen är inställd.", "success")
        return redirect(url_for("dialogues.show", dialogue_id=dialogue.id))
    status = 400 if form.is_submitted() else 200
    return render_template("dialogues/cancel.html", form=form, dialogue=dialogue), status


@bp.route("/dialoger/<int:dialogue_id>/deltagare", methods=["GET", "POST"])
@login_required
def participants(dialogue_id):
    dialogue = _managed_dialogue(dialogue_id)
    if (refused := _planned_only(dialogue)) is not None:
        return refused
    form = ParticipantsForm()
    contacts = services.eligible_contacts(dialogue.care_home, dialogue.health_centre)
    form.participants.choices = _contact_choices(contacts)
    if request.method == "GET":
        form.participants.data = [
            p.contact_id for p in dialogue.current_participants if p.contact_id is not None
        ]
        form.version.data = dialogue.version
    if form.validate_on_submit():
        try:
            added, removed = services.set_participants(
                dialogue,
                form.participants.data or [],
                expected_version=_version(form),
                actor=current_user,
            )
        except (services.BookingError, StaleDialogueError) as error:
            db.session.rollback()
            flash(str(error), "error")
            return render_template("dialogues/participants.html", form=form, dialogue=dialogue), 409
        db.session.commit()
        flash(
            f"Deltagarna är uppdaterade ({len(added)} {plural(len(added), 'tillagd', 'tillagda')}, "
            f"{len(removed)} {plural(len(removed), 'borttagen', 'borttagna')}).",
            "success",
        )
        return redirect(url_for("dialogues.show", dialogue_id=dialogue.id))
    status = 400 if form.is_submitted() else 200
    return render_template("dialogues/participants.html", form=form, dialogue=dialogue), status
