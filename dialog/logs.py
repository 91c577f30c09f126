"""Logging, configured once by the application factory.

Every module that reports anything has `log = logging.getLogger(__name__)` and writes one line
per event as key=value fields (`event=outbox_delivered sent=3`), so the lines can be searched
and parsed. Never log free text a user typed: it may be refused patient data.
"""

from __future__ import annotations

import logging
import os

FORMAT = "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"
_HANDLER_NAME = "dialog"


def configure(app) -> None:
    level = os.environ.get("DIALOG_LOG_LEVEL", "INFO").upper()
    logger = logging.getLogger("dialog")
    logger.setLevel(getattr(logging, level, logging.INFO))
    if not any(h.get_name() == _HANDLER_NAME for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
    # The app's own logger (unhandled exceptions) writes the same way.
    app.logger.setLevel(logger.level)
