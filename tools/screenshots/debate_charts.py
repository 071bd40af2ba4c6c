"""Screenshots of the debate view's Charts tab for a person to look at (nothing is asserted).

    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python tools/screenshots/debate_charts.py [out_dir]

The bat-and-ball debate at 1600x1000 and 1000x650, in the app's light and dark
themes: finished, mid-way (after round 1, as a live debate or a replay would show
it), a hover tooltip, and a twelve-seat debate.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QPoint
from PySide6.QtGui import QCursor, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from roundtable.domain import RoundFinished
from roundtable.gui.debate.view import DebateView
from roundtable.gui.style.theme import apply_theme
from tests.helpers.debates import bat_and_ball_debate
from tools.screenshots.debate_view import many_seats_events


def settle() -> None:
    QTest.qWait(400)
    QApplication.processEvents()


def snap(widget: QWidget, path: Path, *, tooltip: bool = False) -> None:
    settle()
    shot = widget.grab()
    if tooltip and QToolTip.isVisible():
        # The tooltip is a window of its own: paint it where it shows over the view.
        tip = next(w for w in QApplication.topLevelWidgets() if w.inherits("QTipLabel"))
        painter = QPainter(shot)
        painter.drawPixmap(widget.mapFromGlobal(tip.pos()), tip.grab())
        painter.end()
    shot.save(str(path))
    print("saved", path)


def show(size: tuple[int, int]) -> DebateView:
    view = DebateView()
    view.resize(*size)
    view.show()
    view.tabs.setCurrentWidget(view.charts)
    return view


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/snaps")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    events = bat_and_ball_debate()
    first_round_end = next(i for i, e in enumerate(events) if isinstance(e, RoundFinished))
    for theme in ("light", "dark"):
        apply_theme(app, theme)
        for size in ((1600, 1000), (1000, 650)):
            name = f"{theme}_{size[0]}"
            view = show(size)
            for event in events[: first_round_end + 1]:
                view.apply(event)
            snap(view, out / f"charts_{name}_1_after_round1.png")
            for event in events[first_round_end + 1 :]:
                view.apply(event)
            snap(view, out / f"charts_{name}_2_finished.png")
            view.charts.verticalScrollBar().setValue(view.charts.verticalScrollBar().maximum())
            snap(view, out / f"charts_{name}_3_scrolled.png")
            view.charts.verticalScrollBar().setValue(0)
            settle()
            answers = view.charts.views[1]
            view.charts.ensureWidgetVisible(answers)
            settle()
            target = answers.point_position(3)  # Grace, round 2: she moved
            QTest.mouseMove(answers.canvas, target)
            QCursor.setPos(answers.canvas.mapToGlobal(target))
            QTest.mouseMove(answers.canvas, target + QPoint(1, 1))
            snap(view, out / f"charts_{name}_4_hover.png", tooltip=True)
            view.close()
        many = show((1600, 1000))
        many.apply_all(many_seats_events(12))
        snap(many, out / f"charts_{theme}_5_twelve_seats.png")
        many.close()


if __name__ == "__main__":
    main()
