"""Map litellm's and the OpenAI SDK's exceptions onto Roundtable's error tree.

Measured with litellm 1.106 (docs/notes.md and the integration tests):

    HTTP 401                   AuthenticationError            -> AuthFailed
    HTTP 403                   litellm.APIError(status 403)   -> AuthFailed
    HTTP 429                   RateLimitError                 -> RateLimited (+ Retry-After)
    a LiteLLM proxy's budget   400 / 422 / 429, "ExceededBudget", "crossed budget"
                                                              -> RateLimited, not retried
    HTTP 400 / 422             BadRequestError, ...           -> BadResponse
    HTTP 404                   NotFoundError                  -> BadResponse
    HTTP 500 / 502 / 503       InternalServerError, ...       -> ProviderUnavailable
    connection refused, DNS    InternalServerError "Connection error." -> ProviderUnavailable
    read timeout               Timeout (APITimeoutError)      -> ProviderTimeout
    connection dropped mid-stream  MidStreamFallbackError     -> StreamCut
    non-JSON chunk mid-stream  MidStreamFallbackError(JSONDecodeError) -> StreamCut (retried)
    the same chunk 100 times   MidStreamFallbackError(InternalServerError
                               "The model is repeating the same chunk") -> BadResponse

litellm wraps the same failure differently from one path to the next (the 403
arrives as a bare `APIError`, a refused connection as a 500), so the mapping reads
the status code and walks the whole cause chain instead of trusting the class.

Every message names the seat and the provider, says what to do, and is scrubbed of
anything that looks like a key: a 401 body may quote the key it refused.
"""

from __future__ import annotations

import ast
import html
import json
import os
import re
from collections.abc import Sequence
from typing import Any

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
from roundtable.providers.catalogue import is_local_provider, provider_label
from roundtable.providers.endpoints import seat_endpoint
from roundtable.providers.exception_chain import (
    about_keys,
    budget_refused,
    cause_chain,
    connect_failed,
    error_sent_in_stream,
    has_real_status,
    http_answer,
    is_connection_error,
    is_mid_stream_wrapper,
    provider_message,
    quota_exhausted,
    repeated_chunk,
    status_of,
    timed_out,
    words_of_json,
)
from roundtable.providers.key_shapes import REDACTED, redact_keys
from roundtable.providers.keys import (
    is_private_base,
    key_vars,
    lookup_api_key,
    provider_key_may_go_to,
    sends_placeholder,
)
from roundtable.providers.retry import retry_after_s
from roundtable.providers.team_gateway import GATEWAY_PROVIDER

_DETAIL_LIMIT = 240

#: Long unbroken runs of letters and digits: tokens, whatever their prefix.
_LONG_TOKEN = re.compile(r"[A-Za-z0-9_\-]{32,}")
#: litellm's wrappers prefix a message with one class name per layer.
_NOISE_PREFIX = re.compile(r"^\s*(?:litellm\.)?\w+(?:Error|Exception|Timeout)\s*[:\-]\s*")
#: Gemini's status name before its words ("UNAVAILABLE - The model is overloaded").
_STATUS_NAME_PREFIX = re.compile(r"^[A-Z][A-Z_]{3,} - ")
#: litellm's advice to its own callers, appended to some messages.
_LITELLM_ADVICE = re.compile(r"\.?\s*Handle with `litellm\.\w+`\.?")
#: A body litellm quoted as Python bytes text: b'{"error": ...}'.
_BYTES_TEXT = re.compile(r"""^b(['"])(.*)\1$""", re.S)
#: An error page instead of an error message (a proxy's "502 Bad Gateway" page).
_HTML_TAG = re.compile(r"<(?:script|style)\b.*?</(?:script|style)\s*>|<[^>]*>", re.S | re.I)


def scrub(text: str, secrets: Sequence[str] = ()) -> str:
    """`text` without the given secret values, anything key-like, and any long run
    of letters and digits (an error body, an export: nothing there is worth a leak)."""
    text = redact_keys(text, secrets)

    def token(match: re.Match[str]) -> str:
        run = match.group(0)
        has_digit = any(c.isdigit() for c in run)
        return REDACTED if has_digit and any(c.isalpha() for c in run) else run

    return _LONG_TOKEN.sub(token, text)


def map_exception(
    exc: BaseException,
    seat: Seat,
    *,
    secrets: Sequence[str] = (),
    mid_stream: bool = False,
) -> ProviderError:
    """The Roundtable error for `exc`, raised while `seat` took its turn.

    `secrets` are values to scrub besides the key-like patterns (the gateway passes
    the key it used); `mid_stream` says the response had started, so a dropped
    connection is a cut stream rather than an unreachable server.
    """
    if isinstance(exc, ProviderError):
        return exc
    if not secrets:
        found = lookup_api_key(seat)
        secrets = (found,) if found else ()
    m = _Messages(seat, secrets)
    chain = list(cause_chain(exc))
    answer = http_answer(chain)
    status = answer[0] if answer is not None else status_of(exc)
    detail = m.detail(exc, answer[1] if answer is not None else None)

    if any(isinstance(e, json.JSONDecodeError) for e in chain):
        if mid_stream or is_mid_stream_wrapper(exc):
            # One garbled chunk (a proxy that split an event, a glitch) says nothing
            # about the next attempt: retried like a cut, as the other routes do.
            return m.error(
                StreamCut,
                f"the reply from {m.label} broke off with data Roundtable could not read "
                "(a malformed chunk)",
                "try again; if it keeps happening the server is misbehaving",
            )
        return m.error(
            BadResponse,
            f"{m.label} sent a reply Roundtable could not read (malformed data)",
            "try again; if it keeps happening the server is misbehaving",
            detail,
        )
    repeated = repeated_chunk(chain)
    if repeated is not None:
        # Asking again usually loops again (same prompt, often temperature 0), and a
        # loop costs a whole reply's tokens: the seat stops here, with its own reason.
        return m.error(
            BadResponse,
            f"the model got stuck repeating the same words ({repeated}), so Roundtable "
            "stopped its reply",
            "try again, raise the seat's temperature, or seat another model",
        )
    if connect_failed(chain):
        return m.error(ProviderUnavailable, f"could not reach {m.where}", m.reach_hint())
    if timed_out(chain):
        return m.error(
            ProviderTimeout,
            f"{m.label} did not answer in time",
            "try again, or allow more time (the turn timeout in Settings, or --timeout SECONDS)",
        )
    if answer is not None:
        # The server answered with an error status: whatever layer raised it, and
        # whenever (Gemini's request goes out on the first read), nothing was cut.
        return _by_status(answer[0], exc, chain, m, detail)
    if is_mid_stream_wrapper(exc) and not has_real_status(exc):
        mid_stream = True
    if mid_stream and (status is None or status >= 500 or is_connection_error(chain)):
        if detail and error_sent_in_stream(chain):
            # An error event inside the stream (Anthropic's overloaded_error, Gemini's
            # and OpenAI's {"error": ...} chunk): the server said why it stopped.
            return m.error(
                StreamCut, f"the reply from {m.label} stopped mid-way with an error", "try again",
                detail,
            )  # fmt: skip
        return m.error(StreamCut, f"the reply from {m.label} was cut off mid-way", "try again")
    if status is not None:
        return _by_status(status, exc, chain, m, detail)
    if is_connection_error(chain):
        return m.error(
            ProviderUnavailable, f"the connection to {m.where} failed", m.reach_hint(), detail
        )
    return m.error(
        ProviderError, f"unexpected error ({type(exc).__name__})", "see the log for details", detail
    )


def _by_status(
    status: int, exc: BaseException, chain: list[BaseException], m: _Messages, detail: str | None
) -> ProviderError:
    if status == 401:
        return m.error(AuthFailed, f"key refused by {m.label}", m.key_hint(), detail)
    if status == 403:
        return m.error(
            AuthFailed,
            f"key refused by {m.label} for {m.seat.model} (access denied)",
            f"{m.key_hint()}, and that your plan includes this model",
            detail,
        )
    if status in (400, 422, 429) and budget_refused(exc, detail):
        # The team gateway's own refusal: waiting a few seconds will not refill it.
        error = m.error(
            RateLimited,
            f"{m.label} refused the call: a budget is spent",
            "ask whoever runs the gateway to raise the budget (or wait until it resets), "
            "or seat another model",
            detail,
        )
        error.retryable = False
        return error
    if status == 429:
        if quota_exhausted(exc, detail):
            error = m.error(
                RateLimited,
                f"the {m.label} account has run out of credit or quota",
                "check the plan and billing, or seat another model",
                detail,
            )
            error.retryable = False  # waiting will not bring the credit back
            return error
        retry_after = retry_after_s(chain)
        when = f" (asked to wait {retry_after:g} s)" if retry_after is not None else ""
        return m.error(
            RateLimited,
            f"rate limited by {m.label}{when}",
            "try again later, or seat fewer models from one provider",
            detail,
            retry_after=retry_after,
        )
    if status == 408:
        return m.error(ProviderTimeout, f"{m.label} timed out", "try again", detail)
    if status == 404:
        name = m.seat.model.partition("/")[2]
        if m.seat.provider in ("ollama", "ollama_chat"):
            todo = f"pull it first (ollama pull {name}), or seat one `roundtable models` lists"
        else:
            todo = "check the model id against the models the provider offers"
        return m.error(
            BadResponse, f"{m.label} does not know the model '{m.seat.model}'", todo, detail
        )
    if any(type(e).__name__ == "ContextWindowExceededError" for e in chain):
        return m.error(
            BadResponse,
            "the conversation no longer fits the model's context window",
            "use fewer rounds or a model with a longer context",
            detail,
        )
    if 400 <= status < 500:
        if m.no_key_sent or m.private or about_keys(detail):
            # A server on the user's side that refuses a key often says 400, in words
            # about anything (a LiteLLM proxy: "No connected db"): name the key first.
            todo = f"{m.key_hint()}; otherwise check the model id and the seat's settings"
        else:
            todo = "check the model id and the seat's settings"
        return m.error(BadResponse, f"{m.label} rejected the request ({status})", todo, detail)
    retry_after = retry_after_s(chain)  # an overloaded server may say when to come back
    when = f" (asked to wait {retry_after:g} s)" if retry_after is not None else ""
    return m.error(
        ProviderUnavailable,
        f"{m.label} had a server error ({status}){when}",
        "this is usually temporary; try again later",
        detail,
        retry_after=retry_after,
    )


def _unquote_bytes(text: str) -> str:
    """`b'{...}'` (a body litellm put through str()) as the text it quotes."""
    match = _BYTES_TEXT.match(text.strip())
    if match is None:
        return text
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return match.group(2)
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else text


class _Messages:
    """Builds "Seat 'GPT' (openai): <what happened> — <what to do>." for one seat."""

    def __init__(self, seat: Seat, secrets: Sequence[str]) -> None:
        self.seat = seat
        self.secrets = tuple(secrets)
        self.provider = seat.provider or None
        endpoint = self.endpoint = seat_endpoint(seat)
        #: The call carried the placeholder: no key is set for this server.
        self.no_key_sent = sends_placeholder(seat)
        #: The server is on this machine or the local network (a proxy, vLLM, …).
        self.private = endpoint is not None and is_private_base(endpoint.url)
        if seat.provider == GATEWAY_PROVIDER and endpoint is not None:
            self.label = f"the team gateway (LiteLLM proxy at {endpoint.url})"
        elif seat.api_base:
            self.label = f"the server at {seat.api_base}"
        else:
            self.label = provider_label(seat.provider)
        self.where = endpoint.described() if endpoint else self.label

    def error(
        self,
        cls: type[ProviderError],
        what: str,
        todo: str,
        detail: str | None = None,
        **extra: Any,
    ) -> ProviderError:
        """`cls` with the message "Seat 'GPT' (openai): <what> (it said: ...) — <todo>."."""
        text = f"Seat '{self.seat.name}' ({self.seat.provider or self.seat.model}): {what}"
        if detail:
            text += f' (it said: "{detail}")'
        message = scrub(f"{text} — {todo}.", self.secrets)
        return cls(message, seat=self.seat.name, provider=self.provider, **extra)

    def detail(self, exc: BaseException, body: str | None = None) -> str | None:
        """The provider's own words: from the error `body` it sent when known, else
        from the exception, without litellm's class names, advice or bytes quoting."""
        raw = body.strip() if body and body.strip() else provider_message(exc)
        if not raw:
            return None
        while True:
            stripped = _NOISE_PREFIX.sub("", raw, count=1)
            if stripped == raw:
                break
            raw = stripped
        raw = raw.split(" Original exception:")[0]
        raw = _LITELLM_ADVICE.sub("", raw)
        raw = _unquote_bytes(raw)
        raw = _STATUS_NAME_PREFIX.sub("", raw)
        raw = words_of_json(raw) or raw  # Ollama's {"error": "..."} as its words
        if "</" in raw or "<html" in raw.lower():
            raw = html.unescape(_HTML_TAG.sub(" ", raw))  # an error page: its words only
        raw = " ".join(raw.split()).strip().rstrip(".")
        if len(raw) > _DETAIL_LIMIT:
            raw = raw[: _DETAIL_LIMIT - 1].rstrip() + "…"
        return scrub(raw, self.secrets) or None

    def key_hint(self) -> str:
        if self.seat.provider == GATEWAY_PROVIDER and not self.seat.api_key_env:
            if self.no_key_sent:
                return (
                    "no virtual key was sent: save yours in Settings › Team gateway "
                    "or set LITELLM_PROXY_API_KEY"
                )
            return "check the virtual key in Settings › Team gateway (or LITELLM_PROXY_API_KEY)"
        if self.seat.api_key_env:
            return f"check the variable {self.seat.api_key_env} or Settings › Providers"
        names = key_vars(self.seat.provider)
        if self.private or (self.seat.api_base and not names):
            assert self.endpoint is not None
            url = self.endpoint.url
            if names and provider_key_may_go_to(self.seat.provider, url):
                if self.no_key_sent:
                    return f"no key was sent ({names[0]} is not set): set it to the server's key"
                return f"check {self._key_origin(names[0])}: it holds the key sent to this server"
            # Other machines never get the user's cloud keys (keys.py), only a named one.
            sent = "no key was sent; " if self.no_key_sent else ""
            return (
                f"{sent}put the key this server expects in an environment variable "
                "and name that variable as the seat's api_key_env"
            )
        var = f" or {names[0]}" if names else ""
        return f"check Settings › Providers{var}"

    def _key_origin(self, var: str) -> str:
        """Where the key sent came from: `var` when it is set, else the keyring."""
        return var if os.environ.get(var, "").strip() else "the key in Settings › Providers"

    def reach_hint(self) -> str:
        if self.seat.api_base or is_local_provider(self.seat.provider):
            return "is the server running?"
        return "check the internet connection (or proxy settings) and try again"
