"""Where the transcript's rows sit: heights measured or estimated, running sums, lookups."""

from __future__ import annotations

from roundtable.gui.debate.rows_ahead import rows_to_prepare
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


def test_rows_ahead_of_the_reader_are_prepared_first_nearest_first():
    rows = rows_of(100)  # 110 px a row
    # The view shows rows 10-14 (1100-1650 px); reach 330 px: three rows each way.
    down = list(rows_to_prepare(rows, 1100, 1650, 330, downward=True))
    assert down[:4] == [15, 16, 17, 18]
    assert down[4:] == [10, 9, 8, 7]
    up = list(rows_to_prepare(rows, 1100, 1650, 330, downward=False))
    assert up[:4] == [10, 9, 8, 7]
    # At the top there is nothing above; past the end nothing below.
    assert list(rows_to_prepare(rows, 0, 550, 330, downward=False)) == [0, 5, 6, 7, 8]
    assert next(rows_to_prepare(rows, 10450, 11000, 330, downward=True)) == 99
