"""Smoke test of a built bundle, run as a user would run it (the last step of `make bundle`).

From a scratch folder, with a clean environment (no venv, no PYTHONPATH, no display, a
fresh data folder), it runs the bundle's executable four ways:

1. `--version`: the command line starts;
2. `run` against a loopback OpenAI-compatible server (tests/fakes) that reports no
   usage: litellm's real OpenAI path, its tokenizer files (the tokens are counted) and
   the storage migrations, in the bundle's own process;
3. `run --estimate` for two known models: priced from litellm's price map;
4. `--self-check`: the window opens offscreen, a demo debate runs through the engine
   process (the bundle started as `-m roundtable.enginehost`) and is stored.

Usage: .venv/bin/python packaging/smoke_test.py dist/roundtable/roundtable
Exit 0 when all pass; else 1, with the failing step's output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.openai_script import Reply  # noqa: E402 (needs ROOT on the path)
from tests.fakes.openai_server import FakeOpenAIServer  # noqa: E402

#: The loopback seats, and what each answers without reporting its usage, so that the
#: tokens are counted by litellm's tokenizer from the files the bundle carries.
SEATS = ("fake-gpt", "fake-gpt-mini")
ROUNDS = 2
ANSWER = "Six times seven is forty-two.\nFinal answer: 42\nConfidence: 0.9"

#: Variables that could let the bundle lean on this checkout or the developer's setup.
_DROPPED = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DISPLAY", "WAYLAND_DISPLAY")


def main() -> int:
    bundle = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="roundtable-smoke-") as scratch:
        env = {name: value for name, value in os.environ.items() if name not in _DROPPED}
        env |= {
            "ROUNDTABLE_DATA_DIR": str(Path(scratch) / "data"),
            "ROUNDTABLE_DEMO_SPEED": "40",
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        with FakeOpenAIServer(ttft_s=0.05, token_s=0.002) as server:
            for seat in SEATS:
                for _ in range(ROUNDS):
                    server.enqueue(seat, Reply(ANSWER, send_usage=False))
            loopback = {"OPENAI_API_BASE": server.base_url, "OPENAI_API_KEY": "sk-smoke"}
            steps = [
                ("--version", [str(bundle), "--version"], env),
                ("run on a loopback server", _run_command(bundle, scratch), env | loopback),
                ("run --estimate", _estimate_command(bundle), env | loopback),
                ("--self-check", [str(bundle), "--self-check"], env),
            ]
            for name, command, step_env in steps:
                if not _step(name, command, step_env, scratch):
                    return 1
    print(f"smoke test passed: {bundle}")
    return 0


def _run_command(bundle: Path, scratch: str) -> list[str]:
    return [
        str(bundle),
        "run",
        "What is 6 times 7?",
        *(option for seat in SEATS for option in ("--seat", f"openai/{seat}")),
        "--rounds",
        str(ROUNDS),
        "--json",
        "--db",
        str(Path(scratch) / "smoke.db"),
    ]


def _estimate_command(bundle: Path) -> list[str]:
    # Known models, priced from litellm's price map (a data file the bundle carries).
    seats = ("--seat", "openai/gpt-4o", "--seat", "openai/gpt-4o-mini")
    return [str(bundle), "run", "What is 6 times 7?", *seats, "--estimate"]


def _step(name: str, command: list[str], env: dict[str, str], cwd: str) -> bool:
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    took = time.perf_counter() - started
    problem = None if result.returncode == 0 else f"exit code {result.returncode}"
    lines = result.stdout.strip().splitlines()
    said = lines[-1] if lines else ""
    if problem is None and name == "run --estimate":
        if "per M tokens" not in result.stdout:
            problem = "no price from litellm's price map (missing from the bundle?)"
    elif problem is None and name.startswith("run"):
        problem, said = _finished_debate(result.stdout)
    if problem is not None:
        print(f"smoke test FAILED at {name}: {problem}\n{result.stdout}\n{result.stderr}")
        return False
    print(f"ok  {name} ({took:.1f} s) {said[:100]}")
    return True


def _finished_debate(output: str) -> tuple[str | None, str]:
    """What is wrong with `run --json`'s output (None: a finished debate), and its answer."""
    try:
        debate = json.loads(output)
    except json.JSONDecodeError as exc:
        return f"not one JSON object ({exc})", ""
    if debate.get("status") != "finished" or not debate.get("final_answer"):
        return f"the debate did not finish: {debate.get('status')}, {debate.get('error')}", ""
    tokens = debate.get("usage", {}).get("total_tokens") or 0
    if tokens <= 0:
        return "no tokens counted: litellm's tokenizer files are missing from the bundle", ""
    return None, f"final answer: {debate['final_answer']}, {tokens} tokens counted"


if __name__ == "__main__":
    sys.exit(main())
