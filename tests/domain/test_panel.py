"""Panel files: what `--panel` and the GUI's presets read and write."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roundtable.domain import ConfigError
from roundtable.domain.panel import (
    Panel,
    distinct_names,
    dump_panel,
    parse_panel,
    unique_ids,
)
from tests.domain.strategies import seats


def test_a_typical_panel_file_reads_as_seats_in_order():
    panel = parse_panel(
        """
        protocol = "roundtable"
        rounds = 2

        [[seat]]
        name = "GPT"
        model = "openai/gpt-4o"
        temperature = 0.3
        api_key_env = "WORK_KEY"

        [[seat]]
        model = "ollama/llama3.1"
        api_base = "http://127.0.0.1:11434"
        """
    )
    assert [seat.name for seat in panel.seats] == ["GPT", "llama3.1"]
    assert panel.seats[0].api_key_env == "WORK_KEY"
    assert panel.seats[1].api_base == "http://127.0.0.1:11434"
    assert (panel.protocol, panel.rounds) == ("roundtable", 2)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("[[seat]\nmodel='x'", "not valid TOML"),
        ("rounds = 2", "lists no seats"),
        ("[[seat]]\nname = 'A'", "`model` is required"),
        ("[[seat]]\nmodel = 'openai/gpt-4o'\napi_key = 'sk-123'", "must not contain keys"),
        ("[[seat]]\nmodel = 'openai/gpt-4o'\ncolour = 'red'", "unknown field"),
        ("[[seat]]\nmodel = 'openai/gpt-4o'\ntemperature = 'hot'", "temperature"),
        ("[[seat]]\nmodel = 'openai/gpt-4o'\ntemperature = 9", "between 0 and 2"),
        ("moderator = 'x'\n[[seat]]\nmodel = 'a/b'", "unknown setting"),
    ],
)
def test_malformed_panels_say_what_is_wrong(text, hint):
    with pytest.raises(ConfigError, match=hint):
        parse_panel(text, source="panel file t.toml")


def test_a_key_in_a_panel_file_is_refused_without_echoing_it():
    with pytest.raises(ConfigError) as info:
        parse_panel("[[seat]]\nmodel = 'openai/gpt-4o'\napi_key = 'sk-SECRET-123'")
    assert "sk-SECRET-123" not in str(info.value)


def test_duplicate_names_get_distinct_ids():
    assert unique_ids(["GPT", "gpt", "G P T", "Claude"]) == ["gpt", "gpt-2", "g-p-t", "claude"]


def test_the_same_name_twice_is_numbered_the_way_every_front_end_numbers_it():
    assert distinct_names(["fake-gpt", "fake-gpt"]) == ["fake-gpt", "fake-gpt (2)"]
    assert distinct_names(["GPT", "gpt", "Claude"]) == ["GPT", "gpt (2)", "Claude"]
    # A number the list already uses is skipped, and given names are kept as they are.
    assert distinct_names(["a", "a", "a (2)"]) == ["a", "a (3)", "a (2)"]


def test_a_panel_file_that_names_two_seats_alike_gets_two_names():
    panel = parse_panel(
        """
        [[seat]]
        model = "openai/fake-gpt"

        [[seat]]
        model = "openai/fake-gpt"
        api_base = "http://127.0.0.1:8080/v1"
        """
    )
    assert [seat.name for seat in panel.seats] == ["fake-gpt", "fake-gpt (2)"]
    assert [seat.id for seat in panel.seats] == ["fake-gpt", "fake-gpt-2"]


@given(st.lists(seats, min_size=1, max_size=4))
def test_dump_then_parse_gives_the_same_seats(seat_list):
    # Names decide ids when parsed, so compare what a user set, ids aside.
    named = [s for s in seat_list if s.name.strip() == s.name and s.name]
    if not named:
        return
    panel = Panel(seats=tuple(named), protocol="roundtable", rounds=3)
    again = parse_panel(dump_panel(panel))

    def strip(seat):
        return (
            seat.name,
            seat.model,
            seat.api_base,
            seat.api_key_env,
            seat.persona,
            seat.temperature,
            seat.max_tokens,
        )

    # A name given twice comes back numbered: two seats are never called alike.
    names = distinct_names([s.name for s in named])
    assert [strip(s) for s in again.seats] == [
        (name, *strip(s)[1:]) for name, s in zip(names, named, strict=True)
    ]
    assert (again.protocol, again.rounds) == ("roundtable", 3)


def test_a_seats_own_price_reads_from_price_in_and_price_out():
    panel = parse_panel(
        "[[seat]]\nmodel = 'openai/llama'\napi_base = 'http://127.0.0.1:8080/v1'\n"
        "price_in = 0.2\nprice_out = 1\n"
    )
    seat = panel.seats[0]
    assert (seat.price_in_per_mtok, seat.price_out_per_mtok) == (0.2, 1.0)
    assert "price_in = 0.2\nprice_out = 1.0" in dump_panel(panel)


@pytest.mark.parametrize(
    ("prices", "hint"),
    [
        ("price_in = -0.5\nprice_out = 1", "`price_in` must be 0 or more USD per million tokens"),
        ("price_in = 1\nprice_out = 'cheap'", "`price_out` must be a number of USD"),
        ("price_in = 1", "give both `price_in` and `price_out`, or neither"),
        ("price_in = 1\nprice_out = inf", "`price_out` must be 0 or more"),
    ],
)
def test_a_bad_price_in_a_panel_says_what_is_wrong(prices, hint):
    with pytest.raises(ConfigError, match=hint):
        parse_panel(f"[[seat]]\nmodel = 'openai/gpt-4o'\n{prices}", source="panel file t.toml")
