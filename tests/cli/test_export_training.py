"""`roundtable export --format finetune|preference`: clean JSONL on stdout or in a file,
what was written and skipped said on stderr, bad input refused before anything is
written, and no key in any line."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roundtable import __version__
from roundtable.cli import app
from roundtable.domain import (
    AnswerKind,
    DebateFailed,
    DebateSpec,
    DebateStarted,
    Seat,
)
from roundtable.domain.evaluation import EvalItem, EvalSettings, TaskFormat
from roundtable.storage import open_database
from roundtable.storage.evaluations import create_run, record_question
from tests.export.training_debates import debate, says
from tests.export.training_schema import check_line
from tests.helpers.debates import BAT_AND_BALL_QUESTION, bat_and_ball_debate
from tests.helpers.events import EventBuilder, record, usage

DEMO_SEATS = (Seat(id="a", name="A", model="demo/ada"), Seat(id="b", name="B", model="demo/basil"))
SPLIT = [{"ada": says("Six sevens: 42.", "42", 0.9), "bea": says("I say 41.", "41", 0.9)}]


@pytest.fixture
def db(tmp_path) -> str:
    """A store with one debate that agreed, one that did not, one that failed."""
    path = str(tmp_path / "t.db")
    database = open_database(path)
    record(database, bat_and_ball_debate("agreed-0001"))
    record(database, debate("split-0001", SPLIT, final="42", consensus=False))
    failed = EventBuilder("failed-0001")
    failed.add(DebateStarted, spec=DebateSpec(question="Why?", seats=DEMO_SEATS))
    failed.add(DebateFailed, error_kind="auth", message="no key")
    record(database, failed.events)
    database.close()
    return path


def export(*args: str):
    return CliRunner().invoke(app, ["export", *args], catch_exceptions=False)


def said(result) -> str:
    """What the command said on stderr, on one line."""
    return " ".join(result.stderr.split())


def lines(text: str, fmt: str) -> list[dict]:
    """Every line of `text`, checked against the schema."""
    return [check_line(line, fmt) for line in text.splitlines(keepends=True)]


def test_every_qualifying_debate_is_exported_and_the_rest_are_counted_with_reasons(db):
    result = export("--format", "finetune", "--db", db)

    assert result.exit_code == 0, result.output
    (line,) = lines(result.stdout, "finetune")  # stdout is the JSONL and nothing else
    assert line["messages"][0]["content"] == BAT_AND_BALL_QUESTION
    assert (
        f"Wrote 1 finetune line from 1 debate to standard output (Roundtable {__version__})."
        in said(result)
    )
    assert "Skipped 2 debates:" in said(result)
    assert "1 no consensus" in said(result)
    assert "1 failed" in said(result)


def test_preference_pairs_go_to_the_output_file(db, tmp_path):
    target = tmp_path / "pairs.jsonl"
    result = export("--format", "preference", "-o", str(target), "--db", db)

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    (pair,) = lines(target.read_text(encoding="utf-8"), "preference")
    assert pair["rejected"][0]["content"].endswith("Final answer: 10")  # Grace's first answer
    assert f"to {target}" in said(result)
    assert not list(tmp_path.glob(".*partial")), "no half-written file is left behind"


def test_search_selects_the_debates_that_match(db):
    database = open_database(db)
    record(
        database,
        debate(
            "other-0001",
            [SPLIT[0] | {"bea": says("42.", "42", 1.0)}],
            final="42",
            consensus=True,
            question="What is six times seven?",
        ),
    )
    database.close()

    found = export("--format", "finetune", "--search", "seven", "--db", db)
    assert found.exit_code == 0, found.output
    (line,) = lines(found.stdout, "finetune")
    assert line["messages"][0]["content"] == "What is six times seven?"

    nothing = export("--format", "finetune", "--search", "zebra", "--db", db)
    assert (nothing.exit_code, nothing.stdout) == (0, "")
    assert "no debate matches 'zebra'" in said(nothing)


def test_ids_select_and_nothing_qualifying_writes_nothing_and_says_why(db, tmp_path):
    target = tmp_path / "out.jsonl"
    result = export("--format", "finetune", "split-0001", "-o", str(target), "--db", db)

    assert result.exit_code == 0
    assert not target.exists(), "no file when no line qualifies"
    assert "No lines written: no debate qualified." in said(result)
    assert "Skipped 1 debate: 1 no consensus." in said(result)

    target.write_text("yesterday's export\n")
    export(
        "--format",
        "preference",
        "split-0001",
        "agreed-0001",
        "-o",
        str(target),
        "--force",
        "--db",
        db,
    )
    (pair,) = lines(target.read_text(), "preference")  # replaced as a whole
    again = export("--format", "finetune", "split-0001", "-o", str(target), "--force", "--db", db)
    assert "left as it was" in said(again)
    assert lines(target.read_text(), "preference") == [pair]


def test_an_unknown_id_is_refused_before_anything_is_written(db, tmp_path):
    target = tmp_path / "out.jsonl"
    for output in ([], ["-o", str(target)]):
        result = export("--format", "finetune", "agreed-0001", "ffff0000", *output, "--db", db)
        assert result.exit_code == 2
        assert "ffff0000" in said(result)
        assert result.stdout == ""
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "finetune", "agreed-0001", "--search", "ball"], "one way"),
        (["--format", "finetune", "--search", "ball", "--eval", "abcd"], "one way"),
        (["--format", "md", "--search", "ball"], "--search goes with"),
        (["--format", "html", "--system", "Be brief."], "--system goes with"),
        (["--format", "md", "agreed-0001", "split-0001"], "exactly one ID"),
        (["--format", "json"], "exactly one ID"),
        (["--format", "csv", "agreed-0001"], "finetune, preference"),
    ],
)
def test_bad_usage_exits_2_with_a_clear_message(db, args, message):
    result = export(*args, "--db", db)

    assert result.exit_code == 2
    assert message in said(result)
    assert result.stdout == ""


def test_a_key_in_the_environment_never_reaches_a_line(db, monkeypatch):
    # Neither value looks like a key, so only knowing the values can redact them.
    provider_key = f"Zq{secrets.token_hex(9)}"
    seat_key = f"hunter-{secrets.token_hex(8)}"
    # No seat uses this one, but the replies' redactor knows it, so the export must too.
    server_token = f"Tk{secrets.token_hex(8)}"
    monkeypatch.setenv("OPENAI_API_KEY", provider_key)
    monkeypatch.setenv("WORK_KEY", seat_key)
    monkeypatch.setenv("LOCAL_SERVER_TOKEN", server_token)
    seats = (
        Seat(id="ada", name="Ada", model="openai/gpt-4o", api_key_env="WORK_KEY"),
        Seat(id="bea", name="Bea", model="demo/basil"),
    )
    events = debate(
        "keys-0001",
        [
            {
                "ada": says(f"My key is {seat_key}; 6*7 = 36.", "36", 0.5),
                "bea": says(f"Not {provider_key}: it is 42.", "42", 0.9),
            },
            {
                "ada": says(f"42 ({seat_key}).", "42", 0.9),
                "bea": says(f"42, says {server_token}.", "42", 1.0),
            },
        ],
        final="42",
        consensus=True,
        question=f"I pasted {provider_key}. What is 6*7?",
        seats=seats,
    )
    database = open_database(db)
    record(database, events)
    database.close()

    for fmt in ("finetune", "preference"):
        result = export("--format", fmt, "keys-0001", "--db", db)
        assert result.exit_code == 0, result.output
        assert lines(result.stdout, fmt)
        assert "[redacted]" in result.stdout
        for key in (provider_key, seat_key, server_token):
            assert key not in result.output


def test_an_evaluation_run_exports_only_the_debates_it_scored_correct(db):
    database = open_database(db)
    settings = EvalSettings(
        task_name="sums",
        task_source="test",
        task_format=TaskFormat.GENERIC_JSONL,
        fingerprint="f",
        table=DebateSpec(question="", seats=DEMO_SEATS),
    )
    items = [
        EvalItem(id=str(n), question=f"q{n}", answer="42", gold="42", kind=AnswerKind.NUMBER)
        for n in range(3)
    ]
    create_run(database, "run-0001", settings, items)
    # Right without consensus: exported; wrong with consensus: skipped; the third unasked.
    record_question(
        database, "run-0001", 0, debate_id="split-0001", rounds=(), usage=usage(1, 1), correct=True
    )
    record_question(
        database,
        "run-0001",
        1,
        debate_id="agreed-0001",
        rounds=(),
        usage=usage(1, 1),
        correct=False,
    )
    database.close()

    result = export("--format", "finetune", "--eval", "run-0001", "--db", db)

    assert result.exit_code == 0, result.output
    (line,) = lines(result.stdout, "finetune")
    assert line["messages"][-1]["content"] == "Six sevens: 42.\n\nFinal answer: 42"
    assert "Skipped 1 debate: 1 not scored correct." in said(result)

    unknown = export("--format", "finetune", "--eval", "nope-9999", "--db", db)
    assert unknown.exit_code == 2
    assert "nope-9999" in said(unknown)


def test_a_demo_debate_run_end_to_end_exports_valid_lines(tmp_path):
    db = str(tmp_path / "demo.db")
    run = CliRunner().invoke(
        app,
        ["run", "What is 3+4*5-6?", "--db", db, "--seed", "7", "--json"],
        catch_exceptions=False,
    )
    assert run.exit_code == 0, run.output

    for fmt in ("finetune", "preference"):
        result = export("--format", fmt, "--db", db)
        assert result.exit_code == 0, result.output
        written = lines(result.stdout, fmt)
        if written:
            assert "simulated demo seats" in said(result)
        else:
            assert "Skipped 1 debate" in said(result)
    chats = lines(export("--format", "finetune", "--db", db).stdout, "finetune")
    assert chats, "the demo table agrees on this one"
    assert chats[0]["messages"][-1]["content"].endswith("Final answer: 17")


def test_an_output_that_cannot_be_written_is_refused(db, tmp_path):
    missing_dir = tmp_path / "no" / "such" / "dir" / "out.jsonl"
    result = export("--format", "finetune", "-o", str(missing_dir), "--db", db)

    assert result.exit_code == 2
    assert "cannot write" in said(result)
    assert not Path(missing_dir).exists()
