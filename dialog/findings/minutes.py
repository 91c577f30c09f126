"""The minutes (protokoll): rendered from what was recorded and sent to the participants.

The minutes' own fields (who led and took the minutes, who checked them, how the lessons are
passed on, the next dialogue) are the meeting's notes on the dialogue, written in the
documentation template or on the record page (lifecycle.save_notes). When the dialogue is
documented, the minutes are rendered as a Word file and queued to every participant in the same
transaction.
"""

from __future__ import annotations

from ..documents import render_minutes
from ..invitations import queue_minutes
from ..models import Dialogue


def send_minutes(dialogue: Dialogue, *, actor) -> int:
    """Render the minutes and queue them to every participant; the edge commits."""
    data, filename = render_minutes(dialogue)
    return queue_minutes(dialogue, data, filename, actor=actor)
