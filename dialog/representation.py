"""Full representation: which required seats of each side are filled, and by whom.

Shared by the invitations feature (who is invited and has answered yes) and the follow-up
(who actually attended). A seat is one required role, or a choice of roles (arbetsterapeut or
fysioterapeut); a participant fills at most one seat.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .models import ContactRole, Participant, Side


@dataclass
class Seat:
    roles: tuple[ContactRole, ...]
    filled_by: list[Participant] = field(default_factory=list)

    @property
    def label(self) -> str:
        text = " eller ".join(
            r.label.lower() if r.label[1:].islower() else r.label for r in self.roles
        )
        return text[:1].upper() + text[1:]  # not capitalize(): "SÄBO-läkare" keeps its capitals

    @property
    def filled(self) -> bool:
        return bool(self.filled_by)


@dataclass
class SideStatus:
    side: Side
    seats: list[Seat]

    @property
    def complete(self) -> bool:
        return all(seat.filled for seat in self.seats)

    @property
    def missing(self) -> list[Seat]:
        return [seat for seat in self.seats if not seat.filled]


def representation(
    participants: Iterable[Participant],
    required: dict[Side, list[tuple[ContactRole, ...]]],
    counts: Callable[[Participant], bool],
) -> dict[Side, SideStatus]:
    """Fill each side's seats with the participants for whom counts(p) is true."""
    result = {}
    pool = [p for p in participants if counts(p)]
    for side, seats in required.items():
        status = SideStatus(side=side, seats=[Seat(roles=tuple(roles)) for roles in seats])
        used: set[int] = set()
        # Seats with a single role first, so a choice seat does not take someone needed elsewhere.
        for seat in sorted(status.seats, key=lambda s: len(s.roles)):
            for p in pool:
                if p.side is side and p.role in seat.roles and id(p) not in used:
                    seat.filled_by.append(p)
                    used.add(id(p))
                    break
        result[side] = status
    return result


def is_full(status: dict[Side, SideStatus]) -> bool:
    return all(s.complete for s in status.values())
