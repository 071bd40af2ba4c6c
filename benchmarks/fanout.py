"""Fan-out benchmark: does a round take as long as its slowest seat, and no longer?

5 seats x 3 rounds against the loopback OpenAI-compatible server (300 ms to first
token, 20 ms per token), through the real litellm path. Prints, per run and as the
median of the runs:

- wall / critical path, where the critical path is the sum over rounds of the
  slowest seat's turn (TurnStarted -> TurnFinished). 1.00 is ideal; target <= 1.05.
- the engine process's CPU time, split into a fixed cost per model call (request
  set-up in litellm and the SDK, prompt rendering) and a marginal cost per streamed
  chunk, from two runs whose replies differ only in length. The server runs in a
  separate process, so its CPU is not counted.

Usage: .venv/bin/python benchmarks/fanout.py [--runs 5] [--seats 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roundtable.domain import (  # noqa: E402
    ChatMessage,
    DebateSpec,
    DebateStarted,
    Event,
    Seat,
    StreamChunk,
    TextDelta,
    TurnFinished,
    TurnStarted,
)
from roundtable.domain.concurrency import ServerLimit, server_key  # noqa: E402
from roundtable.engine import run_debate  # noqa: E402
from roundtable.providers import LiteLLMGateway, load_litellm  # noqa: E402


class CountingGateway:
    """The real gateway, counting the text chunks it streams."""

    def __init__(self) -> None:
        self.inner = LiteLLMGateway()
        self.chunks = 0

    async def stream(
        self, seat: Seat, messages: Sequence[ChatMessage], *, seed: int | None = None
    ) -> AsyncIterator[StreamChunk]:
        async for chunk in self.inner.stream(seat, messages, seed=seed):
            if isinstance(chunk, TextDelta):
                self.chunks += 1
            yield chunk


def start_server(ttft: float, token: float, words: int) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakes.openai_server",
            "--port",
            "0",
            "--ttft",
            str(ttft),
            "--token",
            str(token),
            "--words",
            str(words),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


async def one_run(
    base_url: str, seats: int, rounds: int, *, prefix: str = "openai"
) -> tuple[float, float, float, int]:
    """(wall, critical path, engine CPU, chunks) of one debate; `prefix` is the route
    (`litellm_proxy` for the same seats through the proxy)."""
    # Every seat answers differently (model names `answer-N`), so no early consensus
    # ends the debate before its last round.
    spec = DebateSpec(
        question="Pick a number.",
        seats=tuple(
            Seat(id=f"s{i}", name=f"Seat {i}", model=f"{prefix}/answer-{i}", api_base=base_url)
            for i in range(1, seats + 1)
        ),
        max_rounds=rounds,
        # The fake server stands in for one that takes every seat at once; on loopback
        # it would take one request at a time by default.
        server_limits=(ServerLimit(server_key(base_url), None),),
    )
    events: list[Event] = []
    gateway = CountingGateway()
    cpu0 = time.process_time()
    await run_debate(spec, gateway, events.append)
    cpu = time.process_time() - cpu0
    started = {(e.round, e.seat_id): e.at for e in events if isinstance(e, TurnStarted)}
    slowest: dict[int, float] = {}
    for e in events:
        if isinstance(e, TurnFinished):
            took = (e.at - started[(e.round, e.seat_id)]).total_seconds()
            slowest[e.round] = max(slowest.get(e.round, 0.0), took)
    assert len(slowest) == rounds, f"expected {rounds} rounds, got {sorted(slowest)}"
    begin = next(e.at for e in events if isinstance(e, DebateStarted))
    wall = (events[-1].at - begin).total_seconds()
    critical = sum(slowest.values())
    return wall, critical, cpu, gateway.chunks


def cpu_split(seats: int, rounds: int) -> tuple[float, float]:
    """(CPU per call, CPU per chunk) from short and long replies on a fast server."""
    samples = []
    for words in (0, 400):
        server, base_url = start_server(0.0, 0.001, words)
        try:
            asyncio.run(one_run(base_url, seats, 1))
            runs = [asyncio.run(one_run(base_url, seats, rounds)) for _ in range(3)]
        finally:
            server.terminate()
            server.wait(timeout=5)
        samples.append(
            (statistics.median(r[2] for r in runs), statistics.median(r[3] for r in runs))
        )
    (cpu_short, chunks_short), (cpu_long, chunks_long) = samples
    per_chunk = (cpu_long - cpu_short) / (chunks_long - chunks_short)
    calls = seats * rounds
    per_call = (cpu_short - per_chunk * chunks_short) / calls
    return per_call, per_chunk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ttft", type=float, default=0.3)
    parser.add_argument("--token", type=float, default=0.02)
    parser.add_argument("--words", type=int, default=75, help="filler words per reply")
    args = parser.parse_args()
    load_litellm()
    server, base_url = start_server(args.ttft, args.token, args.words)
    try:
        asyncio.run(one_run(base_url, args.seats, 1))  # warm-up: connections, caches
        ratios = []
        print(
            f"{args.seats} seats x {args.rounds} rounds, ttft {args.ttft * 1000:.0f} ms, "
            f"{args.token * 1000:.0f} ms/token, {os.cpu_count()} cores"
        )
        for number in range(1, args.runs + 1):
            wall, critical, cpu, chunks = asyncio.run(one_run(base_url, args.seats, args.rounds))
            ratios.append(wall / critical)
            print(
                f"run {number}: wall {wall:.3f} s, critical path {critical:.3f} s, "
                f"ratio {wall / critical:.3f}, {chunks} chunks, CPU {cpu:.2f} s"
            )
        print(f"median wall/critical-path ratio: {statistics.median(ratios):.3f} (target <= 1.05)")
    finally:
        server.terminate()
        server.wait(timeout=5)
    per_call, per_chunk = cpu_split(args.seats, args.rounds)
    print(
        f"engine CPU: {per_chunk * 1000:.2f} ms per streamed chunk, "
        f"{per_call * 1000:.1f} ms fixed per model call"
    )


if __name__ == "__main__":
    main()
