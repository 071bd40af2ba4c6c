"""One path for what the app must tell the person at the screen: errors, warnings, notes.

Workers, slots and the engine client report through the functions here, from any
thread; the message is logged where it is reported, then handed to the GUI thread by
the bridge's signals, and the window shows it (`MessagePresenter`: an error as a
dialog, a warning or a note in the status bar). Code that can show a problem where
it happened (a settings page's note) does so and needs none of this; this is for
everything else, so that no failure is lost in a worker or a log nobody reads.

    messages.error("Could not read the history.", exc=exc)

The excepthook in `roundtable.gui.support.excepthook` reports what nobody caught the
same way.
"""

from __future__ import annotations

import functools
import logging
import traceback

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox

log = logging.getLogger(__name__)

#: How long a warning or a note stays in the status bar.
STATUS_MESSAGE_MS = 10_000


class MessageBridge(QObject):
    """The app's one message bridge; `bridge()` returns it.

    Signals (queued to the GUI thread when reported from another thread):
    """

    #: (text, detail) something failed; `detail` is for the curious (a traceback).
    error_reported = Signal(str, str)
    #: (text) something went wrong that the person should know of, nothing failed yet.
    warning_reported = Signal(str)
    #: (text) a note for the status bar.
    info_reported = Signal(str)


@functools.cache
def bridge() -> MessageBridge:
    """The one bridge, made on first use (by `install_excepthook`, on the GUI thread)."""
    made = MessageBridge()
    app = QCoreApplication.instance()
    if app is not None:
        # Made from a worker, it must still deliver on the GUI thread.
        made.moveToThread(app.thread())
    return made


def error(text: str, *, detail: str = "", exc: BaseException | None = None) -> None:
    """Report a failure: logged (with `exc`'s traceback), then shown as a dialog."""
    log.error("%s", text, exc_info=exc)
    if exc is not None and not detail:
        detail = "".join(traceback.format_exception(exc))
    bridge().error_reported.emit(text, detail)


def warning(text: str) -> None:
    log.warning("%s", text)
    bridge().warning_reported.emit(text)


def info(text: str) -> None:
    log.info("%s", text)
    bridge().info_reported.emit(text)


class MessagePresenter(QObject):
    """Shows the bridge's messages in a main window: errors in a dialog, the rest in
    the status bar.

    A burst of errors (a worker failing for every row, an exception in each paint)
    opens one dialog, not one per error: while it is open, later errors only count,
    and the dialog says how many more there were. The dialog is window-modal but not
    a nested event loop (`open()`, not `exec()`), so showing it from inside a failing
    slot cannot re-enter that slot.

    Signals:
        dialog_shown(QMessageBox): an error dialog opened (tests and screenshots).
    """

    #: (box) the dialog that now shows an error.
    dialog_shown = Signal(QMessageBox)

    def __init__(self, window: QMainWindow, source: MessageBridge | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._box: QMessageBox | None = None
        self._more = 0
        self._connect_signals(source or bridge())

    def _connect_signals(self, source: MessageBridge) -> None:
        # Queued even on the GUI thread: a dialog is never opened in the middle of the
        # paint event or slot that reported the error.
        queued = Qt.ConnectionType.QueuedConnection
        source.error_reported.connect(self.show_error, queued)
        source.warning_reported.connect(self.show_status, queued)
        source.info_reported.connect(self.show_status, queued)

    @property
    def dialog(self) -> QMessageBox | None:
        """The error dialog on screen, if one is."""
        return self._box

    def show_error(self, text: str, detail: str) -> None:
        if self._box is not None:
            self._more += 1
            plural = "error" if self._more == 1 else "errors"
            self._box.setInformativeText(
                f"{self._more} more {plural} since; the log has every one."
            )
            return
        box = QMessageBox(QMessageBox.Icon.Critical, "Roundtable", text, parent=self._window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if detail:
            box.setDetailedText(detail)
        box.finished.connect(self._closed)
        self._box, self._more = box, 0
        box.open()
        self.dialog_shown.emit(box)

    def show_status(self, text: str) -> None:
        self._window.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    def _closed(self) -> None:
        self._box = None
