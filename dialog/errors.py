"""Error pages in Swedish. They never echo the request, so refused text cannot leak here."""

from __future__ import annotations

from flask import render_template
from flask_wtf.csrf import CSRFError

from .privacy import PatientDataError

MESSAGES = {
    400: ("Felaktig begäran", "Begäran kunde inte behandlas. Gå tillbaka och försök igen."),
    403: ("Åtkomst nekad", "Du har inte behörighet att göra detta."),
    404: ("Sidan finns inte", "Sidan finns inte, eller så har du inte behörighet att se den."),
    405: ("Otillåten metod", "Den här åtgärden går inte att göra på det sättet."),
    413: ("För stor fil", "Filen är för stor. Välj en mindre fil."),
    429: (
        "För många försök",
        "Du har gjort för många försök på kort tid. Vänta en stund och försök igen.",
    ),
    500: ("Något gick fel", "Ett oväntat fel inträffade. Inget har sparats. Försök igen."),
}


def init_app(app) -> None:
    def render(code: int, message: str | None = None):
        title, text = MESSAGES[code]
        return render_template("error.html", title=title, message=message or text, code=code), code

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render(
            400,
            "Formuläret har gått ut eller saknar säkerhetstoken. Ladda om sidan och försök igen.",
        )

    @app.errorhandler(PatientDataError)
    def patient_data(error):
        # The model layer refused a flush that a form did not check first: nothing is stored,
        # and the page names the field and the kinds, never the refused words.
        from .extensions import db

        db.session.rollback()
        return render(400, error.safe_message)

    for code in MESSAGES:
        app.register_error_handler(code, lambda error, code=code: render(code))
