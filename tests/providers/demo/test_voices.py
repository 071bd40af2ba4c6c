"""What the simulated models write reads as English: a verb agrees with who it is about."""

from __future__ import annotations

import random

import pytest

from roundtable.providers.demo.reading import PeerAnswer, PromptReading
from roundtable.providers.demo.replies import Decision
from roundtable.providers.demo.voices import discuss_opinion

MODELS = ("demo/ada", "demo/basil", "demo/cyra", "demo/dex")


def _holding(peers: tuple[PeerAnswer, ...], model: str) -> str:
    reading = PromptReading(
        question="Which database suits a small team: PostgreSQL or MongoDB?",
        round=1,
        own_answer="PostgreSQL",
        own_confidence=0.8,
        peers=peers,
    )
    parts = discuss_opinion(model, reading, Decision("PostgreSQL", "hold"), random.Random(1))
    return " ".join(parts)


@pytest.mark.parametrize("model", MODELS)
def test_one_seat_that_differs_is_spoken_of_in_the_singular(model: str):
    text = _holding(
        (PeerAnswer("Basil", "MongoDB", 0.7), PeerAnswer("Cyra", "PostgreSQL", 0.9)), model
    )
    assert "Basil have" not in text
    assert "Basil see " not in text
    if model == "demo/dex":
        assert "Basil has a point" in text
    if model == "demo/ada":
        assert "Basil sees it differently" in text


@pytest.mark.parametrize("model", MODELS)
def test_two_seats_that_differ_are_spoken_of_in_the_plural(model: str):
    text = _holding((PeerAnswer("Basil", "MongoDB", 0.7), PeerAnswer("Cyra", "SQLite", 0.6)), model)
    assert "Basil and Cyra has" not in text
    assert "Basil and Cyra sees" not in text
    if model == "demo/dex":
        assert "Basil and Cyra have a point" in text
