"""`roundtable import archives/*.json`: many archives at once, a bad one named and the
others imported, a 1,000-turn archive in one go."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.export import export_debate
from roundtable.storage import list_debates, load_debate, load_events, open_database
from tests.helpers.debates import finished_debate
from tests.helpers.events import record


def _archives(folder: Path, ids: list[str]) -> list[Path]:
    """One exported JSON archive per id, written to `folder`."""
    source = folder / "source.db"
    paths = []
    with open_database(source) as db:
        for debate_id in ids:
            record(db, finished_debate(debate_id))
            path = folder / f"{debate_id}.json"
            exported = export_debate(load_debate(db, debate_id), load_events(db, debate_id), "json")
            path.write_text(exported, encoding="utf-8")
            paths.append(path)
    return paths


def test_many_archives_come_in_and_a_bad_one_is_named_with_its_reason(tmp_path):
    good = _archives(tmp_path, ["debate-a", "debate-b", "debate-c"])
    not_json = tmp_path / "notes.json"
    not_json.write_text("these are my notes", encoding="utf-8")
    tampered = tmp_path / "tampered.json"
    document = json.loads(good[0].read_text(encoding="utf-8"))
    document["events"][0]["debate_id"] = "other/id"
    tampered.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "mine.db"

    files = [good[0], not_json, good[1], tampered, good[2]]
    result = CliRunner().invoke(app, ["import", *map(str, files), "--db", str(target)])

    assert result.exit_code == 1, result.output  # some came in, some did not
    said = " ".join(result.stderr.split())
    assert f"cannot import {not_json}: {not_json} is not valid JSON" in said
    assert f"cannot import {tampered}: " in said
    assert "Imported 3 of 5 archives" in " ".join(result.stdout.split())
    with open_database(target) as mine:
        assert {s.id for s in list_debates(mine)} == {"debate-a", "debate-b", "debate-c"}


def test_archives_already_stored_are_refused_by_name_or_copied_with_new_id(tmp_path):
    paths = _archives(tmp_path, ["debate-a", "debate-b"])
    target = str(tmp_path / "mine.db")
    runner = CliRunner()
    assert runner.invoke(app, ["import", *map(str, paths), "--db", target]).exit_code == 0

    again = runner.invoke(app, ["import", *map(str, paths), "--db", target])
    assert again.exit_code == 2  # none came in
    said = " ".join(again.stderr.split())
    assert f"cannot import {paths[0]}: a debate with id debate-a is already stored" in said

    copies = runner.invoke(app, ["import", *map(str, paths), "--db", target, "--new-id"])
    assert copies.exit_code == 0
    assert "2 had an id already stored" in " ".join(copies.stdout.split())
    with open_database(target) as mine:
        assert len(list_debates(mine)) == 4
