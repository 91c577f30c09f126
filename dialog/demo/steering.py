"""Demo data of the steering loop (issue 16): local agreements and basis data, all made up."""

from __future__ import annotations

import random
from datetime import date

from ..extensions import db
from ..models import (
    Assignment,
    AssignmentReport,
    AssignmentStatus,
    BasisFigure,
    LocalAgreement,
    Measure,
)
from ..timeutil import now_utc

SHARES = {Measure.SENIOR_ALERT: (70, 98), Measure.HYGIENE: (65, 97)}
COUNTS = {
    Measure.FALLS: (4, 30),
    Measure.MEDICATION: (2, 15),
    Measure.PRESSURE_ULCERS: (0, 5),
    Measure.CARE_TREATMENT: (0, 8),
    Measure.INFORMATION: (1, 10),
    Measure.OTHER: (0, 4),
    Measure.MEDICATION_REVIEWS: (10, 40),
}


def load_steering_demo(homes, today: date, rng: random.Random) -> None:
    """An agreement with the participation clause for every municipality and health centre pair
    in use — except one pair, whose homes show as lacking one — and two years of basis data."""
    pairs = sorted(
        {(h.municipality, h.health_centre) for h in homes if h.health_centre},
        key=lambda p: (p[0].name, p[1].name),
    )
    for i, (municipality, centre) in enumerate(pairs):
        if i == 3:
            continue  # this pair has no agreement: the year view and dashboards show it
        db.session.add(
            LocalAgreement(
                municipality=municipality,
                health_centre=centre,
                valid_from=date(today.year - 2, 1, 1),
                valid_to=date(today.year + 1, 12, 31),
                participation_duty=i != 5,  # one agreement lacks the clause
                document_name=f"Lokal överenskommelse om läkarmedverkan {today.year - 2}",
                document_ref=f"https://samverkan.example.org/avtal/{municipality.id}-{centre.id}.pdf",
            )
        )
    for home in homes:
        for year in (today.year - 1, today.year):
            for measure, (low, high) in (COUNTS | SHARES).items():
                value = rng.randint(low, high)
                db.session.add(
                    BasisFigure(care_home=home, year=year, measure=measure, value=float(value))
                )
    # Two assignments from last autumn's compilation: one reported on, one overdue.
    region = homes[0].municipality.region
    owner = next(h.municipality for h in homes if h.municipality.name == "Eskilstuna")
    reported = Assignment(
        region=region,
        title="Ta fram en gemensam rutin för läkemedelsgenomgångar på särskilda boenden",
        assignee="MAS-nätverket och primärvårdens ledning",
        owner_municipality=owner,
        source_year=today.year - 1,
        source_half=2,
        due_date=date(today.year + 1, 6, 30),
        status=AssignmentStatus.IN_PROGRESS,
    )
    reported.reports.append(
        AssignmentReport(
            status=AssignmentStatus.IN_PROGRESS,
            text="En arbetsgrupp med båda parter har tagit fram ett utkast som remitteras.",
            reported_at=now_utc(),
        )
    )
    overdue = Assignment(
        region=region,
        title="Förtydliga kontaktvägarna till vårdcentralerna under helger",
        assignee="Ledningsgruppen för nära vård",
        source_year=today.year - 1,
        source_half=2,
        due_date=date(today.year - 1, 12, 1),
        status=AssignmentStatus.NOT_STARTED,
    )
    db.session.add_all([reported, overdue])
    db.session.flush()
