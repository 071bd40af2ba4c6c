"""Screenshots of a 1,000-turn debate in the real window: opened, scrolled, replayed, and
a live demo debate beside it, for a person to look at.

    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb \
        .venv/bin/python tools/screenshots/long_debate.py OUT_DIR [--turns 1000]

Not a test: it records the long debate of `benchmarks/long_debate_data.py` in a
temporary database, starts the app on it (its engine too, for the live debate), and
saves PNGs at 1600x1000 and 1000x650 in the light and the dark theme: the debate just
opened (its end), scrolled half-way, half-way through a replay with a turn streaming,
and a demo debate streaming live. Prints how long each open took.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
DATA = Path(tempfile.mkdtemp(prefix="roundtable-long-shots-"))
os.environ["ROUNDTABLE_DATA_DIR"] = str(DATA)
os.environ["ROUNDTABLE_DB"] = str(DATA / "roundtable.db")
os.environ.setdefault("ROUNDTABLE_DEMO_SPEED", "2")
for var in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OPENAI_API_BASE"):
    os.environ.pop(var, None)

from long_debate_data import write_long_debate  # noqa: E402
from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from roundtable.gui.main_window import MainWindow  # noqa: E402
from roundtable.gui.style.theme import apply_theme  # noqa: E402
from roundtable.gui.support.settings_store import AppSettings  # noqa: E402
from roundtable.storage.db import open_database  # noqa: E402

SIZES = ((1600, 1000), (1000, 650))


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        QCoreApplication.processEvents()
        time.sleep(0.03)


def shot(widget: QWidget, out: Path, name: str) -> None:
    QCoreApplication.processEvents()
    QTest.qWait(200)
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(f"saved {path}")


def long_debate(window: MainWindow, debate_id: str, out: Path, tag: str) -> None:
    started = time.perf_counter()
    window.open_debate(debate_id)
    QCoreApplication.processEvents()
    print(f"{tag}: opened in {(time.perf_counter() - started) * 1000:.0f} ms")
    shot(window, out, f"{tag}-1-open")
    bar = window.debate_view.transcript.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    shot(window, out, f"{tag}-2-mid")
    replay = window.replay
    replay.seek(replay.total_turns // 2 + 3)
    replay.set_speed(1.0)
    replay.play()
    wait_until(lambda: replay.position > replay.total_turns // 2 + 4, 30, "a turn to end")
    QTest.qWait(1200)
    replay.pause()
    shot(window, out, f"{tag}-3-replay")


def live_demo(window: MainWindow, out: Path, tag: str) -> None:
    window.show_setup()
    wait_until(window.setup.is_valid, 20, "the demo table to be seated")
    window.window_actions.start.trigger()
    state = window.debate_view.state
    wait_until(
        lambda: len(state.rounds) >= 2 and any(t.text for t in state.rounds[-1].turns.values()),
        120,
        "round 2 to stream",
    )
    QTest.qWait(700)
    shot(window, out, f"{tag}-4-live")
    wait_until(lambda: window.shown.live_id is None, 180, "the demo debate to finish")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--no-live", action="store_true", help="skip the live demo debate")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db = open_database(os.environ["ROUNDTABLE_DB"])
    debate_id = write_long_debate(db, turns=args.turns)
    db.close()
    app = QApplication(sys.argv[:1])
    settings = AppSettings()
    window = MainWindow(settings)
    window.show()
    window.finish_startup()
    wait_until(lambda: window.database is not None, 30, "the database")
    assert window.engine is not None
    wait_until(lambda: window.engine.is_ready, 60, "the engine")  # type: ignore[union-attr]
    for theme in ("light", "dark"):
        apply_theme(app, theme, settings.font_size())
        for width, height in SIZES:
            window.resize(width, height)
            tag = f"{theme}-{width}x{height}"
            long_debate(window, debate_id, args.out, tag)
            if not args.no_live:
                live_demo(window, args.out, tag)
    window.close()


if __name__ == "__main__":
    main()
