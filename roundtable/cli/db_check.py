"""`roundtable db check`: SQLite's full integrity check of the transcript file.

Opening a large file checks only its header, schema and first pages (a full check of
a 10,000-debate store reads every page, seconds of work: `roundtable.storage.integrity`);
the app runs the full check in the background, and this command on demand. Damage it
finds is marked beside the file, which is then moved aside (never deleted) the next
time Roundtable opens it. Exit code 0: sound; 1: damaged.
"""

# No `from __future__ import annotations`: see roundtable.cli.app.

import time

from roundtable.cli.exits import EXIT_FAILED, exit_with
from roundtable.cli.options import DbOption


def check(db: DbOption = None) -> None:
    """Read every page of the database and say whether it is sound (exit 1 if damaged)."""
    exit_with(lambda: check_command(db))


def check_command(db: str | None) -> int:
    from roundtable.headless.stores import open_store
    from roundtable.storage.integrity import check_integrity

    database = open_store(db, must_exist=True)
    try:
        path = database.file_path
        if path is None:
            print(f"{database.location} is not an SQLite file: its server checks its own storage.")
            return 0
        started = time.perf_counter()
        damage = check_integrity(database)
        took = time.perf_counter() - started
    finally:
        database.close()
    size = f"{path.stat().st_size / 1e6:,.0f} MB" if path.exists() else "empty"
    if damage is None:
        print(f"{path} ({size}) is sound: every page read in {took:.1f} s.")
        return 0
    print(
        f"{path} is damaged ({damage}). Roundtable moves it aside (nothing is deleted) "
        "and starts a new database the next time it opens it; debates in it may be "
        "recoverable with SQLite's `.recover` command."
    )
    return EXIT_FAILED
