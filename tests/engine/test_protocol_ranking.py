"""The council's ranks: read robustly from what reviewers write, and averaged fairly."""

from __future__ import annotations

import pytest

from roundtable.engine.protocols.ranking import (
    anonymise,
    average_ranks,
    name_responses,
    parse_ranking,
    scrub_names,
)

LABELS = ["A", "B", "C"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Notes…\nFINAL RANKING:\n1. Response C\n2. Response A\n3. Response B", ("C", "A", "B")),
        ("**Ranking:** Response B > Response C > Response A", ("B", "C", "A")),
        ("My ranking, best first:\n1. C\n2. A\n3. B\nFinal answer: 4", ("C", "A", "B")),
        ("### Final Ranking\n- response b\n- response a", ("B", "A")),  # partial, any case
        # A reviewer that corrects itself: the last ranking counts.
        (
            "Ranking: A, B, C\nOn reflection:\nFINAL RANKING:\n1. Response B\n2. Response A",
            ("B", "A"),
        ),
        # Response A discussed before the ranking is no rank; a label never shown is dropped.
        (
            "Response A is weak.\nFINAL RANKING:\n1. Response D\n2. Response C\n3. Response C",
            ("C",),
        ),
        ("I liked Response A best.", ()),  # no ranking section: no ranks guessed
    ],
)
def test_rankings_are_read_in_the_forms_reviewers_write(
    text: str, expected: tuple[str, ...]
) -> None:
    assert parse_ranking(text, LABELS) == expected


def test_ranks_are_averaged_over_the_reviewers_who_ranked() -> None:
    ranks = average_ranks(
        [("b", "a", "c"), ("b", "c"), ()],  # the second left "a" out; the third ranked nothing
        ["a", "b", "c"],
    )
    # "a" shares the third place the second reviewer left free.
    assert ranks == {"b": 1.0, "a": 2.5, "c": 2.5}
    assert average_ranks([(), ()], ["a", "b"]) == {}


def test_each_reviewer_gets_its_own_reproducible_order() -> None:
    first = anonymise(["ada", "bob", "cy"], "ada", seed=1)
    assert first == anonymise(["ada", "bob", "cy"], "ada", seed=1)
    views = {anonymise(["ada", "bob", "cy"], r, seed=1).order for r in ("ada", "bob", "cy", "dee")}
    assert len(views) > 1
    assert [label for label, _ in first.order] == LABELS


def test_names_are_hidden_from_reviewers_and_given_back_to_the_chair() -> None:
    assert scrub_names("As Bob (bob) I say", ["Bob", "Ada"]) == "As [a member] ([a member]) I say"
    view = anonymise(["ada", "bob"], "cy", seed=3)
    letter = {seat: label for label, seat in view.order}
    review = f"Response {letter['bob']} slipped; Response {letter['ada']} is right."
    named = name_responses(review, view, {"ada": "Ada", "bob": "Bob"})
    assert named == "Bob's answer slipped; Ada's answer is right."
