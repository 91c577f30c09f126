"""The guard on the web: its verdict while typing (JSON) and the administrator's scan page.

The check endpoint stores nothing and logs no text: it reads the JSON body, runs the guard and
answers with kinds and offsets (the browser has the words already). CSRF-protected through the
X-CSRFToken header, rate-limited per user.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..scope import current_scope, require
from .guard import ADVICE, KIND_LABELS, MODES, find_patient_data
from .scan import describe, redact, scan

bp = Blueprint("privacy", __name__)
MAX_CHECK_CHARS = 5000


def _per_user() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else "anonymous"


@bp.post("/integritet/kontroll")
@login_required
@limiter.limit(
    lambda: current_app.config.get("PRIVACY_CHECK_RATE_LIMIT", "120 per minute"), key_func=_per_user
)
def check():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        return jsonify(error='Skicka {"text": …} som JSON.'), 400
    text = body["text"]
    mode = body.get("mode") or "text"
    if mode not in MODES:
        return jsonify(error="Okänt läge."), 400
    if len(text) > MAX_CHECK_CHARS:
        return jsonify(error=f"Texten är längre än {MAX_CHECK_CHARS} tecken."), 413
    hits = find_patient_data(text, mode=mode)
    response = jsonify(
        ok=not hits,
        hits=[
            {
                "kind": h.kind,
                "label": KIND_LABELS[h.kind],
                "start": h.start,
                "end": h.end,
                "advice": ADVICE[h.kind],
                "certainty": h.certainty,
            }
            for h in hits
        ],
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _require_admin():
    scope = current_scope()
    require(scope.admin, hide=False)
    return scope


@bp.get("/admin/integritet")
@login_required
def scan_page():
    _require_admin()
    report = None
    if request.args.get("kor"):
        report = scan()
        db.session.rollback()
    return render_template("privacy/scan.html", report=report, describe=describe)


@bp.post("/admin/integritet/rensa")
@login_required
def redact_page():
    _require_admin()
    if request.form.get("bekrafta") != "ja":
        abort(400)
    report = redact(actor=current_user)
    db.session.commit()
    flash(
        f"{len(report.findings)} värden med patientuppgifter ersattes med [borttaget].",
        "success",
    )
    return redirect(url_for("privacy.scan_page", kor=1))
