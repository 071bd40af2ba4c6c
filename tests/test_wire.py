"""The GUI and the engine process talk in `roundtable.wire` messages; every one of them
must cross the pipe unchanged, and a line from another protocol version must be
refused in words that say what to do."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roundtable import wire
from tests.domain.strategies import events, ident, rounds, seats, specs, text

confidences = st.none() | st.floats(min_value=0, max_value=1)

#: One strategy per message type, commands and replies; a test checks none is missing.
MESSAGE_STRATEGIES: dict[type, st.SearchStrategy] = {
    wire.Hello: st.builds(wire.Hello, protocol_version=st.just(wire.PROTOCOL_VERSION)),
    wire.StartDebate: st.builds(wire.StartDebate, debate_id=ident, spec=specs),
    wire.CancelDebate: st.builds(wire.CancelDebate, debate_id=ident),
    wire.ForkDebate: st.builds(
        wire.ForkDebate,
        debate_id=ident,
        parent_id=ident,
        from_round=rounds,
        add_seats=st.lists(seats, max_size=3).map(tuple),
        drop_seats=st.lists(text, max_size=3).map(tuple),
        max_rounds=st.none() | st.integers(1, 10),
    ),
    wire.FollowUpDebate: st.builds(
        wire.FollowUpDebate, debate_id=ident, parent_id=ident, question=text
    ),
    wire.ResumeDebate: st.builds(wire.ResumeDebate, debate_id=ident),
    wire.HumanTurn: st.builds(
        wire.HumanTurn,
        debate_id=ident,
        round=rounds,
        seat_id=ident,
        text=text,
        answer=st.none() | text,
        confidence=confidences,
        passed=st.booleans(),
    ),
    wire.RenameDebate: st.builds(wire.RenameDebate, debate_id=ident, title=text),
    wire.DeleteDebate: st.builds(wire.DeleteDebate, debate_id=ident),
    wire.Shutdown: st.builds(wire.Shutdown),
    wire.Ready: st.builds(
        wire.Ready,
        protocol_version=st.just(wire.PROTOCOL_VERSION),
        pid=st.integers(1, 2**22),
        interrupted=st.lists(ident, max_size=3).map(tuple),
    ),
    wire.EventNotice: st.builds(wire.EventNotice, event=events),
    wire.HumanTurnRequested: st.builds(
        wire.HumanTurnRequested,
        debate_id=ident,
        round=rounds,
        seat_id=ident,
        seat_name=text,
        question=text,
        prompt=text,
    ),
    wire.DebateRenamed: st.builds(wire.DebateRenamed, debate_id=ident, title=text),
    wire.DebateDeleted: st.builds(wire.DebateDeleted, debate_id=ident),
    wire.CommandFailed: st.builds(
        wire.CommandFailed,
        message=text,
        debate_id=st.none() | ident,
        command=st.sampled_from(["", *wire.COMMANDS]),
    ),
    wire.EngineFailed: st.builds(wire.EngineFailed, message=text),
}
commands = st.one_of(*(MESSAGE_STRATEGIES[cls] for cls in wire.COMMANDS.values()))
replies = st.one_of(*(MESSAGE_STRATEGIES[cls] for cls in wire.REPLIES.values()))


@given(commands)
def test_every_command_survives_the_pipe(command):
    line = wire.encode(command)
    assert line.endswith(b"\n")
    assert line.count(b"\n") == 1, "one message must be one line on the pipe"
    assert wire.decode_command(line) == command


@given(replies)
def test_every_reply_survives_the_pipe(reply):
    line = wire.encode(reply)
    assert line.count(b"\n") == 1, "one message must be one line on the pipe"
    assert wire.decode_reply(line) == reply


def test_every_message_type_is_covered_by_the_round_trip():
    # A new message type must be added to the strategies, or this fails.
    assert set(MESSAGE_STRATEGIES) == {*wire.COMMANDS.values(), *wire.REPLIES.values()}
    assert set(wire.COMMANDS.values()) == set(wire.Command.__args__)
    assert set(wire.REPLIES.values()) == set(wire.Reply.__args__)


def test_a_command_is_not_read_as_a_reply_nor_the_other_way_round():
    with pytest.raises(wire.WireError, match="unknown reply type 'delete'"):
        wire.decode_reply(wire.encode(wire.DeleteDebate(debate_id="d")))
    with pytest.raises(wire.WireError, match="unknown command type 'deleted'"):
        wire.decode_command(wire.encode(wire.DebateDeleted(debate_id="d")))


@pytest.mark.parametrize(
    "line",
    [
        b"not json",
        b'["start"]',
        b'{"debate_id": "d"}',
        b'{"type": "cancel", "debate_id": 7}',
        b'{"type": "cancel", "debate_id": "d", "surprise": 1}',
        b'{"type": "start", "debate_id": "d", "spec": {"question": 1}}',
    ],
)
def test_a_line_that_is_not_a_command_is_refused_not_guessed(line):
    with pytest.raises(wire.WireError):
        wire.decode_command(line)


@pytest.mark.parametrize(
    ("decode", "line"),
    [
        (wire.decode_reply, {"type": "ready", "protocol_version": 0, "pid": 1}),
        # Another version may have changed the message's shape: the version is read first.
        (wire.decode_reply, {"type": "ready", "version": "2.0", "ok": True}),
        (wire.decode_command, {"type": "hello", "protocol_version": wire.PROTOCOL_VERSION + 1}),
    ],
)
def test_another_protocol_version_is_refused_saying_what_to_do(decode, line):
    with pytest.raises(wire.WireVersionMismatch, match="different versions") as refused:
        decode(json.dumps(line))
    assert "start it again" in str(refused.value)


def test_the_lines_are_the_documented_json():
    line = wire.encode(wire.RenameDebate(debate_id="d1", title="Canberra, surely"))
    assert json.loads(line) == {"type": "rename", "debate_id": "d1", "title": "Canberra, surely"}
    assert wire.wire_name(wire.RenameDebate) == "rename"
