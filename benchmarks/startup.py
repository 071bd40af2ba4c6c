"""Start-up benchmark: from launching the app's process to its window being shown.

Each run starts a fresh interpreter (as a user's launch does) that builds the real
window through `roundtable.gui.app.create_window`, waits for the first paint, and
reports. Prints every run and the median; target: under a second on this machine.

Beside the wall time it prints the CPU the launch spent before the first paint: the
GUI thread's own, and the whole process's (worker threads included). On a loaded
machine the wall time stretches with the load, the CPU time much less: compare those
figures before and after a change, and print the load average beside every figure.

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
    print(f"cpu {time.thread_time():.6f} {time.process_time():.6f}", flush=True)
    print("litellm loaded" if "litellm" in sys.modules else "litellm not loaded", flush=True)
    app.quit()
QTimer.singleShot(0, painted)
app.exec()
"""


def one_launch(data_dir: str) -> tuple[float, float, float, str]:
    """Wall time to the first paint, the GUI thread's and the process's CPU time by
    then, and whether litellm was loaded."""
    env = os.environ | {"ROUNDTABLE_DATA_DIR": data_dir}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # An installed app has its modules compiled (pip and the bundle write the .pyc
    # files); with PYTHONDONTWRITEBYTECODE set (as in some shells and CI) every launch
    # would compile ~120 modules from source, ~0.15-0.4 s no user pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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
    cpu_line = next(line for line in lines if line.startswith("cpu")).split()
    litellm = next(line for line in lines if line.startswith("litellm"))
    return shown - started, float(cpu_line[1]), float(cpu_line[2]), litellm


def load_average() -> str:
    try:
        return "load " + " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "load unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        one_launch(data_dir)  # warm the OS file cache, as a second launch would be
        times, gui_cpu, process_cpu = [], [], []
        for number in range(1, args.runs + 1):
            took, gui, process, litellm = one_launch(data_dir)
            times.append(took)
            gui_cpu.append(gui)
            process_cpu.append(process)
            print(
                f"run {number}: window shown after {took * 1000:.0f} ms, CPU "
                f"{gui * 1000:.0f} ms GUI thread / {process * 1000:.0f} ms process "
                f"({litellm}; {load_average()})"
            )
    print(
        f"median launch to window shown: {statistics.median(times) * 1000:.0f} ms "
        f"(target < 1000 ms), {os.cpu_count()} cores, {load_average()}"
    )
    print(
        f"median CPU to window shown: GUI thread {statistics.median(gui_cpu) * 1000:.0f} ms, "
        f"process {statistics.median(process_cpu) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
