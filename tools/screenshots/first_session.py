"""Screenshots of the real app, for a person to look at: `make screenshots`.

Runs the real MainWindow (and its engine child process) on a display — under Xvfb
via the Makefile — with a fresh data directory, plays a new user's first session with
the demo table, and saves PNGs: first run, a debate mid-stream, the finished debate,
history with a search, replay, settings with a local OpenAI-compatible server added
and tested, one of its models seated at the table, and the dark theme.

    python tools/screenshots/first_session.py [OUT_DIR]      (default: screenshots/)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "screenshots")
DATA = Path(tempfile.mkdtemp(prefix="roundtable-shots-"))
os.environ["ROUNDTABLE_DATA_DIR"] = str(DATA)
os.environ["ROUNDTABLE_DB"] = str(DATA / "roundtable.db")
# Slow enough to catch text mid-stream, fast enough not to wait long.
os.environ.setdefault("ROUNDTABLE_DEMO_SPEED", "2")
for var in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OPENAI_API_BASE"):
    os.environ.pop(var, None)

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from roundtable.gui.main_window import MainWindow  # noqa: E402
from roundtable.gui.settings.dialog import SettingsDialog  # noqa: E402
from roundtable.gui.style.theme import apply_theme  # noqa: E402
from roundtable.gui.support.settings_store import AppSettings  # noqa: E402
from tests.fakes.openai_server import FakeOpenAIServer  # noqa: E402


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        # Not QTest.qWait: it keeps the GIL while it waits, and the worker threads that
        # open the database and list models then crawl. Sleeping lets them run.
        QCoreApplication.processEvents()
        time.sleep(0.05)


def shot(widget: QWidget, name: str) -> None:
    QCoreApplication.processEvents()
    QTest.qWait(150)  # let animations and deferred layouts settle
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(f"saved {path}")


def first_debate(window: MainWindow) -> None:
    wait_until(lambda: window.database is not None, 30, "the database")
    assert window.engine is not None
    wait_until(lambda: window.engine.is_ready, 60, "the engine")  # type: ignore[union-attr]
    wait_until(window.setup.is_valid, 20, "the demo table to be seated")
    shot(window, "01-first-run")
    window.window_actions.start.trigger()
    state = window.debate_view.state
    wait_until(
        lambda: (
            len(state.rounds) >= 2 and any(turn.text for turn in state.rounds[-1].turns.values())
        ),
        120,
        "round 2 to stream",
    )
    QTest.qWait(600)
    shot(window, "02-mid-stream")
    wait_until(lambda: window.shown.live_id is None, 180, "the debate to finish")
    shot(window, "03-finished")


def history_and_replay(window: MainWindow) -> str:
    window.history.search_box.setText("17*23")
    wait_until(lambda: window.history.shown_query == "17*23", 10, "search results")
    shot(window, "04-history-search")
    debate_id = window.history.current_debate_id() or window.history.model.summary(0).id
    window.open_debate(debate_id)
    window.replay.to_start()
    window.replay.set_speed(4.0)
    window.replay.play()
    wait_until(lambda: window.replay.position >= 4, 60, "replay to reach turn 4")
    window.replay.pause()
    shot(window, "05-replay")
    return debate_id


def add_local_server(window: MainWindow, settings: AppSettings) -> None:
    with FakeOpenAIServer() as server:
        dialog = SettingsDialog(settings, window)
        dialog.resize(900, 640)
        dialog.show()
        shot(dialog, "06-settings-providers")
        dialog.show_page("servers")
        page = dialog.servers_page
        page.url_edit.setText(server.base_url)
        page.add_button.click()
        page.url_list.setCurrentRow(page.url_list.count() - 1)
        page.test_button.click()
        wait_until(lambda: "OK" in page.result_label.text(), 20, "the server test")
        shot(dialog, "07-settings-server-added")
        dialog.accept()
        # What the window does after Settings closes with OK.
        window.show_setup()
        window.setup.refresh_models()
        picker = window.setup.picker
        wait_until(lambda: "openai/fake-gpt" in picker.model_ids(), 20, "the server's models")
        picker.choose("openai/fake-gpt")
        picker.add_button.click()
        shot(window, "08-server-model-seated")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    settings = AppSettings()
    apply_theme(app, "light", settings.font_size())
    window = MainWindow(settings)
    window.resize(1440, 900)
    window.show()
    window.finish_startup()
    first_debate(window)
    debate_id = history_and_replay(window)
    add_local_server(window, settings)
    apply_theme(app, "dark", settings.font_size())
    window.open_debate(debate_id)
    shot(window, "09-dark-finished")
    window.show_setup()
    shot(window, "10-dark-setup")
    window.close()


if __name__ == "__main__":
    main()
