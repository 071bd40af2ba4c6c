"""A person at the table: the engine asks them for a turn and waits for their reply.

A seat whose model is `"human"` (`Seat.is_human`) is not sent to a gateway. When its
turn comes the runner builds a `HumanTurnRequest` and awaits `HumanInput.ask`, which
the front end implements: the CLI reads the terminal (`roundtable.cli.human`), the
engine process asks the GUI (`roundtable.enginehost`). The wait has no time limit,
and cancelling the debate cancels it like any model call. The other seats of the
round stream meanwhile: the person's turn is one more task of the round.

The reply is turned into a turn's text in one place (`reply_text`), with the same
`Final answer:` and `Confidence:` lines a model ends with, so it is parsed, counted,
stored and shown exactly like a model's turn. A pass becomes a `TurnFinished` with
`passed=True` that the vote does not count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from roundtable.domain import ChatMessage, ProviderError, Seat

#: The text stored for a turn the person passed.
PASS_TEXT = "(passed this round)"


class PersonLeft(ProviderError):
    """The person can no longer answer (their input closed); their seat leaves the table
    like a model that failed, and the others go on."""

    kind = "person_left"


@dataclass(frozen=True, slots=True)
class HumanTurnRequest:
    """What a person needs to take their turn.

    `prompt` is the protocol's last message to this seat: in round 0 the question, in
    later rounds the others' answers and reasoning as the protocol shows them (so an
    anonymised review stays anonymised). `messages` is the whole conversation.
    """

    debate_id: str
    round: int
    seat: Seat
    question: str
    prompt: str
    messages: tuple[ChatMessage, ...]


@dataclass(frozen=True, slots=True)
class HumanReply:
    """A person's turn: their text, and optionally the answer and confidence asked for
    separately (else they are read from the text, as for a model)."""

    text: str = ""
    answer: str | None = None
    confidence: float | None = None
    passed: bool = False


class HumanInput(Protocol):
    """Where the engine gets a person's turn: the CLI's terminal, the GUI's input box."""

    async def ask(self, request: HumanTurnRequest) -> HumanReply:
        """Wait for the person's reply to `request`, as long as it takes.

        Cancellation (the debate was stopped) must propagate. Raise `PersonLeft` when
        no reply can come any more.
        """
        ...


def is_pass(text: str) -> bool:
    """The person typed "pass" (any case, trailing punctuation ignored) and nothing else."""
    return text.strip().rstrip(".!").strip().casefold() == "pass"


def reply_text(reply: HumanReply) -> str:
    """The turn's text: what they wrote, then the answer lines a model would end with.

    The answer and the confidence asked for separately are appended only when given,
    so a person who typed `Final answer: 42` in their text is read from it as is (the
    parser takes the last confidence line, so one given separately wins).
    """
    lines = [reply.text.strip()] if reply.text.strip() else []
    answer = " ".join((reply.answer or "").split())
    if answer:
        lines.append(f"Final answer: {answer}")
    if reply.confidence is not None and math.isfinite(reply.confidence):
        lines.append(f"Confidence: {min(1.0, max(0.0, reply.confidence)):g}")
    return "\n".join(lines)


def request_for(
    debate_id: str, round_number: int, seat: Seat, question: str, messages: list[ChatMessage]
) -> HumanTurnRequest:
    """The request for `seat`'s turn in `round_number`, from the protocol's messages."""
    prompt = next((m.content for m in reversed(messages) if m.role == "user"), question)
    return HumanTurnRequest(
        debate_id=debate_id,
        round=round_number,
        seat=seat,
        question=question,
        prompt=prompt,
        messages=tuple(messages),
    )
