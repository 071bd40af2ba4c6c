"""The pre-flight check: unreachable servers are named before a debate starts."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from roundtable.domain import Seat
from roundtable.providers import check_reachable, find_unreachable, server_url
from tests.helpers.clock import run_in_virtual_time
from tests.providers.conftest import dead_url


def seat(name: str, model: str = "openai/llama", **fields: object) -> Seat:
    return Seat(id=name.lower(), name=name, model=model, **fields)  # type: ignore[arg-type]


def test_a_running_server_passes_without_being_sent_a_request(server):
    seats = [seat("A", api_base=server.base_url), seat("B", api_base=server.base_url)]

    assert check_reachable(seats) == []
    assert server.requests == []  # a TCP handshake only: nothing billed, nothing logged


def test_a_refused_connection_names_the_server_and_every_seat_on_it():
    url = dead_url()
    seats = [seat("Llama", api_base=url), seat("Qwen", api_base=url), seat("Ada", "demo/ada")]

    [found] = check_reachable(seats)

    assert (found.url, found.seats, found.reason) == (url, ("Llama", "Qwen"), "connection refused")
    assert found.message.startswith(f"Cannot reach the server at {url} (connection refused)")
    assert "seats 'Llama', 'Qwen'" in found.message
    assert "Is the server running?" in found.message


def test_an_unknown_host_is_named():
    url = "http://no-such-host.invalid:8080/v1"  # .invalid never resolves (RFC 6761)

    [found] = check_reachable([seat("Remote", api_base=url)], timeout_s=5.0)

    assert found.reason == "unknown host 'no-such-host.invalid'"
    assert url in found.message


def test_an_address_that_is_not_a_url_is_named():
    [found] = check_reachable([seat("Typo", api_base="localhost:8080")])

    assert found.reason == "not an http:// or https:// address"
    assert "localhost:8080" in found.message


def test_local_providers_are_checked_at_their_default_or_configured_address(monkeypatch):
    url = dead_url()
    monkeypatch.setenv("OLLAMA_API_BASE", url)
    ollama = seat("Llama", "ollama_chat/llama3.1")

    assert server_url(ollama) == url
    [found] = check_reachable([ollama])
    assert found.message.startswith(f"Cannot reach Ollama at {url}")

    monkeypatch.delenv("OLLAMA_API_BASE")
    assert server_url(ollama) == "http://127.0.0.1:11434"
    assert server_url(seat("Studio", "lm_studio/qwen")) == "http://127.0.0.1:1234/v1"


def test_ollama_is_checked_where_ollama_host_says_and_the_message_names_it(monkeypatch):
    url = dead_url()  # http://127.0.0.1:PORT/v1
    port = url.rsplit(":", 1)[1].split("/")[0]
    monkeypatch.setenv("OLLAMA_HOST", f"0.0.0.0:{port}")

    [found] = check_reachable([seat("Llama", "ollama_chat/llama3.1")])

    assert found.url == f"http://127.0.0.1:{port}"
    assert "(set by OLLAMA_HOST)" in found.message


def test_a_default_address_says_which_variable_moves_it():
    found_all = check_reachable([seat("Llama", "ollama_chat/llama3.1")], timeout_s=2)
    if not found_all:
        pytest.skip("an Ollama really listens on this machine's default port")
    [found] = found_all

    assert found.message.startswith("Cannot reach Ollama at http://127.0.0.1:11434")
    assert "(the default; set OLLAMA_HOST if it listens elsewhere)" in found.message


def test_the_litellm_proxy_named_by_its_variable_is_checked(monkeypatch):
    url = dead_url()
    monkeypatch.setenv("LITELLM_PROXY_API_BASE", url)

    [found] = check_reachable([seat("GPT", "litellm_proxy/gpt-4o")])

    assert found.url == url
    assert "(set by LITELLM_PROXY_API_BASE)" in found.message


def test_cloud_and_demo_seats_are_not_probed():
    assert server_url(seat("GPT", "openai/gpt-4o")) is None
    assert server_url(seat("Ada", "demo/ada")) is None
    assert check_reachable([seat("GPT", "openai/gpt-4o"), seat("Ada", "demo/ada")]) == []


def test_a_server_behind_a_proxy_is_left_to_the_proxy(monkeypatch):
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)

    assert check_reachable([seat("Far", api_base="https://no-such-host.invalid/v1")]) == []


def test_silent_servers_are_checked_at_once_within_the_limit(monkeypatch):
    async def never_answers(*args: object, **kwargs: object) -> None:
        await asyncio.sleep(3600)

    monkeypatch.setattr(asyncio, "open_connection", never_answers)
    seats = [seat(f"S{n}", api_base=f"http://127.0.0.{n}:{9000 + n}/v1") for n in range(1, 5)]

    async def check() -> tuple[list[Any], float]:
        found = await find_unreachable(seats, timeout_s=0.3)
        return found, asyncio.get_running_loop().time()

    found, took = run_in_virtual_time(check)  # on a virtual clock: exact, and no waiting

    assert took == pytest.approx(0.3)  # four servers, one limit: checked side by side
    assert [f.reason for f in found] == ["no answer within 0.3 s"] * 4
    assert [f.seats for f in found] == [("S1",), ("S2",), ("S3",), ("S4",)]


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_default_port_follows_the_scheme(scheme):
    from roundtable.providers.reach import _address

    assert _address(f"{scheme}://example.com/v1") == (
        "example.com",
        443 if scheme == "https" else 80,
    )
