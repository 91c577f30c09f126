from flask import Blueprint, render_template, request
from flask_login import login_required
from sqlalchemy import select

from ..extensions import db
from ..models import AuditEntry
from ..scope import current_scope, require

bp = Blueprint("audit", __name__)

PAGE_SIZE = 50


@bp.get("/granskningslogg")
@login_required
def log():
    scope = current_scope()
    require(scope.is_follow_up_user, hide=False)
    page = min(max(request.args.get("sida", 1, type=int), 1), 100000)
    object_type = request.args.get("typ") or None
    query = select(AuditEntry).where(scope.audit_clause())
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    result = db.paginate(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
        page=page,
        per_page=PAGE_SIZE,
        error_out=False,
    )
    types = db.session.scalars(
        select(AuditEntry.object_type)
        .where(scope.audit_clause())
        .distinct()
        .order_by(AuditEntry.object_type)
    ).all()
    return render_template(
        "audit/log.html",
        entries=result.items,
        page=result.page,
        total=result.total,
        pages=result.pages or 1,
        object_type=object_type,
        types=types,
    )
