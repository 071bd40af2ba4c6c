"""Reading evaluation runs off the GUI thread.

A run of 200 questions is a few hundred kilobytes of JSON to read, parse, score and
sum up (`build_report`), and its chart values are computed from that: tens to hundreds
of milliseconds, too long for the GUI thread. Both the list and the report are read on
a worker (`support.workers`); only the latest request of each kind is delivered, so
clicking through runs quickly shows the last one clicked, never an older answer late.

A `RoundtableError` (an unknown run, a database that cannot be read) is delivered as
`failed` with its message for the person; anything else is a bug and goes to the
message bridge like every worker failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from roundtable.charts.values import Chart
from roundtable.domain import RoundtableError
from roundtable.engine.evaluation.report import EvalReport
from roundtable.gui.support.workers import run_in_thread

if TYPE_CHECKING:
    from roundtable.storage import Database


@dataclass(frozen=True, slots=True)
class ShownRun:
    """What the view shows of one run: its report and its charts (pure values)."""

    report: EvalReport
    charts: tuple[Chart, ...]


@dataclass(frozen=True, slots=True)
class _Answer:
    request: int
    value: object = None
    error: str | None = None


def read_run(db: Database, run_id: str) -> ShownRun:
    """The report and charts of a stored run (blocking: call it on a worker)."""
    from roundtable.charts.eval_charts import eval_charts
    from roundtable.engine.evaluation.report import build_report
    from roundtable.storage.evaluations import load_eval_run

    report = build_report(load_eval_run(db, run_id))
    return ShownRun(report, eval_charts(report))


def _list_runs(db: Database) -> object:
    from roundtable.storage.evaluations import list_eval_runs

    return list_eval_runs(db)


class RunReader(QObject):
    """Lists runs and reads one run's report on worker threads.

    Signals (on the GUI thread):
    """

    #: (runs: list[EvalRunSummary]) the answer to the latest `list_runs`
    runs_listed = Signal(object)
    #: (run: ShownRun) the answer to the latest `read`
    run_read = Signal(object)
    #: (message: str) the latest request failed; the message says what to do
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest_list = 0
        self._latest_read = 0
        self._pending = 0

    @property
    def busy(self) -> bool:
        """A request has not answered yet (tests wait for this to turn False)."""
        return self._pending > 0

    def list_runs(self, db: Database) -> None:
        self._latest_list += 1
        self._start(self._latest_list, lambda: _list_runs(db), self._listed, "list eval runs")

    def read(self, db: Database, run_id: str) -> None:
        self._latest_read += 1
        self._start(self._latest_read, lambda: read_run(db, run_id), self._read, "read eval run")

    def _start(
        self, request: int, fn: Callable[[], object], deliver: Callable[[Any], None], name: str
    ) -> None:
        def work() -> _Answer:
            try:
                return _Answer(request, fn())
            except RoundtableError as exc:
                return _Answer(request, error=str(exc))

        self._pending += 1
        job = run_in_thread(work, name=name)
        job.succeeded.connect(deliver)
        job.done.connect(self._job_done)

    @Slot()
    def _job_done(self) -> None:
        self._pending -= 1

    @Slot(object)
    def _listed(self, answer: _Answer) -> None:
        if answer.request != self._latest_list:
            return
        if answer.error is not None:
            self.failed.emit(answer.error)
        else:
            self.runs_listed.emit(answer.value)

    @Slot(object)
    def _read(self, answer: _Answer) -> None:
        if answer.request != self._latest_read:
            return
        if answer.error is not None:
            self.failed.emit(answer.error)
        else:
            self.run_read.emit(answer.value)
