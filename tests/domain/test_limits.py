"""Limits on what a person types: one place, the same ConfigError wherever a table is built.

The same checks guard a debate's spec (`validate_spec`: the command line, the app, the
MCP server, follow-ups), a panel file (`parse_panel`: `--panel`, saved tables) and an
imported archive, so these tests check each entry point meets them.
"""

from __future__ import annotations

import dataclasses

import pytest

from roundtable.domain import ConfigError, DebateSpec, Seat
from roundtable.domain.limits import (
    MAX_PANEL_FILE_BYTES,
    MAX_PERSONA_CHARS,
    MAX_QUESTION_CHARS,
    MAX_SEAT_NAME_CHARS,
    MAX_SETTING_CHARS,
    check_question,
    check_seat,
    is_blank,
    shown,
)
from roundtable.domain.panel import parse_panel
from roundtable.engine import validate_spec

ZERO_WIDTH = "\u200b\u200c\u200d\ufeff\u2060"
ADA = Seat(id="ada", name="Ada", model="demo/ada")
GOOD = DebateSpec(question="What is 2+2?", seats=(ADA, Seat(id="bo", name="Bo", model="demo/bo")))


# ------------------------------------------------------------------ blank questions
@pytest.mark.parametrize(
    "question",
    [ZERO_WIDTH, "\u200b", " \ufeff\n\u2060 ", "\u200e\u200f", "\u00ad"],
    ids=["all-five", "zero-width-space", "bom-and-spaces", "direction-marks", "soft-hyphen"],
)
def test_a_question_of_invisible_characters_only_counts_as_empty(question):
    assert is_blank(question)
    with pytest.raises(ConfigError, match=r"The question is empty \(it holds only invisible"):
        validate_spec(dataclasses.replace(GOOD, question=question))


@pytest.mark.parametrize("question", ["2+2?", "\u200b2\u200b", "ما هو", "🤔", "\u200dé"])
def test_a_question_with_anything_visible_is_a_question(question):
    assert not is_blank(question)
    check_question(question)


# ------------------------------------------------------------------ lengths
def test_the_question_limit_is_the_same_at_its_edge():
    check_question("x" * MAX_QUESTION_CHARS)
    with pytest.raises(ConfigError, match=f"the limit is {MAX_QUESTION_CHARS:,}"):
        check_question("x" * (MAX_QUESTION_CHARS + 1))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"persona": "x" * (MAX_PERSONA_CHARS + 1)}, "the persona is 8,001 characters long"),
        ({"persona": "x" * 10_000_000}, "the persona is 10,000,000 characters long"),
        ({"name": "n" * (MAX_SEAT_NAME_CHARS + 1)}, "the name is 81 characters long"),
        ({"model": "demo/" + "a" * MAX_SETTING_CHARS}, "the model id is 505 characters"),
        ({"api_base": "http://" + "h" * MAX_SETTING_CHARS}, "the server address"),
        ({"api_key_env": "K" * (MAX_SETTING_CHARS + 1)}, "the key variable's name"),
        ({"name": "Ada\udcff"}, r"not UTF-8 text \('Ada\\xff'\)"),
        ({"persona": "be \ud800 kind"}, r"persona holds bytes that are not UTF-8"),
    ],
    ids=[
        "persona",
        "ten-mb-persona",
        "name",
        "model",
        "api-base",
        "key-variable",
        "name-bytes",
        "persona-surrogate",
    ],
)
def test_a_seat_over_a_limit_is_refused_by_the_spec_check(changes, message):
    seat = dataclasses.replace(ADA, **changes)
    spec = dataclasses.replace(GOOD, seats=(seat, GOOD.seats[1]))

    with pytest.raises(ConfigError, match=message) as caught:
        validate_spec(spec)

    assert "the limit is" in str(caught.value) or "UTF-8" in str(caught.value)
    assert len(str(caught.value)) < 300  # the message, never the text back


def test_a_seat_at_every_limit_is_accepted():
    check_seat(
        Seat(
            id="x",
            name="n" * MAX_SEAT_NAME_CHARS,
            model="demo/" + "a" * (MAX_SETTING_CHARS - 5),
            persona="p" * MAX_PERSONA_CHARS,
        )
    )


def test_a_question_with_bytes_that_are_not_utf8_is_refused_showing_the_bytes():
    with pytest.raises(ConfigError, match=r"holds bytes that are not UTF-8 text \('\\xff\\xfe"):
        validate_spec(dataclasses.replace(GOOD, question="\udcff\udcfe why?"))


def test_shown_text_is_cut_and_always_printable():
    text = shown("\udcff" + "y" * 100 + "\ud800")
    text.encode("utf-8")  # no surrogate left to break a print
    assert text.startswith("'\\xff")
    assert text.endswith("…'")


# ------------------------------------------------------------------ panel files
def _panel(seat: str, top: str = "") -> str:
    return f'{top}\n[[seat]]\nmodel = "demo/ada"\n{seat}\n[[seat]]\nmodel = "demo/basil"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_panel(f'persona = "{"x" * 9_000}"'), "seat 1: the persona is 9,000 characters"),
        (_panel(f'name = "{"n" * 200}"'), "seat 1: the name is 200 characters"),
        (_panel(f'api_base = "http://{"h" * 600}"'), "seat 1: the server address"),
        (_panel("", top=f'chair = "{"c" * 100}"'), "`chair` is 100 characters long"),
        (_panel(f'persona = "{"x" * MAX_PANEL_FILE_BYTES}"'), "larger than 1,024 kB"),
    ],
    ids=["persona", "name", "api-base", "chair", "file-size"],
)
def test_a_panel_over_a_limit_is_refused_naming_the_file_and_seat(text, message):
    with pytest.raises(ConfigError, match=message) as caught:
        parse_panel(text, source="panel file t.toml")
    assert "t.toml" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 10_000 + "]" * 10_000,
        "a = " + "{b = " * 10_000 + "1" + "}" * 10_000,
        "[[seat]]\nmodel = 'demo/ada'\nx = " + "[" * 5_000 + "]" * 5_000,
    ],
    ids=["arrays", "inline-tables", "inside-a-seat"],
)
def test_a_deeply_nested_panel_is_refused_in_words_not_with_a_recursion_error(text):
    with pytest.raises(ConfigError, match=r"t\.toml is nested too deeply to be a panel file"):
        parse_panel(text, source="panel file t.toml")
