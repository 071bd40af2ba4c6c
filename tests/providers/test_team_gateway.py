"""The team gateway setting: where a `litellm_proxy/` seat goes, which key goes with it,
the gateway's models and prices, and its budget refusals in its own words."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import BadResponse, ConfigError, RateLimited, Seat
from roundtable.domain.panel import parse_panel
from roundtable.domain.pricing import GATEWAY_PRICE, Price
from roundtable.providers import (
    discover,
    lookup_api_key,
    missing_key_problem,
    seat_endpoint,
    seat_price,
)
from roundtable.providers.team_gateway import (
    SETTING_VIA,
    gateway_url,
    save_gateway_url,
    saved_gateway_url,
)
from tests.fakes.openai_server import FakeOpenAIServer, Fault
from tests.providers.conftest import take_turn

MASTER_KEY = "sk-team-virtual-key-0123456789"
#: USD per token, as a proxy's /model/info gives them: $2 / $8 per million.
TEAM_PRICES = {"team-gpt": (2e-6, 8e-6)}


def test_a_gateway_seat_without_an_address_goes_to_the_saved_gateway():
    seat = Seat(id="s", name="GPT", model="litellm_proxy/team-gpt")
    assert seat_endpoint(seat) is None

    save_gateway_url("10.0.0.5:4000/")

    endpoint = seat_endpoint(seat)
    assert endpoint is not None
    assert (endpoint.url, endpoint.via) == ("http://10.0.0.5:4000", SETTING_VIA)
    assert "Settings › Team gateway" in endpoint.described()


def test_the_variable_wins_over_the_saved_gateway(monkeypatch):
    save_gateway_url("http://10.0.0.5:4000")
    monkeypatch.setenv("LITELLM_PROXY_API_BASE", "http://127.0.0.1:4000")

    assert gateway_url() == ("http://127.0.0.1:4000", "LITELLM_PROXY_API_BASE")


def test_forgetting_the_gateway_and_refusing_a_bad_address():
    save_gateway_url("http://10.0.0.5:4000")
    save_gateway_url("")
    assert saved_gateway_url() is None
    with pytest.raises(ConfigError, match="not an http"):
        save_gateway_url("ftp://10.0.0.5")


def test_the_virtual_key_goes_to_the_teams_gateway_on_the_network_and_nowhere_else(
    monkeypatch,
):
    monkeypatch.setenv("LITELLM_PROXY_API_KEY", MASTER_KEY)
    on_gateway = Seat(
        id="s", name="GPT", model="litellm_proxy/team-gpt", api_base="http://10.0.0.5:4000/v1"
    )
    elsewhere = Seat(
        id="t", name="GPT", model="litellm_proxy/team-gpt", api_base="http://10.0.0.9:4000/v1"
    )
    assert lookup_api_key(on_gateway) is None  # no gateway named yet: not sent

    save_gateway_url("http://10.0.0.5:4000")

    assert lookup_api_key(on_gateway) == MASTER_KEY
    assert lookup_api_key(elsewhere) is None


def test_a_panel_seat_pointing_elsewhere_never_gets_the_virtual_key(monkeypatch):
    monkeypatch.setenv("LITELLM_PROXY_API_KEY", MASTER_KEY)
    save_gateway_url("https://llm.team.example")
    ours = Seat(id="s", name="GPT", model="litellm_proxy/team-gpt")
    theirs = Seat(
        id="t", name="GPT", model="litellm_proxy/team-gpt", api_base="https://llm.other.example"
    )

    assert lookup_api_key(ours) == MASTER_KEY
    assert lookup_api_key(theirs) is None
    problem = missing_key_problem(theirs)
    assert problem is not None
    assert "https://llm.other.example is not the team gateway's" in problem


def test_a_shared_panel_file_uses_each_persons_gateway_and_key(monkeypatch):
    panel = parse_panel('[[seat]]\nname = "Team GPT"\nmodel = "litellm_proxy/team-gpt"\n')
    [seat] = panel.seats
    monkeypatch.setenv("LITELLM_PROXY_API_KEY", MASTER_KEY)
    save_gateway_url("http://10.0.0.5:4000")

    endpoint = seat_endpoint(seat)
    assert endpoint is not None
    assert endpoint.url == "http://10.0.0.5:4000"
    assert lookup_api_key(seat) == MASTER_KEY


def test_the_gateways_models_and_prices_are_listed_and_priced_afterwards(monkeypatch):
    monkeypatch.setenv("LITELLM_PROXY_API_KEY", MASTER_KEY)
    with FakeOpenAIServer.like_litellm_proxy(MASTER_KEY, models=["team-gpt", "team-free"]) as proxy:
        proxy.model_info = dict(TEAM_PRICES)
        save_gateway_url(proxy.url)
        found = discover(probe_local=True)

    by_id = {m.id: m for m in found.models}
    team = by_id["litellm_proxy/team-gpt"]
    assert (team.source, team.found_via, team.key_present) == ("gateway", SETTING_VIA, True)
    assert team.price == Price(2.0, 8.0, GATEWAY_PRICE)
    assert by_id["litellm_proxy/team-free"].price is None  # the proxy gave no price
    # `roundtable models` shows the price beside the model.
    with FakeOpenAIServer.like_litellm_proxy(MASTER_KEY, models=["team-gpt"]) as proxy:
        proxy.model_info = dict(TEAM_PRICES)
        save_gateway_url(proxy.url)
        table = CliRunner().invoke(app, ["models"], env={"COLUMNS": "200"})
    [row] = [line for line in table.stdout.splitlines() if "litellm_proxy/team-gpt" in line]
    assert "$2.00 / $8.00" in row
    # Later (another process: the estimate of `roundtable run`, the app's), the price
    # is known without asking the proxy again.
    seat = Seat(id="s", name="GPT", model="litellm_proxy/team-gpt")
    assert seat_price(seat) == Price(2.0, 8.0, GATEWAY_PRICE)


async def test_a_spent_budget_is_said_in_the_proxys_words_and_not_retried(
    server, gateway, monkeypatch
):
    words = "ExceededBudget: Key=ab12 over budget. Spend=0.52, Budget=0.5"
    server.enqueue("team-gpt", Fault.http(422, message=words))
    monkeypatch.setenv("LITELLM_PROXY_API_BASE", server.url)
    seat = Seat(id="s", name="GPT", model="litellm_proxy/team-gpt")

    with pytest.raises(RateLimited) as raised:
        await take_turn(gateway, seat)

    message = str(raised.value)
    assert f"the team gateway (LiteLLM proxy at {server.url}) refused" in message
    assert "a budget is spent" in message
    assert "over budget. Spend=0.52, Budget=0.5" in message
    assert not raised.value.retryable
    assert len(server.requests_for("team-gpt")) == 1


async def test_a_gateway_call_without_the_virtual_key_says_where_to_put_it(gateway, monkeypatch):
    with FakeOpenAIServer.like_litellm_proxy(MASTER_KEY) as proxy:
        save_gateway_url(proxy.url)
        seat = Seat(id="s", name="GPT", model="litellm_proxy/team-gpt")
        with pytest.raises(BadResponse) as raised:  # as the proxy says: 400
            await take_turn(gateway, seat)

    message = str(raised.value)
    assert 'it said: "No connected db"' in message
    assert "no virtual key was sent: save yours in Settings › Team gateway" in message


def test_a_budget_run_asks_the_gateway_its_prices_before_refusing_it(monkeypatch, tmp_path):
    with FakeOpenAIServer.like_litellm_proxy(MASTER_KEY, models=["team-gpt"]) as proxy:
        proxy.model_info = dict(TEAM_PRICES)
        env = {"LITELLM_PROXY_API_BASE": proxy.url, "LITELLM_PROXY_API_KEY": MASTER_KEY}
        estimate = CliRunner().invoke(
            app,
            ["run", "What is 6*7?", "--seat", "litellm_proxy/team-gpt", "--seat",
             "litellm_proxy/team-gpt", "--budget", "1", "--estimate", "--json",
             "--db", str(tmp_path / "t.db")],
            env=env,
        )  # fmt: skip

    assert estimate.exit_code == 0, estimate.output
    shown = json.loads(estimate.stdout)
    assert shown["budget_problem"] is None  # no gateway listing ran before: it was asked
    assert {
        (p["in_per_mtok"], p["out_per_mtok"], p["source"]) for p in shown["prices"].values()
    } == {(2.0, 8.0, GATEWAY_PRICE)}
