"""The debate view's reducer: what a person sees after each event (no Qt needed)."""

from __future__ import annotations

from roundtable.domain import (
    DebateCancelled,
    DebateSpec,
    DebateStarted,
    DebateStatus,
    RoundStarted,
    Seat,
    TurnDelta,
    TurnFinished,
    TurnRetrying,
    TurnStarted,
    Usage,
)
from roundtable.gui.debate.state import DebateState, Phase
from tests.helpers.debates import (
    ADA_R0,
    GRACE_R0,
    GRACE_R1,
    LINUS_R0,
    LINUS_R1_PARTIAL,
)
from tests.helpers.debates import (
    bat_and_ball_debate as demo_debate_events,
)


def fold(events) -> DebateState:
    state = DebateState()
    for event in events:
        state.apply(event)
    return state


def index_of(events, predicate) -> int:
    return next(i for i, event in enumerate(events) if predicate(event))


def test_whole_debate_ends_with_each_seats_answer_and_the_consensus(demo_events):
    state = fold(demo_events)

    assert state.status is DebateStatus.FINISHED
    assert {sid: s.phase for sid, s in state.seats.items()} == {
        "ada": Phase.DONE,
        "grace": Phase.DONE,
        "linus": Phase.FAILED,
    }
    assert (state.seats["ada"].answer.display, state.seats["ada"].confidence) == ("5", 0.95)
    assert (state.seats["grace"].answer.display, state.seats["grace"].confidence) == ("5", 0.85)
    # Linus failed in round 2 but keeps the answer he gave in round 1.
    assert state.seats["linus"].answer.display == "5"
    assert state.seats["linus"].answer_round == 0
    assert "stopped streaming for 30 s" in state.seats["linus"].error
    assert [r.agreement for r in state.rounds] == [2 / 3, 1.0]
    assert [r.leader for r in state.rounds] == ["5", "5"]
    assert state.rounds[1].consensus == "5"
    assert state.agreement_history == [2 / 3, 1.0]
    assert (state.final_answer, state.consensus) == ("5", True)
    assert state.rule.startswith("Consensus: all 2 seats")
    assert state.total_tokens == 2070
    # Linus's price was unknown, so the total is unknown, not a smaller number.
    assert state.total_cost_usd is None
    assert state.elapsed_s == (len(demo_events) - 1) * 0.25
    assert not state.any_active


def test_turns_keep_table_order_and_full_text(demo_events):
    state = fold(demo_events)

    first = state.rounds[0].ordered_turns(state.seat_order)
    assert [t.seat_id for t in first] == ["ada", "grace", "linus"]
    assert [t.text for t in first] == [ADA_R0, GRACE_R0, LINUS_R0]
    linus = state.turn(1, "linus")
    assert (linus.phase, linus.text) == (Phase.FAILED, LINUS_R1_PARTIAL)
    assert state.turn(0, "grace").usage.latency_s == 6.8


def test_seat_goes_from_thinking_to_streaming_to_done_and_says_what_changed():
    state = fold(demo_debate_events()[:2])  # started, round 0 started

    change = state.apply(f_event(TurnStarted, round=0, seat_id="ada", seq=2))
    assert state.seats["ada"].phase is Phase.THINKING
    assert change.seats == {"ada"}
    assert change.turns == {(0, "ada")}

    change = state.apply(f_event(TurnDelta, round=0, seat_id="ada", text="Let the", seq=3))
    assert state.seats["ada"].phase is Phase.STREAMING
    assert change.appended == "Let the"
    assert change.seats == {"ada"}

    change = state.apply(f_event(TurnDelta, round=0, seat_id="ada", text=" ball", seq=4))
    # Still streaming: the card's badge does not need a repaint, only the text.
    assert change.seats == frozenset()
    assert change.appended == " ball"
    assert state.turn(0, "ada").text == "Let the ball"

    change = state.apply(
        f_event(
            TurnFinished,
            round=0,
            seat_id="ada",
            text="Let the ball cost 5.",
            answer=None,
            usage=Usage(prompt_tokens=10, completion_tokens=5, cost_usd=0.5),
            seq=5,
        )
    )
    assert state.seats["ada"].phase is Phase.DONE
    assert state.turn(0, "ada").text == "Let the ball cost 5."
    assert change.debate  # totals moved
    assert (state.total_tokens, state.total_cost_usd) == (15, 0.5)


def f_event(cls, **fields):
    fields.setdefault("debate_id", "debate-1")
    return cls(**fields)


def test_retry_voids_the_text_and_says_when_it_retries(demo_events):
    retry_at = index_of(demo_events, lambda e: isinstance(e, TurnRetrying))
    state = fold(demo_events[: retry_at + 1])

    grace = state.seats["grace"]
    assert grace.phase is Phase.RETRYING
    assert grace.error == "rate limited, retrying in 4 s"
    assert "rate limited by OpenAI" in grace.error_detail
    turn = state.turn(0, "grace")
    assert (turn.text, turn.retry_delay_s) == ("", 4.0)

    # The next attempt streams from scratch.
    state.apply(f_event(TurnDelta, round=0, seat_id="grace", text="Fresh start", seq=retry_at + 1))
    assert state.turn(0, "grace").text == "Fresh start"
    assert state.seats["grace"].phase is Phase.STREAMING
    assert state.seats["grace"].error == ""


def test_previous_answer_text_is_the_seats_last_earlier_turn(demo_events):
    state = fold(demo_events)

    assert state.previous_answer_text("grace", 1) == GRACE_R0
    assert state.previous_answer_text("linus", 1) == LINUS_R0
    assert state.previous_answer_text("grace", 0) is None
    assert state.turn(1, "grace").text == GRACE_R1


def test_cost_is_summed_until_a_price_is_unknown(demo_events):
    first_finish = index_of(demo_events, lambda e: isinstance(e, TurnFinished))
    state = fold(demo_events[: first_finish + 1])
    assert state.total_cost_usd == 0.0012
    assert state.seats["ada"].tokens == 420

    linus_finish = index_of(
        demo_events, lambda e: isinstance(e, TurnFinished) and e.seat_id == "linus"
    )
    state = fold(demo_events[: linus_finish + 1])
    assert state.seats["linus"].cost_usd is None
    assert state.total_cost_usd is None


def test_cancelling_stops_every_running_turn(demo_events):
    round_two = index_of(demo_events, lambda e: isinstance(e, TurnDelta) and e.round == 1)
    state = fold(demo_events[: round_two + 3])
    assert state.any_active

    change = state.apply(f_event(DebateCancelled, seq=round_two + 3))

    assert state.status is DebateStatus.CANCELLED
    assert state.status_reason == "stopped by the user"
    assert not state.any_active
    assert {s.phase for s in state.seats.values()} == {Phase.STOPPED}
    assert change.turns == {(1, "ada"), (1, "grace"), (1, "linus")}
    # What had arrived is kept.
    assert state.turn(1, "ada").text


def test_events_of_another_debate_do_not_touch_the_view(demo_events):
    state = fold(demo_events[:5])
    change = state.apply(
        TurnDelta(debate_id="someone-else", seq=5, round=0, seat_id="ada", text="intruder")
    )
    assert change.empty
    assert state.turn(0, "ada").text == ""


def test_a_delta_without_its_turn_started_opens_the_turn(demo_events):
    # A trimmed stored debate may lack a TurnStarted; the text must still show.
    events = [e for e in demo_events if not isinstance(e, TurnStarted)]
    state = fold(events)
    assert state.turn(0, "ada").text == ADA_R0
    assert state.seats["ada"].phase is Phase.DONE


def test_a_new_debate_replaces_the_old_one(demo_events):
    state = fold(demo_events)
    other = demo_debate_events("debate-2")
    change = state.apply(other[0])
    assert change.reset
    assert state.debate_id == "debate-2"
    assert state.rounds == []
    assert state.status is DebateStatus.RUNNING
    assert all(s.phase is Phase.WAITING for s in state.seats.values())


def _started(protocol: str, max_rounds: int = 3) -> DebateStarted:
    seats = tuple(Seat(id=n, name=n.title(), model=f"demo/{n}") for n in ("ada", "bea", "cy"))
    question = DebateSpec(question="2+3?", seats=seats, protocol=protocol, max_rounds=max_rounds)
    return DebateStarted(debate_id="d", seq=0, spec=question)


def _round(number: int, seat_ids: tuple[str, ...], seq: int) -> RoundStarted:
    return RoundStarted(debate_id="d", seq=seq, round=number, seat_ids=seat_ids)


def test_each_round_is_called_what_its_protocol_makes_it():
    # The view once called every round after the first a "discussion", whatever the
    # protocol: a council's peer review and its chair's synthesis were mislabelled.
    all_three = ("ada", "bea", "cy")
    council = fold(
        [
            _started("council", max_rounds=5),
            _round(0, all_three, 1),
            _round(1, all_three, 2),
            _round(2, ("ada",), 3),
        ]
    )
    assert [r.kind for r in council.rounds] == [
        "stage 1 · answers",
        "stage 2 · anonymised peer review and ranking",
        "stage 3 · the chair's synthesis",
    ]
    assert council.planned_rounds == 3  # a council has three stages, not max_rounds
    vote = fold([_started("vote", max_rounds=3), _round(0, all_three, 1)])
    assert vote.rounds[0].kind == "independent answers, then the vote"
    assert vote.planned_rounds == 1
    table = fold([_started("roundtable"), _round(0, all_three, 1), _round(1, all_three, 2)])
    assert [r.kind for r in table.rounds] == ["independent answers", "discussion"]
    assert table.planned_rounds == 3


def test_a_round_without_its_start_event_still_has_its_protocols_name():
    # A stored debate that lost an event: the gap is filled, and named like the others.
    council = fold([_started("council"), _round(1, ("ada", "bea", "cy"), 1)])
    assert council.rounds[0].kind == "stage 1 · answers"
