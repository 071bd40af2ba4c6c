"""Command-line start-up: how long `roundtable COMMAND` takes for the commands that
call no model, and which heavy modules each one imports (issue 12: ≤ 0.3 s for `list`
on an empty database, and neither litellm nor Qt).

Each run is a fresh interpreter (`python -m roundtable …`, as a user's shell starts
it) in a temporary data folder, timed from launch to exit; median of --runs after
one warm-up (the OS file cache warm, as on a second command). Before the timed
commands, `list` once creates the empty database, and that first run is shown on its
own (it also creates the schema). `show`, `export` and `delete` act on one offline
demo debate stored for them (`delete` on a fresh copy of the database each run);
`list` runs against the empty database. Beside the wall time, the command's CPU
time (user + system): on a loaded machine the wall time mostly measures waiting for
a core, the CPU time much less so. Each command is then run once more under
`python -X importtime` to see whether litellm, PySide6, SQLAlchemy, Alembic and
rich's Markdown were imported.

Last, `roundtable run` with two seats on the loopback OpenAI-compatible server
(tests/fakes/openai_server.py, in this process): the time from launching the command
to the first chat request reaching the server (issue 12: ≤ 2 s), median of --runs,
with the CPU the command had used by then (read from /proc when the request arrives).

Usage: .venv/bin/python benchmarks/cli_startup.py [--runs 5] [--only list,--help,run]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.fakes

from tests.fakes.openai_server import FakeOpenAIServer  # noqa: E402

#: Top-level modules reported per command (those a command that calls no model
#: should import only when it needs them).
WATCHED = ("litellm", "PySide6", "sqlalchemy", "alembic", "rich.markdown")


def children_cpu_s() -> float:
    """CPU seconds (user + system) used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a running process has used (Linux: /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def roundtable(
    args: list[str], env: dict[str, str], *, importtime: bool = False
) -> tuple[float, str, float]:
    """Run `python -m roundtable ARGS`; its wall time, stderr and CPU time."""
    flags = ["-X", "importtime"] if importtime else []
    cpu_before = children_cpu_s()
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
    return elapsed, result.stderr, children_cpu_s() - cpu_before


def imported(importtime_log: str) -> list[str]:
    """The watched modules that appear in a `-X importtime` log."""
    names = {
        line.split("|")[-1].strip()
        for line in importtime_log.splitlines()
        if line.startswith("import time:")
    }
    return [module for module in WATCHED if module in names]


def first_request_s(server: FakeOpenAIServer, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from launching `roundtable run` until its first chat request arrives, and
    the CPU seconds the command had used by then."""
    env = env | {"OPENAI_API_BASE": server.base_url, "OPENAI_API_KEY": "sk-loopback"}
    seats = ["-s", "openai/fake-gpt", "-s", "openai/fake-gpt-2"]
    before = len(server.requests)
    started = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-m", "roundtable", "run", *seats, "-r", "1", "--json", "6 * 7?"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        while len(server.requests) == before:
            if process.poll() is not None:
                problem = process.stderr.read() if process.stderr else ""
                raise SystemExit(f"roundtable run exited {process.returncode}:\n{problem}")
            time.sleep(0.002)
        elapsed = time.perf_counter() - started
        cpu = process_cpu_s(process.pid)
        process.communicate(timeout=120)
    return elapsed, cpu


def time_run(runs: int, env: dict[str, str]) -> None:
    with FakeOpenAIServer(ttft_s=0.05, token_s=0.001) as server:
        measured = [first_request_s(server, env) for _ in range(runs + 1)][1:]
    times = [wall * 1000 for wall, _ in measured]
    cpu = statistics.median(cpu * 1000 for _, cpu in measured)
    shown = ", ".join(f"{t:.0f}" for t in times)
    print(
        f"{'run':<10} {statistics.median(times):>6.0f} ms {cpu:>6.0f} ms  {shown:<28} "
        "to the first request"
    )


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
        first, _, _ = roundtable(["list"], empty)
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
        wanted = [name for name in args.only.split(",") if name] or [*commands, "run"]
        print(f"\n{'command':<10} {'median':>9} {'CPU':>9}  {'runs (ms)':<28} imports")
        for name in (name for name in wanted if name in commands):
            argv, command_env, before_each = commands[name]
            times, cpu_times = [], []
            for run in range(args.runs + 1):
                if before_each is not None:
                    before_each()
                elapsed, _, cpu = roundtable(argv, command_env)
                if run:  # the first is the warm-up
                    times.append(elapsed * 1000)
                    cpu_times.append(cpu * 1000)
            if before_each is not None:
                before_each()
            _, log, _ = roundtable(argv, command_env, importtime=True)
            runs = ", ".join(f"{t:.0f}" for t in times)
            heavy = ", ".join(imported(log)) or "none of them"
            print(
                f"{name:<10} {statistics.median(times):>6.0f} ms "
                f"{statistics.median(cpu_times):>6.0f} ms  {runs:<28} {heavy}"
            )
        if "run" in wanted:
            time_run(args.runs, env)
        print(f"\nload average after: {os.getloadavg()[0]:.2f}")
        print("targets (issue 12): `list` on an empty database <= 300 ms, no litellm, no PySide6;")
        print("`run` to its first request <= 2 s")


if __name__ == "__main__":
    main()
