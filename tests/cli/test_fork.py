"""`roundtable fork` and `roundtable followup` on the demo table, and the links `show` prints."""

from __future__ import annotations

import asyncio
import json

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import DebateSpec, Seat
from roundtable.engine import run_debate
from roundtable.storage import Recorder, load_debate, load_events, open_database
from roundtable.storage.links import debate_links
from tests.engine.scripted import ScriptedGateway, answer_text, reply

QUESTION = "What is 12+17*23+4-9*14?"


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "t.db")


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def run_json(*args: str) -> dict:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def parent(db: str) -> dict:
    """A demo debate of at least two rounds (the demo table does not agree at once)."""
    return run_json("run", QUESTION, "--db", db, "--seed", "7")


@pytest.fixture
def recorded(db: str) -> str:
    """A finished two-round debate of demo seats, recorded without running the models."""
    seats = (Seat("ada", "Ada", "demo/ada"), Seat("basil", "Basil", "demo/basil"))
    gateway = ScriptedGateway()
    for _ in range(2):
        gateway.enqueue("ada", reply(answer_text("281", 0.9)))
        gateway.enqueue("basil", reply(answer_text("280", 0.6)))
    database = open_database(db)
    recorder = Recorder(database)
    try:
        spec = DebateSpec(question=QUESTION, seats=seats, max_rounds=2)
        asyncio.run(run_debate(spec, gateway, recorder, debate_id="f00dcafe" * 4))
    finally:
        recorder.close()
        database.close()
    return "f00dcafe"


def test_fork_copies_the_rounds_before_and_plays_on_with_the_changed_table(
    db: str, parent: dict
) -> None:
    assert len(parent["rounds"]) >= 2
    child = run_json(
        "fork", parent["id"][:8], "--from-round", "2", "--drop-seat", "Basil",
        "--seat", "Dex=demo/dex", "--db", db,
    )  # fmt: skip

    assert child["id"] != parent["id"]
    assert (child["parent_id"], child["relation"], child["from_round"]) == (
        parent["id"],
        "fork",
        2,
    )
    assert child["rounds"][0] == parent["rounds"][0]  # round 1, as it was
    later = {turn["seat"] for turns in child["rounds"][1:] for turn in turns}
    assert "Basil" not in later
    assert "Dex" in later
    database = open_database(db)
    try:
        copied = [e for e in load_events(database, child["id"]) if getattr(e, "round", 1) == 0]
        original = [e for e in load_events(database, parent["id"]) if getattr(e, "round", 1) == 0]
        assert [getattr(e, "text", None) for e in copied] == [
            getattr(e, "text", None) for e in original
        ]
        up, _ = debate_links(database, child["id"])
        _, down = debate_links(database, parent["id"])
        assert up is not None
        assert up.summary.id == parent["id"]
        assert [link.summary.id for link in down] == [child["id"]]
        assert load_debate(database, child["id"]).spec.sitting_out == ("basil",)
    finally:
        database.close()

    shown_child = invoke("show", child["id"][:8], "--db", db).output
    assert f"Forked from {parent['id'][:8]} (at round 2)" in shown_child
    # The seats table may wrap the note over two lines at 80 columns.
    assert "sits out after the copied rounds" in " ".join(shown_child.split())
    shown_parent = invoke("show", parent["id"][:8], "--db", db).output
    assert "Forks:" in shown_parent
    assert child["id"][:8] in shown_parent


def test_followups_make_a_thread_that_show_prints(db: str, parent: dict) -> None:
    second = run_json("followup", parent["id"][:8], "Is that answer odd?", "--db", db)
    third = run_json("followup", second["id"][:8], "Is it prime?", "--db", db)

    assert (second["parent_id"], second["relation"]) == (parent["id"], "followup")
    assert second["question"] == "Is that answer odd?"
    assert third["final_answer"] is not None
    shown = invoke("show", second["id"][:8], "--db", db).output
    assert "Thread (follow-ups, oldest first):" in shown
    lines = shown.splitlines()
    order = [
        next(i for i, line in enumerate(lines) if debate_id[:8] in line)
        for debate_id in (parent["id"], second["id"], third["id"])
    ]
    assert order == sorted(order)
    assert "← this debate" in lines[order[1]]
    assert "Follows up on:" in shown  # the transcript's header says so too


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("fork", "zzzzzzzz", "--from-round", "1"), "no debate with id"),
        (("fork", "{id}", "--from-round", "9"), "Cannot fork from round 9"),
        (("followup", "f00", "Next?"), "too short"),
        (("fork", "{id}", "--from-round", "2", "--drop-seat", "Nobody"), "No seat named"),
        (("fork", "{id}", "--from-round", "2", "--seat", "You=human", "--json"), "no terminal"),
        (("followup", "{id}", "   "), "question is empty"),
    ],
)
def test_bad_forks_and_followups_exit_2_with_a_reason(
    db: str, recorded: str, args: tuple[str, ...], message: str
) -> None:
    before = len(invoke("list", "--db", db).output.splitlines())
    result = invoke(*(arg.format(id=recorded) for arg in args), "--db", db)
    assert result.exit_code == 2
    assert message in result.output
    assert len(invoke("list", "--db", db).output.splitlines()) == before  # nothing stored


def test_a_forks_totals_keep_the_copied_rounds_apart_from_this_run(db: str, parent: dict) -> None:
    database = open_database(db)
    try:
        turns = load_debate(database, parent["id"]).turns
    finally:
        database.close()
    copied = sum(turn.usage.total_tokens for turn in turns if turn.round == 0)

    child = run_json("fork", parent["id"][:8], "--from-round", "2", "--db", db)
    usage = child["usage"]
    assert usage["earlier_rounds"]["total_tokens"] == copied
    assert usage["this_run"]["total_tokens"] == usage["total_tokens"] - copied

    stored = run_json("show", child["id"][:8], "--db", db)
    assert stored["usage"]["earlier_rounds"] == usage["earlier_rounds"]

    shown = invoke("fork", parent["id"][:8], "--from-round", "2", "--db", db).output
    shown = " ".join(shown.split())
    assert "(the whole debate)" in shown
    assert f"round 1, copied: {copied:,} tokens" in shown
    assert "this run:" in shown
    assert "s (round 2, this run)" in shown or "s (rounds 2–" in shown  # the wall time
