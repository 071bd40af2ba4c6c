"""Commands that call no model start quickly: they load neither litellm nor Qt (about
3 s and 0.5 s of imports), nor pydantic (typer 0.29 checked every option with it),
and Alembic only when the database needs a migration (issue 12: `roundtable list` on
an empty database within 0.3 s). Nor do they pay for the interpreter's teardown
walking every object they loaded (`roundtable.cli.app.main`).

Each command runs in a fresh interpreter, as from a shell, which then reports the
heavy packages it had loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("litellm", "PySide6", "pydantic", "alembic", "sqlalchemy")

CHILD = f"""
import gc, json, sys
report, *args = sys.argv[1:]
sys.argv = ["roundtable", *args]
from roundtable.cli import main
code = 0
try:
    main()
except SystemExit as exit:
    code = exit.code
with open(report, "w") as out:
    loaded = [name for name in {HEAVY!r} if name in sys.modules]
    json.dump({{"code": code, "loaded": loaded, "frozen": gc.get_freeze_count()}}, out)
"""


def finished(tmp_path: Path, *args: str) -> dict[str, Any]:
    """What `roundtable ARGS` reported when it finished (successfully)."""
    report = tmp_path / "loaded.json"
    subprocess.run(
        [sys.executable, "-c", CHILD, str(report), *args],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(report.read_text())
    assert result["code"] in (0, None), f"roundtable {' '.join(args)} exited {result['code']}"
    return result


def loaded_by(tmp_path: Path, *args: str) -> list[str]:
    """The heavy packages `roundtable ARGS` had loaded when it finished (successfully)."""
    return list(finished(tmp_path, *args)["loaded"])


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["list", "--help"], ["path"]])
def test_help_version_and_path_load_no_heavy_package(tmp_path, args):
    assert loaded_by(tmp_path, *args) == []


def test_list_on_an_empty_database_loads_neither_litellm_nor_qt_nor_alembic(tmp_path):
    loaded_by(tmp_path, "list")  # the first run creates the database (Alembic's job)

    assert loaded_by(tmp_path, "list") == ["sqlalchemy"]


def test_a_command_leaves_its_objects_to_the_os_at_exit(tmp_path):
    # Set aside from the garbage collector: the interpreter's teardown would walk them
    # all, several times (about a quarter of `list`'s CPU, measured).
    assert finished(tmp_path, "list")["frozen"] > 10_000


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["show", "d1a2b3c4"], ["sqlalchemy"]),
        (["show", "d1a2b3c4", "--json"], ["sqlalchemy"]),
        (["export", "d1a2b3c4", "--format", "md"], ["sqlalchemy"]),
        (["delete", "d1a2b3c4", "--yes"], ["sqlalchemy"]),
    ],
)
def test_commands_on_a_stored_debate_load_neither_litellm_nor_qt(
    tmp_path, isolated_user_dirs, args, expected
):
    from roundtable.storage import open_database
    from tests.helpers.debates import finished_debate
    from tests.helpers.events import record

    with open_database(isolated_user_dirs / "roundtable.db") as database:
        record(database, finished_debate())

    assert loaded_by(tmp_path, *args) == expected


def test_a_command_runs_with_fewer_garbage_collections():
    # Its start imports thousands of modules' objects (litellm's for a debate): at
    # Python's 700 the collector walked them again and again (a fifth of `run`'s CPU
    # before its first request, measured).
    import gc

    import typer

    from roundtable.cli.exits import COMMAND_GC_THRESHOLDS, exit_with

    before = gc.get_threshold()
    during: list[tuple[int, ...]] = []

    with pytest.raises(typer.Exit):
        exit_with(lambda: during.append(gc.get_threshold()))

    assert during == [COMMAND_GC_THRESHOLDS]
    assert gc.get_threshold() == before
