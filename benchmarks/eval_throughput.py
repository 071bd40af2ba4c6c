"""Evaluation throughput: does one concurrency limit of C keep C calls in flight?

An evaluation against the loopback OpenAI-compatible server (a separate process; each
reply takes L seconds), through the real litellm path: with a limit of C, at most C
calls are in flight and the run should make close to C / L calls a second. Prints,
per run and as the median of the runs:

- L, the latency of one call alone (median of 10, measured by this client);
- calls per second achieved, and the ratio to C / L (1.00 is ideal; target >= 0.9);
- the most calls the limit let into flight at once (must be exactly C).

Every seat answers 42 and every gold answer is 42, so each question agrees in round 0:
a question is one round of three calls, and the run is one limit shared by many.

Each server latency given (default 2, 1 and 0.25 s) is measured in turn. Every call
also costs the client ~20 ms of CPU in litellm and the OpenAI SDK (BENCHMARKS.md), so
the ratio falls as L shrinks towards what C calls' handling takes.

Usage: .venv/bin/python benchmarks/eval_throughput.py [--runs 3] [--concurrency 8]
       [--questions 48] [--latency 2 1 0.25]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roundtable.domain import (  # noqa: E402
    AnswerKind,
    ChatMessage,
    DebateSpec,
    Event,
    Seat,
    StreamChunk,
    Usage,
)
from roundtable.domain.concurrency import ServerLimit, server_key  # noqa: E402
from roundtable.domain.evaluation import (  # noqa: E402
    Baseline,
    EvalItem,
    EvalRunRecord,
    EvalSettings,
    EvalStatus,
    RoundAnswers,
    Samples,
    StoredQuestion,
    TaskFormat,
)
from roundtable.engine.evaluation.run import run_evaluation  # noqa: E402
from roundtable.providers import LiteLLMGateway, load_litellm  # noqa: E402


@dataclass
class Discard:
    """A run store that keeps only what the benchmark counts."""

    questions: int = 0
    events: list[Event] = field(default_factory=list)

    def recorder(self, debate_id: str) -> Callable[[Event], None]:
        return lambda event: None

    def close_recorder(self, debate_id: str) -> None:
        pass

    def question_done(
        self,
        position: int,
        *,
        debate_id: str,
        rounds: Sequence[RoundAnswers],
        usage: Usage,
        correct: bool,
    ) -> None:
        self.questions += 1

    def samples_done(self, position: int, samples: Samples) -> None:
        pass

    def sampling_fixed(self, seat_id: str, count: int) -> None:
        pass


class Counting:
    """The real gateway, counting calls and the most in flight at once."""

    def __init__(self, inner: LiteLLMGateway) -> None:
        self.inner = inner
        self.calls = 0
        self.open = 0
        self.most_open = 0
        self.busy_s = 0.0  # the calls' durations, summed

    async def stream(
        self, seat: Seat, messages: Sequence[ChatMessage], *, seed: int | None = None
    ) -> AsyncIterator[StreamChunk]:
        self.calls += 1
        self.open += 1
        self.most_open = max(self.most_open, self.open)
        started = time.perf_counter()
        try:
            async for chunk in self.inner.stream(seat, messages, seed=seed):
                yield chunk
        finally:
            self.open -= 1
            self.busy_s += time.perf_counter() - started


def start_server(latency: float) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.openai_server", "--port", "0", "--ttft", str(latency)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # connections reset between runs are not news
        text=True,
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def new_run(base_url: str, questions: int) -> EvalRunRecord:
    seats = tuple(
        Seat(id=f"s{n}", name=f"Seat {n}", model=f"openai/fake-{n}", api_base=base_url)
        for n in range(3)
    )
    items = tuple(
        EvalItem(
            id=str(n),
            question=f"Question {n}: which number?",
            answer="42",
            gold="42",
            kind=AnswerKind.NUMBER,
        )
        for n in range(questions)
    )
    settings = EvalSettings(
        task_name="throughput",
        task_source="benchmarks/eval_throughput.py",
        task_format=TaskFormat.GENERIC_JSONL,
        fingerprint="bench",
        table=DebateSpec(
            question="",
            seats=seats,
            max_rounds=2,
            # The fake server stands in for a hosted one, which takes many at once; on
            # loopback it would take one request at a time by default.
            server_limits=(ServerLimit(server_key(base_url), None),),
        ),
        baselines=(Baseline.SEATS, Baseline.MAJORITY),
    )
    return EvalRunRecord(
        id="bench",
        created_at=datetime.now(UTC),
        settings=settings,
        status=EvalStatus.RUNNING,
        questions=tuple(StoredQuestion(position=n, item=item) for n, item in enumerate(items)),
    )


async def one_call_latency(base_url: str) -> float:
    gateway = LiteLLMGateway()
    seat = Seat(id="s", name="S", model="openai/fake-latency", api_base=base_url)
    message = [ChatMessage("user", "Which number?")]
    times = []
    for _ in range(10):
        started = time.perf_counter()
        async for _chunk in gateway.stream(seat, message):
            pass
        times.append(time.perf_counter() - started)
    return statistics.median(times[2:])  # the first calls pay for connections


@dataclass(frozen=True)
class Measured:
    wall_s: float
    calls: int
    most_open: int
    busy_s: float
    cpu_s: float


async def one_run(base_url: str, questions: int, concurrency: int) -> Measured:
    gateway = Counting(LiteLLMGateway())
    store = Discard()
    started, cpu = time.perf_counter(), time.process_time()
    outcome = await run_evaluation(
        new_run(base_url, questions), gateway, store, concurrency=concurrency, coalesce_s=0.25
    )
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert outcome.status is EvalStatus.FINISHED, outcome
    assert store.questions == questions
    return Measured(wall, gateway.calls, gateway.most_open, gateway.busy_s, cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--questions", type=int, default=48)
    # A hosted model's reply takes seconds; a short L shows the client's own cost a call.
    parser.add_argument("--latency", type=float, nargs="+", default=[2.0, 1.0, 0.25])
    args = parser.parse_args()
    os.environ.setdefault("OPENAI_API_KEY", "sk-benchmark")
    load_litellm()
    medians = [(latency, measure(latency, args)) for latency in args.latency]
    print()
    for latency, ratio in medians:
        print(f"server latency {latency:g} s: median ratio {ratio:.2f} (target >= 0.9)")


def measure(server_latency: float, args: argparse.Namespace) -> float:
    """The runs against a server answering in `server_latency`; their median ratio."""
    server, base_url = start_server(server_latency)
    try:
        latency = asyncio.run(one_call_latency(base_url))
        ideal = args.concurrency / latency
        print(
            f"load average {os.getloadavg()[0]:.2f} · {os.cpu_count()} cores · "
            f"L = {1000 * latency:.0f} ms a call alone · C = {args.concurrency} · "
            f"ideal {ideal:.1f} calls/s"
        )
        ratios = []
        for number in range(1, args.runs + 1):
            run = asyncio.run(one_run(base_url, args.questions, args.concurrency))
            rate = run.calls / run.wall_s
            ratios.append(rate / ideal)
            print(
                f"run {number}: {run.calls} calls in {run.wall_s:.2f} s = {rate:.1f} calls/s · "
                f"ratio {rate / ideal:.2f} · most in flight {run.most_open} · mean in flight "
                f"{run.busy_s / run.wall_s:.1f} · a call took {1000 * run.busy_s / run.calls:.0f} "
                f"ms · client CPU {1000 * run.cpu_s / run.calls:.1f} ms a call"
            )
        return statistics.median(ratios)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
