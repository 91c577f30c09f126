"""The year of one dialogue in six steps, and the one that comes next.

book → send invitations → check representation → hold → document → follow up actions. Each
dialogue page says which step it is at and what to do, with a link when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from ..findings import action_counts
from ..invitations import dialogue_panel, invitations_sent, pending_participants
from ..models import Dialogue, DialogueStatus
from ..timeutil import format_date, local, today_local
from ..wording import count

STEPS = [
    "Boka",
    "Skicka kallelser",
    "Kontrollera representationen",
    "Håll dialogen",
    "Dokumentera",
    "Följ upp åtgärderna",
]


@dataclass
class Step:
    index: int  # 0-based position in STEPS
    text: str
    url: str | None = None
    link: str = ""

    @property
    def title(self) -> str:
        return STEPS[self.index]

    @property
    def steps(self) -> list[str]:
        return STEPS


def next_step(dialogue: Dialogue, can_manage: bool = True) -> Step:
    """What happens next in this dialogue's year, in words for the people who do it."""
    show = url_for("dialogues.show", dialogue_id=dialogue.id)
    record = url_for("findings.record", dialogue_id=dialogue.id)
    day = local(dialogue.starts_at).date()
    if dialogue.status is DialogueStatus.CANCELLED:
        return Step(
            0,
            f"Dialogen är inställd. Boka en ny tid för {dialogue.year}.",
            url_for("dialogues.book", home_id=dialogue.care_home_id, ar=dialogue.year)
            if can_manage
            else None,
            "Boka en ny tid",
        )
    if dialogue.status is DialogueStatus.PLANNED:
        if not invitations_sent(dialogue):
            return Step(
                1,
                "Skicka kallelserna, så att deltagarna får mötet i sin kalender och kan svara.",
                show + "#kallelser" if can_manage else None,
                "Till kallelserna",
            )
        pending = pending_participants(dialogue)
        if pending:
            return Step(
                1,
                f"{count(len(pending), 'deltagare', 'deltagare')} har inte fått den senaste "
                "kallelsen. Skicka den.",
                show + "#kallelser" if can_manage else None,
                "Till kallelserna",
            )
        panel = dialogue_panel(dialogue)
        if not panel.complete and day >= today_local():
            missing = ", ".join(s.label.lower() for s in panel.unconfirmed)
            return Step(
                2,
                f"Representationen är inte bekräftad: {missing}. Påminn, bjud in en ersättare "
                "eller ändra deltagarna.",
                show + "#representation",
                "Till deltagarna",
            )
        if day > today_local():
            return Step(
                3,
                f"Håll dialogen {format_date(dialogue.starts_at)}. Efter mötet: registrera "
                "närvaron och markera dialogen som genomförd.",
                record if can_manage else None,
                "Till dokumentationen",
            )
        return Step(
            3,
            f"Dialogen skulle hållas {format_date(dialogue.starts_at)}. Registrera närvaron och "
            "markera den som genomförd.",
            record + "#narvaro" if can_manage else None,
            "Registrera närvaron",
        )
    if dialogue.status is DialogueStatus.HELD:
        if not can_manage:
            return Step(
                4,
                "Enhetschefen dokumenterar dialogen och låser den; då får alla deltagare "
                "protokollet med e-post.",
                record,
                "Visa dokumentationen",
            )
        return Step(
            4,
            "Dokumentera iakttagelser, åtgärder och protokollets uppgifter, och lås sedan "
            "dokumentationen: då skickas protokollet till alla deltagare.",
            record,
            "Dokumentera dialogen",
        )
    counts = action_counts(dialogue)
    if counts.open:
        late = f", varav {counts.overdue} försenade" if counts.overdue else ""
        return Step(
            5,
            f"Följ upp åtgärderna under året: {count(counts.open, 'öppen', 'öppna')} "
            f"{'åtgärd' if counts.open == 1 else 'åtgärder'}{late}. Varje part uppdaterar sina.",
            record + "#atgarder",
            "Till åtgärderna",
        )
    return Step(
        5,
        f"Alla åtgärder är avslutade. Nästa steg är {dialogue.year + 1} års dialog.",
        url_for("planning.year_view", ar=dialogue.year + 1),
        f"Årsöversikt {dialogue.year + 1}",
    )
