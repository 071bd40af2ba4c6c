"""Provider failures become Roundtable errors whose messages say what to do, and leak no key."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from roundtable.domain import (
    AuthFailed,
    BadResponse,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    Seat,
    StreamCut,
)
from roundtable.providers import load_litellm, map_exception, scrub

GPT = Seat(id="s1", name="GPT", model="openai/gpt-4o")
KEY = "sk-proj-Zx81mQ0aLr5TsW2vYp9dNc4k"


@pytest.fixture(scope="module")
def litellm():
    return load_litellm()


def test_scrub_removes_keys_but_keeps_model_ids_and_urls():
    text = (
        f"key {KEY} / Bearer abc.def.ghi / AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStU / "
        "gsk_abcdefghijklmnop1234 / token 0123456789abcdef0123456789abcdef01 / "
        "model openrouter/meta-llama/llama-3.3-70b-instruct at http://127.0.0.1:8000/v1"
    )

    cleaned = scrub(text, secrets=("my-own-secret-value",))

    assert KEY not in cleaned
    assert "abc.def.ghi" not in cleaned
    assert "AIzaSy" not in cleaned
    assert "gsk_" not in cleaned
    assert "0123456789abcdef0123456789abcdef01" not in cleaned
    assert "openrouter/meta-llama/llama-3.3-70b-instruct" in cleaned
    assert "http://127.0.0.1:8000/v1" in cleaned
    assert scrub("value my-own-secret-value here", ("my-own-secret-value",)) == (
        "value [redacted] here"
    )


def test_refused_cloud_key_points_to_settings_and_the_variable(litellm):
    exc = litellm.AuthenticationError(
        message=f"Incorrect API key provided: {KEY}.", llm_provider="openai", model="gpt-4o"
    )

    error = map_exception(exc, GPT)

    assert isinstance(error, AuthFailed)
    assert not error.retryable
    assert str(error).startswith("Seat 'GPT' (openai): key refused by OpenAI")
    assert "check Settings › Providers or OPENAI_API_KEY" in str(error)
    assert KEY not in str(error)
    assert (error.seat, error.provider, error.kind) == ("GPT", "openai", "auth")


def test_the_seats_own_key_is_scrubbed_even_when_it_looks_harmless(litellm, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "plainwordkey")
    exc = litellm.BadRequestError(
        message="unknown key plainwordkey", llm_provider="openai", model="gpt-4o"
    )

    error = map_exception(exc, GPT)

    assert isinstance(error, BadResponse)
    assert "plainwordkey" not in str(error)


def test_forbidden_arrives_as_a_bare_api_error_and_is_still_an_auth_failure(litellm):
    exc = litellm.APIError(
        status_code=403, message="not allowed", llm_provider="openai", model="gpt-4o"
    )

    error = map_exception(exc, GPT)

    assert isinstance(error, AuthFailed)
    assert "key refused by OpenAI for openai/gpt-4o (access denied)" in str(error)
    assert "check Settings › Providers or OPENAI_API_KEY" in str(error)
    assert "plan includes this model" in str(error)


def test_rate_limit_reads_retry_after_from_the_response_headers(litellm):
    response = httpx.Response(
        429,
        headers={"retry-after": "3"},
        request=httpx.Request("POST", "https://api.openai.com/v1/chat/completions"),
    )
    exc = litellm.RateLimitError(
        message="slow down", llm_provider="openai", model="gpt-4o", response=response
    )

    error = map_exception(exc, GPT)

    assert isinstance(error, RateLimited)
    assert error.retryable
    assert error.retry_after == 3.0
    assert "rate limited by OpenAI (asked to wait 3 s)" in str(error)


def test_retry_after_in_milliseconds_wins_and_http_dates_are_understood(litellm):
    exc = litellm.RateLimitError(message="slow", llm_provider="openai", model="gpt-4o")
    exc.litellm_response_headers = httpx.Headers({"retry-after-ms": "1500", "retry-after": "9"})
    assert map_exception(exc, GPT).retry_after == 1.5  # type: ignore[attr-defined]

    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    exc.litellm_response_headers = httpx.Headers({"retry-after": later})
    waited = map_exception(exc, GPT).retry_after  # type: ignore[attr-defined]
    assert waited is not None
    assert 25 <= waited <= 30


def test_an_exhausted_quota_is_not_worth_retrying(litellm):
    exc = litellm.RateLimitError(
        message="You exceeded your current quota, please check your plan and billing details.",
        llm_provider="openai",
        model="gpt-4o",
    )

    error = map_exception(exc, GPT)

    assert isinstance(error, RateLimited)
    assert not error.retryable
    assert "quota" in str(error)
    assert "billing" in str(error)


def test_context_window_overflow_says_how_to_fix_it(litellm):
    exc = litellm.ContextWindowExceededError(
        message="This model's maximum context length is 8192 tokens",
        model="gpt-4o",
        llm_provider="openai",
    )

    error = map_exception(exc, GPT)

    assert isinstance(error, BadResponse)
    assert "context window" in str(error)
    assert "fewer rounds" in str(error)


def test_unknown_model_names_the_model(litellm):
    exc = litellm.NotFoundError(message="no such model", model="gpt-9", llm_provider="openai")

    error = map_exception(exc, Seat(id="s", name="Nine", model="openai/gpt-9"))

    assert isinstance(error, BadResponse)
    assert "does not know the model 'openai/gpt-9'" in str(error)


def test_library_timeout_is_a_provider_timeout(litellm):
    exc = litellm.Timeout(message="Request timed out.", model="gpt-4o", llm_provider="openai")

    error = map_exception(exc, GPT)

    assert isinstance(error, ProviderTimeout)
    assert error.retryable


def test_service_unavailable_is_retryable(litellm):
    exc = litellm.ServiceUnavailableError(
        message="overloaded", llm_provider="anthropic", model="claude"
    )

    error = map_exception(exc, Seat(id="c", name="Claude", model="anthropic/claude-sonnet-4-5"))

    assert isinstance(error, ProviderUnavailable)
    assert error.retryable
    assert "Anthropic had a server error (503)" in str(error)


def test_litellms_advice_and_bytes_quoting_never_reach_the_user(litellm):
    # litellm 1.106's words for an Anthropic 500 whose body it read as bytes.
    body = b'{"type": "error", "error": {"type": "api_error", "message": "Internal error"}}'
    exc = litellm.InternalServerError(
        message=f"AnthropicException - {body!r}. Handle with `litellm.InternalServerError`.",
        llm_provider="anthropic",
        model="claude",
    )

    error = map_exception(exc, Seat(id="c", name="Claude", model="anthropic/claude-sonnet-4-5"))

    assert 'it said: "Internal error")' in str(error)
    assert "Handle with" not in str(error)
    assert "b'" not in str(error)


def test_a_dropped_connection_mid_stream_is_a_cut(litellm):
    inner = litellm.APIConnectionError(
        message="Response payload is not completed", llm_provider="openai", model="gpt-4o"
    )
    exc = litellm.exceptions.MidStreamFallbackError(
        message="stream died", model="gpt-4o", llm_provider="openai", original_exception=inner
    )

    error = map_exception(exc, GPT, mid_stream=True)

    assert isinstance(error, StreamCut)
    assert "cut off mid-way" in str(error)


def test_a_json_decode_error_mid_stream_is_retried_as_a_cut():
    try:
        json.loads('{"choices": [')
    except json.JSONDecodeError as exc:
        error = map_exception(exc, GPT, mid_stream=True)

    assert isinstance(error, StreamCut)
    assert error.retryable
    assert "could not read (a malformed chunk)" in str(error)


def test_a_json_decode_error_before_any_reply_is_a_bad_response():
    try:
        json.loads('{"choices": [')
    except json.JSONDecodeError as exc:
        error = map_exception(exc, GPT)

    assert isinstance(error, BadResponse)
    assert "could not read" in str(error)


def test_an_unexpected_exception_still_names_the_seat_and_hides_keys():
    error = map_exception(RuntimeError(f"boom with {KEY}"), GPT)

    assert type(error) is ProviderError
    assert str(error).startswith("Seat 'GPT' (openai): unexpected error (RuntimeError)")
    assert KEY not in str(error)


def test_an_already_mapped_error_passes_through():
    original = AuthFailed("Seat 'GPT' (openai): key refused")

    assert map_exception(original, GPT) is original
