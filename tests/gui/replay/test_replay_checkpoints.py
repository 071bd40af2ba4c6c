"""A replay's jumps restore a checkpoint of the folded state and apply the few events
after it: whatever the steps, back-steps and jumps, the view shows exactly what a fresh
fold of the log up to there shows, and a step back costs the same at any turn."""

from __future__ import annotations

import random
from typing import Any

import pytest

from roundtable.domain import (
    ConsensusReached,
    DebateCancelled,
    DebateSpec,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFailed,
    TurnFinished,
    TurnQueued,
    TurnRetrying,
    TurnSent,
    TurnStarted,
)
from roundtable.gui.debate.state import DebateState
from roundtable.gui.replay.checkpoints import CHECKPOINT_EVERY, Checkpoints
from roundtable.gui.replay.controller import ReplayController
from roundtable.gui.replay.timeline import Timeline
from tests.helpers.events import EventBuilder, answer, usage
from tests.helpers.sinks import RecordingSink

SEATS = tuple(Seat(id=f"s{i}", name=f"Seat {i}", model=f"demo/m{i}") for i in range(4))


def generated_debate(rounds: int, seed: int = 7) -> list[Event]:
    """`rounds` rounds of four seats with what a real log holds now and then: queued and
    sent turns, retries, a failed turn, consensus; cancelled while a turn runs."""
    rng = random.Random(seed)
    log = EventBuilder("gen")
    spec = DebateSpec(question="How much?", seats=SEATS, max_rounds=rounds + 1)
    log.add(DebateStarted, spec=spec)
    for rnd in range(rounds):
        log.add(RoundStarted, round=rnd, seat_ids=tuple(s.id for s in SEATS))
        for seat in SEATS:
            log.add(TurnStarted, round=rnd, seat_id=seat.id)
        for seat in rng.sample(SEATS, len(SEATS)):  # turns end in any order
            if rng.random() < 0.2:
                log.add(TurnQueued, round=rnd, seat_id=seat.id, server="localhost:8080")
                log.add(TurnSent, round=rnd, seat_id=seat.id)
            if rng.random() < 0.15:
                log.add(
                    TurnRetrying,
                    round=rnd,
                    seat_id=seat.id,
                    attempt=1,
                    delay_s=2.0,
                    error_kind="rate_limit",
                    message="slow down",
                )
            value = str(rng.randint(1, 3))
            if rng.random() < 0.1:
                log.add(
                    TurnFailed,
                    round=rnd,
                    seat_id=seat.id,
                    error_kind="timeout",
                    message="no reply",
                    partial_text="Half a th",
                )
            else:
                log.add(
                    TurnFinished,
                    round=rnd,
                    seat_id=seat.id,
                    text=f"Round {rnd}, {seat.name}: {rng.random()}.\n\nFinal answer: {value}",
                    answer=answer(value, rng.random()),
                    usage=usage(300, 200),
                )
        log.add(RoundFinished, round=rnd, tally={"1": 1.0}, agreement=rng.random(), leader="1")
        if rnd % 5 == 4:
            log.add(ConsensusReached, round=rnd, answer="1", value="1")
    log.add(RoundStarted, round=rounds, seat_ids=tuple(s.id for s in SEATS))
    log.add(TurnStarted, round=rounds, seat_id=SEATS[0].id)
    log.add(DebateCancelled)
    return log.events


def folded(events: list[Event]) -> DebateState:
    state = DebateState()
    for event in events:
        state.apply(event)
    return state


def shown(state: DebateState) -> dict[str, Any]:
    """Everything the state holds (its seats, rounds, turns and totals), to compare."""
    return {name: value for name, value in vars(state).items() if name != "_own"}


@pytest.mark.parametrize("every", [1, 5, CHECKPOINT_EVERY])
def test_a_restored_checkpoint_and_the_events_after_it_equal_a_fresh_fold(every):
    events = generated_debate(12)
    checkpoints = Checkpoints(events, every=every)
    state = folded(events)  # the view shows the end state, then jumps about
    counts = list(range(len(events) + 1))
    for count in [*counts, *reversed(counts), *random.Random(1).sample(counts, len(counts))]:
        since, snapshot = checkpoints.nearest(count)
        assert since <= count < since + every or count == len(events)
        state.restore(snapshot)
        for event in events[since:count]:
            state.apply(event)
        assert shown(state) == shown(folded(events[:count])), f"after {count} events"


def test_a_snapshot_stays_as_it_was_while_the_state_goes_on():
    events = generated_debate(6)
    state = DebateState()
    snapshots = []
    for count, event in enumerate(events):
        snapshots.append((count, state.snapshot()))
        state.apply(event)  # writes the rounds it shares with the snapshot: copies first
    for count, snapshot in snapshots:
        state.restore(snapshot)
        assert shown(state) == shown(folded(events[:count]))


@pytest.fixture
def replay(qtbot):
    from roundtable.gui.debate.view import DebateView

    view = DebateView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    events = generated_debate(40)  # ~560 events: nine checkpoints
    view.apply_all(events)
    controller = ReplayController(view)
    controller.set_events(events)
    return view, controller, events


def test_any_steps_back_steps_and_jumps_show_a_fresh_fold_of_the_prefix(replay):
    view, controller, events = replay
    boundaries = Timeline.build(events).boundaries
    rng = random.Random(3)
    moves = {
        "next turn": controller.next_turn,
        "previous turn": controller.previous_turn,
        "next round": controller.next_round,
        "to start": controller.to_start,
        "to end": controller.to_end,
        "seek": lambda: controller.seek(rng.randint(0, controller.total_turns)),
        "play a little": lambda: (controller.play(), controller.advance(0.7), controller.pause()),
    }
    names = list(moves)
    done = []
    for _ in range(120):
        name = rng.choice(names)
        moves[name]()
        done.append(f"{name} -> {controller.position}")
        if name == "play a little" or controller.revealing:
            continue  # paused between two turn ends, or a step carried a revealed turn on
        expected = folded(events[: boundaries[controller.position]])
        assert shown(view.state) == shown(expected), done


def test_a_step_back_folds_as_few_events_at_the_last_turn_as_at_the_first():
    class CountingView(RecordingSink):
        def __init__(self) -> None:
            super().__init__()
            self.folded: list[int] = []
            self.state = DebateState()

        def restore_prefix(self, snapshot, events, since: int, until: int) -> None:
            self.state.restore(snapshot)
            for event in events[since:until]:
                self.state.apply(event)
            self.folded.append(until - since)

    events = generated_debate(80)  # ~1,100 events
    view = CountingView()
    controller = ReplayController(view)
    controller.set_events(events)
    for position in (3, controller.total_turns // 2, controller.total_turns - 1):
        controller.seek(position + 1)
        controller.previous_turn()
        assert controller.position == position
        assert view.folded[-1] < CHECKPOINT_EVERY  # not the whole prefix
        assert shown(view.state) == shown(
            folded(events[: Timeline.build(events).boundaries[position]])
        )


def test_checkpoints_made_ahead_leave_nothing_to_fold_at_the_first_jump_back():
    events = generated_debate(40)
    checkpoints = Checkpoints(events, every=16)
    assert not checkpoints.prepare(2)  # a few at a time, while the app is idle
    assert len(checkpoints) == 3
    while not checkpoints.prepare(2):
        pass
    made = len(checkpoints)
    assert made == len(events) // 16 + 1
    since, snapshot = checkpoints.nearest(len(events) - 1)  # a step back from the end
    assert len(checkpoints) == made  # nothing more folded
    assert len(events) - 1 - since < 16
    state = DebateState()
    state.restore(snapshot)
    for event in events[since : len(events) - 1]:
        state.apply(event)
    assert shown(state) == shown(folded(events[:-1]))
