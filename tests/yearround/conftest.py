import pytest

from tests.invitations.support import SmtpServer


@pytest.fixture
def smtp(app):
    """A real SMTP server on loopback, and the app configured to deliver to it."""
    server = SmtpServer().start()
    app.config.update(
        MAIL_SMTP_HOST="127.0.0.1",
        MAIL_SMTP_PORT=server.port,
        MAIL_SMTP_SECURITY="none",
        MAIL_SMTP_TIMEOUT=10,
    )
    try:
        yield server
    finally:
        server.stop()
