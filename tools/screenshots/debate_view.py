"""Screenshots of the debate view for a person to look at (not a test: nothing is asserted).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots/debate_view.py [out_dir]

Builds a DebateView at 1280x800, feeds a synthetic debate through the live path
(`apply`, event by event) and the replay path (`apply_all`), and saves PNGs of the
mid-stream and finished states in a light and a dark palette, plus tighter layouts
(5 and 12 seats, a 700x320 table).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QElapsedTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from roundtable.domain import DebateSpec, DebateStarted, Event, Seat, TurnStarted
from roundtable.gui.debate.view import DebateView
from tests.helpers.debates import bat_and_ball_debate
from tests.helpers.events import EventBuilder, answer, usage

DARK = {
    QPalette.ColorRole.Window: "#1e1f22",
    QPalette.ColorRole.WindowText: "#e3e3e3",
    QPalette.ColorRole.Base: "#26282c",
    QPalette.ColorRole.AlternateBase: "#2c2e33",
    QPalette.ColorRole.Text: "#e3e3e3",
    QPalette.ColorRole.Button: "#2b2d31",
    QPalette.ColorRole.ButtonText: "#e3e3e3",
    QPalette.ColorRole.Highlight: "#3d7bd9",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#6aa5ff",
    QPalette.ColorRole.Mid: "#3a3c40",
    QPalette.ColorRole.Dark: "#141517",
    QPalette.ColorRole.Light: "#3c3f44",
    QPalette.ColorRole.ToolTipBase: "#2b2d31",
    QPalette.ColorRole.ToolTipText: "#e3e3e3",
    QPalette.ColorRole.PlaceholderText: "#8a8d93",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    return palette


def many_seats_events(count: int) -> list[Event]:
    """A debate of `count` seats from several providers, mid-way through round 2."""
    providers = [
        "openai/gpt-4o",
        "anthropic/claude-sonnet-4-5",
        "gemini/gemini-2.5-pro",
        "ollama/llama3.1:8b",
        "demo/ada",
        "mistral/mistral-large-latest",
        "groq/llama-3.3-70b-versatile",
        "openrouter/qwen/qwen3-235b",
    ]
    names = [
        "Ada",
        "Grace",
        "Linus",
        "Barbara",
        "Alan",
        "Edsger",
        "Margaret",
        "Dennis",
        "Frances",
        "Ken",
        "Radia",
        "Guido",
    ]
    seats = tuple(
        Seat(id=f"s{i}", name=names[i % len(names)], model=providers[i % len(providers)])
        for i in range(count)
    )
    f = EventBuilder(f"many-{count}", step_s=0.25)
    f.add(
        DebateStarted,
        spec=DebateSpec(
            question="Is 2^61 - 1 a prime number? Answer yes or no.", seats=seats, max_rounds=3
        ),
    )
    from roundtable.domain import RoundFinished, RoundStarted, TurnFailed, TurnFinished

    ids = tuple(seat.id for seat in seats)
    f.add(RoundStarted, round=0, seat_ids=ids)
    for i, seat_id in enumerate(ids):
        f.add(TurnStarted, round=0, seat_id=seat_id)
        if i == 3:
            f.add(
                TurnFailed,
                round=0,
                seat_id=seat_id,
                error_kind="auth",
                message="No API key for this provider: set it in Settings.",
            )
            continue
        display = "yes" if i % 3 else "no"
        text = f"2^61 - 1 is a Mersenne number.\n\nFinal answer: {display}\nConfidence: 0.8"
        f.add(
            TurnFinished,
            round=0,
            seat_id=seat_id,
            text=text,
            answer=answer(display, 0.6 + 0.03 * i),
            usage=usage(150 + 5 * i, 150 + 5 * i),
        )
    f.add(RoundFinished, round=0, tally={"yes": 2.0, "no": 0.8}, agreement=0.64, leader="yes")
    live = tuple(seat_id for i, seat_id in enumerate(ids) if i != 3)
    f.add(RoundStarted, round=1, seat_ids=live)
    for i, seat_id in enumerate(live):
        f.add(TurnStarted, round=1, seat_id=seat_id)
        if i % 2 == 0:
            f.stream_text(1, seat_id, "It is M61, proven prime by Pervushin in 1883. ")
    return f.events


def settle(widget: QWidget) -> None:
    """Let layouts, the flush timer and the paint queue run."""
    QTest.qWait(250)
    QApplication.processEvents()


def snap(widget: QWidget, path: Path) -> None:
    settle(widget)
    widget.grab().save(str(path))
    print("saved", path)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/snaps")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    light = app.palette()
    events = bat_and_ball_debate()
    for theme, palette in (("light", light), ("dark", dark_palette())):
        app.setPalette(palette)
        view = DebateView()
        view.resize(1280, 800)
        view.show()
        # Live path: round 1 mid-stream (Ada streaming, Grace retrying, Linus thinking).
        for event in events[:16]:
            view.apply(event)
        snap(view, out / f"debate_{theme}_1_round1_streaming.png")
        for event in events[16:45]:
            view.apply(event)
        snap(view, out / f"debate_{theme}_2_round2_streaming.png")
        for event in events[45:]:
            view.apply(event)
        snap(view, out / f"debate_{theme}_3_finished.png")
        view.transcript.verticalScrollBar().setValue(0)
        snap(view, out / f"debate_{theme}_4_finished_top.png")
        view.set_seat_filter("grace")
        view.transcript.verticalScrollBar().setValue(0)
        snap(view, out / f"debate_{theme}_5_filtered_grace.png")
        # Replay path: the same debate opened at its end at once.
        replay = DebateView()
        replay.resize(1280, 800)
        replay.show()
        timer = QElapsedTimer()
        timer.start()
        replay.apply_all(events)
        print(f"apply_all of {len(events)} events: {timer.elapsed()} ms")
        snap(replay, out / f"debate_{theme}_6_replayed.png")
        dialog = view.transcript.open_diff(1, "grace")
        if dialog is not None:
            snap(dialog, out / f"debate_{theme}_7_diff.png")
            dialog.close()
        for count, size in ((5, (1280, 800)), (12, (1280, 800)), (12, (900, 640))):
            many = DebateView()
            many.resize(*size)
            many.show()
            many.apply_all(many_seats_events(count))
            snap(many, out / f"debate_{theme}_seats{count}_{size[0]}.png")
            many.close()
        small = DebateView()
        small.resize(700, 700)
        small.splitter.setSizes([320, 380])
        small.show()
        small.apply_all(events[:40])
        snap(small, out / f"debate_{theme}_small_700.png")
        for widget in (view, replay, small):
            widget.close()


if __name__ == "__main__":
    main()
