"""Topics: sent in through the personal answer link (no login), removed by the organiser."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..invitations import AnswerLinkError
from ..models import Topic
from ..scope import current_scope, get_or_404, require
from . import services
from .forms import TopicForm

bp = Blueprint("topics", __name__)


def _link_error(error: AnswerLinkError):
    # The same page as the answer link itself: what happened and whom to ask.
    status = 404 if error.kind == "invalid" else 410
    return render_template("invitations/answer_error.html", error=error), status


def _form_page(token, participant, form, problem=None, status=200):
    form.area.choices = [("", "Övrigt eller flera områden")] + [
        (a.id, a.name) for a in services.areas_of(participant.dialogue)
    ]
    return render_template(
        "topics/form.html",
        token=token,
        participant=participant,
        dialogue=participant.dialogue,
        form=form,
        problem=problem,
        sent=services.topics_of_participant(participant),
        max_topics=services.PER_PARTICIPANT,
    ), status


@bp.route("/svar/<token>/amnen", methods=["GET", "POST"])
@limiter.limit("30 per minute")  # public, token-based: slow down guessing
def submit(token):
    try:
        participant = services.participant_for(token)
    except AnswerLinkError as error:
        return _link_error(error)
    form = TopicForm()
    if not form.validate_on_submit():
        return _form_page(token, participant, form, status=400 if form.is_submitted() else 200)
    try:
        services.submit(token, form.area.data, form.text.data or "")
    except AnswerLinkError as error:
        db.session.rollback()
        return _link_error(error)
    except services.TopicError as error:
        db.session.rollback()
        return _form_page(token, participant, form, problem=str(error), status=400)
    db.session.commit()
    flash("Tack! Ämnet är skickat till den som kallat till dialogen.", "success")
    return redirect(url_for("topics.submit", token=token))


@bp.post("/amnen/<int:topic_id>/ta-bort")
@login_required
def remove(topic_id):
    topic = get_or_404(Topic, topic_id)
    scope = current_scope()
    require(scope.can_view_dialogue(topic.dialogue))
    require(scope.can_manage_dialogue(topic.dialogue), hide=False)
    dialogue_id = topic.dialogue_id
    services.remove(topic, actor=current_user)
    db.session.commit()
    flash("Ämnet är borttaget.", "success")
    return redirect(url_for("dialogues.show", dialogue_id=dialogue_id) + "#amnen")
