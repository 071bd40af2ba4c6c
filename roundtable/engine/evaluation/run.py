"""Run an evaluation: every question debated by the table, then the sampled baseline.

`run_evaluation` takes a stored run (`EvalRunRecord`), asks the questions it has not
finished and hands each result to a `RunStore` as soon as it is done, so a run stopped
any way keeps all it finished. What it owns:

- one concurrency limit for every call of the run, across questions and seats (a
  semaphore around each streamed turn, judges included), so a run respects a
  provider's rate limit; enough questions are in flight to keep every slot busy even
  while a debate waits for its slowest seat;
- the budget: before a question (or a question's samples) starts, what has been spent,
  what the questions in flight may still spend and what this one may cost are added
  up; if that crosses the budget nothing more is started, the questions in flight
  finish, and the run ends as over budget, resumable with a higher one;
- the self-consistency baseline: once every question is debated, the best seat alone
  and k fixed so that k samples cost about what the table spent a question
  (`sizing`), stored so a resumed run keeps them; its round-0 answer is sample 1.

The engine knows nothing of the store: the caller passes a `RunStore`.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import math
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from roundtable.domain import (
    Answer,
    DebateFinished,
    DebateSpec,
    Event,
    Seat,
    Usage,
)
from roundtable.domain.evaluation import (
    Baseline,
    EvalRunRecord,
    EvalStatus,
    RoundAnswers,
    Samples,
    StoredQuestion,
)
from roundtable.engine.continuation import with_context
from roundtable.engine.evaluation.calls import one_answer
from roundtable.engine.evaluation.readout import round_answers
from roundtable.engine.evaluation.scoring import best_seat, score_question
from roundtable.engine.evaluation.sizing import measure_sampling
from roundtable.engine.evaluation.stats import total_spent
from roundtable.engine.gateway import Gateway
from roundtable.engine.protocols import get_protocol
from roundtable.engine.runner import run_debate
from roundtable.engine.server_queue import QueuedGateway
from roundtable.engine.transcript import Transcript

#: An estimate of the most one question's debate (or its samples) may cost; None: unknown.
CostBound = Callable[[DebateSpec], float | None]


class RunStore(Protocol):
    """Where a run's results go, each as soon as it exists."""

    def recorder(self, debate_id: str) -> Callable[[Event], None]:
        """Where one question's debate events go (the debate is stored like any other)."""
        ...

    def close_recorder(self, debate_id: str) -> None: ...

    def question_done(
        self,
        position: int,
        *,
        debate_id: str,
        rounds: Sequence[RoundAnswers],
        usage: Usage,
        correct: bool,
    ) -> None: ...

    def samples_done(self, position: int, samples: Samples) -> None: ...

    def sampling_fixed(self, seat_id: str, count: int) -> None: ...


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a run is: shown as a progress bar with its ETA and running accuracy."""

    phase: str  # "debates" or "samples"
    done: int
    total: int
    correct: int
    asked: int
    elapsed_s: float
    spent_usd: float | None

    @property
    def eta_s(self) -> float | None:
        """Seconds left at this sitting's pace; None before anything finished."""
        finished_here = self.done
        if finished_here <= 0 or self.elapsed_s <= 0:
            return None
        return self.elapsed_s / finished_here * (self.total - self.done)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a sitting ended: the run's status and why, in words for a person."""

    status: EvalStatus
    detail: str
    wall_s: float


def question_spec(run: EvalRunRecord, question: StoredQuestion) -> DebateSpec:
    """The debate one question gets: the run's table, the question, its own seed.

    Each question has a seed of its own (the run's seed plus its position), so seeded
    simulated seats do not give every question the same luck.
    """
    table = run.settings.table
    seed = None if table.seed is None else table.seed + question.position
    title = f"{run.settings.task_name} · {question.item.id}"
    return dataclasses.replace(table, question=question.item.prompt, title=title, seed=seed)


async def run_evaluation(
    run: EvalRunRecord,
    gateway: Gateway,
    store: RunStore,
    *,
    concurrency: int = 4,
    budget_usd: float | None = None,
    cost_bound: CostBound | None = None,
    progress: Callable[[Progress], None] | None = None,
    coalesce_s: float = 0.25,
) -> Outcome:
    """Ask `run`'s unfinished questions, then sample its self-consistency baseline.

    Cancelling the task stops every debate in flight (each is stored as cancelled); the
    caller then records the run as interrupted. Returns how the sitting ended.
    """
    sitting = _Sitting(
        run,
        # One queue for every debate of the run: its limit, and each server's.
        QueuedGateway(gateway, run.settings.table.server_limits, overall=concurrency),
        store,
        concurrency=concurrency,
        budget_usd=budget_usd,
        cost_bound=cost_bound,
        progress=progress,
        coalesce_s=coalesce_s,
    )
    return await sitting.run()


class _Sitting:
    """One sitting of a run: from `run_evaluation` to its end, stopped or finished."""

    def __init__(
        self,
        run: EvalRunRecord,
        gateway: QueuedGateway,
        store: RunStore,
        *,
        concurrency: int,
        budget_usd: float | None,
        cost_bound: CostBound | None,
        progress: Callable[[Progress], None] | None,
        coalesce_s: float,
    ) -> None:
        self.run_record = run
        self.gateway = gateway
        self.store = store
        self.budget_usd = budget_usd
        self.cost_bound = cost_bound
        self.report = progress or (lambda _: None)
        self.coalesce_s = coalesce_s
        self.started = time.monotonic()
        seats = max(1, len(run.settings.table.active_seats))
        # Enough debates in flight to fill every slot while some wait for a slow seat.
        self.workers = max(1, math.ceil(concurrency / seats) + 1)
        self.questions = {question.position: question for question in run.questions}
        spent = total_spent(run)
        self.spent: float | None = spent
        self.reserved: dict[int, float] = {}
        self.most_per_question = max((q.usage.cost_usd or 0.0 for q in run.done), default=0.0)
        self.over_budget = ""
        #: Notified whenever a question ends, for workers waiting for budget room.
        self._settled = asyncio.Condition()
        self.failures: list[str] = []
        self.phase = "debates"
        self.done_here = 0

    # ------------------------------------------------------------ the whole sitting
    async def run(self) -> Outcome:
        pending = [question for question in self.questions.values() if not question.done]
        await self._each(pending, self._ask)
        finished = not self.over_budget and not self.failures
        if finished and Baseline.SELF_CONSISTENCY in self.run_record.settings.baselines:
            await self._sample_all()
            finished = not self.over_budget and not self.failures
        wall = time.monotonic() - self.started
        if self.over_budget:
            return Outcome(EvalStatus.OVER_BUDGET, self.over_budget, wall)
        if self.failures:
            detail = (
                f"{len(self.failures)} question(s) could not be asked; the last error: "
                f"{self.failures[-1]} Run the same command again to retry them."
            )
            return Outcome(EvalStatus.INTERRUPTED, detail, wall)
        return Outcome(EvalStatus.FINISHED, "", wall)

    async def _each(
        self,
        questions: Sequence[StoredQuestion],
        work: Callable[[StoredQuestion], Awaitable[None]],
    ) -> None:
        """Work through `questions` in order with a bounded number in flight."""
        pending = collections.deque(questions)
        total = len(questions)
        self.done_here = 0

        async def worker() -> None:
            while pending and not self.over_budget:
                # The next question in order is taken only once it fits the budget; when
                # it fits only after the questions in flight, wait for what they cost.
                fits = self._reserve(pending[0])
                if fits is None:
                    async with self._settled:
                        await self._settled.wait()
                    continue
                if not fits:
                    return
                question = pending.popleft()
                try:
                    await work(question)
                finally:
                    self.reserved.pop(question.position, None)
                    async with self._settled:
                        self._settled.notify_all()
                self.done_here += 1
                self._progress(total)

        self._progress(total)
        async with asyncio.TaskGroup() as group:
            for _ in range(min(self.workers, max(1, total))):
                group.create_task(worker())

    # ------------------------------------------------------------ budget
    def _reserve(self, question: StoredQuestion) -> bool | None:
        """Whether `question` may start within the budget (if so, its bound is held);
        None when it would cross it only because of the questions in flight."""
        if self.budget_usd is None:
            return True
        if self.spent is None:
            self.over_budget = (
                "A price is unknown, so the budget cannot be kept: set a price for each "
                "seat (price_in / price_out in the panel), or run without --budget."
            )
            return False
        bound = self._bound(question)
        if bound is None:
            self.over_budget = (
                "The cost of a question cannot be estimated (a price is unknown), so the "
                "budget cannot be kept; set prices for the seats or run without --budget."
            )
            return False
        if self.spent + sum(self.reserved.values()) + bound <= self.budget_usd:
            self.reserved[question.position] = bound
            return True
        if self.reserved:
            return None
        self.over_budget = (
            f"Stopped before question {question.position + 1}: ${self.spent:.4f} spent, "
            f"and it may cost up to ${bound:.4f}, which would cross the budget of "
            f"${self.budget_usd:.4f}. Run again with a higher --budget to finish."
        )
        return False

    def _bound(self, question: StoredQuestion) -> float | None:
        """The most this question may cost: the estimate, or the dearest question so far."""
        spec = question_spec(self.run_record, question)
        estimate = self.cost_bound(spec) if self.cost_bound is not None else 0.0
        if estimate is None:
            return None
        return max(estimate, self.most_per_question)

    def _spend(self, cost: float | None) -> None:
        if self.spent is not None:
            self.spent = None if cost is None else self.spent + cost
        if cost is not None:
            self.most_per_question = max(self.most_per_question, cost)

    # ------------------------------------------------------------ debates
    async def _ask(self, question: StoredQuestion) -> None:
        spec = question_spec(self.run_record, question)
        debate_id = uuid.uuid4().hex
        events: list[Event] = []
        record = self.store.recorder(debate_id)

        def emit(event: Event) -> None:
            events.append(event)
            record(event)

        try:
            ending = await run_debate(
                spec, self.gateway, emit, debate_id=debate_id, coalesce_s=self.coalesce_s
            )
        finally:
            self.store.close_recorder(debate_id)
        rounds = round_answers(events)
        if not isinstance(ending, DebateFinished) or not rounds:
            self.failures.append(getattr(ending, "message", "the debate did not finish."))
            return
        self._spend(ending.usage.cost_usd)
        scored = score_question(question.item, rounds, usage=ending.usage, debate_id=debate_id)
        self.store.question_done(
            question.position,
            debate_id=debate_id,
            rounds=rounds,
            usage=ending.usage,
            correct=scored.correct,
        )
        self.questions[question.position] = dataclasses.replace(
            question, debate_id=debate_id, rounds=rounds, usage=ending.usage, correct=scored.correct
        )

    # ------------------------------------------------------------ self-consistency
    async def _sample_all(self) -> None:
        done = [question for question in self.questions.values() if question.done]
        seat_id, count = self.run_record.sample_seat, self.run_record.sample_count
        if seat_id is None or count is None:
            scored = [score_question(q.item, q.rounds, usage=q.usage) for q in done]
            seat_id = best_seat(scored)
            if seat_id is None:
                return
            plan = measure_sampling(done, seat_id)
            if plan is None:
                return
            count = plan.samples
            self.store.sampling_fixed(seat_id, count)
            self.run_record = dataclasses.replace(
                self.run_record, sample_seat=seat_id, sample_count=count
            )
        missing = [question for question in done if question.samples is None]
        if not missing:
            return
        self.phase = "samples"
        self.most_per_question = 0.0
        seat = self.run_record.settings.table.seat(seat_id)
        extra = count - 1

        async def sample(question: StoredQuestion) -> None:
            spec = question_spec(self.run_record, question)
            answers, usage = await self._sample(spec, seat, extra)
            self._spend(usage.cost_usd)
            samples = Samples(tuple(answers), usage)
            self.store.samples_done(question.position, samples)
            self.questions[question.position] = dataclasses.replace(question, samples=samples)

        await self._each(missing, sample)

    async def _sample(
        self, spec: DebateSpec, seat: Seat, count: int
    ) -> tuple[list[Answer | None], Usage]:
        """`count` more round-0 answers of `seat`, each with a seed of its own."""
        protocol = get_protocol(spec.protocol)
        messages = with_context(spec, protocol.messages(seat, 0, Transcript(spec)))

        async def one(index: int) -> tuple[Answer | None, Usage]:
            seed = None if spec.seed is None else spec.seed * 1000 + index + 1
            return await one_answer(self.gateway, seat, messages, seed)

        results = await asyncio.gather(*(one(index) for index in range(count)))
        total = Usage()
        for _, usage in results:
            total += usage
        return [answer for answer, _ in results], total

    # ------------------------------------------------------------ progress
    def _progress(self, total: int) -> None:
        done = [question for question in self.questions.values() if question.done]
        self.report(
            Progress(
                phase=self.phase,
                done=self.done_here,
                total=total,
                correct=sum(1 for question in done if question.correct),
                asked=len(done),
                elapsed_s=time.monotonic() - self.started,
                spent_usd=self.spent,
            )
        )
