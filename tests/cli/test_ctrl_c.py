"""Ctrl+C in `roundtable run`: the partial debate is kept, and the person is told its
id and the exact command that finishes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from roundtable.storage import list_debates, open_database

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


#: `python -m roundtable`, with Ctrl+C raising KeyboardInterrupt as at a terminal even
#: when the tests run as a background job (which starts with SIGINT ignored).
AS_AT_A_TERMINAL = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('roundtable', run_name='__main__')"
)


def start_run(db: Path, *extra: str) -> subprocess.Popen[str]:
    """`roundtable run` on a slow demo table."""
    env = os.environ | {"ROUNDTABLE_DEMO_SPEED": "0.2", "PYTHONUNBUFFERED": "1", "COLUMNS": "100"}
    return subprocess.Popen(
        [sys.executable, "-c", AS_AT_A_TERMINAL, "run", "What is 2+2?", "--db", str(db), *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def interrupted_run(db: Path, *extra: str) -> tuple[str, str, int]:
    """Ctrl+C once round 1 has started."""
    process = start_run(db, *extra)
    assert process.stdout is not None
    seen = ""
    for line in process.stdout:
        seen += line
        if "Round 1" in line:
            break
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return seen + out, err, process.returncode


def stored_id(db: Path) -> tuple[str, str]:
    database = open_database(db)
    try:
        (summary,) = list_debates(database)
        return summary.id, summary.status
    finally:
        database.close()


def test_ctrl_c_says_which_debate_is_kept_and_how_to_finish_it(tmp_path):
    db = tmp_path / "my debates.db"

    out, err, code = interrupted_run(db, "--brief")

    assert code == 130
    debate_id, status = stored_id(db)
    assert status == "cancelled"
    assert f"stored as {debate_id[:8]}" in out
    # The --db is kept, quoted for the shell, so the command can be pasted as it is.
    assert f"Finish it with: roundtable resume {debate_id[:8]} --db '{db}'" in err


def test_with_json_the_hint_goes_to_stderr_and_stdout_stays_one_object(tmp_path):
    db = tmp_path / "t.db"
    process = start_run(db, "--json")
    # Wait until the debate is stored as running, then press Ctrl+C.
    for _ in range(300):
        if db.exists() and _has_debate(db):
            break
        time.sleep(0.1)  # another process's progress: there is no signal to wait on
    process.send_signal(signal.SIGINT)
    out, err, code = *process.communicate(timeout=60), process.returncode

    assert code == 130
    debate_id, _ = stored_id(db)
    assert json.loads(out)["id"] == debate_id
    assert f"roundtable resume {debate_id[:8]} --db {db}" in err


def _has_debate(db: Path) -> bool:
    database = open_database(db)
    try:
        return bool(list_debates(database))
    finally:
        database.close()
