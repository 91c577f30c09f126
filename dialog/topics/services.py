"""Topics before the meeting: through the personal answer link, an invited participant sends in
structural topics (guarded), the organiser sees them on the dialogue page and the agenda lists
them under their area.

The answer link is read with invitations.read_token, which never uses a link up: a participant
who has answered may still send topics while the dialogue is planned and the link is valid.
"""

from __future__ import annotations

from collections import OrderedDict

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import audit
from ..catalogues import areas_for_region
from ..extensions import db
from ..invitations import read_token
from ..models import Area, Dialogue, Participant, Topic
from ..privacy import PatientDataError, ensure_no_patient_data

TEXT_MAX = 500
PER_PARTICIPANT = 10
OTHER = "Övrigt"


class TopicError(ValueError):
    """The topic is not acceptable; the Swedish message is shown to the writer only."""


def areas_of(dialogue: Dialogue) -> list[Area]:
    return areas_for_region(dialogue.care_home.municipality.region_id)


def participant_for(token: str) -> Participant:
    """The participant behind a personal link (AnswerLinkError when it cannot be used)."""
    participant, _nonce = read_token(token)
    return participant


def topics_of_participant(participant: Participant) -> list[Topic]:
    return list(
        db.session.scalars(
            sa.select(Topic)
            .where(Topic.participant_id == participant.id)
            .options(joinedload(Topic.area))
            .order_by(Topic.created_at, Topic.id)
        )
    )


def submit(token: str, area_id: int | None, text: str) -> Topic:
    """Store a topic sent through a personal link. TopicError or AnswerLinkError change nothing."""
    participant = participant_for(token)
    dialogue = participant.dialogue
    text = " ".join((text or "").split())
    if not text:
        raise TopicError("Skriv ämnet du vill ta upp.")
    if len(text) > TEXT_MAX:
        raise TopicError(f"Ämnet får vara högst {TEXT_MAX} tecken (nu {len(text)}). Korta texten.")
    try:
        ensure_no_patient_data(text, "Ämne")
    except PatientDataError as error:
        raise TopicError(error.field_message) from None
    area = None
    if area_id is not None:
        area = next((a for a in areas_of(dialogue) if a.id == area_id), None)
        if area is None:
            raise TopicError("Välj ett område ur listan, eller Övrigt.")
    sent = db.session.scalar(
        sa.select(sa.func.count(Topic.id)).where(Topic.participant_id == participant.id)
    )
    if sent >= PER_PARTICIPANT:
        raise TopicError(
            f"Du har redan skickat in {PER_PARTICIPANT} ämnen. Kontakta den som kallat till mötet "
            "om du vill lägga till fler."
        )
    topic = Topic(dialogue_id=dialogue.id, participant_id=participant.id, area=area, text=text)
    db.session.add(topic)
    db.session.flush()
    audit.record(
        "skickade in ämne inför dialogen",
        topic,
        where=dialogue,
        summary=f"{participant.role.label}: {area.name if area else OTHER}",
        changes={"area": [None, area.name if area else OTHER]},
    )
    return topic


def remove(topic: Topic, *, actor=None) -> None:
    dialogue = topic.dialogue
    area = topic.area.name if topic.area else OTHER
    db.session.delete(topic)
    db.session.flush()
    audit.record(
        "tog bort inskickat ämne",
        dialogue,
        where=dialogue,
        actor=actor,
        summary=f"Ämne inom {area}",
        changes={"topic_id": [topic.id, None]},
    )


def topics_of_dialogue(dialogue: Dialogue) -> list[Topic]:
    return list(
        db.session.scalars(
            sa.select(Topic)
            .where(Topic.dialogue_id == dialogue.id)
            .options(joinedload(Topic.area), joinedload(Topic.participant))
            .order_by(Topic.created_at, Topic.id)
        )
    )


def grouped(dialogue: Dialogue, topics: list[Topic] | None = None) -> list[dict]:
    """[{area, topics}] in the region's catalogue order, areas without topics left out, Övrigt
    (and areas since removed from the catalogue) last."""
    topics = topics if topics is not None else topics_of_dialogue(dialogue)
    groups: OrderedDict[str, list] = OrderedDict((a.name, []) for a in areas_of(dialogue))
    rest: OrderedDict[str, list] = OrderedDict()
    for topic in topics:
        name = topic.area.name if topic.area else OTHER
        (groups if name in groups else rest).setdefault(name, []).append(topic)
    if OTHER in rest:
        rest.move_to_end(OTHER)
    return [{"area": k, "topics": v} for k, v in list(groups.items()) + list(rest.items()) if v]


def document_context(dialogue: Dialogue) -> dict:
    """The agenda's variable: topics as plain text under their area (documents.kinds)."""
    return {
        "topics": [
            {"area": g["area"], "texts": [t.text for t in g["topics"]]} for g in grouped(dialogue)
        ]
    }


def sample_document_context() -> dict:
    return {
        "topics": [
            {
                "area": "Läkemedel",
                "texts": ["Hur når ändrade ordinationer kvällspersonalen på ett säkert sätt?"],
            },
            {
                "area": "Informationsöverföring",
                "texts": ["Kontaktvägar till vårdcentralen fredag eftermiddag."],
            },
        ]
    }
