"""Several processes write debates into one PostgreSQL store while another lists.

Real `roundtable run` processes on the demo table: three finish, a fourth is killed
mid-debate. The reader never fails or sees a half-written debate; the killed one is
left "interrupted" (its machine's pid check says so) and the others are untouched.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from roundtable.domain import DebateStatus
from roundtable.storage import list_debates, mark_orphans_interrupted, open_database

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _writer(url: str, seed: int, *, speed: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "roundtable", "run", f"Question {seed}: what is 6 x 7?",
         "--db", url, "--seed", str(seed), "--brief"],
        cwd=ROOT,
        env=os.environ | {"ROUNDTABLE_DEMO_SPEED": speed, "ROUNDTABLE_USER": f"writer {seed}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def test_writers_in_parallel_a_reader_meanwhile_and_a_crash_that_harms_no_one(postgres_url):
    reader = open_database(postgres_url)
    try:
        # The one to be killed plays slowly, so it is surely mid-debate when it dies.
        doomed = _writer(postgres_url, 99, speed="0.2")
        writers = [_writer(postgres_url, seed, speed="40") for seed in (1, 2, 3)]
        seen_running = killed_at = False
        deadline = time.monotonic() + 180
        while any(w.poll() is None for w in writers) and time.monotonic() < deadline:
            listed = list_debates(reader)  # the reader works while the processes write
            seen_running |= any(s.status is DebateStatus.RUNNING for s in listed)
            if not killed_at and any(s.question.startswith("Question 99") for s in listed):
                assert doomed.poll() is None, "the slow writer ended before it was killed"
                doomed.send_signal(signal.SIGKILL)  # mid-debate, as a crash would
                doomed.wait(timeout=10)
                killed_at = True
            time.sleep(0.2)
        for writer in writers:
            assert writer.wait(timeout=60) == 0, writer.stderr.read() if writer.stderr else ""
        assert seen_running
        assert killed_at

        (killed,) = mark_orphans_interrupted(reader)
        by_question = {s.question.split(":")[0]: s for s in list_debates(reader)}
    finally:
        reader.close()
    assert by_question["Question 99"].id == killed
    assert by_question["Question 99"].status is DebateStatus.INTERRUPTED
    for seed in (1, 2, 3):
        finished = by_question[f"Question {seed}"]
        assert finished.status is DebateStatus.FINISHED
        assert finished.final_answer
