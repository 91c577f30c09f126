"""Patientsäkerhetsdialog SÄBO: the application factory."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent

# Each feature package exposes init_app(app): its blueprint, CLI commands and template hooks.
FEATURES = [
    "accounts",
    "registers",
    "planning",
    "dialogues",
    "audit",
    "invitations",
    "documents",
    "findings",
    "followup",
    "start",
    "privacy",
    # The steering loop around the dialogues (issue 16).
    "agreements",
    "basisdata",
    "assignments",
    "actionplan",
    "material",
    "topics",
]


def settle_heap() -> None:
    """Move what start-up allocated (modules, models, templates: about 240,000 objects) out of
    the cyclic garbage collector's way. Otherwise every full collection walks them all again,
    and a page view that happens to trigger one waits about 170 ms (measured on the national
    year view). For the served app (app.py), not for the tests' many short-lived apps."""
    import gc

    gc.collect()
    gc.freeze()


def create_app(test_config: dict | None = None) -> Flask:
    # Imported here, not at the top, so that the render process (dialog.sandbox.child) can
    # import its few modules without the database and web extensions.
    from . import logs
    from .config import load_config
    from .database import RetryingFlask
    from .extensions import csrf, db, limiter, login_manager, migrate
    from .models.base import render_migration_item

    app = RetryingFlask(
        __name__,
        instance_path=os.environ.get("DIALOG_INSTANCE_PATH") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(load_config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    logs.configure(app)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from . import bounds, cli, database, errors, security, transaction, web  # noqa: F401

    bounds.init_app(app)  # first: the id converter must be in place before any route
    transaction.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    for name in FEATURES:
        importlib.import_module(f".{name}", __name__).init_app(app)
    return app
