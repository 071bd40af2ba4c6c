"""Evaluation runs for an MCP client: start one (it runs in the background, in this
server, through the same steps as `roundtable eval`) and read its report.

A run takes minutes to hours, longer than a client waits on one tool call, so
`start` returns the run's id at once and `results` reads what is stored so far. When
the server stops mid-run, the run is recorded as interrupted; starting it again (here
or with `roundtable eval`, same settings) asks only the questions not yet done.
"""

from __future__ import annotations

import contextlib
import logging
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio

from roundtable.domain import StorageError
from roundtable.domain.evaluation import EvalStatus
from roundtable.headless.evaluations import EvalRequest, check_run, open_run, plan_run, sit

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from anyio.abc import TaskGroup

    from roundtable.domain.evaluation import EvalRunRecord
    from roundtable.storage import Database

_log = logging.getLogger(__name__)


def eval_request(
    task: str,
    *,
    seats: list[str],
    panel: str | None,
    protocol: str | None,
    rounds: int | None,
    limit: int | None,
    seed: int,
    concurrency: int,
    budget_usd: float | None,
    baselines: str,
    db: str | None,
) -> EvalRequest:
    """The request `roundtable eval` would make of these options."""
    return EvalRequest(
        task=task,
        seat_options=seats,
        panel_path=panel,
        protocol=protocol,
        rounds=rounds,
        limit=limit,
        seed=seed,
        concurrency=concurrency,
        budget_usd=budget_usd,
        baselines=baselines,
        db=db,
        as_json=True,
        html=None,
        estimate_only=False,
    )


class Sittings:
    """The evaluation runs sitting in this server, in one task group that lives as long
    as the server (its lifespan); stopping the server cancels them."""

    def __init__(self) -> None:
        self._group: TaskGroup | None = None
        #: Ids of the runs sitting now: the same settings twice must not start a
        #: second sitting of the same questions.
        self.running: set[str] = set()

    @asynccontextmanager
    async def lifespan(self, _server: object) -> AsyncIterator[None]:
        async with anyio.create_task_group() as group:
            self._group = group
            try:
                yield
            finally:
                self._group = None
                group.cancel_scope.cancel()

    def start(self, run: EvalRunRecord, database: Database, request: EvalRequest) -> None:
        assert self._group is not None, "tools are called only while the server runs"
        self.running.add(run.id)
        self._group.start_soon(self._sit, run, database, request)

    async def _sit(self, run: EvalRunRecord, database: Database, request: EvalRequest) -> None:
        try:
            await _sit(run, database, request)
        finally:
            self.running.discard(run.id)


def start(request: EvalRequest, sittings: Sittings) -> dict[str, Any]:
    """Check the request as `roundtable eval` does (ConfigError), then open the run and
    start its sitting in the background; the run's id and size."""
    from roundtable.headless.stores import open_store

    planned = plan_run(request)
    check_run(planned, request)
    database = open_store(request.db)
    try:
        run = open_run(database, planned, budget_usd=request.budget_usd)
        already = run.id in sittings.running
        if not already:
            sittings.start(run, database, request)
    except BaseException:
        database.close()
        raise
    if already:
        database.close()
    return {
        "run_id": run.id,
        "task": run.settings.task_name,
        "questions": len(run.questions),
        "already_done": len(run.done),
        "status": "running",
        "simulated": run.settings.simulated,
        "note": "This run was already running here; it goes on." if already else "",
    }


async def _sit(run: EvalRunRecord, database: Database, request: EvalRequest) -> None:
    """The sitting, recorded as it ends: finished, stopped by its budget, or
    interrupted because the server stopped (then it resumes where it was)."""
    from roundtable.storage import evaluations as store

    try:
        outcome = await sit(run, database, request)
        store.end_sitting(
            database, run.id, outcome.status, detail=outcome.detail, wall_s=outcome.wall_s
        )
    except anyio.get_cancelled_exc_class():
        store.end_sitting(
            database,
            run.id,
            EvalStatus.INTERRUPTED,
            detail="The MCP server stopped. Start the same run again to finish it.",
        )
        raise
    except Exception as exc:  # a failed write, a bug: said in the run and the log, and
        # the server goes on serving (an error here would end every client's session)
        _log.exception("evaluation run %s stopped", run.id)
        with contextlib.suppress(StorageError):
            store.end_sitting(database, run.id, EvalStatus.INTERRUPTED, detail=str(exc))
    finally:
        database.close()


def results(db: str | None, run_id: str, *, with_questions: bool) -> dict[str, Any]:
    """The run's report as `roundtable eval-report --json` gives it (so far, while it
    runs): accuracy of the table and of each baseline, rounds, cost, status."""
    from roundtable.engine.evaluation.report_json import report_to_dict
    from roundtable.headless.evaluations import report_for
    from roundtable.headless.stores import open_store
    from roundtable.storage.evaluations import load_eval_run

    database = open_store(db)
    try:
        report, _ = report_for(load_eval_run(database, run_id), None)
    finally:
        database.close()
    data = report_to_dict(report)
    if not with_questions:
        data.pop("questions", None)
    return data
