"""Reading an exception from litellm or the OpenAI SDK: its cause chain, the HTTP
status the provider answered with, the kind of failure underneath, and the
provider's own words. `errors.map_exception` decides what each means for the user.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator, Mapping, Sequence

#: What litellm says when it stops a model that streams one chunk over and over
#: (`REPEATED_STREAMING_CHUNK_LIMIT`, 100 by default).
_REPEATING = re.compile(r"repeating the same chunk = (.*?)\.?(?: Original exception|$)", re.S)
#: Words a server uses when the trouble is the key ("Authentication Error - ... Virtual
#: Key expected", "invalid api key", "Unauthorized", "missing bearer token").
_KEY_WORDS = re.compile(r"auth|api[ _-]?key|virtual key|token|credential|bearer", re.I)


def cause_chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, litellm's `original_exception`, and every __cause__/__context__ below."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 32:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nxt in (
            getattr(current, "original_exception", None),
            current.__cause__,
            current.__context__,
        ):
            if isinstance(nxt, BaseException):
                todo.append(nxt)


def repeated_chunk(chain: Sequence[BaseException]) -> str | None:
    """The chunk a looping model kept sending (quoted, shortened), if that stopped it."""
    for exc in chain:
        match = _REPEATING.search(str(getattr(exc, "message", None) or exc))
        if match:
            chunk = " ".join(match.group(1).split())
            if len(chunk) > 40:
                chunk = chunk[:39].rstrip() + "…"
            return f'"{chunk}"'
    return None


def status_of(exc: BaseException) -> int | None:
    """The HTTP status the provider answered with (the original one, when wrapped)."""
    original = getattr(exc, "original_exception", None)
    for candidate in (original, exc) if isinstance(original, BaseException) else (exc,):
        status = getattr(candidate, "status_code", None)
        if isinstance(status, int) and not getattr(candidate, "status_code_is_synthesized", 0):
            if is_connection_error([candidate]) and status == 500:
                continue  # litellm's stand-in status for "no HTTP answer at all"
            return status
    return None


def http_answer(chain: Sequence[BaseException]) -> tuple[int, str] | None:
    """The status and body the server really answered with, when httpx saw it.

    litellm's own HTTP client (the Anthropic and Gemini routes, among others) raises
    httpx's HTTPStatusError and wraps it in layers that rename the status (a 529 or
    503 becomes an InternalServerError 500; Gemini's, raised on the first read of the
    stream, a "mid-stream" error) and quote the body as Python bytes text (`b'{...}'`).
    The error at the bottom of the chain is what the server said.
    """
    import httpx

    for exc in chain:
        if isinstance(exc, httpx.HTTPStatusError):
            response = exc.response
            try:
                text = response.text
            except httpx.ResponseNotRead:
                text = ""
            return response.status_code, text
    return None


def has_real_status(exc: BaseException) -> bool:
    original = getattr(exc, "original_exception", None)
    return isinstance(original, BaseException) and status_of(original) not in (None, 500, 503)


def is_mid_stream_wrapper(exc: BaseException) -> bool:
    return type(exc).__name__ == "MidStreamFallbackError"


def is_connection_error(chain: Sequence[BaseException]) -> bool:
    import httpx
    import openai

    return any(
        isinstance(e, openai.APIConnectionError | httpx.TransportError | ConnectionError)
        and not isinstance(e, openai.APITimeoutError)
        for e in chain
    )


def error_sent_in_stream(chain: Sequence[BaseException]) -> bool:
    """The server sent an error inside its stream (Anthropic's `event: error`, an
    `{"error": ...}` chunk from Gemini or an OpenAI-compatible server), rather than
    the connection breaking. litellm files both under the same wrapper classes (the
    OpenAI route's under APIConnectionError), so this looks for the error that
    carries the server's own words: the SDK's APIError with its body, or litellm's
    provider-level exception (AnthropicError, VertexAIError: `BaseLLMException`).
    """
    import httpx
    import openai

    if any(isinstance(e, httpx.TransportError | ConnectionError) for e in chain):
        return False  # the connection itself broke
    for exc in chain:
        if isinstance(exc, openai.APIConnectionError):
            continue
        if isinstance(exc, openai.APIError) and isinstance(getattr(exc, "body", None), Mapping):
            return True
        if any(cls.__name__ == "BaseLLMException" for cls in type(exc).__mro__):
            return True
    return False


def connect_failed(chain: Sequence[BaseException]) -> bool:
    """The connection was never made: refused, unknown host, or connect timeout."""
    import httpx

    return any(
        isinstance(e, ConnectionRefusedError | socket.gaierror | httpx.ConnectError) for e in chain
    )


def timed_out(chain: Sequence[BaseException]) -> bool:
    import httpx
    import openai

    return any(
        isinstance(e, openai.APITimeoutError | httpx.TimeoutException | TimeoutError) for e in chain
    )


def about_keys(detail: str | None) -> bool:
    """Whether the server's words are about credentials."""
    return bool(detail) and bool(_KEY_WORDS.search(detail or ""))


def quota_exhausted(exc: BaseException, detail: str | None) -> bool:
    body = getattr(exc, "body", None)
    code = body.get("code") if isinstance(body, Mapping) else None
    text = f"{code} {detail or ''}".lower()
    return "insufficient_quota" in text or "exceeded your current quota" in text


#: A LiteLLM proxy's budget refusals (1.106): a key's, a team's, a user's
#: ("ExceededBudget: Key=... over budget"), the proxy's own ("Budget has been
#: exceeded!") and a model's ("No deployments available - crossed budget").
_BUDGET_WORDS = re.compile(r"exceededbudget|over budget|budget has been exceeded|crossed budget")


def budget_refused(exc: BaseException, detail: str | None) -> bool:
    """Whether the server refused because a budget is spent (not a passing rate limit)."""
    body = getattr(exc, "body", None)
    kind = body.get("type") if isinstance(body, Mapping) else None
    text = f"{kind} {detail or ''} {provider_message(exc)}".lower()
    return "budget_exceeded" in text or bool(_BUDGET_WORDS.search(text))


def words_of_json(text: str) -> str | None:
    """The message inside an error body sent as JSON text, or None if it is not one."""
    text = text.strip()
    if not text.startswith("{"):
        return None
    try:
        body = json.loads(text)
    except ValueError:
        return None
    inner = body.get("error", body) if isinstance(body, Mapping) else None
    message = inner.get("message") if isinstance(inner, Mapping) else inner
    return message if isinstance(message, str) and message.strip() else None


def provider_message(exc: BaseException) -> str:
    """The provider's own words about the failure, as plain text."""
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, Mapping) else inner
        if isinstance(message, str) and message.strip():
            return message
    message = getattr(exc, "message", None)
    return message if isinstance(message, str) else str(exc)
