"""The last line of defence: an exception nobody caught is logged and shown, once.

An exception raised in a slot, a paint event or a timer returns to Qt, which cannot
raise it further: PySide6 hands it to `sys.excepthook`, and the default one prints it
to a terminal the person at the screen does not have. `install_excepthook` replaces
it (and `threading.excepthook`, for plain Python threads) with `UncaughtExceptionHook`,
which logs the traceback and reports the error through the message bridge, whose
presenter shows one dialog per burst.

The hook never reports recursively: an exception raised while it reports one (a
broken log handler, a failing slot of the bridge) is logged as best it can and
dropped, so one fault cannot become an endless cascade of dialogs.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType

from roundtable.gui.support import messages

log = logging.getLogger(__name__)


class UncaughtExceptionHook:
    """A `sys.excepthook`: log the traceback, report the error through the bridge."""

    def __init__(self) -> None:
        self._reporting = False

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc or exc_type(), tb)
            return
        if self._reporting:
            # Raised while reporting another: never report it, or it would repeat.
            sys.__excepthook__(exc_type, exc or exc_type(), tb)
            return
        self._reporting = True
        try:
            log.critical("uncaught exception", exc_info=(exc_type, exc or exc_type(), tb))
            detail = "".join(traceback.format_exception(exc_type, exc, tb))
            messages.bridge().error_reported.emit(_summary(exc_type, exc), detail)
        except Exception:  # the defence itself must not fail loudly
            sys.__excepthook__(*sys.exc_info())
        finally:
            self._reporting = False

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        """The same for an exception that ends a plain Python thread."""
        self(args.exc_type, args.exc_value, args.exc_traceback)


def install_excepthook() -> UncaughtExceptionHook:
    """Install the hook for the GUI's process (`sys` and `threading`); returns it."""
    hook = UncaughtExceptionHook()
    messages.bridge()  # made here, on the GUI thread, before any worker reports
    sys.excepthook = hook
    threading.excepthook = hook.thread_hook
    return hook


def _summary(exc_type: type[BaseException], exc: BaseException | None) -> str:
    what = f"{exc_type.__name__}: {exc}" if exc is not None and str(exc) else exc_type.__name__
    return (
        f"Something went wrong inside Roundtable ({what}). What you were doing may not "
        "have finished; the details below and the log say where."
    )
