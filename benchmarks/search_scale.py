"""Search and start-up at 10,000 stored debates (issue 12).

Builds (once, then cached) a database of honestly shaped debates
(`synthetic_debates`: 3-5 seats, 2-4 rounds, 200-600 words a turn, a Zipf
vocabulary), written in bulk through the importer's batch writer. Then measures:

- full-text search (`search_debates`, snippets included) for a rare word, a word of
  middling frequency, common words and a two-word query, 20 and 100 results, and the
  second page of 100: median and p95 of `--repeats` runs each;
- the query plan of the ranking query (EXPLAIN QUERY PLAN);
- what a finished turn costs the search index, by the old triggers and the new;
- launch to history listed: a fresh interpreter starts the real window on the big
  database as `run_app` does (offscreen) and reports when the history list shows its
  first rows.

The cached database is named after the schema it is at. When only an older schema's
file of the same corpus is cached, a copy of it is upgraded (the old file is left as
it is) and what the upgrade took is printed: what a person upgrading pays once.

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/search_scale.py
       [--debates 10000] [--repeats 15] [--launches 5] [--cache DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_debates import Corpus

from roundtable.storage import open_database, search_debates
from roundtable.storage.db import SCHEMA_HEAD
from roundtable.storage.import_batches import CheckedArchive, OnClash, write_debates
from roundtable.storage.search import fts_query

ROOT = Path(__file__).resolve().parents[1]
#: Bump when the corpus changes (the schema is in the cached file's name).
CORPUS_VERSION = 3

CHILD = """
import sys, time
if "--full-check-at-open" in sys.argv:  # as before issue 12: every page read at open
    import roundtable.storage.integrity as integrity
    integrity.FULL_CHECK_AT_OPEN_BYTES = 1 << 62
from PySide6.QtCore import QTimer
from roundtable.gui.app import create_window
app, window = create_window([])
QTimer.singleShot(0, window.finish_startup)  # as run_app: after the first paint
def poll():
    if window.history.model.rowCount() > 0:
        print(f"listed {time.time():.6f}", flush=True)
        app.quit()
    else:
        QTimer.singleShot(5, poll)
QTimer.singleShot(0, poll)
app.exec()
"""


def cache_dir(given: str | None) -> Path:
    base = Path(given) if given else Path(tempfile.gettempdir()) / "roundtable-bench"
    base.mkdir(parents=True, exist_ok=True)
    return base


def cached_database(folder: Path, debates: int) -> Path:
    """The generated database at the current schema: built, or upgraded from a copy of
    one cached at an older schema."""
    path = folder / f"search-v{CORPUS_VERSION}-{debates}-schema{SCHEMA_HEAD}.db"
    if path.exists():
        return path
    older = [
        candidate
        for candidate in (
            folder / f"search-v{CORPUS_VERSION}-{debates}.db",  # named before the schema was
            *sorted(folder.glob(f"search-v{CORPUS_VERSION}-{debates}-schema*.db")),
        )
        if candidate.exists()
    ]
    if older:
        upgrade_copy(older[-1], path)
    else:
        print(f"building {path} (once; later runs reuse it)")
        build(path, debates)
    return path


def upgrade_copy(source: Path, path: Path) -> None:
    """Copy `source` and open the copy, timing the migration (and the backup it takes)."""
    partial = path.with_suffix(".partial")
    print(f"upgrading a copy of {source.name} to schema {SCHEMA_HEAD}")
    shutil.copyfile(source, partial)
    load = os.getloadavg()
    started, cpu = time.perf_counter(), time.process_time()
    with open_database(partial) as db:
        took, cpu_took = time.perf_counter() - started, time.process_time() - cpu
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        backup = db.backup
    print(
        f"  opening it upgraded it in {took:.1f} s (process CPU {cpu_took:.1f} s; load "
        f"{load[0]:.1f} -> {os.getloadavg()[0]:.1f}), the backup taken first included; "
        f"{source.stat().st_size / 1e9:.2f} GB -> {partial.stat().st_size / 1e9:.2f} GB"
    )
    if backup is not None:
        backup.unlink()  # a copy of the cached file: nothing to keep it for
    partial.rename(path)


def build(path: Path, debates: int) -> None:
    """Write `debates` synthetic debates to a new database at `path` (bulk, batched)."""
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    corpus = Corpus()
    started = time.perf_counter()
    with open_database(partial) as db:
        for first in range(0, debates, 500):
            batch = [
                CheckedArchive(corpus.debate_events(number), {})
                for number in range(first, min(first + 500, debates))
            ]
            write_debates(db, batch, on_clash=OnClash.REFUSE)
            done = first + len(batch)
            print(f"\r  built {done:,} of {debates:,} debates", end="", flush=True)
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    took = time.perf_counter() - started
    print(f"\n  built in {took:.0f} s, {path.stat().st_size / 1e9:.2f} GB")


def timed(action, repeats: int) -> tuple[float, float]:
    """Median and p95 (ms) of `repeats` runs after one warm-up."""
    action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def measure_search(path: Path, corpus: Corpus, repeats: int) -> None:
    queries = {
        "rare word": corpus.rare_word(),
        "middling word": corpus.vocabulary[1500],
        "common word": "answer",
        "commonest word": "the",
        "two common words": "model evidence",
        "prefix as typed": "conf",
        "one letter typed": "t",
        "two letters typed": "th",
    }
    with open_database(path) as db:
        with db.engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM debates")).scalar()
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + ranking_sql(),
                {"query": fts_query("the"), "below": 2**62, "window": 2000},
            ).all()
        print(f"\nsearch over {count:,} debates, median / p95 of {repeats} runs (ms):")
        print(f"  {'query':<18} {'hits':>5} {'20 results':>14} {'100 results':>14} {'page 2':>14}")
        for name, words in queries.items():
            cells = []
            for limit, offset in ((20, 0), (100, 0), (100, 100)):
                median, p95 = timed(
                    lambda w=words, n=limit, o=offset: search_debates(db, w, limit=n, offset=o),
                    repeats,
                )
                cells.append(f"{median:6.1f} / {p95:5.1f}")
            hits = len(search_debates(db, words, limit=100))
            print(f"  {name + ' (' + words + ')':<30.30} {hits:>5} " + " ".join(cells))
    print("query plan of the ranking query:")
    for row in plan:
        print(f"  {row[-1]}")


def measure_index_update(path: Path, repeats: int) -> None:
    """What each finished turn costs the search index: removing its old passage, as the
    triggers of migration 0001 did (by FTS5 UNINDEXED columns) and as 0003's do (by
    key). Each run is rolled back."""
    import sqlite3

    connection = sqlite3.connect(path, isolation_level=None)
    try:
        debate_id, source = connection.execute(
            "SELECT debate_id, source FROM debate_search_rows WHERE source LIKE 'turn:%' "
            "LIMIT 1 OFFSET 50000"
        ).fetchone()
        ways = {
            "by UNINDEXED columns (0001)": "DELETE FROM debate_search "
            "WHERE debate_id = ? AND source = ?",
            "by key (0003)": "DELETE FROM debate_search WHERE rowid IN "
            "(SELECT id FROM debate_search_rows WHERE debate_id = ? AND source = ?)",
        }
        print("\nremoving a finished turn's old passage from the index, median (ms):")
        for name, sql in ways.items():
            times = []
            for _ in range(max(3, repeats // 3)):
                connection.execute("BEGIN")
                started = time.perf_counter()
                connection.execute(sql, (debate_id, source))
                times.append((time.perf_counter() - started) * 1000)
                connection.execute("ROLLBACK")
            print(f"  {name:<30} {statistics.median(times):8.1f}")
    finally:
        connection.close()


def ranking_sql() -> str:
    from roundtable.storage import search

    return search.RANKING_SQL.format(table=search.SEARCH_TABLE)


def measure_launch(path: Path, launches: int, *, full_check: bool = False) -> None:
    env = os.environ | {"ROUNDTABLE_DB": str(path)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as data_dir:
        env["ROUNDTABLE_DATA_DIR"] = data_dir
        times = []
        for number in range(launches + 1):
            started = time.time()
            result = subprocess.run(
                [sys.executable, "-c", CHILD, *(["--full-check-at-open"] if full_check else [])],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )
            line = next(line for line in result.stdout.split("\n") if line.startswith("listed"))
            took = float(line.split()[1]) - started
            if number:  # the first launch only warms the OS file cache
                times.append(took)
    shown = ", ".join(f"{t * 1000:.0f}" for t in times)
    how = " (with the full check at open, as before)" if full_check else ""
    print(
        f"\nlaunch to history listed{how}, median of {launches}: "
        f"{statistics.median(times) * 1000:.0f} ms (runs {shown}; target <= 1000 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--debates", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--cache", help="where the generated database is kept")
    parser.add_argument(
        "--compare-full-check",
        action="store_true",
        help="also launch with the full integrity check at open, as before issue 12",
    )
    args = parser.parse_args()
    path = cached_database(cache_dir(args.cache), args.debates)
    print(f"database: {path} ({path.stat().st_size / 1e9:.2f} GB); load {os.getloadavg()}")
    measure_search(path, Corpus(), args.repeats)
    measure_index_update(path, args.repeats)
    if args.launches:
        measure_launch(path, args.launches)
        if args.compare_full_check:
            measure_launch(path, args.launches, full_check=True)
    print(f"load average after: {os.getloadavg()}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
