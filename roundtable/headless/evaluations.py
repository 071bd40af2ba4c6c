"""The steps of an evaluation run, shared by `roundtable eval` and the MCP server's
`start_evaluation`: plan it (task and table), check it, open it (or find the
unfinished run of the same settings), sit it through the providers with every result
stored as it comes, and build its report.

How a sitting is shown (a progress bar, a tool call that returns at once) is each
front end's own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from roundtable.domain import ConfigError, DebateSpec, Event, Usage
from roundtable.domain.evaluation import (
    ALL_BASELINES,
    Baseline,
    EvalItem,
    EvalRunRecord,
    EvalSettings,
    RoundAnswers,
    Samples,
)
from roundtable.engine.evaluation import run as eval_run
from roundtable.engine.evaluation.tasks import resolve_task
from roundtable.storage import Database, SavingRecorder
from roundtable.storage import evaluations as store

if TYPE_CHECKING:
    from roundtable.engine.evaluation.report import EvalReport
    from roundtable.engine.evaluation.vote_rules import RuleComparison

#: What `--rule` accepts: the protocol's own rule, or the vote by track record.
RULES = ("protocol", "record-weighted")


@dataclass(frozen=True, slots=True)
class EvalRequest:
    """What the user asked `roundtable eval` for, as the options gave it."""

    task: str
    seat_options: list[str]
    panel_path: str | Path | None
    protocol: str | None
    rounds: int | None
    limit: int | None
    seed: int
    concurrency: int
    budget_usd: float | None
    baselines: str
    db: str | None
    as_json: bool
    html: Path | None
    estimate_only: bool
    #: --rule record-weighted: also compare the vote by track record (`report_for`).
    rule: str | None = None
    #: --server-concurrency: how many requests each server takes at once.
    server_options: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class PlannedRun:
    """The run a request asks for, before anything is stored: its settings and questions."""

    settings: EvalSettings
    items: Sequence[EvalItem]
    #: The table as it sits for the first question (what is checked before it runs).
    table: DebateSpec


def plan_run(request: EvalRequest) -> PlannedRun:
    """The task read and the table chosen; ConfigError for a bad task or table."""
    from roundtable.headless.tables import build_spec

    task = resolve_task(request.task, seed=request.seed, limit=request.limit)
    table = build_spec(
        task.items[0].prompt,
        seat_options=request.seat_options,
        panel_path=request.panel_path,
        server_options=request.server_options,
        protocol=request.protocol,
        rounds=request.rounds,
        threshold=1.0,
        seed=request.seed,
    )
    settings = EvalSettings(
        task_name=task.name,
        task_source=task.source,
        task_format=task.format,
        fingerprint=task.fingerprint,
        table=_template(table),
        baselines=parse_baselines(request.baselines),
        simulated=any(seat.is_demo for seat in table.seats),
    )
    return PlannedRun(settings, task.items, table)


def check_run(planned: PlannedRun, request: EvalRequest) -> None:
    """What can be refused before any model is called (keys, servers, --rule); ConfigError."""
    from roundtable.headless.checks import check_runnable

    table = planned.table
    check_runnable(table, as_json=True)  # nobody can take a person's seat 200 times
    check_rule(request.rule, table.protocol)


def open_run(database: Database, planned: PlannedRun, *, budget_usd: float | None) -> EvalRunRecord:
    """The unfinished run of these settings, claimed for this sitting, else a new one."""
    run_id = store.unfinished_run(database, planned.settings.key)
    if run_id is None:
        run_id = uuid.uuid4().hex
        store.create_run(database, run_id, planned.settings, planned.items, budget_usd=budget_usd)
    else:
        store.claim_run(database, run_id, budget_usd=budget_usd)
    return store.load_eval_run(database, run_id)


def parse_baselines(text: str) -> tuple[Baseline, ...]:
    """ "seats,majority" as baselines; "none" for none; ConfigError naming the choices."""
    words = [word.strip().lower() for word in text.split(",") if word.strip()]
    if words == ["none"]:
        return ()
    chosen = []
    for word in words:
        try:
            chosen.append(Baseline(word))
        except ValueError:
            names = ", ".join(baseline.value for baseline in ALL_BASELINES)
            raise ConfigError(f"Unknown baseline {word!r}; choose from {names}, or none.") from None
    return tuple(baseline for baseline in ALL_BASELINES if baseline in chosen)


def _template(table: DebateSpec) -> DebateSpec:
    """The table every question gets, its question left out (each question brings its own)."""
    return replace(table, question="", title="")


# ---------------------------------------------------------------- sitting
class RecordingRunStore:
    """The run's results into the database: each debate as it runs, each result at once."""

    def __init__(self, database: Database, run_id: str) -> None:
        self.database = database
        self.run_id = run_id
        self.recorders: dict[str, SavingRecorder] = {}

    def recorder(self, debate_id: str) -> Callable[[Event], None]:
        recorder = SavingRecorder(self.database)
        self.recorders[debate_id] = recorder
        return recorder

    def close_recorder(self, debate_id: str) -> None:
        recorder = self.recorders.pop(debate_id, None)
        if recorder is not None:
            recorder.close()

    def question_done(
        self,
        position: int,
        *,
        debate_id: str,
        rounds: Sequence[RoundAnswers],
        usage: Usage,
        correct: bool,
    ) -> None:
        store.record_question(
            self.database,
            self.run_id,
            position,
            debate_id=debate_id,
            rounds=rounds,
            usage=usage,
            correct=correct,
        )

    def samples_done(self, position: int, samples: Samples) -> None:
        store.record_samples(self.database, self.run_id, position, samples)

    def sampling_fixed(self, seat_id: str, count: int) -> None:
        store.fix_sampling(self.database, self.run_id, seat_id, count)


async def sit(
    run: EvalRunRecord,
    database: Database,
    request: EvalRequest,
    *,
    progress: Callable[[eval_run.Progress], None] | None = None,
) -> eval_run.Outcome:
    """One sitting of `run` through the providers, each result stored as it comes."""
    from roundtable.providers import LiteLLMGateway

    gateway = LiteLLMGateway().with_turn_limits(run.settings.table)
    return await eval_run.run_evaluation(
        run,
        gateway,
        RecordingRunStore(database, run.id),
        concurrency=request.concurrency,
        budget_usd=request.budget_usd,
        cost_bound=_cost_bound(),
        progress=progress,
    )


def _cost_bound() -> eval_run.CostBound:
    """The most one question's debate may cost: the high end of its pre-run estimate."""
    from roundtable.engine.estimate import estimate_debate
    from roundtable.providers.prices import seat_price

    return lambda spec: estimate_debate(spec, seat_price).high_cost_usd


# ---------------------------------------------------------------- the report
def check_rule(rule: str | None, protocol: str) -> bool:
    """Whether `--rule` asks for the vote by track record; ConfigError, before any model
    is called, for an unknown rule or a protocol whose answer is no vote."""
    if rule is None or rule == "protocol":
        return False
    if rule not in RULES:
        raise ConfigError(f"Unknown rule {rule!r}; choose {' or '.join(RULES)}.")
    from roundtable.engine.protocols import get_protocol

    get_protocol(protocol).check_decides_by_vote()
    return True


def report_for(run: EvalRunRecord, rule: str | None) -> tuple[EvalReport, RuleComparison | None]:
    """The run's report; with `--rule record-weighted`, plus the record-weighted and the
    confidence-weighted votes of its last rounds as two more methods (no model called)."""
    from roundtable.engine.evaluation.report import build_report
    from roundtable.engine.evaluation.vote_rules import compare_vote_rules, with_vote_rules

    report = build_report(run)
    if not check_rule(rule, run.settings.table.protocol) or not run.done:
        return report, None
    comparison = compare_vote_rules(run)
    return with_vote_rules(report, comparison), comparison
