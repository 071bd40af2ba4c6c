"""`roundtable db copy`: SQLite -> PostgreSQL -> SQLite loses nothing, debate by
debate, and copying again copies nothing."""

from __future__ import annotations

import asyncio

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import DebateStarted
from roundtable.export import export_debate
from roundtable.storage import (
    Database,
    list_debates,
    load_debate,
    load_events,
    open_database,
    search_debates,
)
from roundtable.storage import evaluations as runs
from roundtable.storage.store_copy import copy_store
from tests.helpers.debates import finished_debate, spec
from tests.helpers.events import EventBuilder, record
from tests.storage.test_evaluations import ITEMS, SETTINGS
from tests.storage.test_import import engine_debate, stopped_mid_round

pytestmark = pytest.mark.postgres


def _history(db: Database) -> None:
    """Finished, interrupted, a fork of the finished one, an engine-run debate with a
    failed seat, and an evaluation run."""
    record(db, finished_debate("finished"))
    record(db, stopped_mid_round("stopped", end=True))
    fork = EventBuilder("fork-of-finished")
    record(db, [fork.add(DebateStarted, spec=spec(), parent_id="finished", forked_from_round=1)])
    asyncio.run(engine_debate(db))
    runs.create_run(db, "eval-run-1", SETTINGS, ITEMS, budget_usd=1.5)


def _everything(db: Database) -> dict[str, tuple]:
    """Each debate as export and replay read it, and each run as its report reads it."""
    found: dict[str, tuple] = {}
    for summary in list_debates(db, limit=1_000):
        record_ = load_debate(db, summary.id)
        events = load_events(db, summary.id)
        found[summary.id] = (record_, events, export_debate(record_, events, "json"))
    for run in runs.list_eval_runs(db):
        found[f"run:{run.id}"] = (runs.load_eval_run(db, run.id),)
    return found


def test_a_history_goes_to_postgresql_and_back_whole(tmp_path, postgres_url):
    with open_database(tmp_path / "mine.db") as mine:
        _history(mine)
        original = _everything(mine)
        with open_database(postgres_url) as team:
            report = copy_store(mine, team)
            assert (report.debates_copied, report.runs_copied, report.refused) == (4, 1, [])
            assert _everything(team) == original
            # Search follows the copied rows (PostgreSQL's own indexes).
            assert [h.summary.id for h in search_debates(team, "photosynthesis")] == ["finished"]
            again = copy_store(mine, team)  # idempotent
            assert (again.debates_copied, again.runs_copied) == (0, 0)
            assert (again.debates_present, again.runs_present) == (4, 1)
            assert _everything(team) == original

            with open_database(tmp_path / "back.db") as back:
                copy_store(team, back)
                assert _everything(back) == original
                assert [h.summary.id for h in search_debates(back, "photosynthesis")] == [
                    "finished"
                ]


def test_the_command_copies_into_a_team_store_and_says_what_it_did(tmp_path, postgres_url):
    with open_database(tmp_path / "mine.db") as mine:
        record(mine, finished_debate("finished"))
    runner = CliRunner()
    args = ["db", "copy", "--from", str(tmp_path / "mine.db"), "--to", postgres_url]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "Copied 1 debate(s) and 0 evaluation run(s)" in first.stdout
    assert "postgres:***@" in " ".join(first.stdout.split()) or "***" in first.stdout
    second = runner.invoke(app, args)
    assert second.exit_code == 0
    assert "Copied 0 debate(s)" in second.stdout
    assert "1 were already there" in " ".join(second.stdout.split())
    same = runner.invoke(app, ["db", "copy", "--from", postgres_url, "--to", postgres_url])
    assert same.exit_code == 2
    assert "the same store" in same.output
