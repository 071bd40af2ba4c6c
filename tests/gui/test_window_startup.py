"""The first seconds: the window says what the engine is doing, the table can be set
and started while it warms up, and the history does not claim to be empty before it
has been read."""

from __future__ import annotations

import pytest

from roundtable.gui.history.panel import EMPTY_TEXT
from roundtable.gui.main_window import MainWindow
from roundtable.gui.support.settings_store import AppSettings
from tests.helpers.windows import window_on_history


@pytest.fixture
def window(qtbot, tmp_path):
    with window_on_history(qtbot, tmp_path, engine_ready=False) as win:
        yield win


def test_the_starting_engine_is_explained(window):
    assert "loading the model libraries" in window.engine_label.text()
    assert "Set the table meanwhile" in window.engine_label.toolTip()


def test_start_pressed_while_the_engine_warms_up_runs_once_it_is_ready(window):
    actions, engine = window.window_actions, window.engine
    assert actions.start.isEnabled(), "the table can be started before the engine is ready"
    assert window.setup.start_button.isEnabled()
    question = window.setup.spec().question
    window.setup.start_button.click()
    assert engine.calls == []
    assert "begins as soon as it is ready" in window.engine_label.text()
    assert not actions.start.isEnabled(), "asked once, not twice"
    window.setup.set_question("Changed my mind?")  # the form stays editable

    engine.is_ready = True
    window._engine_ready()
    assert [call[0] for call in engine.calls] == ["start"]
    assert engine.calls[0][1].question == question, "the debate asked for, as it was"
    assert window.shown.live_id == "live-1"
    assert window.pages.currentIndex() == 1
    assert window.engine_label.text() == "Engine: ready"


def test_stop_forgets_a_start_that_was_waiting(window):
    window.window_actions.start.trigger()
    assert window.window_actions.stop.isEnabled()
    window.window_actions.stop.trigger()
    window.engine.is_ready = True
    window._engine_ready()
    assert window.engine.calls == []
    assert window.window_actions.start.isEnabled()


def test_the_history_says_it_is_opening_not_empty_before_the_database_is_read(qtbot, tmp_path):
    from roundtable.storage import open_database

    window = MainWindow(AppSettings(), db_location=str(tmp_path / "new.db"))
    qtbot.addWidget(window)
    window.show()
    label = window.history.empty_label
    assert label.isVisible()
    assert label.text() != EMPTY_TEXT
    assert "Opening" in label.text()
    database = open_database(str(tmp_path / "new.db"))
    window.history.set_database(database)
    assert label.text() == EMPTY_TEXT
    database.close()


def test_an_upgrade_of_the_database_is_said_while_the_window_waits_for_it(
    qtbot, tmp_path, monkeypatch
):
    # A large history takes a minute or two to upgrade: the list and the engine's line
    # say so instead of "Opening…" and "loading the model libraries".
    from roundtable.storage import open_database
    from tests.helpers.debates import finished_debate
    from tests.helpers.events import record
    from tests.helpers.schema import ship_next_revision

    path = tmp_path / "roundtable.db"
    with open_database(path) as database:
        record(database, finished_debate("kept"))
    ship_next_revision(tmp_path, monkeypatch)
    window = MainWindow(AppSettings(), db_location=str(path))
    qtbot.addWidget(window)
    window.show()
    opening = window.database_opening
    seen: list[tuple[str, str]] = []
    opening.upgrading.connect(
        lambda _notice: seen.append((window.history.empty_label.text(), window.engine_label.text()))
    )
    opened: list[object] = []

    with qtbot.waitSignal(opening.upgrading, timeout=10_000):
        # As finish_startup asks, without an engine to start afterwards.
        opening.start(str(path), [window.history.set_database, opened.append], None)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)

    ((history_said, engine_said),) = seen
    assert history_said.startswith("Upgrading the database")
    assert "this happens once" in history_said
    assert engine_said == "Engine: waits for the database upgrade…"
    assert window.history.model.rowCount() == 1  # and then the list, as ever
    opened[0].close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("opens", [True, False])
def test_the_models_are_listed_after_the_history_or_when_the_database_fails(
    qtbot, tmp_path, monkeypatch, opens
):
    # Listing the models loads libraries on a worker: done first, it held the history
    # back (one GIL); it must still happen when the database cannot be opened.
    from roundtable.gui import window_startup

    location = tmp_path / ("roundtable.db" if opens else "a-folder")
    if not opens:
        location.mkdir()
    window = MainWindow(AppSettings(), db_location=str(location))
    qtbot.addWidget(window)
    order: list[str] = []
    monkeypatch.setattr(window.setup.catalogue, "refresh", lambda: order.append("models"))
    monkeypatch.setattr(window_startup.messages, "error", lambda *a, **k: order.append("error"))

    window.database_opening.start(str(location), [lambda _database: order.append("history")], None)
    qtbot.waitUntil(lambda: "models" in order, timeout=10_000)

    assert order == (["history", "models"] if opens else ["error", "models"])


def test_a_closed_window_leaves_no_replay_timer_running(qtbot, tmp_path):
    # The replay makes its snapshots on a timer after a debate opens: a timer that
    # outlived its window fired into it later and crashed the app (seen in the suite).
    from shiboken6 import isValid

    window = MainWindow(AppSettings(), db_location=str(tmp_path / "window.db"))
    replay = window.replay
    window.deleteLater()
    qtbot.waitUntil(lambda: not isValid(replay), timeout=5_000)
