"""`roundtable … | head`: a reader that leaves early ends the command quietly, exit 141
(what a shell reports for a program a closed pipe stopped), never 1 ("a failed
debate"), and a running debate is kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roundtable.storage import list_debates, open_database

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def roundtable(*args: str, reader_gone: bool = False) -> subprocess.CompletedProcess[str]:
    """`python -m roundtable ARGS`; with `reader_gone`, its stdout a pipe nobody reads
    any more (as after `head` has printed its lines and exited)."""
    read_end, write_end = os.pipe()
    if reader_gone:
        os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "roundtable", *args],
            cwd=ROOT,
            stdout=write_end if reader_gone else subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
        if not reader_gone:
            os.close(read_end)


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> tuple[str, str]:
    """A database holding one demo debate, and the debate's id."""
    db = str(tmp_path_factory.mktemp("pipe") / "t.db")
    ran = roundtable("run", "What is 12+17*23+4-9*14?", "--db", db, "--json")
    return db, json.loads(ran.stdout)["id"]


@pytest.mark.parametrize(
    "command",
    [["show", "ID"], ["export", "ID"], ["list"], ["export", "--format", "finetune"], ["--help"]],
    ids=" ".join,
)
def test_a_reading_command_whose_reader_left_ends_quietly_with_141(stored, command):
    db, debate_id = stored
    args = [debate_id if word == "ID" else word for word in command]

    ended = roundtable(*args, *(["--db", db] if command != ["--help"] else []), reader_gone=True)

    assert ended.returncode == 141
    assert "Traceback" not in ended.stderr
    assert "Exception ignored" not in ended.stderr
    assert "Error" not in ended.stderr


def test_a_debate_whose_reader_left_is_kept_and_can_be_finished(tmp_path):
    db = tmp_path / "t.db"

    ended = roundtable("run", "What is 2+2?", "--db", str(db), reader_gone=True)

    assert ended.returncode == 141
    assert "Traceback" not in ended.stderr
    database = open_database(db)
    try:
        (summary,) = list_debates(database)
    finally:
        database.close()
    assert summary.status == "cancelled"
    assert f"Finish it with: roundtable resume {summary.id[:8]}" in ended.stderr


def test_with_json_the_debate_finishes_and_only_the_printing_stops(tmp_path):
    db = tmp_path / "t.db"

    ended = roundtable("run", "What is 2+2?", "--db", str(db), "--json", reader_gone=True)

    assert ended.returncode == 141
    assert "Traceback" not in ended.stderr
    database = open_database(db)
    try:
        (summary,) = list_debates(database)
    finally:
        database.close()
    assert summary.status == "finished"
