"""One FSRS card per question, stored as a plain dict keyed by the question's stable id."""

from __future__ import annotations

import hashlib
from datetime import datetime

from fsrs import Card, State


def card_id_for(question_id: str) -> int:
    """A stable positive integer for FSRS's card_id, derived from the question id."""
    digest = hashlib.blake2b(question_id.encode("utf-8"), digest_size=6).digest()
    return int.from_bytes(digest, "big")


def new_card(question_id: str, now: datetime) -> Card:
    return Card(card_id=card_id_for(question_id), due=now)


def card_from_record(record: dict) -> Card:
    return Card.from_dict(record)


def card_record(card: Card, reps: int, lapses: int) -> dict:
    record = dict(card.to_dict())
    record["reps"] = reps
    record["lapses"] = lapses
    return record


def is_review_state(record: dict) -> bool:
    return record.get("state") == State.Review.value
