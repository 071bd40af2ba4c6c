"""Answers written differently must compare equal, and different answers must not."""

from __future__ import annotations

import pytest

from roundtable.domain import AnswerKind
from roundtable.engine.normalize import (
    fold_text,
    normalize_choice,
    normalize_number,
    normalize_value,
    normalize_yes_no,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", "42"),
        ("1,000", "1000"),
        ("1,000,000.50", "1000000.5"),
        ("1000.0", "1000"),
        ("0.50", "0.5"),
        (".5", "0.5"),
        ("$23", "23"),
        ("-$5", "-5"),
        ("€1,299.99", "1299.99"),
        ("23 apples", "23"),
        ("42 km/h", "42"),
        ("-5", "-5"),
        ("−5", "-5"),  # a typographic minus
        ("+7", "7"),
        ("-0", "0"),
        ("1/2", "0.5"),
        ("3/4", "0.75"),
        ("1/3", "0.333333333333"),
        ("\\frac{5}{2}", "2.5"),
        ("1e6", "1000000"),
        ("2.5E-3", "0.0025"),
        ("50%", "50"),
        ("≈ 3.14", "3.14"),
        ("about ~12", "12"),
        ("x = -3", "-3"),
        ("twenty-three", "23"),
        ("one hundred and five", "105"),
        ("two thousand", "2000"),
        ("minus four", "-4"),
        ("9.8 m/s^2", "9.8"),
        ("5 cm2", "5"),
        ("42°C", "42"),
        ("2^{10}", "1024"),
    ],
)
def test_numbers_normalise_to_a_canonical_decimal(text: str, expected: str | None) -> None:
    assert normalize_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Paris",
        "2 + 3",
        "3 apples and 4 pears",
        "3 hours 20 minutes",
        "1/0",
        "Route 66",
        "1,5",
        "version 2",
        "2^1000",
        "",
    ],
)
def test_non_numbers_are_not_numbers(text: str) -> None:
    assert normalize_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("B", "B"),
        ("b", "B"),
        ("(b)", "B"),
        ("B)", "B"),
        ("[C]", "C"),
        ("Option B", "B"),
        ("option (d): none of these", "D"),
        ("Choice c", "C"),
        ("(C) Paris", "C"),
        ("B. Paris", "B"),
        ("A: 42", "A"),
        ("J", "J"),
        ("K", None),  # past J: not a choice letter
        ("Bob", None),
        ("a. m.", None),
        ("(A) and (C)", None),
    ],
)
def test_choice_letters(text: str, expected: str | None) -> None:
    assert normalize_choice(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yes", "yes"),
        ("yes.", "yes"),
        ("YES!", "yes"),
        ("TRUE", "yes"),
        ("correct", "yes"),
        ("No", "no"),
        ("false", "no"),
        ("Incorrect", "no"),
        ("not correct", "no"),
        ("Yes, it is prime", "yes"),
        ("No. It has a factor of 3.", "no"),
        # Careful: these only start like yes/no.
        ("Not sure", None),
        ("None", None),
        ("Nobody", None),
        ("Nothing", None),
        ("Yesterday", None),
        ("The correct answer is B", None),
    ],
)
def test_yes_no(text: str, expected: str | None) -> None:
    assert normalize_yes_no(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Eiffel Tower", "eiffel tower"),
        ("Zürich", "zurich"),
        ("  New   York  City ", "new york city"),
        ("Jean-Paul Sartre", "jean paul sartre"),
        ("an apple", "Apple!"),
    ],
)
def test_text_folds_case_accents_punctuation_and_articles(a: str, b: str) -> None:
    assert fold_text(a) == fold_text(b)


def test_different_texts_stay_different() -> None:
    assert fold_text("Paris") != fold_text("Lyon")


@pytest.mark.parametrize(
    ("text", "kind", "value", "display"),
    [
        ("(b)", AnswerKind.CHOICE, "B", "B"),
        ("True", AnswerKind.YESNO, "yes", "true"),
        ("Yes.", AnswerKind.YESNO, "yes", "yes"),
        ("$1,000", AnswerKind.NUMBER, "1000", "$1,000"),
        ("The Louvre", AnswerKind.TEXT, "louvre", "The Louvre"),
    ],
)
def test_normalize_value_sets_kind_value_and_display(
    text: str, kind: AnswerKind, value: str, display: str
) -> None:
    assert normalize_value(text) == (kind, value, display)


def test_long_display_is_shortened_but_value_is_whole() -> None:
    text = "word " * 100
    result = normalize_value(text)
    assert len(result.display) <= 200
    assert result.display.endswith("…")
    assert result.value.count("word") == 100


@pytest.mark.parametrize(
    "reply", ["Final answer: 1e5000000", "Final answer: 1e999999", "Final answer: 2E-400"]
)
def test_an_absurd_exponent_is_not_a_number_and_never_crashes_the_parser(reply: str) -> None:
    from roundtable.engine.parsing import parse_answer

    answer = parse_answer(reply)
    assert answer is None or answer.kind is not AnswerKind.NUMBER
    assert answer is None or len(answer.value) < 100  # not a million digits written out
