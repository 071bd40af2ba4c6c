"""Commands that call no model start quickly: they load neither litellm nor Qt (about
3 s and 0.5 s of imports), and Alembic only when the database needs a migration
(issue 12: `roundtable list` on an empty database within 0.3 s).

Each command runs in a fresh interpreter, as from a shell, which then reports the
heavy packages it had loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("litellm", "PySide6", "alembic", "sqlalchemy")

CHILD = f"""
import json, sys
report, *args = sys.argv[1:]
sys.argv = ["roundtable", *args]
from roundtable.cli import main
code = 0
try:
    main()
except SystemExit as exit:
    code = exit.code
with open(report, "w") as out:
    json.dump({{"code": code, "loaded": [name for name in {HEAVY!r} if name in sys.modules]}}, out)
"""


def loaded_by(tmp_path: Path, *args: str) -> list[str]:
    """The heavy packages `roundtable ARGS` had loaded when it finished (successfully)."""
    report = tmp_path / "loaded.json"
    subprocess.run(
        [sys.executable, "-c", CHILD, str(report), *args],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=True,
    )
    result = json.loads(report.read_text())
    assert result["code"] in (0, None), f"roundtable {' '.join(args)} exited {result['code']}"
    return list(result["loaded"])


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["list", "--help"], ["path"]])
def test_help_version_and_path_load_no_heavy_package(tmp_path, args):
    assert loaded_by(tmp_path, *args) == []


def test_list_on_an_empty_database_loads_neither_litellm_nor_qt_nor_alembic(tmp_path):
    loaded_by(tmp_path, "list")  # the first run creates the database (Alembic's job)

    assert loaded_by(tmp_path, "list") == ["sqlalchemy"]


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
