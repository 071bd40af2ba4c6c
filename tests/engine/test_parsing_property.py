"""Properties of the answer parser: any text is safe to parse, and answers are stable.

Model output is untrusted text of any shape, so `parse_answer` must return (an
answer or None) for every string, quickly, never raise. And the values it
produces must be stable: an answer written back the way our prompt asks
("Final answer: …", "Confidence: …") parses to the very same answer, so
re-parsing a stored turn never changes a vote.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from roundtable.domain import Answer, AnswerKind
from roundtable.engine.normalize import canonical_decimal
from roundtable.engine.parsing import parse_answer

#: Pieces real replies are made of, so random text reaches the parser's deeper paths.
FRAGMENTS = (
    "Final answer:",
    "**Final Answer**",
    "### Final answer\n",
    "Answer:",
    "The answer is",
    "Confidence:",
    "confidence 0.9",
    "\\boxed{",
    "}",
    "{",
    '"answer": ',
    '{"final_answer": "B", "confidence": 0.7}',
    "$",
    "\\frac{1}{2}",
    "(B)",
    "Option C",
    "yes",
    "No,",
    "1,000",
    "-3.5e2",
    "%",
    "/",
    "^",
    "twenty-three",
    "\n",
    " ",
    "*",
    "`",
    ">",
    "…",
    "٤٢",
    "答案：",
)
reply_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map(
    "".join
)
any_text = st.text(max_size=2_000)


def well_formed(answer: Answer | None) -> bool:
    if answer is None:
        return True
    return (
        isinstance(answer.value, str)
        and isinstance(answer.display, str)
        and answer.kind in AnswerKind
        and (answer.confidence is None or 0.0 <= answer.confidence <= 1.0)
    )


@settings(max_examples=300)
@given(text=st.one_of(any_text, reply_like))
@example(text="Final answer: " + "9" * 5_000)
@example(text="Final answer: 10^99999999")
@example(text="Final answer: 1/0\nConfidence: 8/0")
@example(text="{" * 5_000 + "Final answer: 42")
# Each of these once crashed the parser (RecursionError) or took seconds to minutes.
@example(text='{"a":' * 50_000)
@example(text='{"' * 30_000)
@example(text="\\boxed{" * 20_000)
@example(text="\\boxed{" * 10_000 + "1" + "}" * 10_000)
@example(text="Final answer: 42 " + "m/s " * 2_000)
def test_the_parser_never_crashes_and_returns_sane_values(text: str):
    # Hypothesis' deadline (200 ms) also catches a pathological regex on odd input.
    assert well_formed(parse_answer(text))


def formatted(answer: Answer) -> str:
    """An answer as our prompt asks a seat to write it."""
    lines = [f"Final answer: {answer.display}"]
    if answer.confidence is not None:
        lines.append(f"Confidence: {answer.confidence}")
    return "After weighing the other answers, I keep mine.\n" + "\n".join(lines)


@given(text=st.one_of(any_text, reply_like))
def test_an_answer_written_back_parses_to_itself(text: str):
    answer = parse_answer(text)
    if answer is None or "\n" in answer.display or answer.display != answer.display.strip():
        return  # nothing to write back on one line
    again = parse_answer(formatted(answer))
    assert again is not None
    assert (again.kind, again.value, again.confidence) == (
        answer.kind,
        answer.value,
        answer.confidence,
    )


numbers = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=4
)


@given(
    number=numbers,
    style=st.sampled_from(("{:f}", "{:,f}", "**{:f}**", "${:f}$", "\\boxed{{{:f}}}", "{:f}.")),
    confidence=st.none() | st.integers(0, 100).map(lambda c: c / 100),
)
def test_numbers_are_normalised_however_they_are_written(number, style, confidence):
    text = f"Working…\nFinal answer: {style.format(number)}"
    if confidence is not None:
        text += f"\nConfidence: {confidence}"
    answer = parse_answer(text)
    assert answer is not None
    assert answer.kind is AnswerKind.NUMBER
    assert answer.value == canonical_decimal(number)
    assert answer.confidence == confidence
    assert parse_answer(formatted(answer)) == parse_answer(formatted(answer))
    assert parse_answer(formatted(answer)).value == answer.value


@given(
    letter=st.sampled_from("ABCDEFGHIJ"),
    style=st.sampled_from(("{}", "({})", "{})", "Option {}", "**{}**", "({}) Paris", "[{}]")),
    lower=st.booleans(),
)
def test_choice_letters_are_normalised_however_they_are_written(letter, style, lower):
    written = style.format(letter.lower() if lower and style != "{}" else letter)
    answer = parse_answer(f"Final answer: {written}\nConfidence: 0.8")
    assert answer is not None
    assert (answer.kind, answer.value) == (AnswerKind.CHOICE, letter)
    again = parse_answer(formatted(answer))
    assert again is not None
    assert (again.kind, again.value, again.confidence) == (AnswerKind.CHOICE, letter, 0.8)


@given(word=st.sampled_from(("Yes", "yes.", "TRUE", "No", "no, because it is odd", "False")))
def test_yes_and_no_are_stable(word: str):
    answer = parse_answer(f"Final answer: {word}")
    assert answer is not None
    assert answer.kind is AnswerKind.YESNO
    again = parse_answer(formatted(answer))
    assert again is not None
    assert (again.kind, again.value) == (AnswerKind.YESNO, answer.value)
