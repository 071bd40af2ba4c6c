"""Finding the seat a spec names for a role (chair, judge) and the order of a table.

A person naming a chair types what they see, a seat's name ("Ada"); panels and the
app store ids ("ada"). Both work: an exact id first, then a name, case-insensitively.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from roundtable.domain import Seat


def find_seat(seats: Sequence[Seat], ref: str | None) -> Seat | None:
    """The seat whose id is `ref`, else the one whose name is `ref` (any case), else None."""
    if not ref:
        return None
    for seat in seats:
        if seat.id == ref:
            return seat
    folded = ref.strip().casefold()
    for seat in seats:
        if seat.name.strip().casefold() == folded:
            return seat
    return None


def seeded_order(items: Sequence[str], *, seed: int | None, salt: str) -> list[str]:
    """`items` shuffled reproducibly: the same seed and salt always give the same order.

    `salt` makes each use independent (each reviewer gets its own order), and a
    string seed is hashed the same way in every process (unlike `hash()`).
    """
    order = list(items)
    random.Random(f"{seed}\x1f{salt}").shuffle(order)
    return order


def labels(count: int) -> list[str]:
    """Response labels as the council shows them: A, B, … Z, then AA, AB…"""
    out = []
    for index in range(count):
        label = ""
        number = index
        while True:
            label = chr(ord("A") + number % 26) + label
            number = number // 26 - 1
            if number < 0:
                break
        out.append(label)
    return out
