"""Dialogues: booking, rebooking, cancelling, participants and the dialogue page."""

from .services import (
    Booking,
    BookingError,
    book_dialogue,
    eligible_contacts,
    participant_from_contact,
    rebook_dialogue,
)

__all__ = [
    "Booking",
    "BookingError",
    "book_dialogue",
    "eligible_contacts",
    "init_app",
    "participant_from_contact",
    "rebook_dialogue",
]


def init_app(app):
    from .views import bp

    app.register_blueprint(bp)
