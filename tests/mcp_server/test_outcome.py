"""The account of where the seats disagreed, as an MCP client reads it."""

from __future__ import annotations

from datetime import UTC, datetime

from roundtable.domain import RoundFinished
from roundtable.mcp_server.outcome import Disputes, disagreements


def _turn(seat: str, answer: str | None) -> dict[str, object]:
    return {"seat": seat, "model": "m", "answer": answer, "confidence": 0.5, "status": "done"}


def test_each_round_that_split_is_one_line_with_the_larger_camp_first():
    rounds = [
        [_turn("Ada", "401"), _turn("Basil", "391"), _turn("Cyra", "391")],
        [_turn("Ada", "391"), _turn("Basil", "391"), _turn("Cyra", "391")],
    ]
    assert disagreements(rounds, Disputes()) == "Round 1: 391 (Basil, Cyra) against 401 (Ada)."


def test_a_judges_disputed_points_are_added_to_their_round():
    disputes = Disputes()
    disputes(
        RoundFinished(
            debate_id="d",
            seq=3,
            at=datetime.now(UTC),
            round=0,
            tally={},
            agreement=0.5,
            leader=None,
            disputed=("whether SQLite scales", "the cost of a server"),
        )
    )
    rounds = [[_turn("Ada", None), _turn("Basil", None)]]
    assert disagreements(rounds, disputes) == (
        "Round 1: Still disputed: whether SQLite scales; the cost of a server."
    )


def test_a_table_that_never_split_says_so():
    rounds = [[_turn("Ada", "7"), _turn("Basil", "7")]]
    assert disagreements(rounds, Disputes()) == "The seats gave the same answer in every round."
