"""The patient-data guard: one module used on every path that accepts free text.

Interface:
- find_patient_data(text) -> list[Hit]: every place in the text that identifies a patient.
- ensure_no_patient_data(text, field_label) -> None: raises PatientDataError (a ValueError with a
  Swedish message that points at the words) when anything is found. Refused text is never stored
  or logged: callers must not put it in the audit log, the server log or an error report.
"""

from .columns import exempt, guarded
from .guard import Hit, PatientDataError, ensure_no_patient_data, find_patient_data

# The guard is a shared piece: every feature may use these.
__all__ = [
    "Hit",
    "PatientDataError",
    "ensure_no_patient_data",
    "exempt",
    "find_patient_data",
    "guarded",
    "init_app",
]


def init_app(app):
    """The guard's CLI commands, the check-while-typing endpoint and the administrator's scan
    page."""
    from ..web import add_nav_item
    from .cli import privacy_check_command, privacy_scan_command
    from .views import bp

    app.cli.add_command(privacy_check_command)
    app.cli.add_command(privacy_scan_command)
    app.register_blueprint(bp)
    add_nav_item(
        app, "Integritetskontroll", "privacy.scan_page", lambda scope: scope.admin, order=95
    )
