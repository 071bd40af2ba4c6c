"""The last line of defence: uncaught exceptions and failed workers reach the person."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMainWindow

from roundtable.gui.support import messages
from roundtable.gui.support.excepthook import UncaughtExceptionHook
from roundtable.gui.support.workers import run_in_thread


class _Button(QObject):
    clicked = Signal()  #: ()


def _broken_slot() -> None:
    raise ZeroDivisionError("the slot divided by zero")


@pytest.fixture
def window(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    return window


@pytest.fixture
def hook(monkeypatch):
    """Our hook in force instead of pytest-qt's (which fails the test on any exception)."""
    installed = UncaughtExceptionHook()
    monkeypatch.setattr(sys, "excepthook", installed)
    return installed


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_shown_in_one_dialog(hook, window, qtbot, caplog):
    presenter = messages.MessagePresenter(window)
    button = _Button()
    button.clicked.connect(_broken_slot)
    # From the event loop, as a click would run it: Qt cannot raise it any further.
    with qtbot.waitSignal(presenter.dialog_shown) as shown:
        QTimer.singleShot(0, button.clicked.emit)
    box = shown.args[0]
    assert "ZeroDivisionError" in box.text()
    assert "the slot divided by zero" in box.detailedText()
    assert "_broken_slot" in box.detailedText()  # the traceback, for a bug report
    logged = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert [record.exc_info[0] for record in logged if record.exc_info] == [ZeroDivisionError]

    # A burst (the same fault in every paint) adds to the dialog, it does not stack more.
    with qtbot.waitSignal(messages.bridge().error_reported):
        button.clicked.emit()
        button.clicked.emit()
    qtbot.waitUntil(lambda: "2 more errors" in box.informativeText())
    assert presenter.dialog is box
    box.done(0)
    assert presenter.dialog is None


@pytest.mark.qt_no_exception_capture
def test_a_failure_while_reporting_is_not_reported_again(hook, qtbot, capsys):
    reported: list[str] = []

    def broken_listener(text: str, detail: str) -> None:
        reported.append(text)
        raise RuntimeError("the listener broke too")

    bridge = messages.bridge()
    bridge.error_reported.connect(broken_listener)
    try:
        hook(ZeroDivisionError, ZeroDivisionError("first"), None)
    finally:
        bridge.error_reported.disconnect(broken_listener)
    assert len(reported) == 1  # the listener's own error did not come round again
    assert "the listener broke too" in capsys.readouterr().err  # but it is not hidden


def test_a_worker_that_fails_unheard_reaches_the_bridge(qtbot):
    with qtbot.waitSignal(messages.bridge().error_reported) as reported:
        run_in_thread(lambda: 1 / 0, name="warm_up")
    text, detail = reported.args
    assert "warm_up" in text
    assert "ZeroDivisionError" in detail


def test_a_worker_whose_caller_shows_the_failure_is_not_shown_twice(qtbot):
    bridged: list[str] = []

    def listen(text: str, _detail: str) -> None:
        bridged.append(text)

    messages.bridge().error_reported.connect(listen)
    try:
        job = run_in_thread(lambda: 1 / 0, name="probe")
        with qtbot.waitSignal(job.failed):
            pass
    finally:
        messages.bridge().error_reported.disconnect(listen)
    assert bridged == []


def test_warnings_and_notes_go_to_the_status_bar(window, qtbot):
    messages.MessagePresenter(window)
    messages.warning("The engine is restarting.")
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "The engine is restarting.")
