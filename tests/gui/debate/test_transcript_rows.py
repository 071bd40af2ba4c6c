"""Where the transcript's rows sit: heights measured or estimated, running sums, lookups."""

from __future__ import annotations

from roundtable.gui.debate.transcript_rows import TranscriptRows, heading_row, turn_row


def rows_of(count: int, estimate: int = 100) -> TranscriptRows:
    rows = TranscriptRows(lambda key: estimate, gap=10)
    rows.set_keys([turn_row((i, "a")) for i in range(count)])
    return rows


def test_rows_are_placed_by_their_estimated_heights_until_measured():
    rows = rows_of(1000)
    assert rows.total == 1000 * 110
    assert rows.top(500) == 500 * 110
    assert rows.at(500 * 110 + 5) == 500
    assert rows.between(220, 440) == range(2, 5)


def test_a_measurement_moves_only_the_rows_below_it():
    rows = rows_of(1000)
    before = rows.top(10)
    assert rows.measured(turn_row((20, "a")), 300)
    assert rows.top(10) == before
    assert rows.top(21) == 21 * 110 + 200
    assert rows.total == 1000 * 110 + 200
    assert not rows.measured(turn_row((20, "a")), 300)  # the same height moves nothing


def test_changed_content_is_estimated_again_and_new_rows_are_placed():
    rows = rows_of(3)
    rows.measured(turn_row((1, "a")), 500)
    rows.changed([turn_row((1, "a"))])
    assert rows.total == 3 * 110
    rows.set_keys([heading_row(0), *rows.keys, turn_row((3, "a"))])
    assert rows.index(heading_row(0)) == 0
    assert rows.total == 5 * 110
    assert rows.at(-50) == 0
    assert rows.at(10**9) == 4
