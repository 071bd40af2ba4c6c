"""Bad input to `roundtable`: refused with exit code 2 and a clear message, nothing written.

Each test runs the real command in-process (typer's runner) against a database under
tmp_path and then checks what a user would check: the exit code, the words on the
screen, and that no database or output file appeared where nothing should have.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import (
    Answer,
    AnswerKind,
    DebateFinished,
    DebateSpec,
    DebateStarted,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFinished,
    TurnStarted,
    Usage,
)
from roundtable.domain.limits import MAX_QUESTION_CHARS

DEBATE_ID = "5e1f0c2a9b8d4c7e8f6a5b4c3d2e1f00"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def roundtable(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


# ------------------------------------------------------------------ questions
@pytest.mark.parametrize("question", ["", "   ", "\n\t  \n"], ids=["empty", "spaces", "blank"])
def test_an_empty_or_blank_question_is_refused(runner, tmp_path, question):
    db = tmp_path / "never.db"

    result = roundtable(runner, "run", question, "--db", str(db))

    assert result.exit_code == 2
    assert "The question is empty" in result.output
    assert not db.exists()


def test_a_megabyte_question_is_refused_at_once_without_being_echoed(runner, tmp_path):
    db = tmp_path / "never.db"
    question = "Why? " * 200_000  # 1,000,000 characters

    result = roundtable(runner, "run", question, "--db", str(db))

    assert result.exit_code == 2
    assert "999,999 characters long" in result.output  # the trailing space is trimmed
    assert f"the limit is {MAX_QUESTION_CHARS:,}" in result.output
    assert len(result.output) < 500  # the message, not the question back
    assert not db.exists()  # refused before the store was opened, so nothing was run


def test_one_character_over_the_limit_is_refused_too(runner, tmp_path):
    db = tmp_path / "never.db"

    result = roundtable(runner, "run", "x" * (MAX_QUESTION_CHARS + 1), "--db", str(db))

    assert result.exit_code == 2
    assert f"{MAX_QUESTION_CHARS + 1:,} characters" in result.output
    assert not db.exists()


# ------------------------------------------------------------------ panel files
def _panel(tmp_path, content: bytes | str):  # type: ignore[no-untyped-def]
    path = tmp_path / "table.toml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("seat = [", "is not valid TOML"),
        (b"\xff\xfe[[seat]]", "is not UTF-8 text"),
        ("", "lists no seats"),
        ("rounds = 2\n", "lists no seats"),
        ("seat = 'ada'\n", "lists no seats"),
        ("seat = [1, 2]\n", "seat 1: expected a [[seat]] table"),
        ("[[seat]]\nname = 'no model'\n", "`model` is required"),
        ("[[seat]]\nmodel = 'demo/ada'\ncolour = 'red'\n", "unknown field(s) colour"),
        ("[[seat]]\nmodel = 'demo/ada'\ntemperature = 'hot'\n", "`temperature` must be"),
        ("[[seat]]\nmodel = 'demo/ada'\nmax_tokens = -5\n", "`max_tokens` must be"),
        ("rounds = 'three'\n[[seat]]\nmodel = 'demo/ada'\n", "`rounds` must be a whole"),
        ("volume = 11\n[[seat]]\nmodel = 'demo/ada'\n", "unknown setting(s) volume"),
    ],
    ids=[
        "not-toml",
        "not-utf8",
        "empty",
        "no-seats",
        "seat-not-a-list",
        "seat-not-a-table",
        "no-model",
        "unknown-field",
        "bad-temperature",
        "bad-max-tokens",
        "bad-rounds",
        "unknown-setting",
    ],
)
def test_a_malformed_panel_file_is_refused_naming_the_file(runner, tmp_path, content, message):
    panel = _panel(tmp_path, content)
    db = tmp_path / "never.db"

    result = roundtable(runner, "run", "2+2?", "--panel", str(panel), "--db", str(db))

    assert result.exit_code == 2
    assert message in result.output
    assert "table.toml" in result.output  # which file to fix
    assert not db.exists()


def test_a_panel_file_holding_a_key_is_refused_without_repeating_the_key(runner, tmp_path):
    key = "sk-live-0123456789abcdefSECRET"
    panel = _panel(tmp_path, f"[[seat]]\nmodel = 'openai/gpt-4o'\napi_key = '{key}'\n")
    db = tmp_path / "never.db"

    result = roundtable(runner, "run", "2+2?", "--panel", str(panel), "--db", str(db))

    assert result.exit_code == 2
    assert "must not contain keys (api_key)" in result.output
    assert "api_key_env" in result.output  # what to do instead
    assert key not in result.output
    assert not db.exists()


@pytest.mark.parametrize("where", ["missing", "directory"])
def test_a_panel_path_that_is_not_a_file_is_refused(runner, tmp_path, where):
    path = tmp_path / "nope.toml" if where == "missing" else tmp_path
    db = tmp_path / "never.db"

    result = roundtable(runner, "run", "2+2?", "--panel", str(path), "--db", str(db))

    assert result.exit_code == 2
    assert f"cannot read panel file {path}" in result.output
    assert not db.exists()


# ------------------------------------------------------------------ seats and options
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seat", "demo/ada"], "at least two seats; this one has 1"),
        (["--seat", "demo/ada", "--seat", "Bo="], "names no model"),
        (["--seat", "demo/ada", "--seat", "demo/nobody"], "Unknown demo model 'demo/nobody'"),
        (["--seat", "demo/ada", "--seat", "demo/basil", "--panel", "x.toml"], "not both"),
        (["--timeout", "0"], "--timeout"),
        (["--timeout", "nan"], "--timeout"),
        (["--threshold", "1.5"], "threshold"),
    ],
    ids=["one-seat", "no-model", "unknown-demo", "seat-and-panel", "zero-timeout", "nan-timeout",
         "threshold"],
)  # fmt: skip
def test_unusable_seats_and_options_are_refused(runner, tmp_path, args, message):
    panel = tmp_path / "x.toml"
    panel.write_text("[[seat]]\nmodel = 'demo/ada'\n")
    args = [str(panel) if arg == "x.toml" else arg for arg in args]
    db = tmp_path / "never.db"

    result = runner.invoke(app, ["run", "2+2?", *args, "--db", str(db)])

    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not db.exists()


# ------------------------------------------------------------------ unknown ids
@pytest.fixture
def stored(tmp_path) -> str:
    """A database holding one finished debate (recorded from events: no model runs)."""
    from roundtable.storage import Recorder, open_database

    db = str(tmp_path / "t.db")
    seats = (Seat("a", "Ada", "demo/ada"), Seat("b", "Bo", "demo/basil"))
    five = Answer(raw="Final answer: 5", value="5", display="5", kind=AnswerKind.NUMBER)
    events = [
        DebateStarted(debate_id=DEBATE_ID, seq=0, spec=DebateSpec("What is 2+3?", seats)),
        RoundStarted(debate_id=DEBATE_ID, seq=1, round=0, seat_ids=("a", "b")),
        TurnStarted(debate_id=DEBATE_ID, seq=2, round=0, seat_id="a"),
        TurnStarted(debate_id=DEBATE_ID, seq=3, round=0, seat_id="b"),
        TurnFinished(debate_id=DEBATE_ID, seq=4, round=0, seat_id="a", text="Final answer: 5",
                     answer=five, usage=Usage()),
        TurnFinished(debate_id=DEBATE_ID, seq=5, round=0, seat_id="b", text="Final answer: 5",
                     answer=five, usage=Usage()),
        RoundFinished(debate_id=DEBATE_ID, seq=6, round=0, tally={"5": 1.0}, agreement=1.0,
                      leader="5"),
        DebateFinished(debate_id=DEBATE_ID, seq=7, final_answer="5", consensus=True, rule="all",
                       tally={"5": 1.0}, usage=Usage(), rounds=1),
    ]  # fmt: skip
    database = open_database(db)
    recorder = Recorder(database)
    for event in events:
        recorder(event)
    recorder.close()
    database.close()
    return db


@pytest.mark.parametrize(
    ("debate_id", "message"),
    [
        ("ffffffff", "no debate with id 'ffffffff'"),
        ("abc", "'abc' is too short"),
        ("", "too short"),
        ("../../etc/passwd", "no debate with id '../../etc/passwd'"),
    ],
)
def test_show_and_export_of_an_unknown_id_exit_2_and_write_nothing(
    runner, tmp_path, stored, debate_id, message
):
    target = tmp_path / "out.md"

    shown = roundtable(runner, "show", debate_id, "--db", stored)
    exported = roundtable(runner, "export", debate_id, "-o", str(target), "--db", stored)

    for result in (shown, exported):
        assert result.exit_code == 2
        assert message in result.output
    assert not target.exists()
    listed = roundtable(runner, "list", "--db", stored)
    assert listed.output.count("What is 2+3?") == 1  # the store is as it was


def test_an_unknown_export_format_is_refused_before_anything_is_written(runner, tmp_path, stored):
    debate_id = DEBATE_ID[:8]
    target = tmp_path / "out.docx"

    result = roundtable(
        runner, "export", debate_id, "-f", "docx", "-o", str(target), "--db", stored
    )

    assert result.exit_code == 2
    assert "unknown format 'docx'" in result.output
    assert not target.exists()
