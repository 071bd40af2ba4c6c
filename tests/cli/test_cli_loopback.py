"""`roundtable` as a user runs it, against a local OpenAI-compatible server.

Real processes end to end: the fake server in one, each `roundtable` command in
another, talking over loopback through litellm and the OpenAI SDK.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server_url():
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakes.openai_server",
            "--port",
            "0",
            "--ttft",
            "0.05",
            "--token",
            "0.002",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip()
    finally:
        server.terminate()
        server.wait(timeout=10)


def roundtable(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "roundtable", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_three_seats_on_a_local_server_store_a_debate_that_reads_back(server_url, tmp_path):
    env = os.environ | {
        "OPENAI_API_BASE": server_url,
        "ROUNDTABLE_DB": str(tmp_path / "t.db"),
        "COLUMNS": "160",
    }
    # answer-7 and answer-9 disagree with the generic seat (42), so rounds run.
    run = roundtable(
        "run",
        "Which number?",
        "--seat",
        "Alpha=openai/answer-7",
        "--seat",
        "Beta=openai/answer-9",
        "--seat",
        "Gamma=openai/fake-gpt",
        "--rounds",
        "2",
        "--json",
        env=env,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert [turn["answer"] for turn in result["rounds"][0]] == ["7", "9", "42"]
    assert len(result["rounds"]) == 2
    assert result["consensus"] is False
    assert result["usage"]["total_tokens"] > 0

    listed = roundtable("list", env=env)
    assert result["id"][:8] in listed.stdout
    assert "Which number?" in listed.stdout

    shown = roundtable("show", result["id"][:8], env=env)
    assert shown.returncode == 0
    assert "Alpha" in shown.stdout
    assert "Gamma" in shown.stdout

    exported = roundtable("export", result["id"], "--format", "json", env=env)
    archive = json.loads(exported.stdout)
    assert archive["format"] == "roundtable-archive"
    assert server_url.split("//")[1] in exported.stdout  # where it ran is recorded …
    assert "sk-" not in exported.stdout  # … but never a key


def test_a_refused_key_fails_that_seat_and_the_others_go_on(server_url, tmp_path):
    env = os.environ | {"OPENAI_API_BASE": server_url, "ROUNDTABLE_DB": str(tmp_path / "t.db")}
    run = roundtable(
        "run",
        "Which number?",
        "--seat",
        "openai/answer-7",
        "--seat",
        "openai/answer-9",
        "--seat",
        "openai/fail-401",
        "--rounds",
        "2",
        "--json",
        env=env,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    failed = [turn for turn in result["rounds"][0] if turn["status"] == "failed"]
    assert len(failed) == 1
    assert "fail-401" in failed[0]["model"]
    assert "key" in failed[0]["error"].lower()
    assert len(result["rounds"][1]) == 2, "the failed seat sits out later rounds"
