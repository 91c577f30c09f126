"""Feature package: invitations. See the issue that builds it."""


def init_app(app):
    pass
