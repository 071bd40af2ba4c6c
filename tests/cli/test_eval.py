"""`roundtable eval` as a user runs it: real processes against the loopback server.

The server runs in this process (a thread), so the test can count the requests it
answered and how many were in flight at once; each `roundtable` command is a real
process talking to it through litellm.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAIServer

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

#: Eight questions whose gold answer is 42, the fake server's default answer, except
#: the last two: a seat named answer-7 is right only there.
QUESTIONS = [
    {"id": f"q{n}", "question": f"Question {n}: which number?", "answer": "42"} for n in range(1, 7)
] + [{"id": f"q{n}", "question": f"Question {n}: which number?", "answer": "7"} for n in (7, 8)]
SEATS = [
    "--seat",
    "Alpha=openai/fake-gpt",
    "--seat",
    "Beta=openai/answer-7",
    "--seat",
    "Gamma=openai/fake-gpt-2",
]


@pytest.fixture
def task_file(tmp_path: Path) -> Path:
    path = tmp_path / "numbers.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in QUESTIONS), encoding="utf-8")
    return path


def environment(server: FakeOpenAIServer, tmp_path: Path) -> dict[str, str]:
    return os.environ | {
        "OPENAI_API_BASE": server.base_url,
        "OPENAI_API_KEY": "sk-test",
        "ROUNDTABLE_DB": str(tmp_path / "eval.db"),
        "COLUMNS": "160",
    }


def roundtable(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "roundtable", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def asked(server: FakeOpenAIServer) -> list[str]:
    """Which question each chat request was about, in arrival order."""
    found = []
    for body in server.requests:
        text = "\n".join(str(message.get("content", "")) for message in body["messages"])
        for item in QUESTIONS:
            if item["question"] in text:
                found.append(item["id"])
                break
    return found


def test_an_evaluation_reports_the_table_against_its_seats_and_stays_within_its_concurrency(
    tmp_path, task_file
):
    with FakeOpenAIServer(ttft_s=0.05) as server:
        env = environment(server, tmp_path)
        result = roundtable(
            "eval", str(task_file), *SEATS, "--rounds", "2", "--concurrency", "3",
            # The loopback server stands in for a hosted one, which takes many at once.
            "--server-concurrency", "0",
            "--baselines", "seats,majority", "--json", env=env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert 1 <= server.peak_in_flight <= 3
        assert server.peak_in_flight == 3  # and the limit was used, not just respected

    report = json.loads(result.stdout)
    table = next(method for method in report["methods"] if method["key"] == "table")
    beta = next(method for method in report["methods"] if method["label"] == "Beta alone")
    # Two seats say 42 on every question: the table is right on the six 42s only.
    assert (table["accuracy"]["successes"], table["accuracy"]["trials"]) == (6, 8)
    assert (beta["accuracy"]["successes"], beta["accuracy"]["trials"]) == (2, 8)
    assert report["simulated"] == []
    html = Path(report["html_report"]).read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html
    assert "Beta alone" in html
    assert "http://" not in html.replace("http://www.w3.org", "")


def test_a_run_killed_midway_is_finished_by_the_same_command_without_asking_again(
    tmp_path, task_file
):
    with FakeOpenAIServer(ttft_s=0.3) as server:
        env = environment(server, tmp_path)
        command = [
            sys.executable, "-m", "roundtable", "eval", str(task_file), *SEATS,
            "--rounds", "2", "--concurrency", "3", "--baselines", "seats",
        ]  # fmt: skip
        first = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            wait_for_done_questions(tmp_path / "eval.db", at_least=2, timeout_s=60)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            if first.poll() is None:
                first.kill()
        finished_before = set(done_questions(tmp_path / "eval.db"))
        assert len(finished_before) >= 2
        requests_before = len(server.requests)

        again = roundtable(*command[3:], env=env)
        assert again.returncode == 0, again.stderr
        assert "will not be asked again" in again.stderr
        asked_again = set(asked(server)[requests_before:])
        assert not asked_again & finished_before
        assert asked_again | finished_before == {item["id"] for item in QUESTIONS}

    listing = roundtable("evals", "--json", env=env)
    assert listing.returncode == 0, listing.stderr
    [run] = json.loads(listing.stdout)
    assert (run["status"], run["asked"], run["total"]) == ("finished", 8, 8)


def test_a_malformed_task_file_is_refused_with_its_line_before_any_model_is_called(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "a?", "answer": "1"}\n{"question": "b?"\n', encoding="utf-8")
    with FakeOpenAIServer() as server:
        result = roundtable("eval", str(bad), *SEATS, env=environment(server, tmp_path))
        assert result.returncode == 2
        assert "line 2" in result.stderr
        assert server.requests == []
    assert not (tmp_path / "eval.db").exists()


def done_questions(path: Path) -> list[str]:
    if not path.exists():
        return []
    try:
        with sqlite3.connect(path) as connection:
            rows = connection.execute(
                "SELECT item_id FROM eval_questions WHERE correct IS NOT NULL"
            ).fetchall()
    except sqlite3.OperationalError:  # not created yet, or busy
        return []
    return [row[0] for row in rows]


def wait_for_done_questions(path: Path, *, at_least: int, timeout_s: float) -> list[str]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = done_questions(path)
        if len(done) >= at_least:
            return done
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} questions were done in {timeout_s} s")
