"""Honestly shaped synthetic debates for the storage benchmarks (not a test fixture).

Each debate seats 3-5 models for 2-4 rounds; every turn says 200-600 words with a
final-answer line. The words follow a Zipf law over a vocabulary of common English
words and ~30,000 made-up ones, so a common word ("the", "answer") is in every turn
and a rare one in a handful of debates, as in real transcripts. Text is drawn as
sentences from a large pool (fast: a 10,000-debate corpus in seconds) with a few
words of the debate's own topic sprinkled in.

`debate_events(n)` is the debate as the engine would have emitted it (every event
but TurnDelta); `archive(events)` is its JSON archive as `roundtable export` writes it.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

from roundtable.domain import (
    Answer,
    AnswerKind,
    DebateFinished,
    DebateSpec,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFinished,
    TurnStarted,
    Usage,
)
from roundtable.domain.events import event_to_dict
from roundtable.storage.archive import ARCHIVE_FORMAT, ARCHIVE_VERSION

_COMMON_TEXT = (
    "the of and to a in is that it for as with be on this by are or not an answer "
    "we model which from at so but if their because seat round evidence claim argue "
    "agree disagree confidence question reason likely however therefore first second "
    "critique revise view point data source estimate final number case more most"
)
COMMON = tuple(_COMMON_TEXT.split())
_SYLLABLE_TEXT = "ka lo mi ne ru ta vo sel dar pin gro fen lis tor mab quen zu hil wex por"
SYLLABLES = tuple(_SYLLABLE_TEXT.split())
#: Words drawn for the rare-word searches: made-up, ranked far down the Zipf law.
RARE_RANK = 25_000
VOCABULARY_SIZE = 30_000
SENTENCE_POOL = 40_000
MODELS = ("openai/gpt-4o", "anthropic/claude-sonnet-4-5", "gemini/gemini-2.5-pro", "ollama/qwen3")
START = datetime(2025, 1, 1, tzinfo=UTC)


def made_up_words(rng: random.Random, count: int) -> list[str]:
    """`count` distinct made-up words of 2-4 syllables, none of them a COMMON word."""
    seen: set[str] = set(COMMON)
    words: list[str] = []
    while len(words) < count:
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Corpus:
    """A seeded source of debates: the same seed gives the same debates."""

    def __init__(self, seed: int = 12) -> None:
        self._rng = random.Random(seed)
        self.vocabulary = list(COMMON) + made_up_words(self._rng, VOCABULARY_SIZE - len(COMMON))
        weights = [1 / (rank + 1) ** 1.05 for rank in range(len(self.vocabulary))]
        cumulative = list(accumulate(weights))
        sentences = []
        for _ in range(SENTENCE_POOL):
            words = self._rng.choices(
                self.vocabulary, cum_weights=cumulative, k=self._rng.randint(8, 24)
            )
            sentences.append(" ".join(words).capitalize() + ".")
        self._sentences = sentences

    def rare_word(self, offset: int = 0) -> str:
        return self.vocabulary[RARE_RANK + offset]

    def debate_events(
        self, number: int, *, rounds: int | None = None, seats: int | None = None
    ) -> list[Event]:
        rng = random.Random(number * 7919 + 1)
        debate_id = f"{number:08x}{rng.getrandbits(96):024x}"
        seat_count = seats or rng.randint(3, 5)
        round_count = rounds or rng.randint(2, 4)
        topic = [self.vocabulary[rng.randrange(200, VOCABULARY_SIZE)] for _ in range(3)]
        at = START + timedelta(minutes=17 * number)
        table = tuple(
            Seat(id=f"s{i}", name=f"Seat {i + 1}", model=MODELS[i % len(MODELS)])
            for i in range(seat_count)
        )
        question = f"What is the {topic[0]} of {topic[1]} given {topic[2]}? " + rng.choice(
            self._sentences
        )
        spec = DebateSpec(question=question, seats=table, max_rounds=round_count)
        events: list[Event] = [DebateStarted(debate_id=debate_id, seq=0, at=at, spec=spec)]

        def add(make: Any, **fields: Any) -> None:
            nonlocal at
            at += timedelta(seconds=3)
            events.append(make(debate_id=debate_id, seq=len(events), at=at, **fields))

        ids = tuple(seat.id for seat in table)
        total = 0
        for round_number in range(round_count):
            add(RoundStarted, round=round_number, seat_ids=ids)
            for seat_id in ids:
                add(TurnStarted, round=round_number, seat_id=seat_id)
                value = str(rng.randint(1, 4))
                text = self._turn_text(rng, topic) + f"\n\nFinal answer: {value} (confidence 0.8)"
                usage = Usage(
                    prompt_tokens=900,
                    completion_tokens=len(text) // 4,
                    cost_usd=0.002,
                    latency_s=4.2,
                    first_token_s=0.4,
                )
                total += usage.total_tokens
                answer = Answer(
                    raw=f"Final answer: {value}",
                    value=value,
                    display=value,
                    kind=AnswerKind.NUMBER,
                    confidence=0.8,
                )
                add(
                    TurnFinished,
                    round=round_number,
                    seat_id=seat_id,
                    text=text,
                    answer=answer,
                    usage=usage,
                )
            add(
                RoundFinished,
                round=round_number,
                tally={"2": 1.6, "3": 0.8},
                agreement=0.66,
                leader="2",
            )
        add(
            DebateFinished,
            final_answer="2",
            consensus=False,
            rule="confidence-weighted vote",
            tally={"2": 1.6, "3": 0.8},
            usage=Usage(prompt_tokens=total, cost_usd=0.002 * seat_count * round_count),
            rounds=round_count,
        )
        return events

    def _turn_text(self, rng: random.Random, topic: list[str]) -> str:
        words = rng.randint(200, 600)
        sentences: list[str] = []
        count = 0
        while count < words:
            sentence = rng.choice(self._sentences)
            if rng.random() < 0.15:
                sentence = f"{rng.choice(topic).capitalize()} matters here. {sentence}"
            sentences.append(sentence)
            count += sentence.count(" ") + 1
        paragraphs = [" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6)]
        return "\n\n".join(paragraphs)


def archive(events: list[Event]) -> dict[str, Any]:
    """The JSON archive of `events` (the readable `debate` part left out: importers ignore it)."""
    return {
        "format": ARCHIVE_FORMAT,
        "version": ARCHIVE_VERSION,
        "debate": {},
        "events": [event_to_dict(event) for event in events],
    }
