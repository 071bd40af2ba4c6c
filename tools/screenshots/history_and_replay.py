"""Screenshots of the history sidebar and the replay bar, for a person to look at.

    .venv/bin/python tools/screenshots/history_and_replay.py            # PNGs into /tmp/snaps/
    QT_SCALE_FACTOR=2 .venv/bin/python tools/screenshots/history_and_replay.py --suffix @2x

Not a test: it fills a temporary database with a dozen
varied debates, shows the panel (the list, a search with highlights, the empty
states) and the replay bar at realistic sizes, in the light and the dark theme,
offscreen, and saves `widget.grab()`s. It also prints how long a search of 1,000
debates takes, the number behind running search on the GUI thread.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from roundtable.domain import (
    Answer,
    AnswerKind,
    ConsensusReached,
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateInterrupted,
    DebateSpec,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFinished,
    TurnStarted,
    Usage,
)
from roundtable.gui.history.panel import HistoryPanel
from roundtable.gui.replay.controller import ReplayController
from roundtable.gui.replay.replay_bar import ReplayBar
from roundtable.gui.style.theme import apply_theme
from roundtable.storage import Recorder, open_database, search_debates
from tests.helpers.events import EventBuilder

NAMES = ("Ada", "Basil", "Cyra", "Dmitri", "Esme", "Farah")
NOW = datetime.now(UTC)


def debate(
    debate_id: str,
    question: str,
    *,
    ago: timedelta,
    seats: int = 3,
    rounds: int = 2,
    answer: str = "42",
    ending: str = "agreed",
    cost: float | None = 0.0009,
    title: str = "",
    said: str = "Working it through step by step, the figures agree.",
) -> list[Event]:
    log = EventBuilder(debate_id, start=NOW - ago, step_s=2)
    add = log.add

    table = tuple(
        Seat(id=name.lower(), name=name, model=f"demo/{name.lower()}") for name in NAMES[:seats]
    )
    usage = Usage(prompt_tokens=420, completion_tokens=260, cost_usd=cost, latency_s=2.0)
    parsed = Answer(raw=answer, value=answer, display=answer, kind=AnswerKind.TEXT, confidence=0.8)
    add(
        DebateStarted,
        spec=DebateSpec(question=question, seats=table, max_rounds=rounds, title=title),
    )
    total = Usage(cost_usd=0.0)
    for rnd in range(rounds):
        add(RoundStarted, round=rnd, seat_ids=tuple(s.id for s in table))
        for seat in table:
            add(TurnStarted, round=rnd, seat_id=seat.id)
        if ending in ("running", "cancelled", "interrupted") and rnd == rounds - 1:
            break
        for seat in table:
            text = f"{seat.name}, round {rnd + 1}: {said}\n\nFinal answer: {answer}"
            add(TurnFinished, round=rnd, seat_id=seat.id, text=text, answer=parsed, usage=usage)
            total = total + usage
        add(RoundFinished, round=rnd, tally={answer: 2.0}, agreement=1.0, leader=answer)
    if ending == "agreed":
        add(ConsensusReached, round=rounds - 1, answer=answer, value=answer)
    if ending in ("agreed", "split"):
        add(
            DebateFinished,
            final_answer=answer,
            consensus=ending == "agreed",
            rule="confidence-weighted vote",
            tally={answer: 2.0},
            usage=total,
            rounds=rounds,
        )
    elif ending == "cancelled":
        add(DebateCancelled)
    elif ending == "interrupted":
        add(DebateInterrupted, reason="Roundtable stopped while this debate was running")
    elif ending == "failed":
        add(DebateFailed, error_kind="auth", message="every seat's API key was refused")
    return log.events


def dozen() -> list[list[Event]]:
    h = timedelta(hours=1)
    return [
        debate("d01", "How many moons does Mars have?", ago=0.2 * h, answer="2"),
        debate(
            "d02",
            "Should a small team adopt a monorepo? Consider build times, code ownership, "
            "tooling, onboarding and the cost of migrating a dozen existing repositories "
            "with their own CI pipelines, release cadences and access rules.",
            ago=2 * h,
            seats=5,
            rounds=3,
            answer="Yes, with a staged migration and per-folder ownership files",
            ending="split",
            cost=0.4213,
        ),
        debate("d03", "Will it rain in Lisbon tomorrow?", ago=0.05 * h, ending="running"),
        debate(
            "d04",
            "Quelle est la capitale de l'Australie ? Canberra ou Sydney — ou Melbourne ?",
            ago=26 * h,
            answer="Canberra",
            said="La capitale fédérale est Canberra, choisie comme compromis en 1908.",
        ),
        debate("d05", "Is a hot dog a sandwich?", ago=30 * h, ending="cancelled", cost=None),
        debate("d06", "Summarise the trolley problem debate", ago=3 * 24 * h, ending="failed"),
        debate(
            "d07",
            "Сколько будет 17 × 23? And is ∑ 1/n² = π²/6?",
            ago=4 * 24 * h,
            seats=2,
            answer="391",
            cost=None,
        ),
        debate(
            "d08",
            "Which sorting algorithm for nearly-sorted data?",
            ago=5 * 24 * h,
            answer="Insertion sort (or Timsort)",
            ending="interrupted",
        ),
        debate(
            "d09",
            "What is the capital of Australia?",
            ago=12 * 24 * h,
            title="Canberra vs Sydney, once and for all",
            answer="Canberra",
            said="Sydney is the largest city, but the capital is Canberra.",
        ),
        debate(
            "d10",
            "Estimate the number of piano tuners in Chicago",
            ago=40 * 24 * h,
            seats=6,
            rounds=3,
            answer="about 125",
            ending="split",
            cost=1.87,
        ),
        debate("d11", "Is zero even?", ago=200 * 24 * h, seats=4, rounds=1, answer="yes"),
        debate(
            "d12",
            "Which is heavier: a kilogram of feathers or a kilogram of steel?",
            ago=420 * 24 * h,
            answer="Neither: both weigh a kilogram",
            cost=0.0002,
        ),
    ]


def record(db: Any, debates: list[list[Event]]) -> None:
    recorder = Recorder(db)
    for events in debates:
        for event in events:
            recorder(event)
    recorder.close()


def measure_search(folder: Path) -> None:
    db = open_database(folder / "thousand.db")
    bulk = []
    for n in range(1000):
        ending = ("agreed", "split", "cancelled")[n % 3]
        bulk.append(
            debate(
                f"b{n:04}",
                f"Question {n}: how would a careful engineer estimate item {n}?",
                ago=timedelta(minutes=n),
                seats=3,
                rounds=1,
                ending=ending,
                said=f"Counting batch {n} by hand, then checking with a second method.",
            )
        )
    started = time.perf_counter()
    record(db, bulk)
    print(f"recorded 1,000 debates in {time.perf_counter() - started:.1f} s")
    for text in ("careful engineer", "batch 77", "estimate", "nothingmatches"):
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            hits = search_debates(db, text, limit=100)
            timings.append((time.perf_counter() - started) * 1000)
        best, worst = min(timings), max(timings)
        print(f"search {text!r}: {len(hits)} hits, best {best:.1f} ms, worst {worst:.1f} ms")
    db.close()


def snap(widget: QWidget, path: Path) -> None:
    # A list re-lays out its items ~100 ms after a resize; let that happen first.
    QTest.qWait(150)
    widget.grab().save(str(path))
    print("saved", path)


class _NoView:
    """The replay bar's controller needs a target; the bar is what is pictured."""

    def clear(self) -> None: ...

    def apply(self, event: Event) -> None: ...


def snap_panels(db: Any, empty_db: Any, out: Path, tag: str) -> None:
    panel = HistoryPanel()
    panel.resize(320, 860)
    panel.set_database(db)
    panel.show()
    panel.select_debate("d04")
    snap(panel, out / f"history-list-{tag}.png")
    panel.resize(480, 860)
    snap(panel, out / f"history-list-wide-{tag}.png")
    panel.resize(320, 860)
    for text, name in (
        ("capital", "search"),
        ("compromis", "search-turn"),
        ("zebra crossing", "nomatch"),
    ):
        panel.search_box.setText(text)
        while panel.shown_query != text:  # the search runs on a worker thread
            QTest.qWait(10)
        snap(panel, out / f"history-{name}-{tag}.png")
    panel.close()

    empty = HistoryPanel()
    empty.resize(320, 300)
    empty.set_database(empty_db)
    empty.show()
    snap(empty, out / f"history-empty-{tag}.png")
    empty.close()


def snap_bar(events: list[Event], out: Path, tag: str) -> None:
    page = QWidget()
    page.resize(1040, 60)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    bar = ReplayBar()
    layout.addWidget(bar)
    controller = ReplayController(_NoView())
    bar.set_controller(controller)
    controller.set_events(events)
    page.show()
    controller.seek(7)
    snap(page, out / f"replay-bar-{tag}.png")
    controller.seek(0)
    snap(page, out / f"replay-bar-start-{tag}.png")
    controller.play()
    snap(page, out / f"replay-bar-playing-{tag}.png")
    controller.pause()
    page.resize(640, 60)
    snap(page, out / f"replay-bar-narrow-{tag}.png")
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="/tmp/snaps/history")
    parser.add_argument("--suffix", default="")
    parser.add_argument("--measure", action="store_true", help="time search over 1,000 debates")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="roundtable-snaps-"))
    db = open_database(folder / "history.db")
    debates = dozen()
    record(db, debates)
    empty_db = open_database(folder / "empty.db")
    for theme in ("light", "dark"):
        apply_theme(app, theme)  # type: ignore[arg-type]
        tag = f"{theme}{args.suffix}"
        snap_panels(db, empty_db, out, tag)
        snap_bar(debates[1], out, tag)
    db.close()
    empty_db.close()
    if args.measure:
        measure_search(folder)


if __name__ == "__main__":
    main()
