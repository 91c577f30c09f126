import pytest

from tests.conftest import require_tool
from tests.invitations.support import SmtpServer, icaljs_available, libical_available


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


@pytest.fixture
def parsers():
    require_tool(libical_available(), "libical GObject bindings (python3-gi, gir1.2-ical-3.0)")
    require_tool(icaljs_available(), "node with tests/js/node_modules/ical.js")
    from tests.invitations.support import PARSERS

    return PARSERS


@pytest.fixture(scope="session")
def dovecot_server():
    from tests.invitations.dovecot import DovecotServer, dovecot_available

    require_tool(dovecot_available(), "Dovecot (dovecot-imapd) run as root")
    server = DovecotServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def imap(app, dovecot_server):
    """A real IMAP server on loopback with an empty organiser mailbox, and the app reading it."""
    dovecot_server.empty()
    app.config.update(dovecot_server.config_for_app())
    return dovecot_server
