"""Moved to `tests.helpers`: kept only as names for tests/cli and tests/export until
they import from there (one builder, `tests.helpers.events.EventBuilder`)."""

from tests.helpers.debates import QUESTION, SEATS, finished_debate, spec
from tests.helpers.events import START, answer, record, usage, without_deltas
from tests.helpers.events import EventBuilder as Stream

__all__ = [
    "QUESTION",
    "SEATS",
    "START",
    "Stream",
    "answer",
    "finished_debate",
    "record",
    "spec",
    "usage",
    "without_deltas",
]
