"""Run a blocking call off the GUI thread and get its result back by signal.

    job = run_in_thread(lambda: list_models(servers))
    job.succeeded.connect(self._show_models)      # runs on the GUI thread
    job.failed.connect(self._show_error)          # optional: see below

The callable runs on a `QThreadPool`; the worker never touches a widget. It only
emits a signal of the `Job`, which lives on the GUI thread, so Qt queues the result
to the GUI thread (the pattern of PySide6's mandelbrot example). A `Job` keeps itself
alive until it has delivered, so the caller need not hold a reference; connect to a
bound method of a QObject and the connection goes away with that object, so a result
that arrives after a dialog closed is simply dropped.

A failure is never lost: it is logged, and when nothing is connected to `failed`
(a warm-up, a check nobody waits for) it goes to the message bridge, which shows it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from roundtable.gui.support import messages

log = logging.getLogger(__name__)

#: Jobs not yet delivered. Holding them here (GUI thread only) keeps the Python
#: wrapper and its C++ object alive while the worker runs.
_PENDING: set[Job] = set()


class Job(QObject):
    """One blocking call running on a worker thread.

    Signals (delivered on the GUI thread, exactly one of the two per job):
    """

    #: (result: object) the callable returned.
    succeeded = Signal(object)
    #: (error: BaseException) the callable raised.
    failed = Signal(object)
    #: () after `succeeded` or `failed`, whichever came.
    done = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self._finished = False
        # Our own relay signals are emitted from the worker and, being connected
        # to slots of this GUI-thread object, arrive queued on the GUI thread.
        self._result_ready.connect(self._deliver_result)
        self._error_ready.connect(self._deliver_error)

    #: (result) internal: emitted from the worker thread.
    _result_ready = Signal(object)
    #: (error) internal: emitted from the worker thread.
    _error_ready = Signal(object)

    @property
    def is_finished(self) -> bool:
        return self._finished

    def _deliver_result(self, result: object) -> None:
        self._finished = True
        _PENDING.discard(self)
        self.succeeded.emit(result)
        self.done.emit()

    def _deliver_error(self, error: object) -> None:
        self._finished = True
        _PENDING.discard(self)
        exc = error if isinstance(error, BaseException) else None
        if self._failure_is_handled():
            # The caller shows it where it happened; the log still keeps the traceback.
            log.warning("job %s failed: %s", self.objectName(), error, exc_info=exc)
        else:
            # Nobody listens for this job's failure: the message bridge tells the user.
            messages.error(f"A background task ({self.objectName()}) failed: {error}", exc=exc)
        self.failed.emit(error)
        self.done.emit()

    def _failure_is_handled(self) -> bool:
        meta = self.metaObject()
        return self.isSignalConnected(meta.method(meta.indexOfSignal("failed(PyObject)")))


class _Runnable(QRunnable):
    def __init__(self, job: Job, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._job = job
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # delivered to the GUI thread, not swallowed
            self._deliver(self._job._error_ready, exc)
        else:
            self._deliver(self._job._result_ready, result)

    def _deliver(self, signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            # The app is quitting and the Job's C++ half is gone: nobody is listening.
            log.debug("dropping the result of a job that outlived the app")


def run_in_thread(fn: Callable[[], Any], *, name: str = "", pool: QThreadPool | None = None) -> Job:
    """Start `fn()` on a worker thread now; the returned Job reports how it ended.

    Connect to the Job's signals straight after this call: delivery is queued to the
    GUI thread's event loop, so it cannot happen before the caller returns to it.
    """
    job = Job(name or getattr(fn, "__name__", "job"))
    _PENDING.add(job)
    runnable = _Runnable(job, fn)
    runnable.setAutoDelete(True)
    (pool or QThreadPool.globalInstance()).start(runnable)
    return job


def pending_jobs() -> int:
    """How many jobs have not delivered yet (tests wait for 0 before tearing down)."""
    return len(_PENDING)


def wait_for_workers(timeout_ms: int = 3000) -> bool:
    """Let running jobs finish (at exit, so no thread outlives the interpreter)."""
    return bool(QThreadPool.globalInstance().waitForDone(timeout_ms))
