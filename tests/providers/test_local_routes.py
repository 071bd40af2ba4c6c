"""A LiteLLM proxy and Ollama where the user's variables say, through the real litellm
path: the key goes where the user set it, a refusal says what the server said, and
OLLAMA_HOST is honoured by a debate as by `models`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from roundtable.domain import BadResponse, Seat
from tests.fakes.openai_server import FakeOpenAIServer, Fault, Reply
from tests.providers.conftest import take_turn

MASTER_KEY = "sk-proxy-master-0123456789"


@pytest.fixture
def proxy() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer.like_litellm_proxy(MASTER_KEY) as fake:
        yield fake


@pytest.fixture
def ollama() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(models=("llama3.1",), speaks_ollama=True) as fake:
        yield fake


async def test_the_readmes_proxy_route_sends_the_users_key(proxy, gateway, monkeypatch):
    monkeypatch.setenv("OPENAI_API_BASE", proxy.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", MASTER_KEY)
    proxy.enqueue("gpt-4o", Reply("Final answer: 42"))
    # As `run` builds it: the address from OPENAI_API_BASE is copied onto the seat.
    seat = Seat(id="g", name="GPT", model="openai/gpt-4o", api_base=proxy.base_url)

    turn = await take_turn(gateway, seat)

    assert turn.text == "Final answer: 42"
    assert proxy.request_headers[0]["authorization"] == f"Bearer {MASTER_KEY}"


async def test_a_refusal_with_no_key_says_what_the_server_said_and_which_key_to_set(
    proxy, gateway, monkeypatch
):
    monkeypatch.setenv("OPENAI_API_BASE", proxy.base_url)
    seat = Seat(id="g", name="GPT", model="openai/gpt-4o", api_base=proxy.base_url)

    with pytest.raises(BadResponse) as caught:
        await take_turn(gateway, seat)

    message = str(caught.value)
    assert "rejected the request (400)" in message
    assert 'it said: "No connected db"' in message
    assert "no key was sent (OPENAI_API_KEY is not set): set it to the server's key" in message


async def test_a_wrong_key_is_named_as_the_one_sent(proxy, gateway, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-not-the-master-key-000")
    seat = Seat(id="g", name="GPT", model="openai/gpt-4o", api_base=proxy.base_url)

    with pytest.raises(BadResponse) as caught:
        await take_turn(gateway, seat)

    message = str(caught.value)
    assert "check OPENAI_API_KEY: it holds the key sent to this server" in message
    assert "sk-not-the-master-key" not in message


async def test_the_litellm_proxy_route_goes_where_its_variables_say(proxy, gateway, monkeypatch):
    monkeypatch.setenv("LITELLM_PROXY_API_BASE", proxy.url)
    monkeypatch.setenv("LITELLM_PROXY_API_KEY", MASTER_KEY)
    proxy.enqueue("claude-sonnet", Reply("Final answer: 7"))

    turn = await take_turn(gateway, Seat(id="c", name="C", model="litellm_proxy/claude-sonnet"))

    assert turn.text == "Final answer: 7"
    assert proxy.requests_for("claude-sonnet")


async def test_ollama_is_called_where_ollama_host_says(ollama, gateway, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", f"0.0.0.0:{ollama.port}")  # as Ollama reads it
    ollama.enqueue("llama3.1", Reply("Six sevens are 42.\nFinal answer: 42"))

    turn = await take_turn(gateway, Seat(id="l", name="Llama", model="ollama_chat/llama3.1"))

    assert turn.text == "Six sevens are 42.\nFinal answer: 42"
    assert turn.complete.finish_reason == "stop"
    assert ollama.requests_for("llama3.1")


async def test_a_model_ollama_lacks_is_named_in_its_words_with_the_pull_to_run(
    ollama, gateway, monkeypatch
):
    monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{ollama.port}")
    missing = 'model "qwen3" not found, try pulling it first'
    ollama.enqueue("qwen3", Fault.http(404, message=missing))

    with pytest.raises(BadResponse) as caught:
        await take_turn(gateway, Seat(id="q", name="Qwen", model="ollama_chat/qwen3"))

    message = str(caught.value)
    assert f'(it said: "{missing}")' in message  # its words, not its JSON
    assert "pull it first (ollama pull qwen3)" in message
