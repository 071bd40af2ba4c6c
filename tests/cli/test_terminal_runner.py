"""Every command that runs a debate runs it the same way (`cli.terminal_runner`).

Before the runner was one, fork, follow-up and resume printed model text raw (an
escape sequence in a reply was obeyed by the terminal), a person's prompt quoted the
other seats raw, and a full disk during a fork exited 2 as "bad input".
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import DebateSpec, DebateStatus, Event, RoundFinished, Seat
from roundtable.domain.continuable import not_followable
from roundtable.engine import run_debate
from roundtable.storage import (
    Recorder,
    list_debates,
    load_debate,
    mark_orphans_interrupted,
    open_database,
)
from roundtable.storage import db as db_module
from tests.engine.scripted import ScriptedGateway, answer_text, reply
from tests.fakes.openai_server import FakeOpenAIServer, Reply

QUESTION = "What is 12+17*23+4-9*14?"
#: Retitle the window, then clear the screen: what a hostile or broken reply might send.
ESCAPES = "\x1b]0;pwned\x07 and \x1b[2J"
DRAWN = "␛]0;pwned␇ and ␛[2J"
PARENT_ID = "5afe7e57" * 4
DEMO_SEATS = (Seat("ada", "Ada", "demo/ada"), Seat("basil", "Basil", "demo/basil"))


def store_parent(db: str, seats: tuple[Seat, ...] = DEMO_SEATS, *, whole: bool = True) -> str:
    """A two-round debate whose first-round replies carry escape sequences.

    `whole=False` stores it only up to the end of round 1, as a process that died then
    leaves it (`open_store` of another process marks it interrupted).
    """
    gateway = ScriptedGateway()
    for seat, value in zip(seats, ("281", "280"), strict=True):
        gateway.enqueue(seat.id, reply(answer_text(value, 0.8, f"Worked out {ESCAPES}.")))
    for seat in seats:
        gateway.enqueue(seat.id, reply(answer_text("281", 0.9)))
    events: list[Event] = []
    spec = DebateSpec(question=QUESTION, seats=seats, max_rounds=2)
    asyncio.run(run_debate(spec, gateway, events.append, debate_id=PARENT_ID))
    if not whole:
        end = next(i for i, e in enumerate(events) if isinstance(e, RoundFinished))
        events = events[: end + 1]
    database = open_database(db)
    recorder = Recorder(database)
    try:
        for event in events:
            recorder(event)
    finally:
        recorder.close()
        database.close()
    return PARENT_ID[:8]


def roundtable(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "t.db")


def assert_drawn_not_obeyed(output: str) -> None:
    assert "\x1b" not in output
    assert "\x07" not in output
    assert DRAWN in output


# ---------------------------------------------------------------- terminal safety
def test_a_fork_shows_escape_sequences_of_the_copied_rounds_drawn(db: str) -> None:
    parent = store_parent(db)

    result = roundtable("fork", parent, "--from-round", "2", "--db", db)

    assert result.exit_code == 0, result.output
    assert_drawn_not_obeyed(result.output)


def test_a_resume_shows_escape_sequences_of_the_kept_rounds_drawn(db: str, monkeypatch) -> None:
    parent = store_parent(db, whole=False)
    # The process that recorded it is gone, so the next start finds it interrupted.
    monkeypatch.setattr("roundtable.storage.queries.process_alive", lambda pid: False)

    result = roundtable("resume", parent, "--db", db)

    assert result.exit_code == 0, result.output
    assert "Resuming 5afe7e57 (interrupted): round 1 kept, playing from round 2." in result.output
    assert_drawn_not_obeyed(result.output)


def test_a_follow_up_shows_escape_sequences_of_a_live_reply_drawn(db: str) -> None:
    with FakeOpenAIServer() as server:
        seats = tuple(
            Seat(seat.id, seat.name, "openai/fake-gpt", api_base=server.base_url)
            for seat in DEMO_SEATS
        )
        parent = store_parent(db, seats)
        server.set_default("fake-gpt", Reply(answer_text("No", 0.9, f"Odd {ESCAPES}.")))

        result = roundtable("followup", parent, "Is it even?", "--db", db)

    assert result.exit_code == 0, result.output
    assert_drawn_not_obeyed(result.output)


def test_a_persons_prompt_shows_the_other_seats_escape_sequences_drawn(db: str) -> None:
    parent = store_parent(db)

    result = roundtable(
        "fork", parent, "--from-round", "2", "--seat", "You=human", "--db", db, stdin="pass\n\n"
    )

    assert result.exit_code == 0, result.output
    prompt = result.output.split("Your turn, You · Round 2")[1].split("Write your answer")[0]
    assert_drawn_not_obeyed(prompt)  # the others' round-1 reasoning, quoted to the person
    assert "\x1b" not in result.output


def test_an_error_that_quotes_a_reply_is_drawn_and_never_read_as_markup(capsys) -> None:
    from roundtable.cli.exits import exit_with
    from roundtable.domain import ProviderError

    def failing() -> int:
        raise ProviderError(f"the server said {ESCAPES} [bold]loudly[/bold]")

    with pytest.raises(typer.Exit) as ended:
        exit_with(failing)

    assert ended.value.exit_code == 1
    said = capsys.readouterr().err
    assert_drawn_not_obeyed(said)
    assert "[bold]loudly[/bold]" in said


# ---------------------------------------------------------------- a reader who leaves
def test_a_reader_who_closes_the_pipe_stops_the_debate_and_the_process(db: str) -> None:
    """`roundtable run … | head` used to abort mid-turn once head had its lines: the
    debate's end was never recorded, and the process could hang for ever."""
    command = [sys.executable, "-m", "roundtable", "run", QUESTION, "--db", db, "--brief"]
    # Real pacing: the debate is far from over when the reader goes.
    env = os.environ | {"ROUNDTABLE_DEMO_SPEED": "1"}
    root = Path(__file__).resolve().parents[2]
    with subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as process:
        assert process.stdout is not None
        try:
            assert process.stdout.readline()  # the debate has started …
            process.stdout.close()  # … and the reader has seen enough
            code = process.wait(timeout=120)  # a guard against hanging, not a timing
        finally:
            process.kill()

    assert code == 141  # a closed pipe, as shells report it; never 1, "a failed debate"
    with open_database(db) as database:
        (summary,) = list_debates(database)
    assert summary.status is DebateStatus.CANCELLED  # its end is recorded


def test_a_resume_whose_reader_is_already_gone_leaves_the_debate_as_it_was(db: str) -> None:
    """`roundtable resume ID | true`: the reopened debate used to stay "running" under a
    process that never ran it."""
    short = store_parent(db, whole=False)
    with open_database(db) as database:
        with database.engine.begin() as connection:
            # As if the process that ran it had died.
            connection.exec_driver_sql("UPDATE debates SET owner_pid = 2147483646")
        mark_orphans_interrupted(database)
        assert load_debate(database, PARENT_ID).summary.status is DebateStatus.INTERRUPTED
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader left before anything was printed
    root = Path(__file__).resolve().parents[2]
    try:
        code = subprocess.run(
            [sys.executable, "-m", "roundtable", "resume", short, "--db", db],
            cwd=root,
            stdout=write_end,
            stderr=subprocess.DEVNULL,
            timeout=120,  # a guard against hanging, not a timing
            check=False,
        ).returncode
    finally:
        os.close(write_end)
    assert code == 141
    with open_database(db) as database:
        assert load_debate(database, PARENT_ID).summary.status is DebateStatus.INTERRUPTED


# ---------------------------------------------------------------- a failed save
def test_a_full_disk_during_a_fork_stops_it_cleanly_not_as_bad_input(db: str, monkeypatch) -> None:
    parent = store_parent(db)
    with open_database(db) as database, database.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    original = db_module._configure_sqlite

    def capped(dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        original(dbapi_connection, record)
        # SQLite's own "database or disk is full" once the file would grow.
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(db_module, "_configure_sqlite", capped)

    result = CliRunner().invoke(app, ["fork", parent, "--from-round", "2", "--db", db])

    assert result.exit_code == 1, result.output
    said = " ".join(result.stderr.split())
    assert "The debate stopped" in said
    assert "full" in said
    assert "roundtable resume" in said
    assert "Error:" not in said  # not refused as bad input
    assert "internal error" not in result.output  # a full disk is not a bug
    assert result.exception is None or isinstance(result.exception, SystemExit)


# ---------------------------------------------------------------- one refusal per case
def test_the_terminal_refuses_a_follow_up_with_the_services_words(db: str) -> None:
    from roundtable.domain import ConfigError
    from roundtable.engine.continuation_service import plan_followup
    from roundtable.headless.stores import load_stored

    parent = store_parent(db, whole=False)  # this process recorded it: still running
    database = open_database(db)
    try:
        stored = load_stored(database, parent)
        assert load_debate(database, stored.id).summary.status is DebateStatus.RUNNING
        with pytest.raises(ConfigError) as refused:
            plan_followup(stored, "Is it even?")
    finally:
        database.close()

    result = roundtable("followup", parent, "Is it even?", "--db", db)

    assert result.exit_code == 2
    assert str(refused.value) == not_followable(PARENT_ID, DebateStatus.RUNNING)
    assert str(refused.value) in " ".join(result.output.split())
