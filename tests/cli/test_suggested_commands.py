"""The commands Roundtable suggests can be pasted as they are: they keep the --db."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.cli.hints import suggested_command


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_the_import_hint_keeps_the_database_it_imported_into(tmp_path):
    source, target = str(tmp_path / "a.db"), str(tmp_path / "other place" / "b.db")
    debate_id = json.loads(invoke("run", "What is 2+2?", "--db", source, "--json").stdout)["id"]
    archive = tmp_path / "d.json"
    invoke("export", debate_id, "-f", "json", "-o", str(archive), "--db", source)

    imported = invoke("import", str(archive), "--db", target)

    assert imported.exit_code == 0, imported.output
    hint = f"roundtable show {debate_id[:8]} --db '{target}'"
    assert hint in " ".join(imported.output.split())
    assert invoke("show", debate_id[:8], "--db", target).exit_code == 0


def test_a_suggestion_without_db_uses_the_default_database():
    assert suggested_command("resume", "1a2b3c4d", db=None) == "roundtable resume 1a2b3c4d"
