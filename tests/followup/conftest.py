import pytest

from dialog.extensions import db
from dialog.followup.tokens import create_token
from dialog.models import User

from .dataset import build


@pytest.fixture
def data(app, world):
    with app.app_context():
        return build(world)


@pytest.fixture
def api_token(app, world):
    """api_token('mas_a') -> a bearer token acting as that user."""

    def _token(username: str) -> str:
        with app.app_context():
            user = db.session.get(User, world.users[username])
            _, token = create_token(user, f"Test {username}")
            db.session.commit()
            return token

    return _token
