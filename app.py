"""Entry point: `flask --app app run`, and `gunicorn app:app` in production."""

from dialog import create_app

app = create_app()
