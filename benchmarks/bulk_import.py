"""Importing at scale (issue 12): 10,000 archives at once, and one 1,000-turn archive.

The archives are honestly shaped debates (`synthetic_debates`) exported as
`roundtable export --format json` writes them, generated once into a cache folder.
Each run imports them into a fresh database through `import_files` (what
`roundtable import archives/*.json` calls): read, checked, written in batches.

Usage: .venv/bin/python benchmarks/bulk_import.py [--archives 10000] [--runs 1]
       [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_debates import Corpus, archive

from roundtable.storage import open_database
from roundtable.storage.importer import import_file, import_files

#: Bump when the corpus changes, so stale archives are not measured.
CORPUS_VERSION = 1


def archives_folder(given: str | None, count: int) -> Path:
    base = Path(given) if given else Path(tempfile.gettempdir()) / "roundtable-bench"
    folder = base / f"archives-v{CORPUS_VERSION}-{count}"
    done = folder / ".complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    print(f"writing {count:,} archives to {folder} (once; later runs reuse them)")
    corpus = Corpus()
    started = time.perf_counter()
    for number in range(count):
        path = folder / f"debate-{number:05}.json"
        path.write_text(json.dumps(archive(corpus.debate_events(number))), encoding="utf-8")
    done.touch()
    print(f"  written in {time.perf_counter() - started:.0f} s")
    return folder


def long_archive(folder: Path) -> Path:
    path = folder.parent / f"long-1000-turns-v{CORPUS_VERSION}.json"
    if not path.exists():
        events = Corpus().debate_events(999_999, rounds=200, seats=5)
        path.write_text(json.dumps(archive(events)), encoding="utf-8")
    return path


def import_many(paths: list[Path]) -> tuple[float, float]:
    """Wall time and CPU time (both threads: reading and writing) of one import."""
    with tempfile.TemporaryDirectory() as scratch, open_database(Path(scratch) / "x.db") as db:
        started, cpu = time.perf_counter(), time.process_time()
        report = import_files(db, paths)
        took, used = time.perf_counter() - started, time.process_time() - cpu
    assert not report.failed, report.failed[:3]
    return took, used


def import_one(path: Path) -> tuple[float, float]:
    """Wall time and CPU time of importing one archive."""
    with tempfile.TemporaryDirectory() as scratch, open_database(Path(scratch) / "x.db") as db:
        started, cpu = time.perf_counter(), time.process_time()
        import_file(db, path)
        return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archives", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--cache", help="where the generated archives are kept")
    args = parser.parse_args()
    folder = archives_folder(args.cache, args.archives)
    paths = sorted(folder.glob("*.json"))
    size = sum(path.stat().st_size for path in paths)
    print(f"{len(paths):,} archives, {size / 1e6:.0f} MB; load {os.getloadavg()}")
    runs = [import_many(paths) for _ in range(args.runs)]
    median = statistics.median(took for took, _ in runs)
    cpu = statistics.median(used for _, used in runs)
    shown = ", ".join(f"{took:.1f}" for took, _ in runs)
    print(
        f"import {len(paths):,} archives: median {median:.1f} s (runs {shown}), "
        f"{len(paths) / median:.0f} debates/s, CPU {cpu:.1f} s "
        "(target: 10,000 in under 60 s)"
    )
    long_path = long_archive(folder)
    long_runs = [import_one(long_path) for _ in range(3)]
    print(
        f"import one 1,000-turn archive ({long_path.stat().st_size / 1e6:.1f} MB): median "
        f"{statistics.median(took for took, _ in long_runs):.2f} s "
        f"(runs {', '.join(f'{took:.2f}' for took, _ in long_runs)}), "
        f"CPU {statistics.median(used for _, used in long_runs):.2f} s; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print(f"load average after: {os.getloadavg()}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
