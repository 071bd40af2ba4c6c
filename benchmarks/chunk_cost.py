"""Per-chunk cost: the engine process's CPU for each streamed chunk of a long reply.

One seat streams a long reply (2 MB in ~25,000 chunks by default) from the loopback
OpenAI-compatible server (a separate process, so its CPU is not counted), through the
real path a `roundtable run` takes: litellm -> the gateway -> the engine -> the
recorder (SQLite in a temporary folder) and the terminal view (printing to a file).
A second seat answers briefly (a debate needs two). Prints, per run and as the median
of the runs: CPU per chunk, the wall time of the debate, and litellm's own CPU per
chunk on the same stream (the floor: the acompletion stream read with nothing around
it). The reply-size cap is lifted here, so the whole reply goes through.

Last, the default cap at work: a 10 MB reply, stopped at the cap and recorded; its
wall time.

Usage: .venv/bin/python benchmarks/chunk_cost.py [--runs 3] [--mb 2] [--chunks 25000]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402

from roundtable.cli.live import TerminalView  # noqa: E402
from roundtable.domain import (  # noqa: E402
    ChatMessage,
    DebateSpec,
    Event,
    Seat,
    StreamChunk,
    TextDelta,
    TurnFinished,
)
from roundtable.engine import run_debate  # noqa: E402
from roundtable.providers import LiteLLMGateway, load_litellm  # noqa: E402
from roundtable.storage import SavingRecorder, open_database  # noqa: E402

#: The long reply's model on the server, and the short one's.
LONG, SHORT = "long-reply", "short-reply"


def serve(total_bytes: int, chunks: int) -> None:
    """Run the loopback server (in this, a child process) with the long reply scripted."""
    from tests.fakes.openai_server import FakeOpenAIServer, Reply

    size = max(2, total_bytes // chunks - 1)
    # Distinct words (litellm aborts a stream that repeats one chunk), one a chunk.
    words = [f"w{i:07d}".ljust(size, "x") for i in range(chunks)]
    text = " ".join(words) + "\nFinal answer: 7\nConfidence: 0.9"
    server = FakeOpenAIServer().start()
    server.set_default(LONG, Reply(text))
    server.set_default(SHORT, Reply("Seven.\nFinal answer: 7\nConfidence: 0.9"))
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        server.stop()


def start_server(total_bytes: int, chunks: int) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(total_bytes), str(chunks)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # a connection the cap hangs up on is not news here
        text=True,
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


class CountingGateway:
    """The real gateway, counting the text chunks it streams."""

    def __init__(self, inner: LiteLLMGateway) -> None:
        self.inner = inner
        self.chunks = 0

    async def stream(
        self, seat: Seat, messages: Sequence[ChatMessage], *, seed: int | None = None
    ) -> AsyncIterator[StreamChunk]:
        async for chunk in self.inner.stream(seat, messages, seed=seed):
            if isinstance(chunk, TextDelta):
                self.chunks += 1
            yield chunk


def spec_for(base_url: str) -> DebateSpec:
    return DebateSpec(
        question="Write at length, then pick a number.",
        seats=(
            Seat(id="long", name="Long", model=f"openai/{LONG}", api_base=base_url),
            Seat(id="short", name="Short", model=f"openai/{SHORT}", api_base=base_url),
        ),
        max_rounds=1,
    )


async def debate(base_url: str, gateway: LiteLLMGateway) -> tuple[float, float, int, int]:
    """(CPU s, wall s, chunks, stored characters of the long turn) for one debate,
    recorded and shown as `roundtable run` does."""
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{folder}/bench.db")
        recorder = SavingRecorder(database)
        view = TerminalView(Console(file=io.StringIO(), width=100), show_text=True)
        counting = CountingGateway(gateway)
        finished: list[TurnFinished] = []

        def sink(event: Event) -> None:
            recorder(event)
            view(event)
            if isinstance(event, TurnFinished) and event.seat_id == "long":
                finished.append(event)

        cpu0, wall0 = time.process_time(), time.perf_counter()
        await run_debate(spec_for(base_url), counting, sink)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        view.close()
        recorder.close()
        database.close()
    return cpu, wall, counting.chunks, len(finished[0].text) if finished else 0


async def litellm_alone(base_url: str) -> tuple[float, int]:
    """(CPU s, chunks) for reading the long stream with litellm and nothing else."""
    litellm = load_litellm()
    cpu0 = time.process_time()
    response = await litellm.acompletion(
        model=f"openai/{LONG}",
        api_base=base_url,
        api_key="none",
        messages=[{"role": "user", "content": "Write at length."}],
        stream=True,
        max_retries=0,
    )
    chunks = 0
    async for _chunk in response:
        chunks += 1
    return time.process_time() - cpu0, chunks


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mb", type=float, default=2.0, help="size of the long reply")
    parser.add_argument("--chunks", type=int, default=25_000, help="chunks of the long reply")
    args = parser.parse_args()
    load_litellm()
    print(
        f"a {args.mb:g} MB reply in {args.chunks:,} chunks; {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}"
    )
    server, base_url = start_server(int(args.mb * 1_000_000), args.chunks)
    uncapped = LiteLLMGateway(reply_limit_chars=None)
    try:
        asyncio.run(debate(base_url, uncapped))  # warm-up: imports, connections, caches
        per_chunk, walls, floors = [], [], []
        for number in range(1, args.runs + 1):
            cpu, wall, chunks, stored = asyncio.run(debate(base_url, uncapped))
            floor_cpu, floor_chunks = asyncio.run(litellm_alone(base_url))
            per_chunk.append(cpu / chunks)
            walls.append(wall)
            floors.append(floor_cpu / floor_chunks)
            print(
                f"run {number}: {chunks:,} chunks, {stored:,} characters stored, CPU {cpu:.2f} s "
                f"({cpu / chunks * 1000:.3f} ms a chunk), wall {wall:.2f} s; litellm alone "
                f"{floor_cpu / floor_chunks * 1000:.3f} ms a chunk; load {os.getloadavg()[0]:.2f}"
            )
        print(
            f"median: engine CPU {statistics.median(per_chunk) * 1000:.3f} ms per streamed chunk "
            f"(target <= 0.5), litellm alone {statistics.median(floors) * 1000:.3f} ms, "
            f"debate wall {statistics.median(walls):.2f} s"
        )
    finally:
        server.terminate()
        server.wait(timeout=5)
    server, base_url = start_server(10_000_000, 100_000)
    try:
        cpu, wall, chunks, stored = asyncio.run(debate(base_url, LiteLLMGateway()))
        print(
            f"a 10 MB reply with the default cap: stopped after {chunks:,} chunks, "
            f"{stored:,} characters stored, debate wall {wall:.2f} s, CPU {cpu:.2f} s"
        )
    finally:
        server.terminate()
        server.wait(timeout=5)


if __name__ == "__main__":
    main()
