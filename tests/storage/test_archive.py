"""The JSON archive: a document that says what it is, and is checked before it is read."""

from __future__ import annotations

import copy
import json

import pytest

from roundtable.domain import ConfigError
from roundtable.storage import (
    Database,
    debate_to_archive,
    events_from_archive,
    load_debate,
    load_events,
)
from tests.helpers.debates import finished_debate
from tests.helpers.events import record, without_deltas


@pytest.fixture
def archive(db: Database) -> dict:
    original = finished_debate("archived")
    record(db, original)
    document = debate_to_archive(load_debate(db, "archived"), load_events(db, "archived"))
    return json.loads(json.dumps(document))  # exactly what a file would hold


def test_archive_carries_the_events_and_a_readable_projection(archive: dict):
    assert archive["format"] == "roundtable-archive"
    assert archive["version"] == 1
    debate = archive["debate"]
    assert debate["question"].startswith("What is 12+17*23")
    assert [turn["status"] for turn in debate["turns"]].count("done") == 5
    assert debate["turns"][0]["answer"]["display"] == "281"
    assert debate["rounds"][1]["agreement"] == 1.0
    assert events_from_archive(archive) == without_deltas(finished_debate("archived"))


def test_no_key_is_ever_in_an_archive(archive: dict):
    text = json.dumps(archive)
    assert 'api_key"' not in text
    assert all("api_key_env" in seat for seat in archive["debate"]["spec"]["seats"])


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d.update(format="something-else"), "not a Roundtable archive"),
        (lambda d: d.update(version=2), "newer than this Roundtable reads"),
        (lambda d: d.update(version="1"), "no valid version"),
        (lambda d: d.update(events=[]), "holds no events"),
        (lambda d: d["events"].pop(0), "first event is not DebateStarted"),
        (lambda d: d["events"].reverse(), "first event is not DebateStarted"),
        (lambda d: d["events"][3].update(seq=1), "out of order"),
        (lambda d: d["events"][2].update(debate_id="other"), "another debate"),
        (lambda d: d["events"][1].update(type="Nonsense"), "event 1 of the archive is not valid"),
        (lambda d: d["events"][1].update(round="zero"), "event 1 of the archive is not valid"),
    ],
)
def test_a_damaged_archive_is_refused_with_a_reason(archive: dict, damage, message: str):
    broken = copy.deepcopy(archive)
    damage(broken)
    with pytest.raises(ConfigError, match=message):
        events_from_archive(broken)


def test_something_that_is_not_an_archive_is_refused():
    with pytest.raises(ConfigError, match="not a Roundtable archive"):
        events_from_archive([1, 2, 3])
