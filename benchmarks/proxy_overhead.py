"""The team gateway's cost: what a real LiteLLM proxy adds to each call, and to a round.

A real proxy (`litellm[proxy]` from .venv-proxy, `make proxy-venv`) on loopback routes
to the loopback OpenAI-compatible server; every call goes through the real litellm
path of Roundtable's gateway (`LiteLLMGateway.stream`). Prints:

- per call, direct vs through the proxy (a server that answers at once, so the
  difference is the proxy's): the median and 90th percentile of the whole turn and
  of the first token over `--calls` calls each, interleaved, and the median added;
- fan-out through the proxy: 5 seats x 3 rounds on a server with 300 ms to first
  token and 20 ms per token, wall / critical path (the sum over rounds of the slowest
  turn; 1.00 is ideal), beside the same debate direct.

Usage: .venv/bin/python benchmarks/proxy_overhead.py [--calls 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fanout import one_run, start_server  # noqa: E402

from roundtable.domain import (  # noqa: E402
    ChatMessage,
    Seat,
    TextDelta,
)
from roundtable.providers import LiteLLMGateway, load_litellm  # noqa: E402
from tests.helpers.litellm_proxy import LiteLLMProxy  # noqa: E402

MASTER_KEY = "sk-bench-gateway-0123456789"
SEATS, ROUNDS = 5, 3


async def one_call(gateway: LiteLLMGateway, seat: Seat) -> tuple[float, float]:
    """(whole turn, first token) in seconds, as the table would wait for them."""
    started = time.perf_counter()
    first = None
    async for chunk in gateway.stream(seat, [ChatMessage("user", "What is 6 times 7?")]):
        if first is None and isinstance(chunk, TextDelta):
            first = time.perf_counter() - started
    return time.perf_counter() - started, first or 0.0


async def latencies(direct: Seat, proxied: Seat, calls: int) -> dict[str, list[float]]:
    gateway = LiteLLMGateway()
    for seat in (direct, proxied):  # warm: connections, litellm's first-call set-up
        await one_call(gateway, seat)
    out: dict[str, list[float]] = {"direct": [], "proxy": [], "direct_ttft": [], "proxy_ttft": []}
    for _ in range(calls):  # interleaved, so a busy moment of the machine hits both
        for name, seat in (("direct", direct), ("proxy", proxied)):
            whole, first = await one_call(gateway, seat)
            out[name].append(whole)
            out[f"{name}_ttft"].append(first)
    return out


def _ms(values: list[float], q: float = 0.5) -> str:
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load_litellm()
    os.environ["LITELLM_PROXY_API_KEY"] = MASTER_KEY
    fast, fast_url = start_server(0.0, 0.0, 0)
    slow, slow_url = start_server(0.3, 0.02, 75)
    models = [
        {"model_name": "bench", "litellm_params": {"model": "openai/fake-gpt", "api_base": fast_url,
                                                   "api_key": "none"}},
        *(
            {"model_name": f"answer-{i}", "litellm_params": {
                "model": f"openai/answer-{i}", "api_base": slow_url, "api_key": "none"}}
            for i in range(1, SEATS + 1)
        ),
    ]  # fmt: skip
    try:
        with LiteLLMProxy(models, master_key=MASTER_KEY) as proxy:
            print(
                f"LiteLLM proxy started in {proxy.started_in_s:.1f} s; {os.cpu_count()} cores, "
                f"load average {os.getloadavg()[0]:.1f}"
            )
            direct = Seat(id="d", name="Direct", model="openai/fake-gpt", api_base=fast_url)
            proxied = Seat(id="p", name="Proxy", model="litellm_proxy/bench", api_base=proxy.url)
            found = asyncio.run(latencies(direct, proxied, args.calls))
            added = statistics.median(found["proxy"]) - statistics.median(found["direct"])
            print(f"{args.calls} calls each, a server that answers at once:")
            for name in ("direct", "proxy"):
                print(
                    f"  {name:6}: turn median {_ms(found[name])} ms, p90 "
                    f"{_ms(found[name], 0.9)} ms; first token median "
                    f"{_ms(found[f'{name}_ttft'])} ms"
                )
            print(f"  added by the proxy: {added * 1000:.1f} ms per call (median)")
            print(f"fan-out, {SEATS} seats x {ROUNDS} rounds, ttft 300 ms, 20 ms/token:")
            for label, prefix, base in (
                ("direct", "openai", slow_url),
                ("proxy", "litellm_proxy", proxy.url),
            ):
                asyncio.run(one_run(base, SEATS, ROUNDS, prefix=prefix))  # warm-up
                runs = [asyncio.run(one_run(base, SEATS, ROUNDS, prefix=prefix))
                        for _ in range(args.runs)]  # fmt: skip
                ratios = [wall / critical for wall, critical, _, _ in runs]
                shown = ", ".join(f"{r:.3f}" for r in ratios)
                print(f"  {label:6}: wall/critical path median {statistics.median(ratios):.3f} "
                      f"({shown})")  # fmt: skip
    finally:
        for server in (fast, slow):
            server.terminate()
            server.wait(timeout=5)


if __name__ == "__main__":
    main()
