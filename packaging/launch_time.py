"""Launch time of the bundle beside the venv's: process start to window shown, and to the
engine process ready, median of N launches of `roundtable --self-check` each.

As benchmarks/startup.py, each launch is a fresh process, after one unmeasured launch
that warms the OS file cache (as a second launch by a user would be). The times are
taken here, when the self-check's lines arrive (it flushes each), so both commands are
timed alike, their own start-up included.

Usage: .venv/bin/python packaging/launch_time.py [--runs 5] [COMMAND ...]
(default: .venv/bin/roundtable and dist/roundtable/roundtable, where built)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_COMMANDS = (
    ROOT / ".venv" / "bin" / "roundtable",
    ROOT / "dist" / "roundtable" / "roundtable",
)
MARKS = {"window": "self-check: window shown", "engine": "self-check: engine process ready"}


def one_launch(command: Path) -> dict[str, float]:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "ROUNDTABLE_DEMO_SPEED": "40"}
    started = time.perf_counter()
    seen: dict[str, float] = {}
    with subprocess.Popen(
        [str(command), "--self-check"],
        cwd="/",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            for mark, prefix in MARKS.items():
                if line.startswith(prefix):
                    seen[mark] = time.perf_counter() - started
            if line.startswith(MARKS["window"]):
                # "(cpu N ms, …)": the process's own CPU time up to the window.
                seen["cpu"] = float(line.split("(cpu ")[1].split()[0]) / 1000
    if process.returncode != 0 or not MARKS.keys() <= seen.keys():
        raise SystemExit(f"{command} --self-check failed (exit code {process.returncode})")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("commands", nargs="*", type=Path)
    args = parser.parse_args()
    commands = [path.resolve() for path in args.commands] or [
        path for path in DEFAULT_COMMANDS if path.exists()
    ]
    load = os.getloadavg()[0]
    for command in commands:
        one_launch(command)  # warm the file cache
        runs = [one_launch(command) for _ in range(args.runs)]
        window = statistics.median(run["window"] for run in runs)
        cpu = statistics.median(run["cpu"] for run in runs)
        engine = statistics.median(run["engine"] for run in runs)
        each = ", ".join(f"{run['window'] * 1000:.0f}" for run in runs)
        print(
            f"{command.relative_to(ROOT) if command.is_relative_to(ROOT) else command}: "
            f"window shown {window * 1000:.0f} ms (runs: {each} ms; its CPU {cpu * 1000:.0f} ms), "
            f"engine ready {engine:.1f} s, medians of {args.runs}"
        )
    print(f"{os.cpu_count()} cores, load average {load:.2f} at the start")


if __name__ == "__main__":
    main()
