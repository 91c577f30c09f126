"""Register pages: list, search, create, edit and deactivate; the home page; CSV import."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import (
    CareHome,
    Contact,
    ContactRole,
    Dialogue,
    HealthCentre,
    Municipality,
    Operator,
    Region,
)
from ..scope import current_scope, get_or_404, require
from . import services
from .forms import (
    ContactForm,
    HealthCentreForm,
    HomeForm,
    MunicipalityForm,
    RegionForm,
)

bp = Blueprint("registers", __name__, url_prefix="/register")


def _search(query, model):
    q = (request.args.get("q") or "").strip()
    if q:
        query = query.where(model.name.ilike(f"%{q}%"))
    if not request.args.get("inaktiva"):
        query = query.where(model.active.is_(True))
    return query, q


def _visible_municipalities():
    return db.session.scalars(
        sa.select(Municipality)
        .where(current_scope().municipality_clause())
        .order_by(Municipality.name)
    ).all()


# --- homes ------------------------------------------------------------------------------------


@bp.get("/boenden")
@login_required
def homes():
    scope = current_scope()
    query = (
        sa.select(CareHome)
        .where(scope.home_clause())
        .options(joinedload(CareHome.municipality), joinedload(CareHome.health_centre))
        .join(Municipality)
        .order_by(Municipality.name, CareHome.name)
    )
    query, q = _search(query, CareHome)
    municipality_id = request.args.get("kommun", type=int)
    if municipality_id:
        query = query.where(CareHome.municipality_id == municipality_id)
    rows = db.session.scalars(query).unique().all()
    municipalities = db.session.scalars(
        sa.select(Municipality)
        .where(Municipality.id.in_(sa.select(CareHome.municipality_id).where(scope.home_clause())))
        .order_by(Municipality.name)
    ).all()
    return render_template(
        "registers/homes.html",
        homes=rows,
        q=q,
        municipalities=municipalities,
        municipality_id=municipality_id,
        show_inactive=bool(request.args.get("inaktiva")),
        can_create=bool(_creatable_municipalities()),
    )


def _creatable_municipalities():
    scope = current_scope()
    return [m for m in _visible_municipalities() if scope.can_create_home_in(m)]


def _home_form_choices(form: HomeForm, region_ids: set[int]):
    form.municipality.choices = [(m.id, m.name) for m in _creatable_municipalities()]
    centres = (
        db.session.scalars(
            sa.select(HealthCentre)
            .where(HealthCentre.region_id.in_(region_ids), HealthCentre.active.is_(True))
            .order_by(HealthCentre.name)
        ).all()
        if region_ids
        else []
    )
    form.health_centre.choices = [(0, "– ingen vald –")] + [(c.id, c.name) for c in centres]


@bp.get("/boenden/<int:home_id>")
@login_required
def home(home_id):
    home = get_or_404(CareHome, home_id)
    scope = current_scope()
    require(scope.can_view_home(home))
    dialogues = db.session.scalars(
        sa.select(Dialogue)
        .where(Dialogue.care_home_id == home.id)
        .order_by(Dialogue.starts_at.desc())
    ).all()
    contacts = [c for c in home.contacts if c.active]
    return render_template(
        "registers/home.html",
        home=home,
        dialogues=dialogues,
        contacts=contacts,
        can_manage=scope.can_manage_home(home),
        can_edit=scope.can_edit_home_register(home),
    )


@bp.route("/boenden/ny", methods=["GET", "POST"], defaults={"home_id": None})
@bp.route("/boenden/<int:home_id>/redigera", methods=["GET", "POST"])
@login_required
def edit_home(home_id):
    scope = current_scope()
    home = None
    if home_id is not None:
        home = get_or_404(CareHome, home_id)
        require(scope.can_view_home(home))
        require(scope.can_edit_home_register(home), hide=False)
    creatable = _creatable_municipalities()
    require(bool(creatable) or home is not None, hide=False)
    form = HomeForm(obj=home)
    _home_form_choices(
        form, {m.region_id for m in creatable} | ({home.municipality.region_id} if home else set())
    )
    if request.method == "GET" and home is not None:
        form.municipality.data = home.municipality_id
        form.health_centre.data = home.health_centre_id or 0
    if form.validate_on_submit():
        municipality = db.session.get(Municipality, form.municipality.data)
        require(municipality is not None and scope.can_create_home_in(municipality), hide=False)
        centre = (
            db.session.get(HealthCentre, form.health_centre.data)
            if form.health_centre.data
            else None
        )
        try:
            home = services.save_home(
                home,
                name=form.name.data,
                address=form.address.data or "",
                municipality=municipality,
                health_centre=centre,
                actor=current_user,
            )
        except services.RegisterError as error:
            db.session.rollback()
            flash(str(error), "error")
            return render_template(
                "registers/edit.html",
                form=form,
                title=_title(home, "boende"),
                back=url_for("registers.homes"),
            ), 409
        db.session.commit()
        flash(f"{home.name} är sparat.", "success")
        return redirect(url_for("registers.home", home_id=home.id))
    return render_template(
        "registers/edit.html",
        form=form,
        title=_title(home, "boende"),
        back=url_for("registers.homes"),
    ), 400 if form.is_submitted() else 200


def _title(obj, noun):
    return (
        f"Redigera {obj.name}"
        if obj is not None
        else f"Nytt {noun}"
        if noun == "boende"
        else f"Ny {noun}"
    )


@bp.post("/<string:kind>/<int:object_id>/aktiv")
@login_required
def toggle_active(kind, object_id):
    scope = current_scope()
    model, can_view, can_edit, back = {
        "boenden": (
            CareHome,
            scope.can_view_home,
            scope.can_edit_home_register,
            lambda o: url_for("registers.home", home_id=o.id),
        ),
        "vardcentraler": (
            HealthCentre,
            scope.can_view_health_centre,
            scope.can_edit_health_centre,
            lambda o: url_for("registers.health_centres"),
        ),
        "kontakter": (
            Contact,
            scope.can_view_contact,
            scope.can_edit_contact,
            lambda o: url_for("registers.contacts"),
        ),
        "kommuner": (
            Municipality,
            scope.can_view_municipality,
            lambda o: scope.admin,
            lambda o: url_for("registers.municipalities"),
        ),
        "regioner": (
            Region,
            scope.can_view_region,
            lambda o: scope.admin,
            lambda o: url_for("registers.regions"),
        ),
    }.get(kind, (None, None, None, None))
    if model is None:
        return render_template(
            "error.html", title="Sidan finns inte", message="Sidan finns inte.", code=404
        ), 404
    obj = get_or_404(model, object_id)
    require(can_view(obj))
    require(can_edit(obj), hide=False)
    services.set_active(obj, not obj.active, actor=current_user)
    db.session.commit()
    flash(
        f"{obj.name} har "
        + ("återaktiverats." if obj.active else "inaktiverats. Historiken finns kvar."),
        "success",
    )
    return redirect(back(obj))


# --- health centres ---------------------------------------------------------------------------


@bp.get("/vardcentraler")
@login_required
def health_centres():
    scope = current_scope()
    query = (
        sa.select(HealthCentre)
        .where(scope.health_centre_clause())
        .options(joinedload(HealthCentre.region))
        .order_by(HealthCentre.name)
    )
    query, q = _search(query, HealthCentre)
    rows = db.session.scalars(query).all()
    regions = _editable_regions()
    return render_template(
        "registers/health_centres.html",
        centres=rows,
        q=q,
        show_inactive=bool(request.args.get("inaktiva")),
        can_create=bool(regions),
    )


def _editable_regions():
    scope = current_scope()
    return [
        r
        for r in db.session.scalars(sa.select(Region).order_by(Region.name))
        if scope.can_create_health_centre_in(r)
    ]


@bp.route("/vardcentraler/ny", methods=["GET", "POST"], defaults={"centre_id": None})
@bp.route("/vardcentraler/<int:centre_id>/redigera", methods=["GET", "POST"])
@login_required
def edit_health_centre(centre_id):
    scope = current_scope()
    centre = None
    if centre_id is not None:
        centre = get_or_404(HealthCentre, centre_id)
        require(scope.can_view_health_centre(centre))
        require(scope.can_edit_health_centre(centre), hide=False)
    regions = _editable_regions()
    require(bool(regions), hide=False)
    form = HealthCentreForm(obj=centre)
    form.region.choices = [(r.id, r.name) for r in regions]
    if request.method == "GET" and centre is not None:
        form.region.data, form.operator.data = centre.region_id, centre.operator.value
    if form.validate_on_submit():
        region = db.session.get(Region, form.region.data)
        require(region is not None and scope.can_create_health_centre_in(region), hide=False)
        try:
            centre = services.save_health_centre(
                centre,
                name=form.name.data,
                address=form.address.data or "",
                operator=Operator(form.operator.data),
                region=region,
                actor=current_user,
            )
        except services.RegisterError as error:
            db.session.rollback()
            flash(str(error), "error")
            return render_template(
                "registers/edit.html",
                form=form,
                title=_title(centre, "vårdcentral"),
                back=url_for("registers.health_centres"),
            ), 409
        db.session.commit()
        flash(f"{centre.name} är sparad.", "success")
        return redirect(url_for("registers.health_centres"))
    return render_template(
        "registers/edit.html",
        form=form,
        title=_title(centre, "vårdcentral"),
        back=url_for("registers.health_centres"),
    ), 400 if form.is_submitted() else 200


# --- contacts ---------------------------------------------------------------------------------


@bp.get("/kontakter")
@login_required
def contacts():
    scope = current_scope()
    # The owners are loaded up front: each row shows its organisation and checks edit rights.
    query = (
        sa.select(Contact)
        .where(scope.contact_clause())
        .order_by(Contact.name)
        .options(
            selectinload(Contact.care_home).joinedload(CareHome.municipality),
            selectinload(Contact.health_centre),
            selectinload(Contact.municipality),
            selectinload(Contact.region),
        )
    )
    query, q = _search(query, Contact)
    role = request.args.get("roll") or None
    if role in {r.value for r in ContactRole}:
        query = query.where(Contact.role == ContactRole(role))
    rows = db.session.scalars(query.limit(500)).all()
    return render_template(
        "registers/contacts.html",
        contacts=rows,
        q=q,
        role=role,
        roles=list(ContactRole),
        show_inactive=bool(request.args.get("inaktiva")),
        can_create=bool(_owner_choices()),
    )


def _owner_choices():
    """Organisations whose contacts the user may edit, as (value, label) pairs."""
    scope = current_scope()
    choices = []
    homes = db.session.scalars(
        sa.select(CareHome)
        .where(scope.managed_home_clause(), CareHome.active.is_(True))
        .order_by(CareHome.name)
    ).all()
    choices += [(f"care_home:{h.id}", f"Boende: {h.name}") for h in homes]
    centres = db.session.scalars(
        sa.select(HealthCentre).where(HealthCentre.active.is_(True)).order_by(HealthCentre.name)
    ).all()
    choices += [
        (f"health_centre:{c.id}", f"Vårdcentral: {c.name}")
        for c in centres
        if scope.can_edit_health_centre(c) or c.id in scope.health_centre_ids
    ]
    choices += [(f"municipality:{m.id}", f"Kommun: {m.name}") for m in _visible_municipalities()]
    choices += [
        (f"region:{r.id}", f"Region: {r.name}")
        for r in db.session.scalars(sa.select(Region).order_by(Region.name))
        if scope.can_view_region(r)
    ]
    return choices


OWNER_MODELS = {
    "care_home": CareHome,
    "health_centre": HealthCentre,
    "municipality": Municipality,
    "region": Region,
}


def _owner_value(contact: Contact) -> str:
    owner = contact.organisation
    return f"{owner.__tablename__}:{owner.id}"


@bp.route("/kontakter/ny", methods=["GET", "POST"], defaults={"contact_id": None})
@bp.route("/kontakter/<int:contact_id>/redigera", methods=["GET", "POST"])
@login_required
def edit_contact(contact_id):
    scope = current_scope()
    contact = None
    if contact_id is not None:
        contact = get_or_404(Contact, contact_id)
        require(scope.can_view_contact(contact))
        require(scope.can_edit_contact(contact), hide=False)
    choices = _owner_choices()
    require(bool(choices), hide=False)
    form = ContactForm(obj=contact)
    form.owner.choices = choices
    if request.method == "GET":
        if contact is not None:
            form.role.data, form.owner.data = contact.role.value, _owner_value(contact)
        elif request.args.get("organisation"):
            form.owner.data = request.args["organisation"]
    if form.validate_on_submit():
        table, _, raw_id = form.owner.data.partition(":")
        owner = db.session.get(OWNER_MODELS[table], int(raw_id)) if table in OWNER_MODELS else None
        require(owner is not None and scope.can_edit_contacts_of(owner), hide=False)
        try:
            contact = services.save_contact(
                contact,
                name=form.name.data,
                email=form.email.data,
                phone=form.phone.data or "",
                role=ContactRole(form.role.data),
                owner=owner,
                actor=current_user,
            )
        except services.RegisterError as error:
            db.session.rollback()
            flash(str(error), "error")
            return render_template(
                "registers/edit.html",
                form=form,
                title=_title(contact, "kontakt"),
                back=url_for("registers.contacts"),
            ), 409
        db.session.commit()
        flash(f"{contact.name} är sparad.", "success")
        return redirect(url_for("registers.contacts"))
    return render_template(
        "registers/edit.html",
        form=form,
        title=_title(contact, "kontakt"),
        back=url_for("registers.contacts"),
    ), 400 if form.is_submitted() else 200


# --- municipalities and regions (administrators) ----------------------------------------------


@bp.get("/kommuner")
@login_required
def municipalities():
    scope = current_scope()
    require(scope.is_follow_up_user, hide=False)
    query = (
        sa.select(Municipality)
        .where(scope.municipality_clause())
        .options(joinedload(Municipality.region))
        .order_by(Municipality.name)
    )
    query, q = _search(query, Municipality)
    return render_template(
        "registers/municipalities.html",
        municipalities=db.session.scalars(query).all(),
        q=q,
        show_inactive=bool(request.args.get("inaktiva")),
    )


@bp.route("/kommuner/ny", methods=["GET", "POST"], defaults={"municipality_id": None})
@bp.route("/kommuner/<int:municipality_id>/redigera", methods=["GET", "POST"])
@login_required
def edit_municipality(municipality_id):
    require(current_scope().admin, hide=False)
    municipality = get_or_404(Municipality, municipality_id) if municipality_id else None
    form = MunicipalityForm(obj=municipality)
    form.region.choices = [
        (r.id, r.name) for r in db.session.scalars(sa.select(Region).order_by(Region.name))
    ]
    if request.method == "GET" and municipality is not None:
        form.region.data = municipality.region_id
    if form.validate_on_submit():
        region = get_or_404(Region, form.region.data)
        try:
            services.save_municipality(
                municipality, name=form.name.data, region=region, actor=current_user
            )
        except services.RegisterError as error:
            db.session.rollback()
            flash(str(error), "error")
            return render_template(
                "registers/edit.html",
                form=form,
                title=_title(municipality, "kommun"),
                back=url_for("registers.municipalities"),
            ), 409
        db.session.commit()
        flash("Kommunen är sparad.", "success")
        return redirect(url_for("registers.municipalities"))
    return render_template(
        "registers/edit.html",
        form=form,
        title=_title(municipality, "kommun"),
        back=url_for("registers.municipalities"),
    ), 400 if form.is_submitted() else 200


@bp.get("/regioner")
@login_required
def regions():
    scope = current_scope()
    require(scope.admin or bool(scope.region_ids), hide=False)
    query = sa.select(Region).order_by(Region.name)
    if not scope.admin:
        query = query.where(Region.id.in_(scope.region_ids))
    query, q = _search(query, Region)
    return render_template(
        "registers/regions.html",
        regions=db.session.scalars(query).all(),
        q=q,
        show_inactive=bool(request.args.get("inaktiva")),
    )


@bp.route("/regioner/ny", methods=["GET", "POST"], defaults={"region_id": None})
@bp.route("/regioner/<int:region_id>/redigera", methods=["GET", "POST"])
@login_required
def edit_region(region_id):
    require(current_scope().admin, hide=False)
    region = get_or_404(Region, region_id) if region_id else None
    form = RegionForm(obj=region)
    if form.validate_on_submit():
        try:
            services.save_region(region, name=form.name.data, actor=current_user)
        except services.RegisterError as error:
            db.session.rollback()
            flash(str(error), "error")
            return render_template(
                "registers/edit.html",
                form=form,
                title=_title(region, "region"),
                back=url_for("registers.regions"),
            ), 409
        db.session.commit()
        flash("Regionen är sparad.", "success")
        return redirect(url_for("registers.regions"))
    return render_template(
        "registers/edit.html",
        form=form,
        title=_title(region, "region"),
        back=url_for("registers.regions"),
    ), 400 if form.is_submitted() else 200
