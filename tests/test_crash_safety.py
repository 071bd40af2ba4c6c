"""A crash in the middle of a streaming round loses at most about a second of text.

A real process (the demo table, streaming at the demo models' own pace) is killed
with SIGKILL while seats are mid-answer: no clean-up, no flush, no atexit, as when a
laptop dies. Two processes are killed this way:

- `roundtable run`: the test watches the database read-only while the debate runs,
  like the GUI does, and times each checkpoint against the kill (wall clock);
- the GUI's engine process (`python -m roundtable.enginehost`), which prints every
  text delta it streams, stamped with the engine's own clock: the stored text is
  compared with exactly what had been streamed, so scheduling noise on a busy
  machine cannot blur the measure.

Then both check what a person would find on the next start.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from roundtable import wire
from roundtable.domain import DebateSpec, TurnDelta, TurnFinished
from tests.helpers.engine import EngineProcess

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "What is 12+17*23+4-9*14?"
#: The recorder checkpoints a streaming turn's text about once a second.
CHECKPOINT_S = 1.0
POLL_S = 0.05
#: Scheduling noise between our poll, the engine's clock and the kill (wall clock).
SLACK_S = 1.0
#: The engine coalesces deltas every ~40 ms; a checkpoint waits for the next delta.
DELTA_SLACK_S = 0.2

TurnKey = tuple[int, str]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]


def environment(tmp_path: Path) -> dict[str, str]:
    # The demo models' real pace: a round streams for several seconds.
    return os.environ | {
        "ROUNDTABLE_DEMO_SPEED": "1",
        "ROUNDTABLE_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "200",
    }


def read_turns(path: Path) -> dict[TurnKey, tuple[str, str]]:
    """(round, seat) -> (status, text), through a read-only connection."""
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        rows = connection.execute("SELECT round, seat_id, status, text FROM turns").fetchall()
    finally:
        connection.close()
    return {(r, s): (status, text) for r, s, status, text in rows}


def finished_in_log(path: Path) -> dict[TurnKey, str]:
    """Every TurnFinished of the event log: (round, seat) -> its text. Checks integrity."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        lines = connection.execute("SELECT json FROM events WHERE type = 'TurnFinished'")
        logged = [json.loads(line) for (line,) in lines]
    finally:
        connection.close()
    return {(e["round"], e["seat_id"]): e["text"] for e in logged}


def next_start_finds_it_interrupted(
    db: Path, env: dict[str, str], partial: dict[TurnKey, str], finished: dict[TurnKey, str]
) -> None:
    """`roundtable list` after the crash: interrupted, partial text and finished turns kept."""
    listed = subprocess.run(
        [sys.executable, "-m", "roundtable", "list", "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert "interrupted" in listed.stdout
    after = read_turns(db)
    for key, text in partial.items():
        assert after[key] == ("interrupted", text)
    for key, text in finished.items():
        assert after[key] == ("done", text)


# ---------------------------------------------------------------- roundtable run
@dataclass
class Watched:
    """What the poller saw of one streaming turn: each stored text and when it appeared."""

    texts: list[tuple[float, str]] = field(default_factory=list)

    def saw(self, moment: float, text: str) -> None:
        if not self.texts or self.texts[-1][1] != text:
            self.texts.append((moment, text))


@dataclass
class Observation:
    streaming: dict[TurnKey, Watched] = field(default_factory=dict)
    done: dict[TurnKey, str] = field(default_factory=dict)
    killed_at: float = 0.0


def kill_mid_stream(process: subprocess.Popen[bytes], db: Path, log: Path) -> Observation:
    """Poll the database until one turn has finished while another has been
    checkpointed at least twice and still streams; then SIGKILL the process."""
    seen = Observation()
    deadline = time.monotonic() + 120
    while True:
        # A debate that ends first never had a turn checkpointed twice mid-stream:
        # checkpoints come far less often than every second.
        assert process.poll() is None, f"ended before a second checkpoint:\n{log.read_text()}"
        assert time.monotonic() < deadline, "the debate never reached a streaming round"
        time.sleep(POLL_S)
        try:
            turns = read_turns(db)
        except sqlite3.OperationalError:
            continue  # not created yet, or the schema is still being made
        now = time.monotonic()
        for key, (status, text) in turns.items():
            if status == "streaming" and text:
                seen.streaming.setdefault(key, Watched()).saw(now, text)
            elif status == "done":
                seen.done[key] = text
        checkpointed_twice = any(
            status == "streaming" and len(seen.streaming.get(key, Watched()).texts) >= 2
            for key, (status, _) in turns.items()
        )
        if seen.done and checkpointed_twice:
            seen.killed_at = time.monotonic()
            process.send_signal(signal.SIGKILL)
            return seen


def test_sigkill_mid_stream_keeps_finished_turns_and_all_but_a_second_of_text(tmp_path):
    db, log = tmp_path / "crash.db", tmp_path / "run.log"
    env = environment(tmp_path)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "roundtable", "run", QUESTION, "--db", str(db), "--seed", "7"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            seen = kill_mid_stream(process, db, log)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL

    # Sound file; every finished turn as the log says, and every one we saw finish.
    finished = finished_in_log(db)
    after = read_turns(db)
    assert finished, "no turn had finished before the kill"
    assert {key: after[key] for key in finished} == {k: ("done", t) for k, t in finished.items()}
    assert {key: after[key] for key in seen.done} == {k: ("done", t) for k, t in seen.done.items()}

    # A turn still streaming kept its last checkpoint, at most about a second old.
    partial = {key: text for key, (status, text) in after.items() if status == "streaming"}
    assert partial, "no turn was streaming at the kill"
    for key, stored in partial.items():
        history = seen.streaming.get(key)
        if history is None:
            continue  # its first checkpoint landed between our last look and the kill
        # What we saw earlier is a prefix of what is stored: text only ever grows.
        assert all(stored.startswith(text) for _, text in history.texts)
        first_seen = next((moment for moment, text in history.texts if text == stored), None)
        # Written no earlier than one poll before we first saw it (or after our last look).
        written = (first_seen if first_seen is not None else seen.killed_at) - POLL_S
        age = seen.killed_at - written
        assert age <= CHECKPOINT_S + SLACK_S, f"turn {key}: stored text {age:.2f} s old"
        gaps = [b - a for (a, _), (b, _) in itertools.pairwise(history.texts)]
        assert max(gaps) <= CHECKPOINT_S + SLACK_S, f"checkpoints came {gaps} s apart"

    next_start_finds_it_interrupted(db, env, partial, finished)


# ---------------------------------------------------------------- the GUI's engine process
def streamed_two_seconds_after_a_finished_turn(replies: list[wire.Reply]) -> bool:
    events = [r.event for r in replies if isinstance(r, wire.EventNotice)]
    done = {(e.round, e.seat_id) for e in events if isinstance(e, TurnFinished)}
    first: dict[TurnKey, datetime] = {}
    for event in events:
        if isinstance(event, TurnDelta) and (key := (event.round, event.seat_id)) not in done:
            first.setdefault(key, event.at)
            if done and (event.at - first[key]).total_seconds() > 2 * CHECKPOINT_S:
                return True
    return False


def test_sigkill_of_the_engine_process_loses_at_most_a_second_of_what_it_streamed(tmp_path):
    from roundtable.headless.tables import demo_seats

    db = tmp_path / "engine.db"
    env = environment(tmp_path)
    engine = EngineProcess(db, env)
    try:
        engine.next_reply(lambda r: isinstance(r, wire.Ready), what="Ready")
        spec = DebateSpec(question=QUESTION, seats=demo_seats(), max_rounds=3, seed=7)
        engine.send(wire.StartDebate(debate_id="killed-mid-stream", spec=spec))
        engine.wait_until(streamed_two_seconds_after_a_finished_turn, what="a long enough turn")
        engine.process.send_signal(signal.SIGKILL)
    finally:
        if engine.process.poll() is None:
            engine.process.kill()
        engine.process.wait(timeout=10)
        engine.join()
    assert engine.process.returncode == -signal.SIGKILL

    printed = engine.events()
    finished = finished_in_log(db)
    stored = read_turns(db)
    printed_finished = {
        (e.round, e.seat_id): e.text for e in printed if isinstance(e, TurnFinished)
    }
    assert printed_finished
    assert finished == printed_finished  # every turn the GUI saw finish is stored
    assert {key: stored[key] for key in finished} == {k: ("done", t) for k, t in finished.items()}

    partial = {key: text for key, (status, text) in stored.items() if status == "streaming"}
    assert partial, "no turn was streaming at the kill"
    for key, text in partial.items():
        deltas = [e for e in printed if isinstance(e, TurnDelta) and (e.round, e.seat_id) == key]
        # A checkpoint holds exactly the first k deltas of the turn: never torn, never garbled.
        prefixes = {"".join(d.text for d in deltas[:k]): k for k in range(len(deltas) + 1)}
        assert text in prefixes, f"turn {key}: the stored text is not what was streamed"
        unsaved = deltas[prefixes[text] :]
        if unsaved:
            behind = (deltas[-1].at - unsaved[0].at).total_seconds()
            assert behind <= CHECKPOINT_S + DELTA_SLACK_S, (
                f"turn {key}: {behind:.2f} s of streamed text ({len(unsaved)} deltas) was lost"
            )

    # The next start (here the CLI; the GUI's next engine does the same) says interrupted.
    next_start_finds_it_interrupted(db, env, partial, finished)
