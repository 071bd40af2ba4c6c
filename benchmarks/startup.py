"""Start-up benchmark: from launching the app's process to its window being shown.

Each run starts a fresh interpreter (as a user's launch does) that builds the real
window through `roundtable.gui.app.create_window`, waits for the first paint, and
reports. Prints every run and the median; target: under a second on this machine.

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/startup.py [--runs 7]
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

CHILD = """
import sys, time
from PySide6.QtCore import QTimer
from roundtable.gui.app import create_window
app, window = create_window([])
def painted():
    print(f"shown {time.time():.6f}", flush=True)
    print("litellm loaded" if "litellm" in sys.modules else "litellm not loaded", flush=True)
    app.quit()
QTimer.singleShot(0, painted)
app.exec()
"""


def one_launch(data_dir: str) -> tuple[float, str]:
    env = os.environ | {"ROUNDTABLE_DATA_DIR": data_dir}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = result.stdout.split("\n")
    shown = float(next(line for line in lines if line.startswith("shown")).split()[1])
    return shown - started, lines[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        one_launch(data_dir)  # warm the OS file cache, as a second launch would be
        times = []
        for number in range(1, args.runs + 1):
            took, litellm = one_launch(data_dir)
            times.append(took)
            print(f"run {number}: window shown after {took * 1000:.0f} ms ({litellm})")
    print(
        f"median launch to window shown: {statistics.median(times) * 1000:.0f} ms "
        f"(target < 1000 ms), {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
