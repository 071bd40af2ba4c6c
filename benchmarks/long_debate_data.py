"""A long stored debate, honestly shaped, for the long-debate benchmark and screenshots.

`write_long_debate(db)` records a debate of several seats over many rounds through the
real `Recorder` (the same rows and event log a live debate leaves): each turn hundreds
of words of Markdown (paragraphs, a list now and then, emphasis, inline code, a link, a
heading), drawn from a few thousand made-up words so no two turns read alike, ending
in the answer line a parser reads. 1,000 turns come to about 2 MB of text.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from synthetic_debates import COMMON, made_up_words

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
from roundtable.storage.db import Database
from roundtable.storage.projection import apply_event

_NAMES = ("Ada", "Grace", "Linus", "Barbara", "Edsger", "Margaret", "Alan", "Katherine")
_MODELS = (
    "openai/gpt-4o",
    "anthropic/claude-sonnet-4-5",
    "gemini/gemini-2.0-flash",
    "mistral/mistral-large-latest",
    "groq/llama-3.3-70b-versatile",
    "openrouter/qwen/qwen-2.5-72b-instruct",
    "ollama/llama3.1",
    "openai/gpt-4o-mini",
)
_ANSWERS = ("42", "41", "43", "40")


def _sentence(rng: random.Random, vocabulary: list[str]) -> str:
    words = [
        rng.choice(COMMON) if rng.random() < 0.4 else rng.choice(vocabulary)
        for _ in range(rng.randint(8, 22))
    ]
    if rng.random() < 0.15:
        i = rng.randrange(len(words))
        words[i] = f"**{words[i]}**"
    if rng.random() < 0.1:
        i = rng.randrange(len(words))
        words[i] = f"`{words[i]}()`"
    if rng.random() < 0.05:
        i = rng.randrange(len(words))
        words[i] = f"[{words[i]}](https://example.org/{words[i]})"
    return " ".join(words).capitalize() + rng.choice(".....?!")


def turn_text(rng: random.Random, vocabulary: list[str], answer: str, words: int) -> str:
    """One turn's Markdown: about `words` words, then the final answer and a confidence."""
    blocks: list[str] = []
    written = 0
    while written < words:
        roll = rng.random()
        if roll < 0.12:
            items = [_sentence(rng, vocabulary) for _ in range(rng.randint(2, 4))]
            blocks.append("\n".join(f"- {item}" for item in items))
        elif roll < 0.17:
            blocks.append(f"### {rng.choice(vocabulary).capitalize()}")
        else:
            blocks.append(" ".join(_sentence(rng, vocabulary) for _ in range(rng.randint(2, 5))))
        written += len(blocks[-1].split())
    confidence = rng.randint(55, 95) / 100
    blocks.append(f"Final answer: {answer}\nConfidence: {confidence:.2f}")
    return "\n\n".join(blocks)


def long_debate_events(
    *, turns: int = 1000, seats: int = 8, words: int = 250, seed: int = 7
) -> list[Event]:
    """The stored events of a debate of `turns` turns (`seats` a round), in order."""
    rng = random.Random(seed)
    vocabulary = made_up_words(rng, 4000)
    rounds = -(-turns // seats)
    spec = DebateSpec(
        question="What is the answer to life, the universe and everything? Argue it out.",
        seats=tuple(
            Seat(id=f"s{i}", name=_NAMES[i % len(_NAMES)], model=_MODELS[i % len(_MODELS)])
            for i in range(seats)
        ),
        max_rounds=rounds,
        title="A very long debate",
    )
    debate_id = uuid.uuid4().hex
    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    seq = 0
    events: list[Event] = []

    def add(make: type, **fields: object) -> None:
        nonlocal seq, at
        seq += 1
        at += timedelta(milliseconds=rng.randint(5, 900))
        events.append(make(debate_id=debate_id, seq=seq, at=at, **fields))

    add(DebateStarted, spec=spec)
    total = Usage()
    spoken = 0
    for rnd in range(rounds):
        speaking = spec.seats[: min(seats, turns - spoken)]
        add(RoundStarted, round=rnd, seat_ids=tuple(s.id for s in speaking))
        answers: dict[str, float] = {}
        for seat in speaking:
            add(TurnStarted, round=rnd, seat_id=seat.id)
        for seat in speaking:
            value = rng.choice(_ANSWERS[: max(1, 4 - rnd // 3)])
            text = turn_text(rng, vocabulary, value, rng.randint(words // 2, words * 3 // 2))
            confidence = rng.randint(55, 95) / 100
            out = len(text) // 4
            usage = Usage(
                prompt_tokens=rng.randint(400, 4000),
                completion_tokens=out,
                cost_usd=out * 1e-5,
                latency_s=out / 80,
                first_token_s=0.4,
            )
            total = total + usage
            answers[value] = answers.get(value, 0.0) + confidence
            answer = Answer(
                raw=f"Final answer: {value}",
                value=value,
                display=value,
                kind=AnswerKind.NUMBER,
                confidence=confidence,
            )
            add(TurnFinished, round=rnd, seat_id=seat.id, text=text, answer=answer, usage=usage)
        spoken += len(speaking)
        leader = max(answers, key=answers.__getitem__)
        share = sum(1 for s in speaking if answers) and answers[leader] / sum(answers.values())
        add(RoundFinished, round=rnd, tally=answers, agreement=share, leader=leader)
    add(
        DebateFinished,
        final_answer=leader,
        consensus=False,
        rule="confidence-weighted vote",
        tally=answers,
        usage=total,
        rounds=rounds,
    )
    return events


def write_long_debate(db: Database, **shape: int) -> str:
    """Record the long debate in `db` as the recorder does (its projection of each
    event), in one transaction rather than one per event; its id."""
    events = long_debate_events(**shape)
    with db.transaction("write the long debate", write=True) as session:
        for event in events:
            apply_event(session, event)
    return events[0].debate_id
