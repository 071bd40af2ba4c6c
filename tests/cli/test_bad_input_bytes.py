"""Hostile bytes and sizes on the command line: a clear message and exit 2, never a traceback.

On Linux, argument bytes that are not UTF-8 reach Python as lone surrogates; the
typer runner passes such strings as they would arrive, and one test runs the real
command with raw bytes in its argv. Nothing may be written when input is refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roundtable.cli import app

ROOT = Path(__file__).resolve().parents[2]
NOT_UTF8 = "caf\udce9"  # b"caf\xe9": Latin-1, as argv gives it to Python
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff\u2060"


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "never.db"


def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)


# ------------------------------------------------------------------ bytes that are not UTF-8
@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["run", NOT_UTF8], "QUESTION 'caf\\xe9'"),
        (["run", "2+2?", "--seat", f"{NOT_UTF8}=demo/ada"], "--seat 'caf\\xe9=demo/ada'"),
        (["run", "2+2?", "--persona", NOT_UTF8], "--persona 'caf\\xe9'"),
        (["list", "--search", NOT_UTF8], "--search 'caf\\xe9'"),
        (["show", NOT_UTF8], "ID 'caf\\xe9'"),
        (["followup", "abc", NOT_UTF8], "QUESTION 'caf\\xe9'"),
        (["export", NOT_UTF8], "ID 'caf\\xe9'"),
    ],
    ids=["run", "seat-name", "persona", "list-search", "show", "followup", "export"],
)
def test_an_argument_that_is_not_utf8_is_refused_naming_it(db, args, named):
    result = invoke(*args, "--db", str(db))

    assert result.exit_code == 2, result.output
    assert f"{named} holds bytes that are not UTF-8 text" in result.output
    assert "Traceback" not in result.output
    assert not db.exists()


def test_raw_argv_bytes_that_are_not_utf8_get_a_message_not_a_traceback(tmp_path, db):
    env = {**os.environ, "HOME": str(tmp_path), "LC_ALL": "C.UTF-8"}
    env.pop("ROUNDTABLE_DB", None)
    for args in ([b"run", b"caf\xe9?"], [b"list", b"-q", b"\xff\xfe"], [b"show", b"\xff"]):
        done = subprocess.run(
            [os.fsencode(sys.executable), b"-m", b"roundtable", *args, b"--db", os.fsencode(db)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        stderr = done.stderr.decode("utf-8")
        assert done.returncode == 2, stderr
        assert "holds bytes that are not UTF-8 text" in stderr
        assert "Traceback" not in stderr
    assert not db.exists()


def test_a_file_name_that_is_not_utf8_is_still_opened(tmp_path, db):
    # A path need not be UTF-8 to be read: only text is checked, so `import` reads it.
    archive = tmp_path / "caf\udce9.json"
    archive.write_text("[1]", encoding="utf-8")

    result = invoke("import", str(archive), "--db", str(db))

    assert result.exit_code == 2
    assert "not a Roundtable archive" in result.output  # it was opened and read


# ------------------------------------------------------------------ invisible questions
def test_a_question_of_zero_width_characters_is_empty(db):
    result = invoke("run", ZERO_WIDTH, "--db", str(db))

    assert result.exit_code == 2
    assert "The question is empty (it holds only invisible characters)" in result.output
    assert not db.exists()


def test_a_zero_width_question_on_standard_input_is_empty(db):
    result = invoke("run", "-", "--db", str(db), stdin=f"{ZERO_WIDTH}\n \u200b\n")

    assert result.exit_code == 2
    assert "the question read from standard input is empty" in result.output
    assert not db.exists()


# ------------------------------------------------------------------ panel files
def test_a_deeply_nested_panel_file_is_refused_in_words(tmp_path, db):
    panel = tmp_path / "deep.toml"
    panel.write_text("a = " + "[" * 10_000 + "]" * 10_000, encoding="utf-8")

    result = invoke("run", "2+2?", "--panel", str(panel), "--db", str(db))

    assert result.exit_code == 2
    assert "deep.toml is nested too deeply to be a panel file" in result.output
    assert "RecursionError" not in result.output
    assert not db.exists()


def test_a_panel_with_a_ten_megabyte_persona_is_refused_before_it_is_read(tmp_path, db):
    panel = tmp_path / "huge.toml"
    persona = "x" * 10_000_000
    panel.write_text(
        f'[[seat]]\nmodel = "demo/ada"\npersona = "{persona}"\n[[seat]]\nmodel = "demo/basil"\n',
        encoding="utf-8",
    )

    result = invoke("run", "2+2?", "--panel", str(panel), "--db", str(db))

    assert result.exit_code == 2
    assert "huge.toml is larger than 1,024 kB" in result.output
    assert not db.exists()


def test_a_long_persona_option_is_refused_with_the_limit(db):
    result = invoke("run", "2+2?", "--persona", "Be terse. " * 1_000, "--db", str(db))

    assert result.exit_code == 2
    assert "the persona is 9,999 characters long; the limit is 8,000" in result.output
    assert not db.exists()


def test_a_long_seat_name_is_refused_with_the_limit(db):
    seats = ["--seat", f"{'N' * 300}=demo/ada", "--seat", "demo/basil"]

    result = invoke("run", "2+2?", *seats, "--db", str(db))

    assert result.exit_code == 2
    assert "the name is 300 characters long; the limit is 80" in result.output
    assert len(result.output) < 400
    assert not db.exists()


# ------------------------------------------------------------------ import
def test_a_huge_number_in_an_import_gets_a_clear_message(tmp_path, db):
    archive = tmp_path / "huge.json"
    archive.write_text('{"format": "roundtable-archive", "seed": ' + "9" * 5_000 + "}")

    result = invoke("import", str(archive), "--db", str(db))

    assert result.exit_code == 2
    assert "holds a number 5,000 digits long" in result.output
    assert "set_int_max_str_digits" not in result.output
    assert "Nothing was imported" in result.output


# ------------------------------------------------------------ names that become files or roles
LONG = "x" * 300


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--save", LONG], "The table's name is 300 characters long; the limit is 80"),
        (["--panel", LONG], "The table's name is 300 characters long; the limit is 80"),
        (["--panel", f"{LONG}.toml"], "File name too long"),
        (["--protocol", "council", "--chair", LONG], "The chair is 300 characters long"),
        (["--protocol", LONG], f"Unknown protocol '{'x' * 40}…'. Choose one of"),
    ],
    ids=["save", "panel-name", "panel-file", "chair", "protocol"],
)
def test_a_long_table_name_role_or_protocol_is_refused_without_a_traceback(
    tmp_path, monkeypatch, db, args, message
):
    monkeypatch.setenv("ROUNDTABLE_DATA_DIR", str(tmp_path / "data"))

    result = invoke("run", "2+2?", *args, "--db", str(db))

    assert result.exit_code == 2
    assert message in result.output
    assert not db.exists()
    assert not (tmp_path / "data" / "tables").exists()  # nothing saved either


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "x" * 5_000], f"no debate with id '{'x' * 40}…'"),
        (["delete", "x" * 5_000], f"no debate with id '{'x' * 40}…'"),
        (["eval", "x" * 5_000], "File name too long"),
    ],
    ids=["show", "delete", "eval-task"],
)
def test_a_huge_id_or_task_name_is_refused_in_one_short_line(tmp_path, args, message):
    db = tmp_path / "t.db"
    ran = invoke("run", "2+2?", "--rounds", "1", "--db", str(db))  # a store to look in
    assert ran.exit_code == 0, ran.output

    result = invoke(*args, "--db", str(db))

    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output) < 300
    assert "Traceback" not in result.output


def test_the_question_limits_hold_for_followup_and_standard_input(tmp_path):
    db = tmp_path / "t.db"
    ran = invoke("run", "2+2?", "--rounds", "1", "--db", str(db), "--json")
    assert ran.exit_code == 0, ran.output
    debate_id = json.loads(ran.stdout)["id"]
    too_long = "?" * 20_001

    refused = [
        invoke("followup", debate_id, too_long, "--db", str(db)),
        invoke("followup", debate_id, ZERO_WIDTH, "--db", str(db)),
        invoke("followup", debate_id, "-", "--db", str(db), stdin=too_long),
        invoke("run", "-", "--db", str(db), stdin=too_long),
    ]

    assert [result.exit_code for result in refused] == [2, 2, 2, 2]
    assert "the limit is 20,000" in refused[0].output
    assert "The question is empty (it holds only invisible characters)" in refused[1].output
    assert "the limit is 20,000" in refused[2].output
    assert "the limit is 20,000" in refused[3].output
    assert len(json.loads(invoke("list", "--db", str(db), "--json").stdout)) == 1  # none added
