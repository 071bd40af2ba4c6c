"""The shared store on PostgreSQL beside SQLite: search over 10,000 debates, and
opening a 1,000-turn debate (what storage does when the app or `show` opens one).

The same generated debates (`synthetic_debates.Corpus`, `long_debate_data`) are
written in bulk into an SQLite file and into a PostgreSQL database on a server
this script starts from the `pgserver` wheel (Unix socket, loopback only). Then, on
each: full-text search (`search_debates`, snippets included) for a rare word, a
middling one, a common one, two words and a prefix, 20 results; and `load_debate` +
`load_events` of the long debate. Median and p95 of `--repeats` runs after a warm-up.

Usage: .venv/bin/python benchmarks/postgres_store.py [--debates 10000] [--repeats 15]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from long_debate_data import write_long_debate  # noqa: E402 - found through sys.path
from search_scale import timed  # noqa: E402
from synthetic_debates import Corpus  # noqa: E402

from roundtable.storage import (  # noqa: E402
    Database,
    load_debate,
    load_events,
    open_database,
    search_debates,
)
from roundtable.storage.import_batches import CheckedArchive, OnClash, write_debates  # noqa: E402


def start_postgres(folder: Path) -> tuple[object, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset
        import pgserver
    server = pgserver.get_server(folder / "pgdata", cleanup_mode="delete")
    uri = server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
    return server, uri


def build(db: Database, corpus: Corpus, debates: int) -> float:
    started = time.perf_counter()
    for first in range(0, debates, 500):
        batch = [
            CheckedArchive(corpus.debate_events(number), {})
            for number in range(first, min(first + 500, debates))
        ]
        write_debates(db, batch, on_clash=OnClash.REFUSE)
        print(f"\r  {db.engine.dialect.name}: {first + len(batch):,} debates", end="", flush=True)
    print()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--debates", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    corpus = Corpus()
    queries = {
        "rare word": corpus.rare_word(),
        "middling word": corpus.vocabulary[1500],
        "common word": "answer",
        "two common words": "model evidence",
        "prefix as typed": "conf",
    }
    with tempfile.TemporaryDirectory(prefix="roundtable-pg-bench-") as folder:
        server, url = start_postgres(Path(folder))
        stores = {
            "SQLite": open_database(Path(folder) / "bench.db"),
            "PostgreSQL": open_database(url),
        }
        try:
            results: dict[str, dict[str, str]] = {}
            for name, db in stores.items():
                took = build(db, corpus, args.debates)
                long_id = write_long_debate(db, turns=1000, seats=8)
                row = {"build": f"{took:.0f} s"}
                for label, words in queries.items():
                    hits = len(search_debates(db, words, limit=20))
                    median, p95 = timed(
                        lambda w=words, d=db: search_debates(d, w, limit=20), args.repeats
                    )
                    row[label] = f"{median:.1f} / {p95:.1f} ({hits})"
                median, p95 = timed(
                    lambda d=db, i=long_id: (load_debate(d, i), load_events(d, i)), args.repeats
                )
                row["open 1,000-turn debate"] = f"{median:.0f} / {p95:.0f}"
                results[name] = row
            print(f"\n{args.debates:,} debates; median / p95 ms of {args.repeats} runs (hits):")
            print(f"  {'':<24} {'SQLite':>24} {'PostgreSQL':>24}")
            for label in results["SQLite"]:
                sqlite, postgres = results["SQLite"][label], results["PostgreSQL"][label]
                print(f"  {label:<24} {sqlite:>24} {postgres:>24}")
        finally:
            for db in stores.values():
                db.close()
            server.cleanup()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
