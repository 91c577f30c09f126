from email import message_from_bytes
from email.policy import default as default_policy

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import audit
from ..bounds import parse_id
from ..dialogues import BookingError
from ..downloads import attachment
from ..extensions import db, limiter
from ..locking import StaleDialogueError
from ..models import Dialogue, DialogueStatus, Participant, ResponseStatus
from ..models.invitations import IGNORED_OUTCOMES, InboxOutcome, OutboxMessage, OutboxStatus
from ..scope import current_scope, get_or_404, require
from ..wording import count, plural
from . import answers, content, counters, feeds, links, outbox, services, worker
from .forms import AnswerForm, OwnAnswerForm
from .inbox import worker as inbox_worker

bp = Blueprint("invitations", __name__)


def _managed_dialogue(dialogue_id: int) -> Dialogue:
    dialogue = get_or_404(Dialogue, dialogue_id)
    scope = current_scope()
    require(scope.can_view_dialogue(dialogue))
    require(scope.can_manage_dialogue(dialogue), hide=False)
    return dialogue


def _send_message(queued: int) -> str:
    return f"{count(queued, 'kallelse', 'kallelser')} har lagts i utkorgen."


@bp.post("/dialoger/<int:dialogue_id>/kallelser")
@login_required
def send(dialogue_id):
    dialogue = _managed_dialogue(dialogue_id)
    if dialogue.status is not DialogueStatus.PLANNED:
        flash("Kallelser kan bara skickas för en planerad dialog.", "error")
        return redirect(url_for("dialogues.show", dialogue_id=dialogue.id))
    queued = services.queue_invitations(dialogue, actor=current_user)
    db.session.commit()
    if queued:
        flash(_send_message(queued), "success")
    else:
        flash("Alla deltagare har redan fått den senaste kallelsen.", "info")
    return redirect(url_for("dialogues.show", dialogue_id=dialogue.id) + "#kallelser")


@bp.post("/dialoger/<int:dialogue_id>/kallelser/igen")
@login_required
def resend(dialogue_id):
    dialogue = _managed_dialogue(dialogue_id)
    participant = db.session.get(Participant, request.form.get("participant_id", type=int) or 0)
    if participant is None or participant.dialogue_id != dialogue.id:
        abort(404)
    if services.resend_invitation(dialogue, participant, actor=current_user):
        db.session.commit()
        flash(f"Kallelsen har skickats igen till {participant.name}.", "success")
    else:
        flash(
            "Kallelsen kan bara skickas igen till en kallad deltagare i en planerad dialog.",
            "error",
        )
    return redirect(url_for("dialogues.show", dialogue_id=dialogue.id) + "#kallelser")


@bp.post("/kallelser/skicka")
@login_required
def send_bulk():
    scope = current_scope()
    ids = [i for i in map(parse_id, request.form.getlist("dialogue_ids")) if i is not None]
    year = request.form.get("ar", type=int)
    back = url_for("planning.year_view", ar=year) if year else url_for("planning.year_view")
    if not ids:
        flash("Välj minst en dialog att skicka kallelser för.", "error")
        return redirect(back)
    dialogues = services.load_for_sending(ids)
    if len(dialogues) != len(set(ids)):
        abort(404)
    for dialogue in dialogues:
        require(scope.can_view_dialogue(dialogue))
        require(scope.can_manage_dialogue(dialogue), hide=False)
    queued, skipped = 0, 0
    with services.sending_in_bulk():
        for dialogue in dialogues:
            if dialogue.status is not DialogueStatus.PLANNED:
                skipped += 1
                continue
            queued += services.queue_invitations(dialogue, actor=current_user)
    db.session.commit()
    planned = len(dialogues) - skipped
    text = f"{_send_message(queued)} ({count(planned, 'dialog', 'dialoger')})"
    if skipped:
        text += (
            f" {count(skipped, 'dialog', 'dialoger')} var inte "
            f"{plural(skipped, 'planerad', 'planerade')} och hoppades över."
        )
    flash(text, "success" if queued else "info")
    return redirect(back)


@bp.post("/dialoger/<int:dialogue_id>/forslag/<int:proposal_id>/<choice>")
@login_required
def counter_decision(dialogue_id, proposal_id, choice):
    """Accept (rebook, a new SEQUENCE to everyone) or decline (DECLINECOUNTER) a proposal."""
    dialogue = _managed_dialogue(dialogue_id)
    if choice not in {"godta", "avboj"}:
        abort(404)
    try:
        if choice == "godta":
            counters.accept(dialogue, proposal_id, actor=current_user)
        else:
            counters.decline(dialogue, proposal_id, actor=current_user)
    except LookupError:
        abort(404)
    except (BookingError, StaleDialogueError) as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("dialogues.show", dialogue_id=dialogue.id) + "#forslag")
    db.session.commit()
    flash(
        "Dialogen är ombokad till den föreslagna tiden; alla deltagare får en uppdaterad kallelse."
        if choice == "godta"
        else "Förslaget är avböjt. Den som föreslog tiden får besked om att tiden står kvar.",
        "success",
    )
    return redirect(url_for("dialogues.show", dialogue_id=dialogue.id) + "#forslag")


@bp.get("/dialoger/<int:dialogue_id>/kallelse.ics")
@login_required
def download_ics(dialogue_id):
    dialogue = get_or_404(Dialogue, dialogue_id)
    require(current_scope().can_view_dialogue(dialogue))
    body = content.publish_calendar(dialogue)
    filename = f"patientsakerhetsdialog-{dialogue.year}-{dialogue.id}.ics"
    return attachment(body.encode("utf-8"), filename, "text/calendar")


# --- a logged-in participant answers on the dialogue page ---------------------------------------


@bp.post("/dialoger/<int:dialogue_id>/mitt-svar")
@login_required
def own_answer(dialogue_id):
    dialogue = get_or_404(Dialogue, dialogue_id)
    require(current_scope().can_view_dialogue(dialogue))
    participant = answers.own_participation(dialogue, current_user)
    require(participant is not None, hide=False)
    form = OwnAnswerForm()
    code = form.response.data if form.validate_on_submit() else None
    if code not in answers.ANSWER_CODES:
        flash("Välj Ja, Nej eller Kanske.", "error")
        return redirect(url_for("dialogues.show", dialogue_id=dialogue.id) + "#mitt-svar")
    try:
        answers.answer_in_app(
            participant,
            answers.ANSWER_CODES[code],
            form.comment.data or "",
            actor=current_user,
        )
    except answers.AnswerError as error:
        db.session.rollback()
        # Shown on the page only: refused words must not travel in the session cookie.
        return render_template(
            "dialogues/show.html",
            dialogue=dialogue,
            can_manage=current_scope().can_manage_dialogue(dialogue),
            own_answer_problem=str(error),
            own_answer_form=form,
        ), 400
    db.session.commit()
    flash(f"Ditt svar är sparat: {participant.response.label}.", "success")
    return redirect(url_for("dialogues.show", dialogue_id=dialogue.id) + "#mitt-svar")


# --- answers, no login -------------------------------------------------------------------------


def _link_error(error: links.AnswerLinkError):
    status = 404 if error.kind == "invalid" else 410
    return render_template("invitations/answer_error.html", error=error), status


@bp.route("/svar/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")  # public, token-based: slow down guessing
def answer(token):
    try:
        participant, _nonce = links.read_token(token)
    except links.AnswerLinkError as error:
        return _link_error(error)
    form = AnswerForm()
    if request.method == "GET":
        wanted = request.args.get("svar")
        if wanted in answers.ANSWER_CODES:
            form.response.data = wanted
    problem = None
    if form.validate_on_submit():
        try:
            stand_in = None
            if form.response.data != "ja":
                stand_in = answers.parse_stand_in(
                    form.stand_in_name.data, form.stand_in_email.data, form.stand_in_role.data
                )
            participant, substitute = answers.answer(
                token, answers.ANSWER_CODES[form.response.data], form.comment.data or "", stand_in
            )
        except links.AnswerLinkError as error:
            return _link_error(error)
        except answers.AnswerError as error:
            db.session.rollback()
            problem = str(error)
        else:
            db.session.commit()
            return render_template(
                "invitations/answer_done.html",
                participant=participant,
                substitute=substitute,
                dialogue=participant.dialogue,
            )
    status = 400 if form.is_submitted() else 200
    return render_template(
        "invitations/answer.html",
        form=form,
        participant=participant,
        dialogue=participant.dialogue,
        problem=problem,
        accepted=ResponseStatus.ACCEPTED,
        history=answers.history(participant),
    ), status


# --- the outbox, for administrators -------------------------------------------------------------


def _admin() -> None:
    require(current_scope().admin, hide=False)


@bp.get("/utkorg")
@login_required
def outbox_page():
    _admin()
    status = request.args.get("status") or None
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(300)
    if status in {s.value for s in OutboxStatus}:
        query = query.where(OutboxMessage.status == OutboxStatus(status))
    else:
        status = None
    messages = db.session.scalars(query).all()
    return render_template(
        "invitations/outbox.html",
        messages=messages,
        status=status,
        counts=outbox.counts_by_status(),
        statuses=list(OutboxStatus),
        inbox_counts=inbox_worker.counts(),
        ignored_outcomes=IGNORED_OUTCOMES,
        outcomes=InboxOutcome,
        interrupted=outbox.interrupted_count(),
    )


@bp.get("/utkorg/<int:message_id>")
@login_required
def outbox_message(message_id):
    _admin()
    message = get_or_404(OutboxMessage, message_id)
    parsed = message_from_bytes(message.raw, policy=default_policy)
    parts = []
    for part in parsed.walk():
        if part.is_multipart():
            continue
        parts.append(
            {
                "type": part.get_content_type(),
                "params": dict((part.get_params() or [])[1:]),
                "filename": part.get_filename(),
                "text": part.get_content()
                if part.get_content_maintype() == "text" or part.get_content_subtype() == "ics"
                else "",
            }
        )
    for part in parts:
        if isinstance(part["text"], bytes):
            part["text"] = part["text"].decode("utf-8", "replace")
    return render_template(
        "invitations/outbox_message.html", message=message, parsed=parsed, parts=parts
    )


@bp.get("/utkorg/<int:message_id>.eml")
@login_required
def outbox_download(message_id):
    _admin()
    message = get_or_404(OutboxMessage, message_id)
    return attachment(message.raw, f"meddelande-{message.id}.eml", "message/rfc822")


@bp.post("/utkorg/<int:message_id>/forsok-igen")
@login_required
def outbox_retry(message_id):
    _admin()
    message = get_or_404(OutboxMessage, message_id)
    if message.status not in {OutboxStatus.FAILED, OutboxStatus.QUEUED}:
        flash("Bara köade och misslyckade meddelanden kan skickas igen.", "error")
        return redirect(url_for("invitations.outbox_page"))
    before = message.status.value
    outbox.retry(message)
    audit.record(
        "försökte skicka igen",
        message,
        where=message.dialogue,
        summary=f"{message.recipient}: {message.subject}",
        changes={"status": [before, message.status.value]},
    )
    db.session.commit()
    flash(f"Meddelandet till {message.recipient} ligger i kön igen.", "success")
    return redirect(url_for("invitations.outbox_page", status=request.args.get("status")))


@bp.post("/utkorg/skicka")
@login_required
def outbox_deliver():
    _admin()
    result = worker.deliver_due()
    flash(
        f"Skickade {result.sent}, väntar på nytt försök {result.retried}, "
        f"misslyckade {result.failed}.",
        "success" if not result.errors else "error",
    )
    return redirect(url_for("invitations.outbox_page"))


# --- calendar feeds -----------------------------------------------------------------------------


@bp.post("/konto/kalenderflode")
@login_required
def create_feed():
    token = feeds.create_feed(current_user, actor=current_user)
    db.session.commit()
    return render_template("invitations/feed_created.html", url=feeds.feed_url(token))


@bp.post("/konto/kalenderflode/sparra")
@login_required
def revoke_feed():
    if feeds.revoke_feed(current_user, actor=current_user):
        db.session.commit()
        flash("Kalenderflödet är spärrat. Den gamla adressen fungerar inte längre.", "success")
    return redirect(url_for("accounts.account"))


@bp.get("/kalender/<token>.ics")
@limiter.limit("60 per minute")
def feed(token):
    body = feeds.feed_calendar(token)
    if body is None:
        abort(404)
    db.session.commit()  # the feed's last use
    return Response(
        body, mimetype="text/calendar", headers={"Cache-Control": "private, max-age=900"}
    )
