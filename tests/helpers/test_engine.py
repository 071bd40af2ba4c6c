"""The engine stand-ins: the fake records each command; the real process is driven and read."""

from __future__ import annotations

import os

import pytest

from roundtable import wire
from roundtable.domain import DebateFinished, DebateSpec, DebateStarted, Seat, TurnFinished
from tests.helpers.engine import EngineProcess, FakeEngine

SPEC = DebateSpec(
    question="Q?", seats=(Seat("ada", "Ada", "demo/ada"), Seat("bo", "Bo", "demo/basil"))
)


def test_the_fake_engine_records_each_command_and_names_the_debates_it_starts():
    engine = FakeEngine()
    assert engine.is_ready
    assert engine.start_debate(SPEC) == "live-1"
    new = Seat("ollie", "Ollie", "demo/ollie")
    assert engine.fork_debate("p", 2, add_seats=[new], drop_seats=["ada"]) == "fork-1"
    assert engine.followup("p", "And then?") == "follow-1"
    engine.send_human_turn("live-1", 0, "you", "5")
    engine.resume("p")
    engine.rename_debate("p", "Title")
    engine.delete_debate("p")
    engine.cancel("live-1")
    engine.shutdown()
    assert engine.calls == [
        ("start", SPEC),
        ("fork", "p", 2, [new], ["ada"]),
        ("followup", "p", "And then?"),
        ("human_turn", "live-1", 0, "you", "5"),
        ("resume", "p"),
        ("rename", "p", "Title"),
        ("delete", "p"),
        ("cancel", "live-1"),
    ]
    assert engine.of("cancel") == [("cancel", "live-1")]
    assert engine.running_debates == ("live-1", "fork-1", "follow-1")
    assert engine.shut_down


def test_the_fake_engine_can_be_not_ready_and_name_debates_as_told():
    engine = FakeEngine(start_id="other", ready=False)
    assert not engine.is_ready
    assert engine.start_debate(SPEC) == "other"


@pytest.mark.slow
def test_the_engine_process_says_ready_runs_a_debate_and_shuts_down(tmp_path):
    env = os.environ | {"ROUNDTABLE_DATA_DIR": str(tmp_path), "ROUNDTABLE_DEMO_SPEED": "40"}
    engine = EngineProcess(tmp_path / "engine.db", env)
    try:
        ready = engine.next_reply(lambda r: isinstance(r, wire.Ready), what="Ready")
        assert ready.protocol_version == wire.PROTOCOL_VERSION
        engine.send(wire.StartDebate(debate_id="d1", spec=SPEC))
        ended = engine.next_reply(
            lambda r: isinstance(r, wire.EventNotice) and isinstance(r.event, DebateFinished),
            what="the end of the debate",
        )
        assert ended.event.debate_id == "d1"
        events = engine.events("d1")
        assert isinstance(events[0], DebateStarted)
        assert [e.seq for e in events] == list(range(len(events)))
        assert any(isinstance(e, TurnFinished) for e in events)
        assert engine.events("other") == []
    finally:
        engine.stop()
    assert engine.process.returncode == 0
