"""The engine client's commands for a person's turn, a fork and a follow-up, and the
request for a person's turn it passes on."""

from __future__ import annotations

import json

from roundtable.domain import (
    Seat,
)
from roundtable.gui.live.engine_client import EngineClient


def test_client_builds_the_human_fork_and_followup_commands(qtbot):
    client = EngineClient(command=["unused"])
    sent: list[dict] = []
    client._send = sent.append  # type: ignore[method-assign]
    with qtbot.waitSignal(client.human_turn_requested) as asked:
        request = {"debate_id": "d", "round": 1, "seat_id": "you", "prompt": "Q?"}
        client._handle_line(json.dumps({"human_turn_requested": request}).encode())
    assert asked.args == [request]
    client.send_human_turn("d", 1, "you", "It is 5.\nFinal answer: 5")
    client.send_human_turn("d", 2, "you", "pass")
    new = Seat(id="ollie", name="Ollie", model="demo/ollie")
    fork_id = client.fork_debate("d", 2, add_seats=[new], drop_seats=["linus"])
    follow_id = client.followup("d", "And in euros?")
    assert sent[0] == {
        "cmd": "human_turn",
        "debate_id": "d",
        "round": 1,
        "seat_id": "you",
        "text": "It is 5.\nFinal answer: 5",
        "pass": False,
    }
    assert (sent[1]["text"], sent[1]["pass"]) == ("", True)
    assert sent[2]["cmd"] == "fork"
    assert sent[2]["debate_id"] == fork_id
    assert (sent[2]["parent_id"], sent[2]["from_round"], sent[2]["drop_seats"]) == (
        "d",
        2,
        ["linus"],
    )
    assert sent[2]["add_seats"][0]["model"] == "demo/ollie"
    assert sent[3] == {
        "cmd": "followup",
        "debate_id": follow_id,
        "parent_id": "d",
        "question": "And in euros?",
    }
    assert set(client.running_debates) == {fork_id, follow_id}
