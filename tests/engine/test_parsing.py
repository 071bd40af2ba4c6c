"""Reading answers the way real models write them."""

from __future__ import annotations

import pytest

from roundtable.domain import AnswerKind
from roundtable.engine import parse_answer
from roundtable.engine.parsing import parse_confidence, strip_answer_lines

NUMBER, CHOICE, YESNO, TEXT = (
    AnswerKind.NUMBER,
    AnswerKind.CHOICE,
    AnswerKind.YESNO,
    AnswerKind.TEXT,
)


@pytest.mark.parametrize(
    ("text", "kind", "value", "confidence"),
    [
        # Our own format, as asked for.
        ("Step 1 ... so 6*7.\nFinal answer: 42\nConfidence: 0.9", NUMBER, "42", 0.9),
        ("final answer: 42\nconfidence: 0.75", NUMBER, "42", 0.75),
        ("FINAL ANSWER: b\nCONFIDENCE: 1", CHOICE, "B", 1.0),
        # A model that corrects itself: the last final-answer line wins.
        (
            "Final answer: 41\nWait, I mis-added.\nFinal answer: 42\nConfidence: 0.8",
            NUMBER,
            "42",
            0.8,
        ),
        # Markdown around labels and values.
        ("**Final Answer:** 42\n**Confidence:** 0.85", NUMBER, "42", 0.85),
        ("**Final Answer**: B\n**Confidence**: 0.6", CHOICE, "B", 0.6),
        ("- **Final answer:** C\n- **Confidence:** 0.95", CHOICE, "C", 0.95),
        ("> Final answer: `17`", NUMBER, "17", None),
        ("### Final Answer\n\n**42**\n\nConfidence: 0.7", NUMBER, "42", 0.7),
        ("Final answer: *Paris*", TEXT, "paris", None),
        ('Final answer: "Paris."', TEXT, "paris", None),
        ("Final answer – 12", NUMBER, "12", None),
        ("My final answer: yes", YESNO, "yes", None),
        # Other explicit forms.
        ("**Answer:** 42", NUMBER, "42", None),
        ("Answer: (C)", CHOICE, "C", None),
        ("Correct answer: D", CHOICE, "D", None),
        ("So we get $\\boxed{42}$.", NUMBER, "42", None),
        ("\\boxed{\\frac{3}{4}}", NUMBER, "0.75", None),
        ("Final Answer: $\\boxed{\\dfrac{1}{2}}$", NUMBER, "0.5", None),
        ("First \\boxed{7}, no: \\boxed{8}", NUMBER, "8", None),
        (
            "Final Answer: The final answer is $\\boxed{42}$. I hope it is correct.",
            NUMBER,
            "42",
            None,
        ),
        ('{"answer": "B", "confidence": 0.8}', CHOICE, "B", 0.8),
        ('Here you go:\n```json\n{"answer": 12, "confidence": "90%"}\n```', NUMBER, "12", 0.9),
        ('{"reasoning": "x", "final_answer": "No", "confidence": "high"}', YESNO, "no", 0.9),
        ("Adding them up, the answer is 17.", NUMBER, "17", None),
        ("The answer is **B** because the others fail.", CHOICE, "B", None),
        ("I think the correct answer is Paris, since it is the capital.", TEXT, "paris", None),
        ("The final answer is 3.5.", NUMBER, "3.5", None),
        # Confidence written in other ways.
        ("Final answer: 42\nConfidence: 80%", NUMBER, "42", 0.8),
        ("Final answer: 42\nConfidence: 8/10", NUMBER, "42", 0.8),
        ("Final answer: 42\nConfidence: 85", NUMBER, "42", 0.85),
        ("Final answer: 42\nConfidence: high", NUMBER, "42", 0.9),
        ("Final answer: 42\nConfidence: Medium", NUMBER, "42", 0.7),
        ("Final answer: 42\nConfidence level: low", NUMBER, "42", 0.4),
        ("Final answer: 42\nConfidence: 1.7", NUMBER, "42", 0.17),
        ("Final answer: 42\nConfidence: 250%", NUMBER, "42", 1.0),
        ("Final answer: B (confidence: 0.7)", CHOICE, "B", 0.7),
        ("Final answer: 42\nConfidence: unsure", NUMBER, "42", None),
        # Values that need normalising.
        ("Final answer: 1,000", NUMBER, "1000", None),
        ("Final answer: 1000.0", NUMBER, "1000", None),
        ("Final answer: $23", NUMBER, "23", None),
        ("Final answer: 23 apples.", NUMBER, "23", None),
        ("Final answer: -5", NUMBER, "-5", None),
        ("Final answer: 1/2", NUMBER, "0.5", None),
        ("Final answer: twenty-three", NUMBER, "23", None),
        ("Final answer: x = 5", NUMBER, "5", None),
        ("Final answer: approximately 3.14", NUMBER, "3.14", None),
        ("Final answer: 42 (six times seven)", NUMBER, "42", None),
        ("Final answer: 9.8 m/s^2", NUMBER, "9.8", None),
        ("Final answer: 10^6", NUMBER, "1000000", None),
        ("Final answer: $\\$23$", NUMBER, "23", None),
        ("Final answer: (A) and (C)", TEXT, "and c", None),
        ("Final answer: Option B", CHOICE, "B", None),
        ("Final answer: (b)", CHOICE, "B", None),
        ("Final answer: B) Paris", CHOICE, "B", None),
        ("Final answer: Yes.", YESNO, "yes", None),
        ("Final answer: TRUE", YESNO, "yes", None),
        ("Final answer: No, because 9 = 3 × 3.", YESNO, "no", None),
        ("Final answer: The Eiffel Tower", TEXT, "eiffel tower", None),
        ("Final answer: The answer is B", CHOICE, "B", None),
    ],
)
def test_parse_answer_reads_real_formats(
    text: str, kind: AnswerKind, value: str, confidence: float | None
) -> None:
    answer = parse_answer(text)
    assert answer is not None
    assert (answer.kind, answer.value) == (kind, value)
    if confidence is None:
        assert answer.confidence is None
    else:
        assert answer.confidence == pytest.approx(confidence)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "I need more information before I can answer this question properly.",
        "I am not sure.",
        # The template echoed back instead of filled in.
        "Final answer: <answer>\nConfidence: <a number between 0 and 1>",
        "Final answer: [your answer here]",
        "Final answer: unknown",
        "Final answer:\nConfidence: 0.5",
    ],
)
def test_parse_answer_returns_none_when_there_is_no_answer(text: str) -> None:
    assert parse_answer(text) is None


def test_raw_keeps_the_span_that_was_read_and_display_is_readable() -> None:
    answer = parse_answer("Reasoning.\n**Final answer:** $1,000.\nConfidence: 0.9")
    assert answer is not None
    assert answer.raw == "**Final answer:** $1,000."
    assert answer.display == "$1,000"
    assert answer.value == "1000"


def test_final_answer_line_beats_an_earlier_answer_is_and_boxed() -> None:
    text = "At first the answer is 7, or \\boxed{7}.\nOn reflection:\nFinal answer: 8"
    answer = parse_answer(text)
    assert answer is not None
    assert answer.value == "8"


def test_confidence_is_taken_from_the_last_confidence_line() -> None:
    text = "Confidence: 0.2 at first.\nFinal answer: 4\nConfidence: 0.95"
    answer = parse_answer(text)
    assert answer is not None
    assert answer.confidence == pytest.approx(0.95)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.8", 0.8),
        ("80%", 0.8),
        ("8/10", 0.8),
        ("4 out of 5", 0.8),
        ("**0.9**", 0.9),
        ("very high", 0.95),
        ("high", 0.9),
        ("moderate", 0.7),
        ("low", 0.4),
        ("-0.5", None),
        ("", None),
        ("1/0", None),
    ],
)
def test_parse_confidence(text: str, expected: float | None) -> None:
    result = parse_confidence(text)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_strip_answer_lines_leaves_only_the_explanation() -> None:
    text = "Because 6*7 = 42.\n\n**Final answer:** 42\nConfidence: 0.9\n"
    assert strip_answer_lines(text) == "Because 6*7 = 42."


@pytest.mark.parametrize(("text", "value"), [("42", "42"), ("B.", "B"), ("Yes", "yes")])
def test_a_bare_short_reply_is_its_own_answer(text: str, value: str) -> None:
    answer = parse_answer(text)
    assert answer is not None
    assert answer.value == value


@pytest.mark.parametrize("text", ["Hmm.", "Good question", "Paris, maybe?"])
def test_bare_free_text_is_not_taken_for_an_answer(text: str) -> None:
    assert parse_answer(text) is None
