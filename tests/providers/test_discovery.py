"""Checking model ids, and finding the models a user can seat."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from roundtable.domain import ConfigError
from roundtable.providers import adiscover, check_model_id, discover, list_models
from roundtable.providers.discovery import discover_ollama
from tests.fakes.openai_server import FakeOpenAIServer
from tests.providers.conftest import NEVER_S


@pytest.mark.parametrize(
    "model",
    [
        "openai/gpt-4o",
        "anthropic/claude-sonnet-4-5",
        "ollama_chat/llama3.1:8b",
        "openrouter/meta-llama/llama-3.3-70b-instruct",
        "demo/ada",
    ],
)
def test_good_model_ids_pass(model):
    check_model_id(model, consult_litellm=False)


@pytest.mark.parametrize(
    ("model", "advice"),
    [
        ("", "empty"),
        ("gpt-4o", "write it as 'openai/gpt-4o'"),
        ("claude-haiku-4-5", "'anthropic/claude-haiku-4-5'"),
        ("openai/gpt 4o", "spaces"),
        ("openai/", "malformed"),
        ("/gpt-4o", "malformed"),
        ("OpenAI/gpt-4o", "write 'openai/gpt-4o'"),
        ("opneai/gpt-4o", "Did you mean 'openai/gpt-4o'?"),
    ],
)
def test_bad_model_ids_are_refused_with_the_fix(model, advice):
    with pytest.raises(ConfigError) as caught:
        check_model_id(model, consult_litellm=False)
    assert advice in str(caught.value)


def test_an_unknown_prefix_mentions_openai_compatible_servers():
    with pytest.raises(ConfigError, match="openai/<model>"):
        check_model_id("mylab/llama", consult_litellm=False)


def test_configured_providers_offer_models_only_with_a_key(monkeypatch):
    assert not [m for m in list_models(probe_local=False) if m.source == "configured"]

    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    found = list_models(probe_local=False)

    configured = [m for m in found if m.source == "configured"]
    assert configured
    assert {m.provider for m in configured} == {"anthropic"}
    assert "anthropic/claude-sonnet-4-5" in [m.id for m in configured]
    assert all(m.needs_key and m.key_present and m.ready for m in configured)


def test_unconfigured_providers_can_be_listed_as_not_ready():
    found = list_models(probe_local=False, include_unconfigured=True)

    openai = [m for m in found if m.provider == "openai"]
    assert openai
    assert not any(m.ready for m in openai)


def test_demo_models_are_always_offered_and_labelled_simulated():
    demo = [m for m in list_models(probe_local=False) if m.source == "demo"]

    assert "demo/ada" in [m.id for m in demo]
    assert all("simulated" in m.label for m in demo)
    assert all(m.ready for m in demo)


@pytest.mark.parametrize("suffix", ["", "/v1", "/v1/"])
def test_an_openai_compatible_server_lists_its_models(suffix):
    with FakeOpenAIServer(models=("qwen2.5-7b", "llama-3.1-8b")) as fake:
        found = list_models([fake.url + suffix], probe_local=False)

    served = [m for m in found if m.source == "server"]
    assert [m.id for m in served] == ["openai/qwen2.5-7b", "openai/llama-3.1-8b"]
    assert all(m.api_base == fake.base_url for m in served)
    assert all(m.ready for m in served)


async def test_absent_servers_are_left_out_of_the_models_and_fast():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with FakeOpenAIServer(models=("fake-gpt",)) as fake:
        # A closed port refuses at once: it must not cost the minute the list allows.
        async with asyncio.timeout(NEVER_S / 2):
            found = await adiscover(
                [f"http://127.0.0.1:{port}", fake.base_url, f"127.0.0.1:{port}/v1"],
                probe_local=False,
                timeout_s=NEVER_S,
            )

    assert [m.id for m in found.models if m.source == "server"] == ["openai/fake-gpt"]
    assert [check.problem for check in found.failed] == ["connection refused"] * 2


async def test_ollama_models_are_offered_as_ollama_chat():
    def tags(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/api/tags"
        return httpx.Response(
            200, json={"models": [{"name": "llama3.1:latest"}, {"name": "qwen2.5:7b"}]}
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(tags)) as client:
        found = await discover_ollama(client, "http://127.0.0.1:11434")

    assert [m.id for m in found] == ["ollama_chat/llama3.1", "ollama_chat/qwen2.5:7b"]
    assert all(m.source == "ollama" and not m.needs_key for m in found)
    assert all(m.api_base == "http://127.0.0.1:11434" for m in found)


async def test_ollama_not_running_gives_no_models():
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(refused)) as client:
        assert await discover_ollama(client, "http://127.0.0.1:11434") == []


def test_ollama_is_looked_for_where_ollama_host_says(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("OLLAMA_HOST", f"0.0.0.0:{port}")

    from roundtable.providers.discovery import ollama_url

    assert ollama_url() == f"http://127.0.0.1:{port}"


def test_a_named_server_that_refuses_is_reported_not_just_left_out():
    from tests.providers.conftest import dead_url

    url = dead_url()

    found = discover([url], probe_local=False)

    [check] = found.servers
    assert (check.url, check.via, check.problem, check.absent) == (
        url,
        "--server",
        "connection refused",
        True,
    )
    assert found.failed == [check]


def test_a_server_that_answers_500_is_reported_with_its_status():
    with FakeOpenAIServer.like_litellm_proxy("sk-master-key-0123") as proxy:
        found = discover([proxy.base_url], probe_local=False)

    [check] = found.failed
    assert check.problem == "answered HTTP 500 Internal Server Error"
    assert not check.sent_key


def test_a_server_on_this_machine_is_asked_with_the_key_the_user_set(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-master-key-0123")
    with FakeOpenAIServer.like_litellm_proxy("sk-master-key-0123", models=["gpt-4o"]) as proxy:
        found = discover([proxy.base_url], probe_local=False)

    assert found.failed == []
    [model] = [m for m in found.models if m.source == "server"]
    assert (model.id, model.found_via, model.key_present) == ("openai/gpt-4o", "--server", True)


def test_ollama_and_a_litellm_proxy_are_found_where_their_variables_say(monkeypatch):
    with (
        FakeOpenAIServer(models=("llama3.1",), speaks_ollama=True) as ollama,
        FakeOpenAIServer.like_litellm_proxy("sk-master-key-0123", models=["claude"]) as proxy,
    ):
        monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{ollama.port}")
        monkeypatch.setenv("LITELLM_PROXY_API_BASE", proxy.url)
        monkeypatch.setenv("LITELLM_PROXY_API_KEY", "sk-master-key-0123")
        found = discover()

    by_id = {m.id: m for m in found.models}
    llama = by_id["ollama_chat/llama3.1"]
    assert (llama.found_via, llama.api_base) == ("OLLAMA_HOST", ollama.url)
    claude = by_id["litellm_proxy/claude"]
    assert (claude.found_via, claude.api_base) == ("LITELLM_PROXY_API_BASE", proxy.base_url)
    labels = {check.label: check for check in found.servers}
    assert labels["Ollama"].ok
    assert labels["LiteLLM proxy"].ok
    # Nothing on LM Studio's default port here: not running is not a failure.
    assert found.failed == []
