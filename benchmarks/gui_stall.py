"""GUI stall benchmark: does the window stay responsive while 8 seats stream?

The real MainWindow (offscreen), its real engine child process, and 8 seats on the
loopback OpenAI-compatible server streaming 100 tokens/s each (400-token replies).
A 10 ms QTimer records the gaps between its ticks while text streams; a gap well
over 10 ms is a stall the user would feel. Prints each run's worst gap and 99th
percentile, and their medians. Target: worst gap <= 33 ms (two frames at 60 Hz).

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/gui_stall.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ROUNDTABLE_DATA_DIR"] = tempfile.mkdtemp(prefix="roundtable-stall-")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from roundtable.domain import DebateSpec, Seat, TurnDelta  # noqa: E402
from roundtable.domain.concurrency import ServerLimit, server_key  # noqa: E402
from roundtable.gui.app import create_window  # noqa: E402


def wait_until(condition, timeout_s: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        QTest.qWait(20)


class GapRecorder:
    """A 10 ms timer; the gaps between its ticks, kept only while `recording`, on the wall
    clock and in the GUI thread's CPU time (what the GUI itself worked between two turns
    of its event loop, which other processes on a loaded machine cannot inflate)."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self.cpu_gaps: list[float] = []
        self.recording = False
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if self.recording:
            self.gaps.append((now - self._last) * 1000)
            self.cpu_gaps.append((cpu - self._last_cpu) * 1000)
        self._last, self._last_cpu = now, cpu


def one_run(  # type: ignore[no-untyped-def]
    window, base_url: str, seats: int, recorder: GapRecorder
) -> tuple[float, float, float, int]:
    spec = DebateSpec(
        question="Pick a number.",
        seats=tuple(
            Seat(id=f"s{i}", name=f"Seat {i}", model=f"openai/answer-{i}", api_base=base_url)
            for i in range(1, seats + 1)
        ),
        max_rounds=2,
        # The fake server stands in for one that takes every seat at once; on loopback
        # it would take one request at a time by default.
        server_limits=(ServerLimit(server_key(base_url), None),),
    )
    deltas = 0

    def count(event: object) -> None:
        nonlocal deltas
        if isinstance(event, TurnDelta):
            deltas += 1
            recorder.recording = True

    window.engine.event_received.connect(count)
    recorder.gaps.clear()
    recorder.cpu_gaps.clear()
    window.start_debate(spec)
    wait_until(lambda: window.shown.live_id is None, 120, "the debate to finish")
    recorder.recording = False
    window.engine.event_received.disconnect(count)
    gaps = sorted(recorder.gaps)
    p99 = gaps[int(len(gaps) * 0.99) - 1]
    return gaps[-1], p99, max(recorder.cpu_gaps), deltas


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seats", type=int, default=8)
    args = parser.parse_args()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakes.openai_server",
            "--port",
            "0",
            "--ttft",
            "0.3",
            "--token",
            "0.01",
            "--words",
            "400",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    base_url = server.stdout.readline().strip()
    try:
        app, window = create_window([])
        window.resize(1440, 900)
        window.finish_startup()
        wait_until(lambda: window.engine is not None and window.engine.is_ready, 90, "engine")
        recorder = GapRecorder()
        worst, p99s, cpus = [], [], []
        print(
            f"{args.seats} seats x 100 tokens/s, 2 rounds, real window offscreen, "
            f"{os.cpu_count()} cores"
        )
        for number in range(1, args.runs + 1):
            load = " ".join(f"{x:.1f}" for x in os.getloadavg())
            gap, p99, cpu, deltas = one_run(window, base_url, args.seats, recorder)
            worst.append(gap)
            p99s.append(p99)
            cpus.append(cpu)
            print(
                f"run {number} (load {load}): worst gap {gap:.1f} ms, p99 {p99:.1f} ms, "
                f"worst GUI-thread CPU between ticks {cpu:.1f} ms, {deltas} TurnDelta "
                "events drawn"
            )
        print(
            f"median worst gap {statistics.median(worst):.1f} ms (target <= 33 ms), "
            f"median p99 {statistics.median(p99s):.1f} ms, median worst CPU "
            f"{statistics.median(cpus):.1f} ms"
        )
        window.close()
        app.processEvents()
    finally:
        server.terminate()
        server.wait(timeout=5)


if __name__ == "__main__":
    main()
