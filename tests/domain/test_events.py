"""Events cross a process boundary as JSON lines; nothing may be lost or altered."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from roundtable.domain import DebateSpec, Seat, TurnDelta, event_from_json, event_to_json
from roundtable.domain.events import EVENT_TYPES, event_from_dict
from tests.domain.strategies import EVENT_STRATEGIES, events


@given(events)
def test_every_event_survives_a_json_round_trip(event):
    line = event_to_json(event)
    assert "\n" not in line, "one event must be one line on the pipe"
    assert event_from_json(line) == event


def test_every_event_type_is_covered_by_the_strategy():
    # If a new event type is added, the round-trip property must learn about it.
    assert set(EVENT_STRATEGIES) == set(EVENT_TYPES.values())


def test_unknown_event_type_is_refused_with_its_name():
    with pytest.raises(ValueError, match="TurnExploded"):
        event_from_json('{"type": "TurnExploded", "debate_id": "d", "seq": 1}')


def test_a_field_of_the_wrong_type_is_refused():
    good = json.loads(
        event_to_json(TurnDelta(debate_id="d", seq=3, round=0, seat_id="a", text="x"))
    )
    with pytest.raises(ValueError, match="int"):
        event_from_dict(good | {"round": "zero"})


def test_unknown_fields_are_refused_not_silently_dropped():
    good = json.loads(
        event_to_json(TurnDelta(debate_id="d", seq=3, round=0, seat_id="a", text="x"))
    )
    with pytest.raises(ValueError, match="surprise"):
        event_from_dict(good | {"surprise": 1})


def test_spec_lookup_of_a_seat_by_id():
    spec = DebateSpec(question="q", seats=(Seat(id="a", name="A", model="demo/ada"),))
    assert spec.seat("a").name == "A"
    with pytest.raises(KeyError):
        spec.seat("zz")
