"""The continuation service: forks, follow-ups and resumes, planned once for every front end.

The terminal (`roundtable fork / followup / resume`) and the app's engine process
both continue stored debates. Each loads the stored debate itself (the engine does
not import storage), hands it here as a `StoredDebate`, and gets a
`ContinuationPlan` back, or a ConfigError whose message is the only refusal for
that case (a round that never completed, a follow-up of an unfinished debate, a
resume of a finished one), so the terminal and the app say the same thing:

    stored = StoredDebate.of(load_debate(db, id), load_events(db, id))
    plan = plan_fork(stored, from_round=1)        # or plan_followup / plan_resume
    # a resume only: reopen_debate(db, plan.debate_id, through_seq=plan.recorded_through,
    #                              rounds=plan.first_round)
    await run_debate(plan.spec, gateway, emit, debate_id=plan.debate_id or new_id,
                     continuation=plan.continuation)

How each is built from the stored values is `roundtable.engine.continuation`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from roundtable.domain import (
    ConfigError,
    DebateCancelled,
    DebateSpec,
    DebateStarted,
    DebateStatus,
    Event,
    Seat,
)
from roundtable.domain.continuable import (
    RESUMABLE,
    is_budget_stop,
    needs_higher_budget,
    not_followable,
    not_resumable,
)
from roundtable.domain.formatting import format_cost
from roundtable.engine.continuation import Continuation, followup_spec, fork_spec, resume_plan
from roundtable.engine.validate import validate_spec


class _StoredSummary(Protocol):
    """The part of a history line a plan reads (storage's `DebateSummary` is one)."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> DebateStatus: ...
    @property
    def final_answer(self) -> str | None: ...
    @property
    def consensus(self) -> bool: ...


class _StoredRecord(Protocol):
    """What a plan reads of a stored debate (storage's `DebateRecord` is one)."""

    @property
    def summary(self) -> _StoredSummary: ...
    @property
    def spec(self) -> DebateSpec: ...


@dataclass(frozen=True, slots=True)
class StoredDebate:
    """A stored debate as values: what the caller loaded, all a plan needs."""

    id: str
    status: DebateStatus
    spec: DebateSpec
    #: The whole logged event stream, `DebateStarted` first.
    events: tuple[Event, ...]
    final_answer: str | None = None
    consensus: bool = False

    @classmethod
    def of(cls, record: _StoredRecord, events: Iterable[Event]) -> StoredDebate:
        """From storage's `load_debate(...)` and `load_events(...)` of one debate."""
        summary = record.summary
        return cls(
            id=summary.id,
            status=summary.status,
            spec=record.spec,
            events=tuple(events),
            final_answer=summary.final_answer,
            consensus=summary.consensus,
        )


@dataclass(frozen=True, slots=True)
class ContinuationPlan:
    """A debate ready to run: `run_debate(spec, ..., continuation=continuation)`.

    `debate_id` is the debate's own id for a resume (it goes on in place) and None
    for a fork or follow-up (a new debate; the caller picks or lets the engine pick
    its id). `recorded_through`, for a resume, is the `seq` of the last stored event
    kept: the engine sends the kept rounds again, and only events after it are new
    to the database.
    """

    spec: DebateSpec
    continuation: Continuation
    debate_id: str | None = None
    recorded_through: int | None = None

    @property
    def first_round(self) -> int:
        """The round (0-based) the engine plays first; as many are copied or kept."""
        return self.continuation.first_round

    @property
    def in_place(self) -> bool:
        """A resume: the debate keeps its id and its stored rounds."""
        return self.continuation.in_place


def plan_fork(
    parent: StoredDebate,
    *,
    from_round: int,
    add: Sequence[Seat] = (),
    drop: Sequence[str] = (),
    max_rounds: int | None = None,
) -> ContinuationPlan:
    """A new debate that copies `parent`'s rounds before `from_round` (0-based, as
    events number rounds: 0 copies none) and plays on with the table changed.

    `drop` names seats (name or id, any case) that sit out from `from_round` on;
    `add` seats join then. ConfigError when the round, a seat or the spec is wrong.
    """
    spec, continuation = fork_spec(
        parent.spec,
        parent.events,
        from_round=from_round,
        add=add,
        drop=drop,
        max_rounds=max_rounds,
    )
    validate_spec(spec)
    return ContinuationPlan(spec, dataclasses.replace(continuation, parent_id=parent.id))


def plan_followup(parent: StoredDebate, question: str) -> ContinuationPlan:
    """A new debate that asks `parent`'s table `question`, its thread as context.

    ConfigError when `parent` has no final answer (not finished) or the question is empty.
    """
    if parent.status is not DebateStatus.FINISHED:
        raise ConfigError(not_followable(parent.id, parent.status))
    spec, continuation = followup_spec(
        parent.spec,
        parent_id=parent.id,
        question=question,
        answer=parent.final_answer,
        consensus=parent.consensus,
    )
    validate_spec(spec)
    return ContinuationPlan(spec, continuation)


def plan_resume(debate: StoredDebate, *, budget_usd: float | None = None) -> ContinuationPlan:
    """The rest of a cancelled or interrupted debate, played in place: its complete
    rounds kept, the incomplete round played again.

    `budget_usd` replaces the debate's budget (the whole debate's, kept rounds
    included). ConfigError when the debate is running, finished or failed, or when it
    stopped at its budget and is not given a higher one. The caller reopens the
    stored debate (`storage.reopen.reopen_debate`) just before it runs the plan.
    """
    if debate.status not in RESUMABLE:
        raise ConfigError(not_resumable(debate.id, debate.status))
    plan = resume_plan(debate.events)
    started = debate.events[0]
    assert isinstance(started, DebateStarted)  # resume_plan checked it
    spec = started.spec
    old_budget = spec.budget_usd
    if budget_usd is not None:
        spec = dataclasses.replace(spec, budget_usd=budget_usd)
        validate_spec(spec)
    # The same budget would stop it again at once, before any call: say so now.
    same = old_budget is not None and (budget_usd is None or budget_usd <= old_budget)
    if same and old_budget is not None and _stopped_at_budget(debate.events):
        raise ConfigError(needs_higher_budget(debate.id, format_cost(old_budget)))
    return ContinuationPlan(
        spec,
        plan.continuation,
        debate_id=debate.id,
        recorded_through=plan.through_seq,
    )


def _stopped_at_budget(events: Sequence[Event]) -> bool:
    last = events[-1] if events else None
    return isinstance(last, DebateCancelled) and is_budget_stop(last.reason)
