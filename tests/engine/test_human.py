"""A person at the table: asked through HumanInput, parsed like a model, able to pass,
to leave, and to be waited for without holding up the other seats or a Stop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from roundtable.domain import (
    ConfigError,
    DebateCancelled,
    DebateFinished,
    DebateSpec,
    Event,
    RoundFinished,
    Seat,
    TurnFailed,
    TurnFinished,
)
from roundtable.engine import run_debate, validate_spec
from roundtable.engine.human import (
    PASS_TEXT,
    HumanReply,
    HumanTurnRequest,
    PersonLeft,
    reply_text,
)
from tests.engine.scripted import ScriptedGateway, answer_text, reply

SEATS = (
    Seat("you", "You", "human"),
    Seat("ada", "Ada", "demo/ada"),
    Seat("bob", "Bob", "demo/bob"),
)
SPEC = DebateSpec(question="What is 6 × 7?", seats=SEATS, max_rounds=2, seed=1)


class ScriptedPerson:
    """A person who answers from a list of replies (a callable may wait first)."""

    def __init__(self, *replies: HumanReply | Callable[[], object]) -> None:
        self.replies = list(replies)
        self.requests: list[HumanTurnRequest] = []
        self.cancelled = False

    async def ask(self, request: HumanTurnRequest) -> HumanReply:
        self.requests.append(request)
        step = self.replies.pop(0)
        try:
            while callable(step):
                outcome = step()
                step = await outcome if asyncio.iscoroutine(outcome) else outcome
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        if isinstance(step, BaseException):
            raise step
        assert isinstance(step, HumanReply)
        return step


def models_answer(gateway: ScriptedGateway, *rounds: tuple[str, str]) -> None:
    for ada, bob in rounds:
        gateway.enqueue("ada", reply(answer_text(ada, 0.9, "Ada reasons.")))
        gateway.enqueue("bob", reply(answer_text(bob, 0.7, "Bob reasons.")))


def human_turns(events: list[Event]) -> list[TurnFinished]:
    return [e for e in events if isinstance(e, TurnFinished) and e.seat_id == "you"]


def test_a_person_needs_no_model_id_or_key() -> None:
    validate_spec(SPEC)  # "human" is a valid model for a seat
    assert SEATS[0].is_human
    assert not SEATS[1].is_human


async def test_a_persons_turn_is_parsed_like_a_models_and_costs_nothing() -> None:
    gateway = ScriptedGateway()
    models_answer(gateway, ("42", "41"), ("42", "42"))
    person = ScriptedPerson(
        HumanReply(text="Six sevens are forty-two.", answer="42", confidence=0.8),
        HumanReply(text="Still 42.\nFinal answer: 42\nConfidence: 95%"),
    )
    events: list[Event] = []
    final = await run_debate(SPEC, gateway, events.append, human=person)

    first, second = human_turns(events)
    assert first.text == "Six sevens are forty-two.\nFinal answer: 42\nConfidence: 0.8"
    assert first.answer is not None
    assert (first.answer.display, first.answer.confidence) == ("42", 0.8)
    assert (second.answer.display, second.answer.confidence) == ("42", 0.95)  # type: ignore[union-attr]
    assert first.usage.total_tokens == 0
    assert first.usage.cost_usd == 0.0
    assert gateway.calls_of("you") == 0  # no provider is ever called for a person
    assert isinstance(final, DebateFinished)
    assert final.final_answer == "42"


async def test_the_person_sees_the_question_then_the_others_answers() -> None:
    gateway = ScriptedGateway()
    models_answer(gateway, ("42", "41"), ("42", "42"))
    person = ScriptedPerson(HumanReply(answer="42"), HumanReply(answer="42"))
    await run_debate(SPEC, gateway, lambda e: None, human=person)

    first, second = person.requests
    assert (first.round, first.seat.id, first.question) == (0, "you", "What is 6 × 7?")
    assert "What is 6 × 7?" in first.prompt
    assert "### Ada (answer: 42, confidence: 0.90)" in second.prompt
    assert "Bob reasons." in second.prompt
    # And the models read the person's answer like any seat's.
    assert "### You (answer: 42" in gateway.messages_for("ada", 1)[-1].content


async def test_the_other_seats_stream_while_the_person_thinks() -> None:
    gateway = ScriptedGateway()
    models_answer(gateway, ("42", "42"))
    events: list[Event] = []
    both_models_done = asyncio.Event()

    def sink(event: Event) -> None:
        events.append(event)
        if sum(isinstance(e, TurnFinished) and e.seat_id != "you" for e in events) == 2:
            both_models_done.set()

    # The person answers only once both models have finished their turn of the round:
    # if the round waited for the person first, this would never finish.
    person = ScriptedPerson(_after(both_models_done, HumanReply(answer="42")))
    final = await asyncio.wait_for(run_debate(SPEC, gateway, sink, human=person), timeout=5)
    order = [e.seat_id for e in events if isinstance(e, TurnFinished)]
    assert order[-1] == "you"
    assert isinstance(final, DebateFinished)


def _after(event: asyncio.Event, answer: HumanReply) -> Callable[[], object]:
    async def wait() -> HumanReply:
        await event.wait()
        return answer

    return wait


async def test_a_pass_is_no_vote_and_the_table_can_agree_without_it() -> None:
    gateway = ScriptedGateway()
    models_answer(gateway, ("42", "42"))
    person = ScriptedPerson(HumanReply(passed=True))
    events: list[Event] = []
    final = await run_debate(SPEC, gateway, events.append, human=person)

    (passed,) = human_turns(events)
    assert passed.passed
    assert passed.text == PASS_TEXT
    assert passed.answer is None
    round_end = next(e for e in events if isinstance(e, RoundFinished))
    assert round_end.agreement == 1.0  # two voters, both 42: the pass did not count
    assert isinstance(final, DebateFinished)
    assert final.consensus


@pytest.mark.parametrize("given", [HumanReply(), HumanReply(text="  Pass. ")])
async def test_an_empty_turn_or_the_word_pass_counts_as_a_pass(given: HumanReply) -> None:
    gateway = ScriptedGateway()
    models_answer(gateway, ("42", "42"))
    events: list[Event] = []
    await run_debate(SPEC, gateway, events.append, human=ScriptedPerson(given))
    assert human_turns(events)[0].passed


async def test_a_person_who_leaves_drops_out_and_the_others_go_on() -> None:
    gateway = ScriptedGateway()
    models_answer(gateway, ("42", "41"), ("42", "42"))
    person = ScriptedPerson(PersonLeft("The input ended: You left the table.", seat="You"))
    events: list[Event] = []
    final = await run_debate(SPEC, gateway, events.append, human=person)

    failed = [e for e in events if isinstance(e, TurnFailed)]
    assert [(e.seat_id, e.error_kind) for e in failed] == [("you", "person_left")]
    assert len(person.requests) == 1  # not asked again in round 2
    assert isinstance(final, DebateFinished)


async def test_stopping_the_debate_while_the_person_types_cancels_the_wait() -> None:
    gateway = ScriptedGateway()
    models_answer(gateway, ("42", "41"))
    never, asked = asyncio.Event(), asyncio.Event()

    async def wait_forever() -> HumanReply:
        asked.set()
        await never.wait()
        return HumanReply(answer="42")

    person = ScriptedPerson(wait_forever)
    events: list[Event] = []
    task = asyncio.create_task(run_debate(SPEC, gateway, events.append, human=person))
    await asyncio.wait_for(asked.wait(), timeout=2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=2)
    assert person.cancelled
    assert isinstance(events[-1], DebateCancelled)
    assert human_turns(events) == []


async def test_a_persons_seat_without_anyone_to_ask_is_refused_before_anything_starts() -> None:
    events: list[Event] = []
    with pytest.raises(ConfigError, match="person's seat"):
        await run_debate(SPEC, ScriptedGateway(), events.append)
    assert events == []


@pytest.mark.parametrize(
    ("given", "text"),
    [
        (
            HumanReply(text="Because.", answer="42", confidence=0.7),
            "Because.\nFinal answer: 42\nConfidence: 0.7",
        ),
        (HumanReply(answer="  Paris  "), "Final answer: Paris"),
        (HumanReply(text="Final answer: B", confidence=1.5), "Final answer: B\nConfidence: 1"),
        (HumanReply(text="Just thinking aloud."), "Just thinking aloud."),
    ],
)
def test_reply_text_adds_the_answer_lines_a_model_would_end_with(
    given: HumanReply, text: str
) -> None:
    assert reply_text(given) == text
