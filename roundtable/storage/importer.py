"""Importing JSON archives (`roundtable export --format json`) into the transcript store.

    result = import_file(db, Path("debate.json"))            # refuses an id already stored
    result = import_file(db, path, on_clash=OnClash.NEW_ID)  # or imports it as a copy
    report = import_files(db, paths, progress=show)          # many: checked, then in batches

An archive may come from anywhere, so it is read as hostile: a size limit before
anything is parsed, strict JSON (no NaN, no lone surrogates, bounded nesting), the
format marker and version, events in order (`events_from_archive`), then the sense
of the debate itself (ids, seats, one terminal event at the end, zoned times).
Only then is it written, all its rows in one transaction: an archive is imported
whole or not at all. Many archives are written `BATCH_SIZE` debates to a
transaction (`roundtable.storage.import_batches`); one that fails its check is
reported by name and the others still come in.

The events are the source of truth; the archive's readable `debate` part supplies
one thing the events do not carry: the last saved text of turns that were still
streaming when the debate stopped. An archive of a debate that never ended is
imported as interrupted (it can be resumed), never as running.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roundtable.domain import ConfigError, DebateStarted, Event, RoundtableError, TurnStatus
from roundtable.domain.events import TERMINAL_EVENTS
from roundtable.domain.limits import check_spec_texts
from roundtable.storage.archive import events_from_archive
from roundtable.storage.db import Database
from roundtable.storage.import_batches import (
    BATCH_SIZE,
    INTERRUPTED_ON_IMPORT,
    CheckedArchive,
    ImportResult,
    OnClash,
    prepare,
    store_debates,
    write_debates,
)

#: A JSON escape of a UTF-16 surrogate (or a text that only looks like one).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
#: Largest archive file read. A long debate exports to well under a megabyte; this
#: leaves room for huge ones while refusing a file that would only exhaust memory.
MAX_ARCHIVE_BYTES = 32 * 1024 * 1024
#: Ids the engine makes are 32 hex digits; anything id-like within the column's size
#: is accepted, but not spaces, slashes or control characters.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
#: Bound for a sequence or round number (SQLite integers are 64-bit; a debate is short).
_MAX_COUNT = 2**31 - 1
#: Longest number read from an archive (a 64-bit seed has 20 digits).
_MAX_DIGITS = 40


def import_file(
    db: Database,
    path: Path,
    *,
    on_clash: OnClash = OnClash.REFUSE,
    max_bytes: int = MAX_ARCHIVE_BYTES,
) -> ImportResult:
    """Read, check and store the archive at `path` (ConfigError says what is wrong)."""
    return import_archive(db, read_archive(path, max_bytes=max_bytes), on_clash=on_clash)


def read_archive(path: Path, *, max_bytes: int = MAX_ARCHIVE_BYTES) -> Any:
    """The parsed JSON of an archive file, refusing what is too big or not strict JSON."""
    if path.is_dir():
        raise ConfigError(f"{path} is a folder; give the path of an exported .json file")
    try:
        with path.open("rb") as file:
            # Read one byte past the limit instead of trusting stat(): a pipe has no size.
            data = file.read(max_bytes + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise ConfigError(
            f"{path} is larger than {max_bytes // (1024 * 1024)} MB, the most an archive "
            "may be; it is not a Roundtable export, or it was altered"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text, so it is not a Roundtable archive") from exc
    return parse_archive(text, source=str(path))


def parse_archive(text: str, *, source: str = "the archive") -> Any:
    """Strict JSON: NaN/Infinity, lone surrogates and absurd nesting are refused."""
    try:
        document = json.loads(
            text, parse_constant=_refuse_constant, parse_int=_bounded_int, parse_float=_finite
        )
        # Lone surrogates ("\\ud800") are valid JSON but not text SQLite can store. They
        # can only come from a \\u escape: without one, the costly check is skipped.
        if _SURROGATE_ESCAPE.search(text):
            json.dumps(document, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        raise ConfigError(f"{source} is nested too deeply to be a Roundtable archive") from None
    except UnicodeEncodeError:
        raise ConfigError(f"{source} contains text that is not valid Unicode") from None
    except ValueError as exc:  # JSONDecodeError, a number too long to read, NaN
        raise ConfigError(f"{source} is not valid JSON: {exc}") from None
    return document


def import_archive(
    db: Database, document: Any, *, on_clash: OnClash = OnClash.REFUSE
) -> ImportResult:
    """Check an archive document and store its debate in one transaction."""
    (outcome,) = write_debates(db, [check_archive(document)], on_clash=on_clash)
    if isinstance(outcome, RoundtableError):
        raise outcome
    return outcome


def import_files(
    db: Database,
    paths: Sequence[Path],
    *,
    on_clash: OnClash = OnClash.REFUSE,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import every archive of `paths`; one that cannot be read, checked or stored is
    in `ImportReport.failed` with the reason, and the others still come in.

    Archives are read, checked and turned into rows `batch_size` at a time, and each
    batch is written in one transaction on a writer thread while the next is read
    (SQLite does its part, mostly indexing the text, without holding the GIL).
    `progress(done, total)` is called after each batch is written.
    """
    imported: list[tuple[Path, ImportResult]] = []
    failed: list[tuple[Path, str]] = []

    def collect(batch: list[Path], outcomes: list[ImportResult | RoundtableError]) -> None:
        for path, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, RoundtableError):
                failed.append((path, str(outcome)))
            else:
                imported.append((path, outcome))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer") as writer:
        writing: tuple[list[Path], Future[list[ImportResult | RoundtableError]]] | None = None
        done = 0
        for first in range(0, len(paths), batch_size):
            batch = paths[first : first + batch_size]
            readable: list[Path] = []
            checked: list[CheckedArchive] = []
            for path in batch:
                try:
                    checked.append(check_archive(read_archive(path)))
                    readable.append(path)
                except ConfigError as exc:
                    failed.append((path, str(exc)))
            prepared = prepare(checked)
            if writing is not None:
                collect(writing[0], writing[1].result())
                if progress is not None:
                    progress(done, len(paths))
            writing = (readable, writer.submit(store_debates, db, prepared, on_clash=on_clash))
            done = first + len(batch)
        if writing is not None:
            collect(writing[0], writing[1].result())
    if progress is not None:
        progress(len(paths), len(paths))
    return ImportReport(imported, failed)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What `import_files` did: each archive imported, and each refused with why."""

    imported: list[tuple[Path, ImportResult]]
    failed: list[tuple[Path, str]]


def check_archive(document: Any) -> CheckedArchive:
    """The archive's events after every check an import makes (ConfigError if one fails)."""
    try:
        events = events_from_archive(document)
    except RecursionError:
        raise ConfigError("the archive is nested too deeply to be read") from None
    started = events[0]
    assert isinstance(started, DebateStarted)  # events_from_archive checked it
    check_spec_texts(started.spec)  # the limits a debate started here would meet
    _check_debate(events)
    return CheckedArchive(events, _partial_texts(document))


# ---------------------------------------------------------------- checks
def _check_debate(events: list[Event]) -> None:
    """What `events_from_archive` leaves to the importer: does the debate make sense?"""
    started = events[0]
    assert isinstance(started, DebateStarted)
    if not _ID.fullmatch(started.debate_id):
        raise ConfigError(f"the archive's debate id {started.debate_id[:80]!r} is not valid")
    seat_ids = [seat.id for seat in started.spec.seats]
    if len(set(seat_ids)) != len(seat_ids):
        raise ConfigError("the archive's table seats two seats with the same id")
    for seat_id in seat_ids:
        if not _ID.fullmatch(seat_id):
            raise ConfigError(f"the archive's seat id {seat_id[:80]!r} is not valid")
    known = set(seat_ids)
    for index, event in enumerate(events):
        if event.at.tzinfo is None or event.at.utcoffset() is None:
            raise ConfigError(f"event {event.seq} of the archive has a time without a zone")
        named = [getattr(event, "seat_id", None), *getattr(event, "seat_ids", ())]
        for speaker in named:
            if speaker is not None and speaker not in known:
                raise ConfigError(
                    f"event {event.seq} of the archive names an unknown seat {speaker!r}"
                )
        round_number = getattr(event, "round", None)
        if not 0 <= event.seq <= _MAX_COUNT or not 0 <= (round_number or 0) <= _MAX_COUNT:
            raise ConfigError(f"event {event.seq} of the archive has an impossible number")
        if index > 0 and isinstance(event, DebateStarted):
            raise ConfigError(f"event {event.seq} of the archive starts the debate again")
        if isinstance(event, TERMINAL_EVENTS) and index != len(events) - 1:
            raise ConfigError(f"the archive goes on after the debate ended (event {event.seq})")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _bounded_int(digits: str) -> int:
    # Python refuses to read an int past 4,300 digits with a hint about its own
    # settings; no number an export writes (ids, counts, tokens, seeds) comes near.
    if len(digits.lstrip("-")) > _MAX_DIGITS:
        raise ConfigError(
            f"the archive holds a number {len(digits.lstrip('-')):,} digits long; no number "
            f"in a Roundtable archive has more than {_MAX_DIGITS}, so it was altered or is "
            "not an export"
        )
    return int(digits)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 reads as infinity
        raise ConfigError(
            f"the archive holds the number {text[:40]}, too large to be a cost, a price or "
            "a time; it was altered or is not an export"
        )
    return value


# ---------------------------------------------------------------- partial texts
#: A turn in one of these states had streamed text that only the projection holds.
_STOPPED_MID_STREAM = {
    TurnStatus.STREAMING.value,
    TurnStatus.CANCELLED.value,
    TurnStatus.INTERRUPTED.value,
}


def _partial_texts(document: Any) -> dict[tuple[int, str], str]:
    """Texts of turns that stopped mid-stream, from the archive's readable part.

    Read leniently: this part is a projection an importer may ignore, so anything
    malformed in it is skipped rather than refused.
    """
    debate = document.get("debate") if isinstance(document, Mapping) else None
    turns = debate.get("turns") if isinstance(debate, Mapping) else None
    found: dict[tuple[int, str], str] = {}
    for turn in turns if isinstance(turns, list) else ():
        if not isinstance(turn, Mapping):
            continue
        status, text = turn.get("status"), turn.get("text")
        number, seat_id = turn.get("round"), turn.get("seat_id")
        if (
            status in _STOPPED_MID_STREAM
            and isinstance(text, str)
            and isinstance(number, int)
            and isinstance(seat_id, str)
        ):
            found[(number, seat_id)] = text
    return found


__all__ = [
    "BATCH_SIZE",
    "INTERRUPTED_ON_IMPORT",
    "MAX_ARCHIVE_BYTES",
    "ImportReport",
    "ImportResult",
    "OnClash",
    "check_archive",
    "import_archive",
    "import_file",
    "import_files",
    "parse_archive",
    "read_archive",
]
