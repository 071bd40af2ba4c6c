"""Which server a seat's requests go to, and how many it takes at once by default."""

from __future__ import annotations

import pytest

from roundtable.domain import Seat
from roundtable.domain.concurrency import ServerLimit
from roundtable.providers.server_routes import seat_server


def seat(model: str, api_base: str | None = None) -> Seat:
    return Seat(id="s", name="S", model=model, api_base=api_base)


@pytest.mark.parametrize(
    ("who", "key", "limit"),
    [
        (seat("openai/llama", "http://127.0.0.1:8080/v1"), "http://localhost:8080", 1),
        (seat("openai/llama", "http://192.168.1.20:8000/v1"), "http://192.168.1.20:8000", 1),
        (seat("ollama_chat/llama3.1"), "http://localhost:11434", 1),
        (seat("lm_studio/qwen"), "http://localhost:1234", 1),
        (seat("openai/gpt-4o"), "openai", None),
        (seat("anthropic/claude-sonnet-4-5"), "anthropic", None),
        (seat("openai/gpt-4o", "https://api.example.com/v1"), "https://api.example.com:443", None),
        # Built to serve many at once, though at home: a LiteLLM proxy, vLLM, the demo.
        (seat("litellm_proxy/gpt-4o", "http://127.0.0.1:4000"), "http://localhost:4000", None),
        (seat("hosted_vllm/llama", "http://127.0.0.1:8000/v1"), "http://localhost:8000", None),
        (seat("demo/ada"), "demo", None),
    ],
)
def test_a_local_server_takes_one_request_at_a_time_and_a_hosted_one_any(
    monkeypatch, who, key, limit
):
    for var in ("OLLAMA_HOST", "OLLAMA_API_BASE", "LM_STUDIO_API_BASE", "OPENAI_API_BASE"):
        monkeypatch.delenv(var, raising=False)
    server = seat_server(who)
    assert (server.key, server.concurrency, server.chosen) == (key, limit, False)


def test_the_user_limit_wins_and_an_address_from_a_variable_counts(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "0.0.0.0:11500")
    ollama = seat("ollama_chat/llama3.1")
    assert seat_server(ollama).key == "http://localhost:11500"
    limits = (ServerLimit("http://localhost:11500", 2),)
    server = seat_server(ollama, limits)
    assert (server.label, server.concurrency, server.chosen) == ("localhost:11500", 2, True)
    hosted = seat_server(seat("anthropic/claude-haiku-4-5"), (ServerLimit("anthropic", 3),))
    assert (hosted.label, hosted.concurrency) == ("anthropic", 3)
