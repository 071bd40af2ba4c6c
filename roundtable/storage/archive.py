"""The JSON archive of one debate: a versioned document another install can check and read.

    {"format": "roundtable-archive", "version": 1, "roundtable_version": "0.1.0",
     "debate": {... summary, spec, seats, rounds, turns, result ...},
     "events": [{"type": "DebateStarted", "debate_id": ..., "seq": 0, ...}, ...]}

`events` is the source of truth (every event but TurnDelta, in `seq` order, in the
same JSON form the engine process speaks); `debate` is a readable projection of it
for people and other tools, which an importer may ignore. `events_from_archive`
validates a document and returns its events, ready to be recorded again.
No API key is ever part of an archive: a seat names at most the variable holding one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from roundtable import __version__
from roundtable.domain import ConfigError, DebateStarted, Event, TurnDelta
from roundtable.domain.events import event_from_dict, event_to_dict, to_jsonable
from roundtable.storage.records import DebateRecord

ARCHIVE_FORMAT = "roundtable-archive"
ARCHIVE_VERSION = 1


def debate_to_archive(record: DebateRecord, events: Sequence[Event]) -> dict[str, Any]:
    """The archive document of a stored debate (plain JSON data)."""
    summary = record.summary
    debate: dict[str, Any] = {
        key: value
        for key, value in to_jsonable(summary).items()
        if key not in ("final_answer", "consensus", "total_tokens", "cost_usd", "rounds_done")
    }
    debate["spec"] = to_jsonable(record.spec)
    debate["seats"] = [{**to_jsonable(seat), "simulated": seat.is_demo} for seat in record.seats]
    debate["rounds"] = [to_jsonable(r) for r in record.rounds]
    debate["turns"] = [to_jsonable(turn) for turn in record.turns]
    debate["result"] = {
        "final_answer": summary.final_answer,
        "consensus": summary.consensus,
        "rule": record.rule,
        "tally": dict(record.tally),
        "rounds_done": summary.rounds_done,
        "total_tokens": summary.total_tokens,
        # null = unknown (a model without a known price), never 0.
        "cost_usd": summary.cost_usd,
    }
    return {
        "format": ARCHIVE_FORMAT,
        "version": ARCHIVE_VERSION,
        # Which Roundtable wrote it (information: `version` is what a reader checks).
        "roundtable_version": __version__,
        "debate": debate,
        "events": [event_to_dict(event) for event in events],
    }


def events_from_archive(document: Any) -> list[Event]:
    """Check an archive document and return its events; ConfigError says what is wrong."""
    if not isinstance(document, Mapping) or document.get("format") != ARCHIVE_FORMAT:
        raise ConfigError("this is not a Roundtable archive (no 'roundtable-archive' marker)")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ConfigError(f"the archive has no valid version number: {version!r}")
    if version > ARCHIVE_VERSION:
        raise ConfigError(
            f"the archive is version {version}, newer than this Roundtable reads "
            f"({ARCHIVE_VERSION}); update Roundtable"
        )
    raw_events = document.get("events")
    if not isinstance(raw_events, list) or not raw_events:
        raise ConfigError("the archive holds no events")
    events: list[Event] = []
    for index, data in enumerate(raw_events):
        if not isinstance(data, dict):
            raise ConfigError(f"event {index} of the archive is not an object")
        try:
            events.append(event_from_dict(data))
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"event {index} of the archive is not valid: {exc}") from exc
    _check_sequence(events)
    return events


def _check_sequence(events: list[Event]) -> None:
    first = events[0]
    if not isinstance(first, DebateStarted):
        raise ConfigError("the archive's first event is not DebateStarted")
    for previous, event in pairwise(events):
        if event.debate_id != first.debate_id:
            raise ConfigError(f"event {event.seq} belongs to another debate ({event.debate_id})")
        if event.seq <= previous.seq:
            raise ConfigError(f"the archive's events are out of order at seq {event.seq}")
    if any(isinstance(event, TurnDelta) for event in events):
        raise ConfigError("the archive holds text deltas, which archives never contain")
