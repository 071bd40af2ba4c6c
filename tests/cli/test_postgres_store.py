"""Every command on a PostgreSQL store (`--db postgresql+psycopg://…` or
$ROUNDTABLE_DB), as on SQLite: run, list, search, show, export, import, fork,
followup, resume, eval, evals, eval-report, delete. The demo table plays, in process."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import DebateStatus
from roundtable.storage import list_debates, load_debate, open_database
from tests.cli.test_resume import DEBATE_ID, stopped_stream
from tests.helpers.events import record

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

QUESTION = "What is 12+17*23+4-9*14?"


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def json_of(*args: str):
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_command_works_on_a_postgresql_store(postgres_url, tmp_path, monkeypatch):
    db = postgres_url
    parent = json_of("run", QUESTION, "--db", db, "--seed", "7")
    assert parent["final_answer"]

    listed = json_of("list", "--db", db)
    assert [item["id"] for item in listed] == [parent["id"]]
    found = json_of("list", "--search", "left righ", "--db", db)
    assert [item["id"] for item in found] == [parent["id"]]
    assert json_of("list", "--search", "zanzibar", "--db", db) == []

    shown = invoke("show", parent["id"][:8], "--db", db)
    assert shown.exit_code == 0
    assert QUESTION in shown.stdout

    archive = tmp_path / "debate.json"
    exported = invoke("export", parent["id"][:8], "--format", "json", "--db", db)
    assert exported.exit_code == 0
    archive.write_text(exported.stdout, encoding="utf-8")
    markdown = invoke("export", parent["id"][:8], "--format", "md", "--db", db)
    assert "What is 12+17" in markdown.stdout

    child = json_of("fork", parent["id"][:8], "--from-round", "2", "--db", db)
    assert child["parent_id"] == parent["id"]
    follow = json_of("followup", parent["id"][:8], "And times two?", "--db", db)
    assert follow["parent_id"] == parent["id"]

    copied = invoke("import", str(archive), "--db", db, "--new-id")
    assert copied.exit_code == 0, copied.output

    # $ROUNDTABLE_DB names the store as --db does.
    monkeypatch.setenv("ROUNDTABLE_DB", db)
    assert len(json_of("list")) == 4

    deleted = invoke("delete", child["id"][:8], "--yes")
    assert deleted.exit_code == 0, deleted.output
    assert len(json_of("list")) == 3


def test_an_interrupted_debate_resumes_on_a_postgresql_store(postgres_url):
    with open_database(postgres_url) as database:
        record(database, stopped_stream().events)
    result = invoke("resume", DEBATE_ID[:8], "--db", postgres_url, "--brief")
    assert result.exit_code == 0, result.output
    with open_database(postgres_url) as database:
        (summary,) = list_debates(database)
        assert summary.status is DebateStatus.FINISHED
        assert {t.round for t in load_debate(database, DEBATE_ID).turns} >= {0, 1}


def test_an_evaluation_runs_into_a_postgresql_store(postgres_url, tmp_path):
    report = json_of(
        "eval", "arithmetic", "--limit", "2", "--rounds", "2", "--baselines", "seats",
        "--db", postgres_url, "--html", str(tmp_path / "report.html"),
    )  # fmt: skip
    assert report["methods"]
    (run,) = json_of("evals", "--db", postgres_url)
    assert (run["task"], run["status"], run["asked"]) == ("arithmetic", "finished", 2)
    again = invoke("eval-report", run["id"][:8], "--db", postgres_url)
    assert again.exit_code == 0, again.output


def test_list_mine_and_by_name_show_who_ran_what(postgres_url, monkeypatch):
    monkeypatch.setenv("ROUNDTABLE_USER", "Ada")
    json_of("run", "Ada asks: what is 2+2?", "--db", postgres_url, "--rounds", "1")
    monkeypatch.setenv("ROUNDTABLE_USER", "Basil")
    json_of("run", "Basil asks: what is 3+3?", "--db", postgres_url, "--rounds", "1")

    mine = json_of("list", "--mine", "--db", postgres_url)
    assert [(d["question"], d["started_by"]) for d in mine] == [
        ("Basil asks: what is 3+3?", "Basil")
    ]
    ada = json_of("list", "--by", "ada", "--db", postgres_url)
    assert [d["started_by"] for d in ada] == ["Ada"]
    assert json_of("list", "--by", "Ada", "--search", "what", "--db", postgres_url)[0][
        "question"
    ].startswith("Ada asks")
    assert len(json_of("list", "--db", postgres_url)) == 2
    both = invoke("list", "--mine", "--by", "Ada", "--db", postgres_url)
    assert both.exit_code == 2
    assert "not both" in both.output
