"""SIGTERM (a logout, `kill`, a service manager) stops `roundtable run` as Ctrl+C
does: the debate is stored as cancelled, the person is told how to finish it, and
the exit code is the shell's 143. Against the loopback server, mid-round."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from roundtable.storage import list_debates, open_database
from tests.fakes.openai_server import FakeOpenAIServer

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def roundtable(server: FakeOpenAIServer, *args: str) -> subprocess.Popen[str]:
    env = os.environ | {
        "OPENAI_API_BASE": server.base_url,
        "OPENAI_API_KEY": "sk-fake",
        "PYTHONUNBUFFERED": "1",
        "COLUMNS": "200",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "roundtable", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def status_of(db: Path) -> tuple[str, str]:
    database = open_database(db)
    try:
        (summary,) = list_debates(database)
        return summary.id, summary.status
    finally:
        database.close()


def test_sigterm_mid_round_keeps_the_debate_resumable_and_says_how(tmp_path):
    db = tmp_path / "t.db"
    seats = ("--seat", "openai/fake-gpt", "--seat", "openai/fake-claude")
    with FakeOpenAIServer(token_s=0.3) as server:  # a slow model: each turn takes seconds
        process = roundtable(server, "run", "Which number?", *seats, "--db", str(db))
        assert process.stdout is not None
        for line in process.stdout:
            if "Round 1" in line:
                break
        while not server.requests:  # the seats are speaking
            time.sleep(0.05)  # another process's progress: there is no signal to wait on
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)

        assert process.returncode == 143
        debate_id, status = status_of(db)
        assert status == "cancelled"  # not left "running"
        assert "Stopped by SIGTERM" in err
        assert f"Finish it with: roundtable resume {debate_id[:8]} --db {db}" in err

        server.token_s = 0.0
        resumed = roundtable(server, "resume", debate_id[:8], "--db", str(db), "--brief")
        _, err = resumed.communicate(timeout=120)

    assert resumed.returncode == 0, err
    assert status_of(db)[1] == "finished"
