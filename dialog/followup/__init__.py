"""Feature package: followup. See the issue that builds it."""


def init_app(app):
    pass
