"""Error pages in Swedish. They never echo the request, so refused text cannot leak here.

Under /api/ every error is JSON ({"error": …, "status": …}), whatever raised it: routing (an
unknown path, a method such as TRACE), the API's own checks, or the handlers below.
"""

from __future__ import annotations

import logging

from flask import jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from .bounds import RefusedInput
from .extensions import db
from .privacy import PatientDataError

log = logging.getLogger(__name__)

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
OTHER = ("Begäran kunde inte behandlas", "Begäran kunde inte behandlas. Försök igen.")


def _is_api() -> bool:
    return request.path.startswith("/api/")


def render(code: int, message: str | None = None, headers: dict | None = None):
    title, text = MESSAGES.get(code, OTHER)
    if _is_api():
        response = jsonify({"error": message or text, "status": code})
        response.status_code = code
    else:
        page = render_template("error.html", title=title, message=message or text, code=code)
        response = make_response(page, code)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def init_app(app) -> None:
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

    @app.errorhandler(RefusedInput)
    def refused_input(error):
        return render(400, error.description)

    @app.errorhandler(HTTPException)
    def http_error(error):
        headers = {}
        if error.code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)
        return render(error.code or 500, headers=headers)

    @app.errorhandler(OverflowError)
    def number_out_of_range(error):
        # A number no column can hold reached a query (the URL converter and parse_id stop
        # ids before that; this is the net under them): nothing by that number exists.
        db.session.rollback()
        log.warning("event=number_out_of_range path=%s", request.path)
        return render(404)

    @app.errorhandler(DataError)
    def value_refused_by_database(error):
        db.session.rollback()
        log.warning("event=database_refused_value path=%s", request.path)
        return render(400)

    @app.errorhandler(500)
    def server_error(error):
        return render(500)
