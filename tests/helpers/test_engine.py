"""The fake engine records each command, as the window sent it."""

from __future__ import annotations

from roundtable.domain import DebateSpec, Seat
from tests.helpers.engine import FakeEngine

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
