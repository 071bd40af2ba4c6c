"""Where a seat's calls go: one answer from the seat, the user's variables, or a default."""

from __future__ import annotations

import pytest

from roundtable.domain import Seat
from roundtable.providers import missing_base_problem, ollama_endpoint, seat_endpoint


def seat(model: str, **fields: object) -> Seat:
    return Seat(id="s", name="S", model=model, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("0.0.0.0", "http://127.0.0.1:11434"),
        ("0.0.0.0:11500", "http://127.0.0.1:11500"),
        ("127.0.0.1:11500", "http://127.0.0.1:11500"),
        ("https://gpu-box.lan:443", "https://gpu-box.lan:443"),
        ("[::]:11500", "http://127.0.0.1:11500"),
    ],
)
def test_ollama_host_is_read_as_ollama_reads_it(monkeypatch, value, url):
    monkeypatch.setenv("OLLAMA_HOST", value)

    assert ollama_endpoint().url == url
    assert ollama_endpoint().via == "OLLAMA_HOST"
    assert seat_endpoint(seat("ollama_chat/llama3.1")) == ollama_endpoint()


def test_litellms_own_variable_comes_before_ollamas(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:11500")
    monkeypatch.setenv("OLLAMA_API_BASE", "http://127.0.0.1:11600/")

    assert (ollama_endpoint().url, ollama_endpoint().via) == (
        "http://127.0.0.1:11600",
        "OLLAMA_API_BASE",
    )


def test_without_a_variable_ollama_is_on_its_default_port():
    assert (ollama_endpoint().url, ollama_endpoint().via) == ("http://127.0.0.1:11434", "default")


def test_the_seats_own_address_wins(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:11500")
    own = seat("ollama_chat/llama3.1", api_base="http://10.0.0.7:11434")

    endpoint = seat_endpoint(own)
    assert endpoint is not None
    assert (endpoint.url, endpoint.via) == ("http://10.0.0.7:11434", "api_base")


def test_cloud_and_demo_seats_have_no_address_of_ours(monkeypatch):
    assert seat_endpoint(seat("openai/gpt-4o")) is None
    assert seat_endpoint(seat("demo/ada")) is None
    monkeypatch.setenv("OPENAI_API_BASE", "http://127.0.0.1:4000/v1")
    endpoint = seat_endpoint(seat("openai/gpt-4o"))
    assert endpoint is not None
    assert endpoint.via == "OPENAI_API_BASE"


def test_a_proxy_seat_without_an_address_is_refused_with_the_variable(monkeypatch):
    proxied = Seat(id="p", name="Proxied", model="litellm_proxy/gpt-4o")

    problem = missing_base_problem(proxied)

    assert problem is not None
    assert "Seat 'Proxied' (litellm_proxy/gpt-4o) has no address" in problem
    assert "set LITELLM_PROXY_API_BASE" in problem
    monkeypatch.setenv("LITELLM_PROXY_API_BASE", "http://127.0.0.1:4000")
    assert missing_base_problem(proxied) is None
    assert missing_base_problem(seat("openai/gpt-4o")) is None
