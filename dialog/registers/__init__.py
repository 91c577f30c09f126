"""Registers: regions, municipalities, homes, health centres and contacts; CSV import."""

from .csv_import import ImportFileError, RowError, fold, read_csv
from .services import RegisterError, save_contact

# save_contact: a participant added on the spot when booking is saved as a contact of the home.
# The CSV helpers and the importer registry let other features import their own files with the
# same rules (UTF-8, ';' or ',', all or nothing) through `flask import-csv KIND FILE`.
__all__ = [
    "ImportFileError",
    "RegisterError",
    "RowError",
    "fold",
    "init_app",
    "read_csv",
    "register_csv_importer",
    "save_contact",
]


def register_csv_importer(app, kind: str, preview, apply) -> None:
    """Make `flask import-csv KIND FILE` read another feature's files.

    preview(raw: bytes, scope, actor) -> a result with .rows, .errors (RowError) and .ok, or
    raises ImportFileError for a file refused as a whole; apply(result) -> rows written (flushes,
    never commits: the command commits).
    """
    app.extensions.setdefault("dialog_csv_importers", {})[kind] = (preview, apply)


def init_app(app):
    from ..web import add_nav_item
    from . import cli, import_views  # noqa: F401  (registers the import routes)
    from .views import bp

    app.register_blueprint(bp)
    cli.init_app(app)
    add_nav_item(app, "Register", "registers.homes", order=20)
