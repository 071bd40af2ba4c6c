"""Command-line start-up: how long `roundtable COMMAND` takes for the commands that
call no model, and which heavy modules each one imports (issue 12: ≤ 0.3 s for `list`
on an empty database, and neither litellm nor Qt).

Each run is a fresh interpreter (`python -m roundtable …`, as a user's shell starts
it) in a temporary data folder, timed from launch to exit; median of --runs after
one warm-up (the OS file cache warm, as on a second command). Before the timed
commands, `list` once creates the empty database, and that first run is shown on its
own (it also creates the schema). `show`, `export` and `delete` act on one offline
demo debate stored for them (`delete` on a fresh copy of the database each run);
`list` runs against the empty database. Each command is then run once more under
`python -X importtime` to see whether litellm, PySide6, SQLAlchemy, Alembic and
rich's Markdown were imported.

Usage: .venv/bin/python benchmarks/cli_startup.py [--runs 5] [--only list,--help]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Top-level modules reported per command (those a command that calls no model
#: should import only when it needs them).
WATCHED = ("litellm", "PySide6", "sqlalchemy", "alembic", "rich.markdown")


def roundtable(
    args: list[str], env: dict[str, str], *, importtime: bool = False
) -> tuple[float, str]:
    """Run `python -m roundtable ARGS`; its wall time and stderr."""
    flags = ["-X", "importtime"] if importtime else []
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, *flags, "-m", "roundtable", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(
            f"roundtable {' '.join(args)} exited {result.returncode}:\n{result.stderr}"
        )
    return elapsed, result.stderr


def imported(importtime_log: str) -> list[str]:
    """The watched modules that appear in a `-X importtime` log."""
    names = {
        line.split("|")[-1].strip()
        for line in importtime_log.splitlines()
        if line.startswith("import time:")
    }
    return [module for module in WATCHED if module in names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated command names")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as top:
        base = os.environ | {"NO_COLOR": "1"}
        for name in ("ROUNDTABLE_DB", "DISPLAY", "WAYLAND_DISPLAY"):
            base.pop(name, None)
        # Two data folders: an empty database for `list`, one demo debate in the other.
        empty = base | {"ROUNDTABLE_DATA_DIR": str(Path(top) / "empty")}
        env = base | {"ROUNDTABLE_DATA_DIR": str(Path(top) / "stored")}
        print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
        first, _ = roundtable(["list"], empty)
        print(f"`list` in a fresh folder (creates the database): {first * 1000:.0f} ms")
        roundtable(["run", "--seed", "1", "-r", "1", "--json", "What is 2+2?"], env)
        listed = subprocess.run(
            [sys.executable, "-m", "roundtable", "list", "--json"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        debate_id = listed.split('"id": "')[1][:8]
        stored = Path(top) / "stored" / "roundtable.db"
        scratch = Path(top) / "scratch.db"

        def fresh_copy() -> None:
            shutil.copyfile(stored, scratch)

        # name: (arguments, environment, what to do before each run)
        commands: dict[str, tuple[list[str], dict[str, str], Callable[[], None] | None]] = {
            "--help": (["--help"], empty, None),
            "--version": (["--version"], empty, None),
            "list": (["list"], empty, None),
            "path": (["path"], empty, None),
            "show": (["show", debate_id], env, None),
            "export": (["export", debate_id, "--format", "md"], env, None),
            "delete": (["delete", debate_id, "--yes", "--db", str(scratch)], env, fresh_copy),
        }
        wanted = [name for name in args.only.split(",") if name] or list(commands)
        print(f"\n{'command':<10} {'median':>8}  {'runs (ms)':<28} imports")
        for name in wanted:
            argv, command_env, before_each = commands[name]
            times = []
            for run in range(args.runs + 1):
                if before_each is not None:
                    before_each()
                elapsed, _ = roundtable(argv, command_env)
                if run:  # the first is the warm-up
                    times.append(elapsed * 1000)
            if before_each is not None:
                before_each()
            _, log = roundtable(argv, command_env, importtime=True)
            runs = ", ".join(f"{t:.0f}" for t in times)
            heavy = ", ".join(imported(log)) or "none of them"
            print(f"{name:<10} {statistics.median(times):>6.0f} ms  {runs:<28} {heavy}")
        print(f"\nload average after: {os.getloadavg()[0]:.2f}")
        print("target (issue 12): `list` on an empty database <= 300 ms; no litellm, no PySide6")


if __name__ == "__main__":
    main()
