"""The runner's event stream: order, stopping, failures, retries, cancellation, coalescing."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from roundtable.domain import (
    AuthFailed,
    ConfigError,
    ConsensusReached,
    ConsensusRule,
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateSpec,
    DebateStarted,
    ProviderTimeout,
    RateLimited,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnRetrying,
    WillRetry,
    event_from_json,
    event_to_json,
)
from roundtable.engine import run_debate
from tests.engine.scripted import (
    CUT,
    DEFAULT_USAGE,
    Pause,
    ScriptedGateway,
    answer_text,
    reply,
)
from tests.helpers.clock import run_in_virtual_time
from tests.helpers.sinks import RecordingSink

SEATS = (
    Seat("ada", "Ada", "demo/ada"),
    Seat("bob", "Bob", "demo/bob"),
    Seat("cy", "Cy", "demo/cy"),
)


def make_spec(**changes: object) -> DebateSpec:
    fields: dict[str, object] = {"question": "What is 6 × 7?", "seats": SEATS, "seed": 7}
    fields.update(changes)
    return DebateSpec(**fields)  # type: ignore[arg-type]


async def run(spec: DebateSpec, gateway: ScriptedGateway, **kwargs: object) -> RecordingSink:
    recorder = RecordingSink(clock=asyncio.get_running_loop().time)
    terminal = await run_debate(spec, gateway, recorder, **kwargs)  # type: ignore[arg-type]
    assert terminal is recorder.events[-1]
    return recorder


def script_rounds(gateway: ScriptedGateway, *rounds: dict[str, tuple[str, float]]) -> None:
    for answers in rounds:
        for seat_id, (answer, confidence) in answers.items():
            gateway.enqueue(seat_id, reply(answer_text(answer, confidence, f"{seat_id} reasons.")))


# ------------------------------------------------------------------ the happy paths
async def test_table_that_agrees_in_round_1_stops_there_with_a_well_ordered_stream() -> None:
    gateway = ScriptedGateway()
    script_rounds(
        gateway,
        {"ada": ("42", 0.9), "bob": ("41", 0.6), "cy": ("42", 0.8)},
        {"ada": ("42", 0.9), "bob": ("42", 0.8), "cy": ("42", 0.95)},
    )
    rec = await run(make_spec(max_rounds=3), gateway, debate_id="d1")

    assert [e.seq for e in rec.events] == list(range(len(rec.events)))
    assert {e.debate_id for e in rec.events} == {"d1"}
    turn_round = ["TurnStarted"] * 3 + ["TurnFinished"] * 3
    assert rec.kinds() == [
        "DebateStarted",
        *("RoundStarted", *turn_round, "RoundFinished"),
        *("RoundStarted", *turn_round, "RoundFinished"),
        "ConsensusReached",
        "DebateFinished",
    ]
    first_round = rec.of(RoundFinished, round=0)[0]
    assert first_round.leader == "42"
    assert first_round.agreement == pytest.approx(2 / 3)
    assert rec.of(ConsensusReached)[0].round == 1
    finished = rec.events[-1]
    assert isinstance(finished, DebateFinished)
    assert (finished.final_answer, finished.consensus, finished.rounds) == ("42", True, 2)
    assert "all 3 seats answered 42 in round 2" in finished.rule
    # Round 2 never ran: nobody was called a third time.
    assert len(gateway.calls) == 6
    assert {call.seed for call in gateway.calls} == {7}
    assert finished.usage.prompt_tokens == 6 * DEFAULT_USAGE.prompt_tokens
    assert finished.usage.cost_usd == pytest.approx(6 * 0.001)
    # Every turn's deltas add up to its final text.
    for turn in rec.of(TurnFinished):
        assert rec.streamed(turn.seat_id, turn.round) == turn.text
        assert turn.answer is not None
    # The stream crosses to the GUI process as JSON lines: every event survives the trip.
    assert [event_from_json(event_to_json(e)) for e in rec.events] == rec.events


async def test_without_consensus_all_rounds_run_and_the_weighted_vote_decides() -> None:
    gateway = ScriptedGateway()
    answers = {"ada": ("42", 1.0), "bob": ("41", 0.6), "cy": ("41", 0.7)}
    script_rounds(gateway, answers, answers, answers)
    rec = await run(make_spec(max_rounds=3), gateway)

    assert [e.round for e in rec.of(RoundStarted)] == [0, 1, 2]
    assert not rec.of(ConsensusReached)
    finished = rec.events[-1]
    assert isinstance(finished, DebateFinished)
    assert finished.consensus is False
    assert finished.rounds == 3
    # One sure seat (1.0 -> weight 1.0) beats two unsure ones (0.1 + 0.3).
    assert finished.final_answer == "42"
    assert finished.tally == {"42": 1.0, "41": pytest.approx(0.4)}
    assert "Confidence-weighted vote of round 3" in finished.rule


async def test_each_seat_sees_the_others_latest_answers_and_its_own_turn() -> None:
    gateway = ScriptedGateway()
    script_rounds(
        gateway,
        {"ada": ("42", 0.9), "bob": ("41", 0.6), "cy": ("42", 0.8)},
        {"ada": ("42", 0.9), "bob": ("42", 0.8), "cy": ("42", 0.95)},
    )
    await run(make_spec(), gateway)

    first = gateway.messages_for("bob", 0)
    assert [m.role for m in first] == ["system", "user"]
    assert "What is 6 × 7?" in first[1].content
    assert "###" not in first[1].content  # nobody else's answer before round 1

    later = gateway.messages_for("bob", 1)
    assert [m.role for m in later] == ["system", "user", "assistant", "user"]
    assert later[2].content == answer_text("41", 0.6, "bob reasons.")
    discuss = later[3].content
    assert "### Ada (answer: 42, confidence: 0.90)\nada reasons." in discuss
    assert "### Cy (answer: 42, confidence: 0.80)\ncy reasons." in discuss
    assert "### Bob" not in discuss
    assert "Your previous answer was 41 with confidence 0.60" in discuss


def test_seats_of_a_round_speak_at_the_same_time() -> None:
    gateway = ScriptedGateway()
    for seat in SEATS:
        gateway.enqueue(seat.id, [Pause(0.3), answer_text("42", 0.9)])

    async def debate() -> RecordingSink:
        return await run(make_spec(), gateway)

    rec = run_in_virtual_time(debate)
    # Three 0.3 s turns side by side, not 0.9 s in a row (on the loop's virtual clock).
    assert [rec.time_of(turn) for turn in rec.of(TurnFinished)] == [pytest.approx(0.3)] * 3
    assert rec.times[-1] < 0.6
    assert isinstance(rec.events[-1], DebateFinished)


async def test_debate_id_defaults_to_a_fresh_uuid() -> None:
    gateway = ScriptedGateway()
    script_rounds(gateway, {s.id: ("7", 0.9) for s in SEATS})
    rec = await run(make_spec(), gateway)
    debate_id = rec.events[0].debate_id
    assert len(debate_id) == 32
    int(debate_id, 16)
    assert isinstance(rec.events[0], DebateStarted)
    assert rec.events[0].spec == make_spec()


# ------------------------------------------------------------------ failures and retries
async def test_a_failing_seat_leaves_and_the_others_carry_on() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("cy", ["Let me ", "think", AuthFailed("Cy: the API key was refused.")])
    script_rounds(
        gateway,
        {"ada": ("42", 0.9), "bob": ("41", 0.6)},
        {"ada": ("42", 0.9), "bob": ("42", 0.9)},
    )
    rec = await run(make_spec(), gateway)

    failed = rec.of(TurnFailed)
    assert len(failed) == 1
    assert (failed[0].seat_id, failed[0].round, failed[0].error_kind) == ("cy", 0, "auth")
    assert failed[0].message == "Cy: the API key was refused."
    assert failed[0].partial_text == "Let me think"
    assert rec.streamed("cy") == "Let me think"  # shown before it failed
    # Cy's empty seat neither votes nor speaks again.
    assert rec.of(RoundFinished, round=0)[0].agreement == pytest.approx(1 / 2)
    assert rec.of(RoundStarted, round=1)[0].seat_ids == ("ada", "bob")
    assert gateway.calls_of("cy") == 1
    assert "### Cy" not in gateway.messages_for("ada", 1)[-1].content
    finished = rec.events[-1]
    assert isinstance(finished, DebateFinished)
    assert (finished.final_answer, finished.consensus) == ("42", True)


async def test_two_of_three_failing_ends_the_debate_saying_who_and_why() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9)))
    gateway.enqueue("bob", [RateLimited("Bob: rate limited by openai; wait a minute.")])
    gateway.enqueue("cy", [Pause(0.05), ProviderTimeout("Cy: no reply within 60 s.")])
    rec = await run(make_spec(), gateway)

    failed = rec.events[-1]
    assert isinstance(failed, DebateFailed)
    assert failed.error_kind == "not_enough_seats"
    assert failed.message.startswith("Only one seat is left standing (Ada)")
    assert "Bob in round 1 (rate_limit): Bob: rate limited by openai" in failed.message
    assert "Cy in round 1 (timeout): Cy: no reply within 60 s." in failed.message
    assert rec.kinds()[-2:] == ["RoundFinished", "DebateFailed"]
    assert not rec.of(RoundStarted, round=1)


async def test_a_retry_voids_the_text_of_the_failed_attempt() -> None:
    gateway = ScriptedGateway()
    final = answer_text("42", 0.9, "Six sevens.")
    gateway.enqueue(
        "ada",
        ["I think it is 4", WillRetry(1, 0.0, RateLimited("Ada: rate limited.")), *reply(final)],
    )
    gateway.enqueue("bob", reply(answer_text("42", 0.9)))
    gateway.enqueue("cy", reply(answer_text("42", 0.9)))
    rec = await run(make_spec(), gateway)

    retry = rec.of(TurnRetrying)
    assert len(retry) == 1
    assert (retry[0].seat_id, retry[0].attempt, retry[0].error_kind) == ("ada", 1, "rate_limit")
    assert retry[0].message == "Ada: rate limited."
    turn = rec.of(TurnFinished, seat_id="ada")[0]
    assert turn.text == final
    assert rec.streamed("ada") == final
    # The void text was on screen before the retry, and the retry came before the new text.
    kinds = [type(e).__name__ for e in rec.events if getattr(e, "seat_id", None) == "ada"]
    assert kinds.index("TurnRetrying") > kinds.index("TurnDelta")


async def test_a_stream_cut_without_completion_keeps_its_text_as_incomplete() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", ["Six sevens.\nFinal answer: 42", CUT])
    gateway.enqueue("bob", reply(answer_text("42", 0.9)))
    gateway.enqueue("cy", reply(answer_text("42", 0.9)))
    rec = await run(make_spec(), gateway)

    turn = rec.of(TurnFinished, seat_id="ada")[0]
    assert turn.incomplete is True
    assert turn.answer is not None
    assert turn.answer.value == "42"
    finished = rec.events[-1]
    assert isinstance(finished, DebateFinished)
    assert finished.usage.cost_usd is None  # one turn's cost is unknown, so the sum is too


def test_a_bug_in_the_engine_path_is_reported_as_internal_and_reraised() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", [ValueError("boom")])
    gateway.enqueue("bob", [Pause(5), answer_text("42", 0.9)])
    gateway.enqueue("cy", [Pause(5), answer_text("42", 0.9)])
    recorder = RecordingSink(clock=lambda: asyncio.get_running_loop().time())

    async def debate() -> None:
        with pytest.raises(ValueError, match="boom"):
            await run_debate(make_spec(), gateway, recorder)

    run_in_virtual_time(debate)
    # The other seats were cancelled at once, not awaited for their 5 s.
    assert recorder.times[-1] == 0
    failed = recorder.events[-1]
    assert isinstance(failed, DebateFailed)
    assert failed.error_kind == "internal"
    assert "boom" in failed.message
    assert sorted(gateway.cancelled) == ["bob", "cy"]


async def test_an_invalid_spec_is_refused_before_any_event() -> None:
    recorder = RecordingSink()
    with pytest.raises(ConfigError):
        await run_debate(make_spec(seats=SEATS[:1]), ScriptedGateway(), recorder)
    assert recorder.events == []


# ------------------------------------------------------------------ cancellation
def test_cancelling_stops_every_stream_promptly_and_flushes_pending_text() -> None:
    gateway = ScriptedGateway()
    for seat in SEATS:
        gateway.enqueue(seat.id, [f"{seat.name} starts", Pause(0.05), " more", Pause(30), "never"])
    recorder = RecordingSink(clock=lambda: asyncio.get_running_loop().time())

    async def cancel_mid_stream() -> float:
        # A long coalescing interval keeps " more" pending when the cancel arrives.
        task = asyncio.create_task(run_debate(make_spec(), gateway, recorder, coalesce_s=10))
        await asyncio.sleep(0.25)
        assert recorder.streamed("ada") == "Ada starts"
        cancelled_at = asyncio.get_running_loop().time()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return cancelled_at

    cancelled_at = run_in_virtual_time(cancel_mid_stream)
    last = recorder.events[-1]
    assert isinstance(last, DebateCancelled)
    assert recorder.times[-1] == cancelled_at  # at once: nobody's 30 s pause was awaited
    for seat in SEATS:
        assert recorder.streamed(seat.id) == f"{seat.name} starts more"
    assert sorted(gateway.cancelled) == ["ada", "bob", "cy"]
    assert sorted(gateway.closed) == ["ada", "bob", "cy"]
    assert not recorder.of(TurnFinished)
    assert [e.seq for e in recorder.events] == list(range(len(recorder.events)))


# ------------------------------------------------------------------ coalescing
def test_many_tiny_deltas_become_a_few_turn_deltas_with_the_same_text() -> None:
    gateway = ScriptedGateway()
    tokens: list[object] = []
    for i in range(120):
        tokens += [Pause(0.002), f"t{i} "]
    text = "".join(t for t in tokens if isinstance(t, str)) + "\nFinal answer: 42"
    gateway.enqueue("ada", [*tokens, "\nFinal answer: 42"])
    gateway.enqueue("bob", reply(answer_text("42", 0.9)))
    gateway.enqueue("cy", reply(answer_text("42", 0.9)))

    async def debate() -> RecordingSink:
        return await run(make_spec(max_rounds=1), gateway, coalesce_s=0.05)

    rec = run_in_virtual_time(debate)
    deltas = [
        i for i, e in enumerate(rec.events) if isinstance(e, TurnDelta) and e.seat_id == "ada"
    ]
    assert rec.streamed("ada") == text
    assert rec.of(TurnFinished, seat_id="ada")[0].text == text
    # 120 tokens 2 ms apart stream for 0.24 s: a delta at most every 50 ms, not 120.
    streaming_s = rec.times[deltas[-1]] - rec.times[deltas[0]]
    assert streaming_s == pytest.approx(0.24, abs=0.01)
    assert 2 <= len(deltas) <= streaming_s / 0.05 + 2
    gaps = [rec.times[b] - rec.times[a] for a, b in itertools.pairwise(deltas)]
    # Every delta but the flush at the end waited for the interval.
    assert all(gap >= 0.05 - 1e-9 for gap in gaps[:-1])


def test_text_before_a_pause_is_shown_without_waiting_for_more() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", ["Hello", " world", Pause(0.4), " again.\nFinal answer: 42"])
    gateway.enqueue("bob", reply(answer_text("42", 0.9)))
    gateway.enqueue("cy", reply(answer_text("42", 0.9)))

    async def debate() -> RecordingSink:
        return await run(make_spec(max_rounds=1), gateway, coalesce_s=0.04)

    rec = run_in_virtual_time(debate)  # the debate starts at 0 on the loop's clock
    shown = ""
    for event, at in zip(rec.events, rec.times, strict=True):
        if isinstance(event, TurnDelta) and event.seat_id == "ada":
            shown += event.text
            if shown == "Hello world":
                # One coalescing interval after it arrived, not when the 0.4 s pause ends.
                assert at <= 0.04 + 1e-9
                break
    else:
        pytest.fail("'Hello world' was never shown before the pause ended")


async def test_a_lower_threshold_stops_as_soon_as_enough_seats_agree() -> None:
    gateway = ScriptedGateway()
    script_rounds(gateway, {"ada": ("42", 0.9), "bob": ("41", 1.0), "cy": ("42", 0.8)})
    rec = await run(make_spec(consensus=ConsensusRule(threshold=0.6)), gateway)

    assert rec.of(ConsensusReached)[0].round == 0
    finished = rec.events[-1]
    assert isinstance(finished, DebateFinished)
    assert (finished.final_answer, finished.consensus, finished.rounds) == ("42", True, 1)
    assert "2 of 3 seats (threshold 60%) answered 42 in round 1" in finished.rule
    assert len(gateway.calls) == 3
