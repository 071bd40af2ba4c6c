"""What a command-line user expects: --version, `path`, `delete`, `show --json`,
`export` that will not overwrite without --force, and `export --format pdf`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roundtable import __version__
from roundtable.cli import app

ROOT = Path(__file__).resolve().parents[2]


def invoke(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "t.db")


@pytest.fixture
def stored(db) -> dict:
    ran = invoke("run", "What is 12+17*23+4-9*14?", "--db", db, "--json", "--seed", "7")
    return json.loads(ran.stdout)


def test_version():
    result = invoke("--version")

    assert result.exit_code == 0
    assert result.output.strip() == f"roundtable {__version__}"


def test_path_says_where_everything_is(db, isolated_user_dirs):
    result = invoke("path", "--db", db)

    text = "".join(result.output.split())  # a long path folds over lines
    assert f"{db}(from--db,notcreatedyet)" in text
    assert str(isolated_user_dirs / "settings.ini") in text
    assert str(isolated_user_dirs / "tables") in text
    assert "systemkeyring" in text
    assert invoke("path", "database", "--db", db).output.strip() == db
    assert json.loads(invoke("path", "--json").output)["database_from"] == "the default"


def test_show_json_is_the_shape_run_json_prints(db, stored):
    result = invoke("show", stored["id"][:8], "--db", db, "--json")

    shown = json.loads(result.stdout)
    for key in ("id", "question", "final_answer", "consensus", "rounds", "status", "tally"):
        assert shown[key] == stored[key]
    assert shown["usage"]["total_tokens"] == stored["usage"]["total_tokens"]


def test_delete_asks_first_and_deletes_on_yes(db, stored):
    short = stored["id"][:8]

    kept = invoke("delete", short, "--db", db, stdin="n\n")  # not a terminal: refused
    assert kept.exit_code == 2
    assert "--yes" in kept.output
    assert short in invoke("list", "--db", db).output

    gone = invoke("delete", short, "--yes", "--db", db)
    assert gone.exit_code == 0, gone.output
    assert "Deleted 1 debate." in gone.output
    assert invoke("show", short, "--db", db).exit_code == 2


def test_delete_resolves_every_id_before_deleting_any(db, stored):
    result = invoke("delete", stored["id"][:8], "ffffffff", "--yes", "--db", db)

    assert result.exit_code == 2
    assert stored["id"][:8] in invoke("list", "--db", db).output


@pytest.mark.parametrize("fmt", ["md", "finetune"])
def test_export_does_not_overwrite_a_file_without_force(db, stored, tmp_path, fmt):
    target = tmp_path / "mine.txt"
    target.write_text("precious", encoding="utf-8")
    ids = [stored["id"]]

    refused = invoke("export", *ids, "-f", fmt, "-o", str(target), "--db", db)
    assert refused.exit_code == 2
    assert "--force" in refused.output
    assert target.read_text(encoding="utf-8") == "precious"

    forced = invoke("export", *ids, "-f", fmt, "-o", str(target), "--force", "--db", db)
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8") != "precious"


@pytest.mark.slow
def test_export_pdf_from_the_command_line_without_a_display(db, stored, tmp_path):
    target = tmp_path / "debate.pdf"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no DISPLAY, no QT_QPA_PLATFORM

    command = ["export", stored["id"], "-f", "pdf", "-o", str(target), "--db", db]

    done = subprocess.run(
        [sys.executable, "-m", "roundtable", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"%PDF")
    assert "Wrote" in done.stderr
    stdout_refused = invoke("export", stored["id"], "-f", "pdf", "--db", db)
    assert stdout_refused.exit_code == 2
    assert "-o FILE.pdf" in stdout_refused.output
