"""Through a real LiteLLM proxy (the team gateway) on loopback, routing to the loopback
server: its models and prices listed, a debate and an evaluation run through it at the
cost it reports, and its budget and rate-limit refusals said in its own words while the
other seats go on.

The proxy runs from `.venv-proxy` (`make test` builds it; tests/helpers/litellm_proxy.py).
It starts once for the module: a cold start takes ~15-35 s on two cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import metadata

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import RateLimited, Seat
from roundtable.providers import seat_price
from tests.fakes.openai_server import FakeOpenAIServer
from tests.helpers.litellm_proxy import ROOT, LiteLLMProxy, proxy_command
from tests.providers.conftest import take_turn

pytestmark = pytest.mark.slow

MASTER_KEY = "sk-team-gateway-0123456789"
#: USD per token the gateway charges for team-gpt: $2 / $8 per million.
GPT_RATES = (2e-6, 8e-6)


def _model(name: str, upstream: str, base: str, **params: object) -> dict[str, object]:
    return {
        "model_name": name,
        "litellm_params": {"model": f"openai/{upstream}", "api_base": base, "api_key": "none"}
        | params,
    }


@pytest.fixture(scope="module")
def upstream() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture(scope="module")
def proxy(upstream: FakeOpenAIServer) -> Iterator[LiteLLMProxy]:
    if proxy_command() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must test the real LiteLLM proxy: `make test` builds .venv-proxy")
        pytest.skip("no LiteLLM proxy venv: `make proxy-venv` builds it")
    base = upstream.base_url
    prices = {"input_cost_per_token": GPT_RATES[0], "output_cost_per_token": GPT_RATES[1]}
    models = [
        _model("team-gpt", "fake-gpt", base, **prices),
        _model("team-seven", "answer-7", base, **prices),
        # Spent after one call: $0.001 a token against a $0.01 budget, in memory.
        _model(
            "capped", "capped-upstream", base,
            input_cost_per_token=1e-3, output_cost_per_token=1e-3,
            max_budget=0.01, budget_duration="1d",
        ),
        _model("busy", "fail-429", base),  # the provider behind the proxy says 429
        _model("one-a-minute", "fake-gpt", base, rpm=1),  # the proxy's own rate limit
    ]  # fmt: skip
    # This strategy enforces a model's rpm (the default one does not); models without
    # one are not limited.
    routing = {"routing_strategy": "usage-based-routing-v2"}
    with LiteLLMProxy(models, master_key=MASTER_KEY, router_settings=routing) as started:
        yield started


@pytest.fixture
def team_env(proxy: LiteLLMProxy, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {"LITELLM_PROXY_API_BASE": proxy.url, "LITELLM_PROXY_API_KEY": MASTER_KEY}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def run(*args: str, env: dict[str, str]):  # type: ignore[no-untyped-def]
    command = ["run", "What is 6*7?", "--rounds", "1", "--json", *args]
    return CliRunner().invoke(app, command, env=env)


def test_the_proxy_runs_the_litellm_we_pin(proxy):
    answer = proxy.post_chat("team-gpt")

    assert answer.status_code == 200, answer.text
    assert answer.headers["x-litellm-version"] == metadata.version("litellm")


def test_models_lists_the_gateways_models_with_its_prices(team_env):
    listed = CliRunner().invoke(app, ["models", "--json"], env=team_env)

    assert listed.exit_code == 0, listed.output
    models = {m["id"]: m for m in json.loads(listed.stdout)["models"]}
    gpt = models["litellm_proxy/team-gpt"]
    assert (gpt["source"], gpt["found_via"], gpt["key_present"]) == (
        "gateway",
        "LITELLM_PROXY_API_BASE",
        True,
    )
    assert gpt["price"] == {"in_per_mtok": 2.0, "out_per_mtok": 8.0}
    assert models["litellm_proxy/busy"]["price"] is None  # the proxy gave none
    # The estimate of a later `run` now knows the gateway's price.
    assert seat_price(Seat(id="a", name="A", model="litellm_proxy/team-gpt")) is not None


def test_a_debate_through_the_gateway_costs_what_the_proxy_reports(team_env, upstream, tmp_path):
    seat = Seat(id="a", name="A", model="litellm_proxy/team-gpt")
    assert seat_price(seat) is None  # the gateway was never listed: we know no price
    before = len(upstream.requests)

    result = run(
        "--seat", "A=litellm_proxy/team-gpt", "--seat", "B=litellm_proxy/team-gpt",
        "--db", str(tmp_path / "t.db"), env=team_env,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    debate = json.loads(result.stdout)
    assert (debate["status"], debate["final_answer"]) == ("finished", "42")
    assert [turn["status"] for turn in debate["rounds"][0]] == ["done", "done"]
    assert len(upstream.requests) == before + 2  # through the proxy to the server
    usage = debate["usage"]
    charged = usage["prompt_tokens"] * GPT_RATES[0] + usage["completion_tokens"] * GPT_RATES[1]
    assert usage["cost_usd"] == pytest.approx(charged)
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("t.db*"))
    assert MASTER_KEY.encode() not in stored  # the virtual key never reaches the database


def test_an_evaluation_runs_through_the_gateway(team_env, tmp_path):
    questions = [{"id": f"q{n}", "question": f"Question {n}?", "answer": "42"} for n in (1, 2, 3)]
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text("".join(json.dumps(q) + "\n" for q in questions), encoding="utf-8")
    env = os.environ | team_env | {"ROUNDTABLE_DB": str(tmp_path / "eval.db"), "COLUMNS": "160"}

    result = subprocess.run(
        [sys.executable, "-m", "roundtable", "eval", str(tasks),
         "--seat", "Gpt=litellm_proxy/team-gpt", "--seat", "Seven=litellm_proxy/team-seven",
         "--rounds", "1", "--baselines", "seats", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    alone = {m["label"]: m for m in report["methods"]}
    assert alone["Gpt alone"]["accuracy"]["successes"] == 3
    assert alone["Seven alone"]["accuracy"]["successes"] == 0
    assert report["usage"]["cost_usd"] > 0  # as the proxy reported it


def test_a_spent_budget_fails_its_seat_in_the_proxys_words_and_the_table_goes_on(
    proxy, upstream, team_env, tmp_path
):
    assert proxy.post_chat("capped").status_code == 200  # spends the whole budget
    deadline = time.monotonic() + 30  # the proxy books the spend just after answering
    while proxy.post_chat("capped").status_code != 429:
        assert time.monotonic() < deadline, "the proxy never enforced the model's budget"
        time.sleep(0.2)
    spent = len(upstream.requests_for("capped-upstream"))

    result = run(
        "--seat", "Capped=litellm_proxy/capped", "--seat", "A=litellm_proxy/team-gpt",
        "--seat", "B=litellm_proxy/team-gpt", "--db", str(tmp_path / "t.db"), env=team_env,
    )  # fmt: skip

    debate = json.loads(result.stdout)
    assert (debate["status"], debate["final_answer"]) == ("finished", "42"), result.output
    capped, *others = debate["rounds"][0]
    assert [turn["status"] for turn in others] == ["done", "done"]
    assert capped["status"] == "failed"
    assert f"the team gateway (LiteLLM proxy at {proxy.url}) refused" in capped["error"]
    assert "a budget is spent" in capped["error"]
    assert "crossed budget" in capped["error"]  # the proxy's own words
    assert len(upstream.requests_for("capped-upstream")) == spent  # refused, not retried


async def test_a_rate_limit_behind_the_gateway_is_said_in_the_proxys_words(
    proxy, team_env, gateway
):
    seat = Seat(id="b", name="Busy", model="litellm_proxy/busy")

    with pytest.raises(RateLimited) as raised:
        await take_turn(gateway, seat)

    message = str(raised.value)
    assert f"rate limited by the team gateway (LiteLLM proxy at {proxy.url})" in message
    assert "(it said:" in message
    assert MASTER_KEY not in message


async def test_the_proxys_own_rate_limit_is_said_in_its_words(proxy, team_env, gateway, sleep):
    assert proxy.post_chat("one-a-minute").status_code == 200  # this minute's one request
    seat = Seat(id="m", name="Minute", model="litellm_proxy/one-a-minute")

    with pytest.raises(RateLimited) as raised:
        await take_turn(gateway, seat)

    message = str(raised.value)
    assert f"rate limited by the team gateway (LiteLLM proxy at {proxy.url})" in message
    assert "No deployments available for selected model" in message  # the proxy's words
    assert raised.value.retryable  # a rate limit passes: the seat tried again
    assert sleep.delays
