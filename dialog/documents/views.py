"""Downloads of the Word documents, and the template administration pages."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required

from ..bounds import parse_id, year_in_range
from ..downloads import attachment
from ..extensions import db
from ..models import Dialogue, Municipality
from ..models.documents import DocumentTemplate
from ..scope import current_scope, get_or_404, require
from . import services, zipping
from .forms import GLOBAL_TARGET, TargetForm, UploadForm
from .kinds import DOCX_MIMETYPE, KINDS, VARIABLES
from .rendering import RenderFailed
from .validation import MAX_UPLOAD_BYTES, TemplateRejected

bp = Blueprint("documents", __name__)


def _kind_or_404(key: str):
    kind = KINDS.get(key)
    if kind is None:
        abort(404)
    return kind


def _docx_response(data: bytes, name: str):
    return attachment(data, name, DOCX_MIMETYPE)


@bp.get("/dialoger/<int:dialogue_id>/dokument/<kind>")
@login_required
def download(dialogue_id, kind):
    kind = _kind_or_404(kind)
    dialogue = get_or_404(Dialogue, dialogue_id)
    require(current_scope().can_view_dialogue(dialogue))
    document = services.render_document(dialogue, kind, actor=current_user)
    name = services.download_name(kind, dialogue)
    if document.failure is not None:
        db.session.commit()  # the failure noted on the template version, and its audit entry
        flash(
            f"Den uppladdade mallen för {kind.label.lower()} kunde inte fyllas i, så "
            "standardmallen användes för filen du laddade ned. Administratören kan se orsaken "
            "på sidan Dokumentmallar.",
            "error",
        )
        name = name[:-5] + " (standardmall).docx"
    response = _docx_response(document.data, name)
    response.headers["X-Dialog-Template"] = document.template.source
    return response


@bp.get("/dokument/zip")
@login_required
def download_zip():
    scope = current_scope()
    kind = _kind_or_404(request.args.get("dokument", ""))
    year = request.args.get("ar", type=int)
    if not year_in_range(year):
        abort(404)
    municipality_id = request.args.get("kommun", type=int)
    where = "alla boenden"
    if municipality_id is not None:
        municipality = get_or_404(Municipality, municipality_id)
        require(
            scope.can_view_municipality(municipality)
            or bool(zipping.dialogue_ids(scope, year, municipality_id))
        )
        where = municipality.name
    ids = zipping.dialogue_ids(scope, year, municipality_id)
    if not ids:
        flash(
            f"Det finns inga bokade dialoger {year} i urvalet, så det finns inget att ladda ned.",
            "error",
        )
        return redirect(url_for("planning.year_view", ar=year, kommun=municipality_id))
    name = zipping.zip_name(kind, year, where)
    chunks = _committed(zipping.stream_zip(kind, ids, actor=current_user))
    return attachment(stream_with_context(chunks), name, "application/zip")


def _committed(chunks):
    """The ZIP renders while it streams; template failures noted on the way are committed at
    the end (this view is the edge)."""
    yield from chunks
    db.session.commit()


# --- template administration -------------------------------------------------------------


def _require_template_admin():
    scope = current_scope()
    require(scope.admin or bool(scope.region_ids), hide=False)
    return scope


def _target_choices(scope):
    choices = [(GLOBAL_TARGET, "Alla regioner")] if scope.admin else []
    return choices + [(str(r.id), r.name) for r in services.manageable_regions(scope)]


def _target_region(value: str) -> int | None:
    if value == GLOBAL_TARGET:
        return None
    region_id = parse_id(value)
    if region_id is None:
        abort(400)
    return region_id


def _overview(scope, form, status=200, rejection=None):
    regions = services.manageable_regions(scope)
    targets = ([(None, "Alla regioner")] if scope.admin else []) + [(r.id, r.name) for r in regions]
    rows = []
    for kind in KINDS.values():
        in_force = [(rid, label, services.template_in_force(kind, rid)) for rid, label in targets]
        rows.append((kind, in_force, services.versions(kind.key, [rid for rid, _ in targets])))
    region_names = {r.id: r.name for r in regions}
    return render_template(
        "documents/templates.html",
        form=form,
        rows=rows,
        variables=VARIABLES,
        region_names=region_names,
        max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
        rejection=rejection,
    ), status


@bp.get("/mallar")
@login_required
def templates():
    scope = _require_template_admin()
    form = UploadForm()
    form.target.choices = _target_choices(scope)
    if request.args.get("dokument") in KINDS:
        form.kind.data = request.args["dokument"]
    return _overview(scope, form)


@bp.post("/mallar")
@login_required
def upload():
    scope = _require_template_admin()
    form = UploadForm()
    form.target.choices = _target_choices(scope)
    if not form.validate_on_submit():
        return _overview(scope, form, 400)
    kind = KINDS[form.kind.data]
    region_id = _target_region(form.target.data)
    require(services.can_manage_templates(scope, region_id), hide=False)
    upload_file = form.file.data
    data = upload_file.read(MAX_UPLOAD_BYTES + 1)
    try:
        row = services.upload_template(
            kind, region_id, data, upload_file.filename or "", form.comment.data or "", current_user
        )
    except TemplateRejected as rejection:
        db.session.rollback()
        form.file.errors = ["Mallen sparades inte. " + rejection.message]
        return _overview(scope, form, 400, rejection=rejection)
    db.session.commit()
    flash(
        f"Mallen är uppladdad som version {row.version} av {kind.label.lower()}. "
        "Förhandsgranska den och aktivera den när den ser rätt ut.",
        "success",
    )
    return redirect(url_for("documents.templates", dokument=kind.key) + f"#mall-{row.id}")


def _managed_template(template_id: int) -> DocumentTemplate:
    scope = _require_template_admin()
    row = get_or_404(DocumentTemplate, template_id)
    require(services.can_manage_templates(scope, row.region_id))
    return row


@bp.get("/mallar/<int:template_id>/forhandsgranska")
@login_required
def preview(template_id):
    row = _managed_template(template_id)
    kind = KINDS[row.kind]
    try:
        data = services.render_preview(row.content, kind, row.region_id)
    except RenderFailed as failure:
        flash(
            f"Version {row.version} av {kind.label.lower()} kunde inte fyllas i med "
            f"provdialogen: {failure.message}.",
            "error",
        )
        return redirect(url_for("documents.templates", dokument=kind.key) + f"#mall-{row.id}")
    return _docx_response(data, f"Förhandsgranskning {kind.label} version {row.version}.docx")


@bp.get("/mallar/<int:template_id>/fil")
@login_required
def template_file(template_id):
    row = _managed_template(template_id)
    return _docx_response(
        row.content,
        row.filename if row.filename.lower().endswith(".docx") else f"{row.filename}.docx",
    )


@bp.get("/mallar/standard/<kind>")
@login_required
def default_file(kind):
    _require_template_admin()
    kind = _kind_or_404(kind)
    return _docx_response(services.default_template_bytes(kind), f"{kind.key}.docx")


@bp.get("/mallar/standard/<kind>/forhandsgranska")
@login_required
def default_preview(kind):
    _require_template_admin()
    kind = _kind_or_404(kind)
    data = services.render_preview(services.default_template_bytes(kind), kind, None)
    return _docx_response(data, f"Förhandsgranskning {kind.label} standard.docx")


@bp.post("/mallar/<int:template_id>/aktivera")
@login_required
def activate(template_id):
    row = _managed_template(template_id)
    form = TargetForm()
    if not form.validate_on_submit():
        abort(400)
    services.activate_template(row, current_user)
    db.session.commit()
    flash(f"Version {row.version} av {KINDS[row.kind].label.lower()} används nu.", "success")
    return redirect(url_for("documents.templates", dokument=row.kind))


@bp.post("/mallar/aterga")
@login_required
def revert():
    scope = _require_template_admin()
    form = TargetForm()
    if not form.validate_on_submit() or form.kind.data not in KINDS:
        abort(400)
    kind = KINDS[form.kind.data]
    region_id = _target_region(form.target.data)
    require(services.can_manage_templates(scope, region_id), hide=False)
    changed = services.revert_to_default(kind, region_id, current_user)
    db.session.commit()
    if changed:
        in_force = services.template_in_force(kind, region_id)
        flash(
            f"{kind.label}: den uppladdade mallen används inte längre. "
            f"Nu gäller: {in_force.label.lower()}.",
            "success",
        )
    else:
        flash(f"{kind.label}: ingen uppladdad mall var aktiv, så inget ändrades.", "success")
    return redirect(url_for("documents.templates", dokument=kind.key))
