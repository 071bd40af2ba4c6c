"""Hypothesis strategies for domain values and events (shared by storage round-trip tests)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import strategies as st

from roundtable.domain import (
    Answer,
    AnswerKind,
    ConsensusReached,
    ConsensusRule,
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateInterrupted,
    DebateSpec,
    DebateStarted,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnQueued,
    TurnRetrying,
    TurnSent,
    TurnStarted,
    Usage,
)
from roundtable.domain.concurrency import ServerLimit
from roundtable.domain.values import RecordWeights, SeatTrackRecord

# Any unicode a model might produce, except lone surrogates (not valid UTF-8 text).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
ident = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
unit = st.floats(min_value=0, max_value=1, allow_nan=False)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)

#: A seat's own price: both halves (USD per million tokens in, out) or neither.
_prices = st.none() | st.tuples(
    st.floats(min_value=0, max_value=1000), st.floats(min_value=0, max_value=1000)
)


def _priced(seat: Seat, price: tuple[float, float] | None) -> Seat:
    if price is None:
        return seat
    return replace(seat, price_in_per_mtok=price[0], price_out_per_mtok=price[1])


_unpriced_seats = st.builds(
    Seat,
    id=ident,
    name=text,
    model=st.from_regex(r"[a-z]{2,8}/[a-z0-9.-]{1,12}", fullmatch=True),
    api_base=st.none() | st.just("http://127.0.0.1:8080/v1"),
    api_key_env=st.none() | st.just("MY_KEY"),
    persona=text,
    temperature=st.none() | st.floats(min_value=0, max_value=2),
    max_tokens=st.none() | st.integers(1, 100_000),
)
seats = st.builds(_priced, _unpriced_seats, _prices)
_track_records = st.builds(
    SeatTrackRecord,
    seat_id=ident,
    scope=st.sampled_from(["arithmetic", *AnswerKind]).map(str),
    correct=st.integers(0, 50),
    answers=st.integers(50, 100),
)
record_weights = st.builds(
    RecordWeights,
    records=st.lists(_track_records, max_size=4).map(tuple),
    scope=st.none() | st.just("arithmetic"),
)
specs = st.builds(
    DebateSpec,
    question=text,
    seats=st.lists(seats, max_size=4).map(tuple),
    protocol=st.just("roundtable"),
    max_rounds=st.integers(1, 10),
    consensus=st.builds(ConsensusRule, threshold=unit),
    seed=st.none() | st.integers(),
    title=text,
    budget_usd=st.none() | st.floats(min_value=0.01, max_value=1e4),
    record_weights=st.none() | record_weights,
    server_limits=st.lists(
        st.builds(
            ServerLimit,
            server=st.sampled_from(["http://localhost:8080", "anthropic"]),
            concurrency=st.none() | st.integers(1, 64),
        ),
        max_size=2,
    ).map(tuple),
)
answers = st.builds(
    Answer,
    raw=text,
    value=text,
    display=text,
    kind=st.sampled_from(AnswerKind),
    confidence=st.none() | unit,
)
usages = st.builds(
    Usage,
    prompt_tokens=st.integers(0, 10**7),
    completion_tokens=st.integers(0, 10**7),
    cost_usd=st.none() | st.floats(min_value=0, max_value=1e4),
    latency_s=st.floats(min_value=0, max_value=1e4),
    first_token_s=st.none() | st.floats(min_value=0, max_value=1e4),
)
tallies = st.dictionaries(text, st.floats(min_value=0, max_value=100), max_size=4)


def _event(cls, **fields):  # type: ignore[no-untyped-def]
    strategy = st.builds(cls, debate_id=ident, seq=st.integers(0, 10**6), at=moments, **fields)
    return cls, strategy


rounds = st.integers(0, 30)
#: One strategy per event type; a test checks that none is missing.
EVENT_STRATEGIES = dict(
    [
        _event(
            DebateStarted,
            spec=specs,
            parent_id=st.none() | ident,
            forked_from_round=st.none() | rounds,
        ),
        _event(RoundStarted, round=rounds, seat_ids=st.lists(ident, max_size=5).map(tuple)),
        _event(TurnStarted, round=rounds, seat_id=ident),
        _event(TurnQueued, round=rounds, seat_id=ident, server=text),
        _event(TurnSent, round=rounds, seat_id=ident),
        _event(TurnDelta, round=rounds, seat_id=ident, text=text),
        _event(
            TurnRetrying,
            round=rounds,
            seat_id=ident,
            attempt=st.integers(1, 9),
            delay_s=st.floats(min_value=0, max_value=100),
            error_kind=text,
            message=text,
        ),
        _event(
            TurnFinished,
            round=rounds,
            seat_id=ident,
            text=text,
            answer=st.none() | answers,
            usage=usages,
            incomplete=st.booleans(),
        ),
        _event(
            TurnFailed,
            round=rounds,
            seat_id=ident,
            error_kind=text,
            message=text,
            partial_text=text,
        ),
        _event(RoundFinished, round=rounds, tally=tallies, agreement=unit, leader=st.none() | text),
        _event(ConsensusReached, round=rounds, answer=text, value=text),
        _event(
            DebateFinished,
            final_answer=st.none() | text,
            consensus=st.booleans(),
            rule=text,
            tally=tallies,
            usage=usages,
            rounds=rounds,
        ),
        _event(DebateCancelled, reason=text),
        _event(DebateInterrupted, reason=text),
        _event(DebateFailed, error_kind=text, message=text),
    ]
)
events = st.one_of(*EVENT_STRATEGIES.values())
