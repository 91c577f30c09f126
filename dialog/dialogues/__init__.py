"""Dialogues: booking, rebooking, cancelling, participants and the dialogue page."""


def init_app(app):
    from .views import bp

    app.register_blueprint(bp)
