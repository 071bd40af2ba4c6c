"""Screenshots of the Evaluations view, for a person to look at (nothing is asserted).

    ROUNDTABLE_DEMO_SPEED=40 .venv/bin/roundtable eval arithmetic --limit 20 --db RUN.db
    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python tools/screenshots/evaluations.py RUN.db [OUT_DIR [THEME]]

Opens the real window on RUN.db (its engine process included), shows the Evaluations
view and saves, at 1600x1000 and 1000x650: the report's summary (top and scrolled to
its tables), the questions tab, a chart's hover tooltip, and the empty state on a
fresh database. THEME is light, dark or both (the default: each in a process of its
own, as a person starting the app in that theme sees it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
if len(sys.argv) < 2:
    raise SystemExit(__doc__)
RUN_DB = Path(sys.argv[1]).resolve()
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else ROOT / "screenshots" / "evaluations")
THEME = sys.argv[3] if len(sys.argv) > 3 else "both"
DATA = Path(tempfile.mkdtemp(prefix="roundtable-eval-shots-"))
os.environ["ROUNDTABLE_DATA_DIR"] = str(DATA)

from PySide6.QtCore import QCoreApplication, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from roundtable.gui.main_window import MainWindow  # noqa: E402
from roundtable.gui.style.theme import apply_theme  # noqa: E402
from roundtable.gui.support.settings_store import AppSettings  # noqa: E402

SIZES = ((1600, 1000), (1000, 650))


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        # Not QTest.qWait: it keeps the GIL, and the worker threads reading runs crawl.
        QCoreApplication.processEvents()
        time.sleep(0.05)


def settle() -> None:
    for _ in range(6):
        QCoreApplication.processEvents()
        time.sleep(0.05)


def shot(widget: QWidget, name: str) -> None:
    settle()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(f"saved {path}")


def open_window(app: QApplication, location: Path) -> MainWindow:
    window = MainWindow(AppSettings(), db_location=str(location))
    window.show()
    window.finish_startup()
    wait_until(lambda: window.database is not None, 30, "the database")
    return window


def show_evaluations(window: MainWindow, *, with_runs: bool) -> None:
    view = window.evaluations
    shown: list[str] = []
    view.run_shown.connect(shown.append)
    window.window_actions.evaluations.trigger()
    if with_runs:
        wait_until(lambda: bool(shown), 30, "the run's report")
    else:
        wait_until(lambda: view.pages.currentWidget() is view.empty, 30, "the empty state")
    view.run_shown.disconnect(shown.append)


def hover_a_point(window: MainWindow) -> None:
    """Move the mouse over the first chart's first point so its tooltip shows."""
    views = window.evaluations.report.charts.shown_views()
    if not views or not views[0].points():
        return
    view = views[0]
    position = view.point_position(0)
    canvas = view.canvas
    QTest.mouseMove(canvas, position)
    move = QMouseEvent(
        QMouseEvent.Type.MouseMove,
        position,
        canvas.mapToGlobal(position),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas, move)
    settle()


def grab_screen(name: str) -> None:
    """The whole screen: a tooltip is a window of its own, not in the window's grab."""
    settle()
    screen = QApplication.primaryScreen()
    path = OUT / f"{name}.png"
    screen.grabWindow(0).save(str(path))
    print(f"saved {path}")


def report_shots(window: MainWindow, theme: str) -> None:
    report = window.evaluations.report
    for width, height in SIZES:
        window.resize(width, height)
        settle()
        report.tabs.setCurrentWidget(report.summary)
        report.summary.verticalScrollBar().setValue(0)
        shot(window, f"{theme}-{width}x{height}-summary")
        report.scroll_to(report.methods)
        shot(window, f"{theme}-{width}x{height}-tables")
        report.tabs.setCurrentIndex(1)
        shot(window, f"{theme}-{width}x{height}-questions")
        report.scroll_to(report.verdict)
    window.resize(*SIZES[0])
    settle()
    hover_a_point(window)
    grab_screen(f"{theme}-hover")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if THEME == "both":
        for theme in ("light", "dark"):
            subprocess.run([sys.executable, __file__, str(RUN_DB), str(OUT), theme], check=True)
        return
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    settings = AppSettings()
    apply_theme(app, THEME, settings.font_size())
    window = open_window(app, RUN_DB)
    window.move(0, 0)
    show_evaluations(window, with_runs=True)
    report_shots(window, THEME)

    empty = open_window(app, DATA / "empty.db")
    empty.move(0, 0)
    empty.resize(1000, 650)
    show_evaluations(empty, with_runs=False)
    shot(empty, f"{THEME}-1000x650-empty")
    for each in (window, empty):
        each.close()


if __name__ == "__main__":
    main()
