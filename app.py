"""Entry point: `flask --app app run`, and `gunicorn app:app` in production."""

from dialog import create_app, settle_heap

app = create_app()
settle_heap()
