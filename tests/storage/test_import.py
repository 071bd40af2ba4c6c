"""`roundtable import`: a JSON archive comes back whole, or is refused and nothing is written."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, text
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import (
    ConfigError,
    DebateInterrupted,
    DebateStarted,
    DebateStatus,
    RoundStarted,
    Seat,
    StorageError,
    TurnStarted,
    TurnStatus,
)
from roundtable.export import export_debate
from roundtable.storage import (
    Database,
    Recorder,
    list_debates,
    load_debate,
    load_events,
    open_database,
)
from roundtable.storage.importer import import_archive, import_file, read_archive
from tests.helpers.debates import finished_debate, spec
from tests.helpers.events import EventBuilder, record, without_deltas

TABLES = ("debates", "seats", "rounds", "turns", "events")


def archive_of(db: Database, debate_id: str) -> str:
    """What `roundtable export ID --format json` writes."""
    return export_debate(load_debate(db, debate_id), load_events(db, debate_id), "json")


def contents(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table (and the search index), to prove nothing changed."""
    with db.engine.connect() as connection:
        found = {
            table: sorted(map(tuple, connection.execute(text(f"SELECT * FROM {table}"))))
            for table in TABLES
        }
        if db.engine.dialect.name == "sqlite":  # PostgreSQL indexes the tables themselves
            found["search"] = sorted(
                map(tuple, connection.execute(text("SELECT rowid, * FROM debate_search")))
            )
    return found


@pytest.fixture
def fresh(new_store) -> Database:
    """A second, empty store of the same kind as `db`."""
    database = open_database(new_store())
    yield database
    database.close()


def stopped_mid_round(debate_id: str, *, end: bool) -> list:
    """Round 0 under way, two seats part-way through their text; interrupted or not."""
    s = EventBuilder(debate_id)
    s.add(DebateStarted, spec=spec())
    s.add(RoundStarted, round=0, seat_ids=("ada", "bea", "cy"))
    for seat in ("ada", "bea", "cy"):
        s.add(TurnStarted, round=0, seat_id=seat)
    s.stream_text(0, "ada", "First I multiply 17 by 23, which gives")
    s.stream_text(0, "bea", "Precedence: 9*14 = 1")
    if end:
        s.add(DebateInterrupted, reason="Roundtable stopped while this debate was running")
    return s.events


async def engine_debate(db: Database) -> str:
    """A debate the real engine ran (scripted replies), recorded as it happened."""
    from roundtable.domain import AuthFailed, DebateSpec
    from roundtable.engine import run_debate
    from tests.engine.scripted import ScriptedGateway, answer_text, reply

    seats = (
        Seat(id="ada", name="Ada", model="demo/ada"),
        Seat(id="bob", name="Bob", model="openai/gpt-4o", api_key_env="WORK_KEY"),
        Seat(id="cy", name="Cy ✨ سلام", model="ollama/llama3.1"),
    )
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9)), reply(answer_text("42", 0.95)))
    gateway.enqueue("bob", reply(answer_text("41", 0.6)), reply(answer_text("42", 0.8)))
    gateway.enqueue("cy", ["I think", AuthFailed("Cy: key refused by ollama")])
    recorder = Recorder(db)
    finished = await run_debate(
        DebateSpec(question="6 × 7 = ?\n\n<b>bold</b> `code`", seats=seats, max_rounds=3),
        gateway,
        recorder,
    )
    recorder.close()
    return finished.debate_id


# ---------------------------------------------------------------- round trips
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: finished_debate("finished-one"), id="finished"),
        pytest.param(lambda: stopped_mid_round("stopped-one", end=True), id="interrupted"),
    ],
)
def test_export_import_export_gives_the_same_archive(db: Database, fresh: Database, make):
    events = make()
    record(db, events)
    debate_id = events[0].debate_id
    exported = archive_of(db, debate_id)

    result = import_archive(fresh, json.loads(exported))
    assert result.debate_id == debate_id
    assert not result.renamed
    assert archive_of(fresh, debate_id) == exported
    assert load_events(fresh, debate_id) == without_deltas(events)


async def test_an_imported_debate_has_the_rows_recording_it_wrote(db: Database, fresh: Database):
    """Live recording and import project events through the same rules: every column
    of every row (and the search index) matches, but for when the owner last beat."""
    debate_id = await engine_debate(db)
    import_archive(fresh, json.loads(archive_of(db, debate_id)))

    def rows(store: Database) -> dict[str, object]:
        found: dict[str, object] = dict(contents(store))
        with store.engine.connect() as connection:
            debates = connection.execute(text("SELECT * FROM debates")).mappings().all()
        found["debates"] = [{**row, "heartbeat_at": None} for row in debates]
        return found

    assert rows(fresh) == rows(db)


async def test_a_debate_the_engine_ran_round_trips(db: Database, fresh: Database):
    debate_id = await engine_debate(db)
    exported = archive_of(db, debate_id)
    import_archive(fresh, json.loads(exported))
    assert archive_of(fresh, debate_id) == exported
    failed = [t for t in load_debate(fresh, debate_id).turns if t.status is TurnStatus.FAILED]
    assert [t.error for t in failed] == ["Cy: key refused by ollama"]


def test_partial_text_of_an_interrupted_turn_comes_back(db: Database, fresh: Database):
    record(db, stopped_mid_round("cut-short", end=True))
    import_archive(fresh, json.loads(archive_of(db, "cut-short")))
    turns = {t.seat_id: t for t in load_debate(fresh, "cut-short").turns}
    assert turns["ada"].status is TurnStatus.INTERRUPTED
    assert turns["ada"].text == "First I multiply 17 by 23, which gives"
    assert turns["bea"].text == "Precedence: 9*14 = 1"


def test_an_archive_of_a_debate_that_never_ended_comes_in_interrupted(
    db: Database, fresh: Database
):
    record(db, stopped_mid_round("still-running", end=False))
    document = json.loads(archive_of(db, "still-running"))
    assert document["debate"]["status"] == "running"

    result = import_archive(fresh, document)
    assert result.status is DebateStatus.INTERRUPTED  # resumable, never "running" forever
    summary = load_debate(fresh, "still-running").summary
    assert "had not ended" in (summary.status_detail or "")
    turns = {t.seat_id: t for t in load_debate(fresh, "still-running").turns}
    assert turns["ada"].text == "First I multiply 17 by 23, which gives"


# ---------------------------------------------------------------- id clashes
def test_an_id_already_stored_is_refused_unless_a_copy_is_asked_for(db: Database):
    record(db, finished_debate("taken-id"))
    document = json.loads(archive_of(db, "taken-id"))
    before = contents(db)

    with pytest.raises(ConfigError, match=r"already stored.*--new-id"):
        import_archive(db, document)
    assert contents(db) == before

    from roundtable.storage.importer import OnClash

    copied = import_archive(db, document, on_clash=OnClash.NEW_ID)
    assert copied.renamed
    assert copied.archived_id == "taken-id"
    assert copied.debate_id != "taken-id"
    original, duplicate = load_events(db, "taken-id"), load_events(db, copied.debate_id)
    assert [e.debate_id for e in duplicate] == [copied.debate_id] * len(original)
    assert [type(e) for e in duplicate] == [type(e) for e in original]
    assert load_debate(db, copied.debate_id).turns == load_debate(db, "taken-id").turns


# ---------------------------------------------------------------- hostile files
HOSTILE = [
    (lambda d: d.update(format="zip"), "not a Roundtable archive"),
    (lambda d: d.update(version=99), "newer than this Roundtable reads"),
    (lambda d: d["events"].insert(5, copy.deepcopy(d["events"][3])), "out of order"),
    (lambda d: d["events"][4].update(seat_id="ghost"), "unknown seat 'ghost'"),
    (
        lambda d: _renumber(d["events"].insert(3, copy.deepcopy(d["events"][-1])), d),
        "goes on after",
    ),
    (lambda d: d["events"].insert(2, copy.deepcopy(d["events"][0])), "out of order"),
    (lambda d: d["events"][2].update(at="2026-11-21T09:30:02"), "time without a zone"),
    (lambda d: d["events"][-1].update(seq=2**40), "impossible number"),
    (lambda d: d["events"][4].update(round=-1), "impossible number"),
    (lambda d: _set_id(d, "../../etc/passwd"), "is not valid"),
    (lambda d: _set_id(d, "x" * 500), "is not valid"),
    (lambda d: d["events"][0]["spec"]["seats"][0].update(id="has space"), "is not valid"),
    (lambda d: d["events"][0]["spec"]["seats"][1].update(id="ada"), "same id"),
    (lambda d: d["events"][0].update(spec={"question": 1}), "event 0 of the archive is not valid"),
    (lambda d: d["events"][0]["spec"]["seats"][0].update(max_tokens=10**30), "cannot be stored"),
    # The limits a debate started here meets (roundtable.domain.limits).
    (lambda d: d["events"][0]["spec"]["seats"][0].update(persona="x" * 9_000), "the persona is"),
    (lambda d: d["events"][0]["spec"]["seats"][0].update(name="n" * 81), "the name is 81"),
    (lambda d: d["events"][0]["spec"].update(question="\u200b\ufeff"), "The question is empty"),
    (lambda d: d["events"][0]["spec"].update(question="?" * 20_001), "the limit is 20,000"),
]


def _renumber(_: None, document: dict) -> None:
    for seq, item in enumerate(document["events"]):
        item["seq"] = seq


def _set_id(document: dict, new_id: str) -> None:
    for item in document["events"]:
        item["debate_id"] = new_id


@pytest.mark.parametrize(("damage", "reason"), HOSTILE)
def test_a_hostile_archive_is_refused_and_nothing_is_written(db: Database, damage, reason):
    record(db, finished_debate("already-here"))
    document = json.loads(archive_of(db, "already-here"))
    _set_id(document, "incoming")
    damage(document)
    before = contents(db)
    with pytest.raises(ConfigError, match=reason):
        import_archive(db, document)
    assert contents(db) == before


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "not valid JSON"),
        (b"<html>not json</html>", "not valid JSON"),
        (b"\xff\xfe garbage", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"format": "roundtable-archive", "version": NaN}', "not valid JSON"),
        (b'{"n": ' + b"9" * 5000 + b"}", "a number 5,000 digits long"),
        (b'{"format": "roundtable-archive", "version": 1, "events": ["\\ud800"]}', "Unicode"),
        (b"[1, 2, 3]", "not a Roundtable archive"),
    ],
)
def test_a_file_that_is_not_an_archive_is_refused(tmp_path, db: Database, raw: bytes, reason):
    path = tmp_path / "suspect.json"
    path.write_bytes(raw)
    before = contents(db)
    with pytest.raises(ConfigError, match=reason):
        import_file(db, path)
    assert contents(db) == before


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (b"9" * 4301, "a number 4,301 digits long"),  # past Python's own int limit
        (b"-" + b"1" * 100_000, "a number 100,000 digits long"),
        (b"1e999", "the number 1e999, too large"),  # reads as infinity
    ],
    ids=["past-python-limit", "negative-huge", "float-overflow"],
)
def test_a_huge_number_is_refused_in_words_not_with_pythons_hint(
    tmp_path, db: Database, number: bytes, reason: str
):
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"format": "roundtable-archive", "version": 1, "seed": ' + number + b"}")
    before = contents(db)
    with pytest.raises(ConfigError, match=reason) as caught:
        import_file(db, path)
    assert "set_int_max_str_digits" not in str(caught.value)
    assert contents(db) == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path, db: Database):
    record(db, finished_debate("big-one"))
    path = tmp_path / "big.json"
    path.write_text(archive_of(db, "big-one"))
    limit = path.stat().st_size - 1
    with pytest.raises(ConfigError, match="larger than"):
        read_archive(path, max_bytes=limit)
    assert read_archive(path, max_bytes=limit + 1)["format"] == "roundtable-archive"


@pytest.mark.sqlite_only  # SQLite's page cap stands in for the full disk
def test_a_full_disk_half_way_through_an_import_writes_nothing(db: Database, tmp_path):
    record(db, finished_debate("source"))
    document = json.loads(archive_of(db, "source"))
    # A long transcript: far more than the few pages the file may still grow by.
    for item in document["events"]:
        if item["type"] == "TurnFinished":
            item["text"] = item["text"] + " padding" * 20_000
    _set_id(document, "too-big-to-fit")
    before = contents(db)
    with db.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    db.engine.dispose()
    event.listen(
        db.engine,
        "connect",
        lambda dbapi, _r: dbapi.execute(f"PRAGMA max_page_count = {pages + 4}"),
    )
    with pytest.raises(StorageError, match="full"):
        import_archive(db, document)
    assert contents(db) == before
    path = Path(db.location)
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()


# ---------------------------------------------------------------- the command
def test_roundtable_import_on_the_command_line(tmp_path, db: Database, new_store):
    record(db, finished_debate("from-elsewhere"))
    archive = tmp_path / "debate.json"
    archive.write_text(archive_of(db, "from-elsewhere"), encoding="utf-8")
    target = new_store()
    runner = CliRunner()

    imported = runner.invoke(app, ["import", str(archive), "--db", target])
    assert imported.exit_code == 0, imported.output
    assert "Imported" in imported.stdout
    assert "from-els" in imported.stdout

    again = runner.invoke(app, ["import", str(archive), "--db", target])
    assert again.exit_code == 2
    said = " ".join(again.stderr.split())
    assert "already stored" in said
    assert "Nothing was imported" in said

    copied = runner.invoke(app, ["import", str(archive), "--db", target, "--new-id"])
    assert copied.exit_code == 0
    assert "copy with the new id" in " ".join(copied.stdout.split())
    with open_database(target) as mine:
        stored = list_debates(mine)
    assert len(stored) == 2
    assert {s.question for s in stored} == {load_debate(db, "from-elsewhere").summary.question}


def test_an_oversized_file_is_refused_by_the_command_with_exit_2(tmp_path):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:
        file.truncate(40 * 1024 * 1024)  # sparse: instant to make
    target = tmp_path / "mine.db"
    result = CliRunner().invoke(app, ["import", str(huge), "--db", str(target)])
    assert result.exit_code == 2
    assert "larger than 32 MB" in " ".join(result.stderr.split())
    assert not target.exists()  # the file was refused before the database was opened
