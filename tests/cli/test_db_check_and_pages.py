"""`roundtable db check` reads a whole file for damage; `roundtable list --page` pages
the list and a search, pages agreeing with the whole."""

from __future__ import annotations

import json
import random
from datetime import timedelta

from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import DebateStarted
from roundtable.storage import integrity, open_database
from roundtable.storage.import_batches import CheckedArchive, OnClash, write_debates
from tests.helpers.debates import finished_debate, spec
from tests.helpers.events import START, record

PAGE = 4096


def _store(path, count: int) -> None:
    with open_database(path) as db:
        for number in range(count):
            record(db, finished_debate(f"debate-{number}"))
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def test_db_check_says_a_sound_file_is_sound(tmp_path):
    path = tmp_path / "mine.db"
    _store(path, 2)
    result = CliRunner().invoke(app, ["db", "check", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "is sound" in result.stdout


def test_db_check_finds_damage_the_cheap_open_misses_and_the_next_open_moves_it(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(integrity, "FULL_CHECK_AT_OPEN_BYTES", 0)  # a "large" file
    path = tmp_path / "mine.db"
    _store(path, 40)
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(size - 2 * PAGE)
        file.write(random.Random(3).randbytes(2 * PAGE))
    result = CliRunner().invoke(app, ["db", "check", "--db", str(path)])
    assert result.exit_code == 1, result.output
    said = " ".join(result.stdout.split())
    assert f"{path} is damaged" in said
    assert "moves it aside (nothing is deleted)" in said
    with open_database(path) as database:
        assert database.moved_aside is not None


def _questions(tmp_path, count: int) -> str:
    path = tmp_path / "many.db"
    with open_database(path) as db:
        archives = [
            CheckedArchive(
                [
                    DebateStarted(
                        debate_id=f"debate-{n:02}",
                        seq=0,
                        at=START + timedelta(minutes=n),
                        spec=spec(f"Question {n} on " + " ".join(["otters"] * (1 + n % 3))),
                    )
                ],
                {},
            )
            for n in range(count)
        ]
        write_debates(db, archives, on_clash=OnClash.REFUSE)
    return str(path)


def _ids(*args: str) -> list[str]:
    result = CliRunner().invoke(app, ["list", "--json", *args])
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)]


def test_list_pages_join_into_the_whole_list_and_search(tmp_path):
    db = _questions(tmp_path, 11)
    for extra in ([], ["--search", "otters"]):
        whole = _ids(*extra, "--limit", "50", "--db", db)
        assert len(whole) == 11
        pages = [_ids(*extra, "-n", "4", "--page", str(p), "--db", db) for p in (1, 2, 3)]
        assert [len(page) for page in pages] == [4, 4, 3]
        assert [debate for page in pages for debate in page] == whole
    beyond = CliRunner().invoke(app, ["list", "--page", "9", "--db", db])
    assert "No debates on page 9" in beyond.stdout
