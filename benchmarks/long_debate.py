"""Long-debate benchmark: open, scroll and replay a stored 1,000-turn debate in the app.

Generates the debate (`long_debate_data`: 8 seats, 125 rounds, hundreds of words a turn,
about 2 MB of text) into a temporary database, then runs each measurement in a fresh
GUI process (the real MainWindow, offscreen, 1440x900), as a user's session would be:

- open: from `open_debate` (the history's double-click) to the transcript's first paint,
  and the process's resident memory (RSS) with the debate open;
- scroll: from the top to the end a wheel-flick at a time (360 px a frame), each frame
  timed from the scroll to its paint done; the worst and the median frame; then a jump
  from the top to the end (Ctrl+End) as one frame;
- replay: from the start, "next turn" through every turn (each step timed with its paint),
  a few steps back, and the RSS growth over the whole replay; then at 10%, 40%, 70% and
  99% of the turns, a jump there from the end (the scrubber) and a step back.

Prints every run, then the medians over runs. Targets (issue 12): first paint <= 300 ms,
RSS <= 250 MB, scrolling worst frame <= 33 ms, replay steps <= 33 ms and flat memory.

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/long_debate.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

#: Scrolled per frame: three wheel notches of a fast flick.
SCROLL_STEP_PX = 360
#: A replay that grows past this much resident memory is stopped (the old code did).
RSS_GUARD_MB = 3000


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# ------------------------------------------------------------------ child: one session
class Session:
    """The real window on the long debate's database, and frames timed in it."""

    def __init__(self, db_path: str) -> None:
        from PySide6.QtCore import QEvent, QObject

        from roundtable.gui.app import create_window
        from roundtable.gui.widgets.markdown_view import render_markdown
        from roundtable.storage.db import open_database

        self.app, self.window = create_window([])
        self.window.resize(1440, 900)
        self.window.database = open_database(db_path)
        render_markdown("*warm-up*")  # as the app's start-up does, on a worker, once shown
        for _ in range(5):
            self.app.processEvents()
        self.transcript = self.window.debate_view.transcript
        self.viewport = self.transcript.viewport()
        self.painted = False
        session = self

        class PaintWatch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    session.painted = True
                return False

        self._watch = PaintWatch()
        # The scrolled surface covers the viewport: either one painting is the first paint.
        self.viewport.installEventFilter(self._watch)
        self.transcript.widget().installEventFilter(self._watch)
        #: The GUI thread's CPU time of each frame since the last clear.
        self.cpu: list[float] = []

    def frame(self, action: Callable[[], object]) -> float:
        """Run `action`, then paint what it changed: milliseconds for both, wall clock
        (the GUI thread's CPU time goes to `cpu`). Widgets let go with deleteLater are
        deleted, as the event loop does between two frames."""
        from PySide6.QtCore import QCoreApplication, QEvent

        started, started_cpu = time.perf_counter(), time.thread_time()
        action()
        self.app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        self.viewport.repaint()
        self.cpu.append((time.thread_time() - started_cpu) * 1000)
        return (time.perf_counter() - started) * 1000

    def open(self, debate_id: str) -> float:
        """From the history's request to the transcript's first paint, in ms."""
        self.painted = False
        started, started_cpu = time.perf_counter(), time.thread_time()
        self.window.open_debate(debate_id)
        while not self.painted:
            self.app.processEvents()
        self.cpu.append((time.thread_time() - started_cpu) * 1000)
        return (time.perf_counter() - started) * 1000

    def scroll_to_end(self) -> tuple[list[float], float]:
        """Frames scrolling from the top to the end, and the worst frame's CPU time."""
        bar = self.transcript.verticalScrollBar()
        self.frame(lambda: bar.setValue(0))
        self.cpu.clear()
        frames = []
        while bar.value() < bar.maximum():
            frames.append(self.frame(lambda: bar.setValue(bar.value() + SCROLL_STEP_PX)))
        return frames, max(self.cpu, default=0.0)

    def jump_to_end(self) -> float:
        bar = self.transcript.verticalScrollBar()
        self.frame(lambda: bar.setValue(0))
        return self.frame(lambda: bar.setValue(bar.maximum()))

    def replay(self, most: int) -> dict[str, object]:
        """Every turn from the start with "next turn", ten back; RSS over the replay."""
        replay = self.window.replay
        self.frame(replay.to_start)
        rss_start = rss_max = rss_mb()
        steps: list[float] = []
        stopped = ""
        self.cpu.clear()
        while replay.position < min(replay.total_turns, most):
            steps.append(self.frame(replay.next_turn))
            if len(steps) % 25 == 0:
                rss_max = max(rss_max, rss_mb())
                if rss_max > RSS_GUARD_MB:
                    stopped = f"stopped at {len(steps)} steps: RSS {rss_max:.0f} MB"
                    break
        step_cpu = list(self.cpu)
        self.cpu.clear()
        back = [self.frame(replay.previous_turn) for _ in range(10)] if not stopped else []
        back_cpu = list(self.cpu)
        # A step back, and a jump there from the end (the scrubber), at several positions:
        # each should cost the same wherever it lands.
        back_at: dict[str, float] = {}
        jump_at: dict[str, float] = {}
        for share in (0.1, 0.4, 0.7, 0.99) if not stopped else ():
            where = max(1, round(replay.total_turns * share))
            self.frame(replay.to_end)
            jump_at[str(where)] = self.frame(partial(replay.seek, where))
            jump_at[f"{where} CPU"] = self.cpu[-1]
            back_at[str(where)] = self.frame(replay.previous_turn)
            back_at[f"{where} CPU"] = self.cpu[-1]
        return {
            "replay_steps": len(steps),
            "step_median_ms": statistics.median(steps) if steps else 0.0,
            "step_worst_ms": max(steps, default=0.0),
            "step_median_cpu_ms": statistics.median(step_cpu) if step_cpu else 0.0,
            "step_worst_cpu_ms": max(step_cpu, default=0.0),
            "back_median_ms": statistics.median(back) if back else 0.0,
            "back_worst_ms": max(back, default=0.0),
            "back_median_cpu_ms": statistics.median(back_cpu) if back_cpu else 0.0,
            "back_worst_cpu_ms": max(back_cpu, default=0.0),
            "back_at_ms": back_at,
            "jump_at_ms": jump_at,
            "replay_rss_growth_mb": max(rss_max, rss_mb()) - rss_start,
            "stopped": stopped,
        }


def child(db_path: str, debate_id: str, replay_steps: int, parts: str) -> dict[str, object]:
    session = Session(db_path)
    rss_before = rss_mb()
    open_ms = session.open(debate_id)
    open_cpu = session.cpu[-1]
    for _ in range(20):
        session.app.processEvents()
    rss_open = rss_mb()
    frames, scroll_cpu = session.scroll_to_end() if "scroll" in parts else ([], 0.0)
    jump_ms = session.jump_to_end() if "scroll" in parts else 0.0
    replayed = session.replay(replay_steps if "replay" in parts else 0)
    session.window.close()
    session.app.processEvents()
    return {
        "open_ms": open_ms,
        "open_cpu_ms": open_cpu,
        "rss_before_mb": rss_before,
        "rss_open_mb": rss_open,
        "scroll_frames": len(frames),
        "scroll_worst_ms": max(frames, default=0.0),
        "scroll_median_ms": statistics.median(frames) if frames else 0.0,
        "scroll_worst_cpu_ms": scroll_cpu,
        "jump_to_end_ms": jump_ms,
        **replayed,
    }


# ------------------------------------------------------------------ parent
def make_database(folder: str, turns: int, seats: int) -> tuple[str, str, float]:
    from long_debate_data import write_long_debate

    from roundtable.storage.db import open_database

    path = os.path.join(folder, "long.db")
    db = open_database(path)
    debate_id = write_long_debate(db, turns=turns, seats=seats)
    db.close()
    return path, debate_id, os.path.getsize(path) / 1e6


def one_run(
    db_path: str, debate_id: str, replay_steps: int, data_dir: str, parts: str
) -> dict[str, object]:
    env = os.environ | {"ROUNDTABLE_DATA_DIR": data_dir}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = subprocess.run(
        [sys.executable, __file__, "--child", db_path, debate_id, str(replay_steps), parts],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=True,
    )
    last = result.stdout.strip().splitlines()[-1]
    return dict(json.loads(last))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--turns", type=int, default=1000)
    parser.add_argument("--seats", type=int, default=8)
    parser.add_argument("--replay-steps", type=int, default=100_000)
    parser.add_argument(
        "--parts",
        default="open,scroll,replay",
        help="what to measure after opening (the code before the change took minutes)",
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        db_path, debate_id, steps, parts = args.child
        print(json.dumps(child(db_path, debate_id, int(steps), parts)))
        return
    with tempfile.TemporaryDirectory(prefix="roundtable-long-") as folder:
        path, debate_id, size_mb = make_database(folder, args.turns, args.seats)
        print(
            f"{args.turns} turns, {args.seats} seats, database {size_mb:.1f} MB; "
            f"real window offscreen 1440x900, {os.cpu_count()} cores"
        )
        runs = []
        for number in range(1, args.runs + 1):
            before = load()
            run = one_run(path, debate_id, args.replay_steps, folder, args.parts)
            runs.append(run)
            print(
                f"run {number} (load {before}): open {run['open_ms']:.0f} ms (CPU "
                f"{run.get('open_cpu_ms', 0):.0f} ms), "
                f"RSS {run['rss_open_mb']:.0f} MB (window alone {run['rss_before_mb']:.0f}); "
                f"scroll {run['scroll_frames']} frames worst {run['scroll_worst_ms']:.1f} ms "
                f"median {run['scroll_median_ms']:.1f} ms (worst CPU "
                f"{run.get('scroll_worst_cpu_ms', 0):.1f} ms), jump to end "
                f"{run['jump_to_end_ms']:.1f} ms; replay {run['replay_steps']} steps median "
                f"{run['step_median_ms']:.1f} ms worst {run['step_worst_ms']:.1f} ms (CPU "
                f"{run.get('step_median_cpu_ms', 0):.1f} / {run.get('step_worst_cpu_ms', 0):.1f}"
                f" ms), back "
                f"median {run['back_median_ms']:.1f} worst {run['back_worst_ms']:.1f} ms (CPU "
                f"{run.get('back_median_cpu_ms', 0):.1f} / {run.get('back_worst_cpu_ms', 0):.1f}"
                " ms), "
                f"RSS growth {run['replay_rss_growth_mb']:.0f} MB {run['stopped']}"
            )
            back_at, jump_at = run.get("back_at_ms"), run.get("jump_at_ms")
            if isinstance(back_at, dict) and isinstance(jump_at, dict):
                print(
                    "  at turn: "
                    + ", ".join(
                        f"{turn}: jump from the end {jump_at[turn]:.1f} ms (CPU "
                        f"{jump_at[turn + ' CPU']:.1f}), back {ms:.1f} ms (CPU "
                        f"{back_at[turn + ' CPU']:.1f})"
                        for turn, ms in back_at.items()
                        if not turn.endswith("CPU")
                    )
                )

        def median(key: str) -> float:
            return statistics.median(float(str(run[key])) for run in runs)

        print(
            f"medians: open to first paint {median('open_ms'):.0f} ms (target <= 300; CPU "
            f"{median('open_cpu_ms'):.0f} ms), "
            f"RSS open {median('rss_open_mb'):.0f} MB (<= 250), scroll worst frame "
            f"{median('scroll_worst_ms'):.1f} ms (<= 33), jump to end "
            f"{median('jump_to_end_ms'):.1f} ms, replay step median "
            f"{median('step_median_ms'):.1f} ms worst {median('step_worst_ms'):.1f} ms "
            f"(<= 33), step back worst {median('back_worst_ms'):.1f} ms, replay RSS growth "
            f"{median('replay_rss_growth_mb'):.0f} MB (flat); load now {load()}"
        )


if __name__ == "__main__":
    main()
