"""Topics before the meeting, sent in through the participants' personal answer links."""

from .services import document_context, sample_document_context

__all__ = ["document_context", "init_app", "sample_document_context"]


def init_app(app):
    from . import services
    from .views import bp

    app.register_blueprint(bp)
    # The dialogue page and the answer page include topics/_*.html.
    app.jinja_env.globals.update(
        dialogue_topics=services.grouped,
        topic_areas=services.areas_of,
        participant_topics=services.topics_of_participant,
    )
