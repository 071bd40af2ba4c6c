"""The script of the fake OpenAI server: replies, faults, and faults chosen by model name.

Kept apart from the HTTP machinery in `openai_server.py` so a test reads what it
can ask for in one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

DEFAULT_TEXT = (
    "Let me work through this carefully. The question has one answer that "
    "follows from the facts given.\nFinal answer: 42\nConfidence: 0.8"
)
DEFAULT_MODELS = ("fake-gpt", "fake-claude", "fake-llama")
#: What a hotel network's login page (or a misconfigured proxy) answers with, status 200.
CAPTIVE_PORTAL_PAGE = (
    b"<!doctype html><html><head><title>Welcome</title></head>"
    b"<body><h1>Welcome to Hotel Wi-Fi</h1><p>Please log in to continue.</p></body></html>"
)


@dataclass(frozen=True)
class Reply:
    """A successful reply, streamed word by word after `ttft_s`, `token_s` apart."""

    text: str = DEFAULT_TEXT
    finish_reason: str = "stop"
    ttft_s: float | None = None  # None: the server's default
    token_s: float | None = None
    #: Reported usage; None counts words of the request / streamed pieces.
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    #: False: no usage chunk even when the client asks for one (as some servers do).
    send_usage: bool = True
    #: The provider's own price of the call in USD, sent as `usage.cost` (as OpenRouter does).
    usage_cost: float | None = None
    #: Extra response headers (a LiteLLM proxy's `x-litellm-response-cost`, say).
    headers: Mapping[str, str] = field(default_factory=dict)


FaultKind = Literal["http", "cut", "malformed", "hang", "raw", "bad_bytes", "stream_error"]


@dataclass(frozen=True)
class Fault:
    """A failure to serve instead of a reply. Build one with the class methods."""

    kind: FaultKind
    status: int = 500
    body: Any = None
    #: For http: the error's words, put in the body in the route's own format.
    message: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    #: For cut and malformed: how many good content chunks come first.
    after_chunks: int = 2
    #: For cut: drop the TCP connection (True) or end the HTTP body cleanly but
    #: without a finish_reason and without [DONE] (False).
    abrupt: bool = True
    #: For raw: the exact bytes of the body and their Content-Type; for bad_bytes, the
    #: bytes of the text chunk sent (not valid UTF-8) before the reply goes on.
    raw_body: bytes = b""
    content_type: str = "text/html; charset=utf-8"

    @classmethod
    def http(
        cls,
        status: int,
        *,
        message: str | None = None,
        retry_after: float | str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fault:
        all_headers = dict(headers or {})
        if retry_after is not None:
            all_headers["Retry-After"] = str(retry_after)
        body = None if message is None else error_body(status, message)
        return cls("http", status=status, body=body, message=message, headers=all_headers)

    @classmethod
    def cut(cls, after_chunks: int = 2, *, abrupt: bool = True) -> Fault:
        return cls("cut", after_chunks=after_chunks, abrupt=abrupt)

    @classmethod
    def malformed(cls, after_chunks: int = 1) -> Fault:
        return cls("malformed", after_chunks=after_chunks)

    @classmethod
    def bad_bytes(cls, raw: bytes = b"caf\xe9 ", after_chunks: int = 1) -> Fault:
        """The reply, with one text chunk of bytes that are not UTF-8 (Latin-1 "café")
        sent after `after_chunks` good ones; the rest of the reply follows as usual."""
        return cls("bad_bytes", after_chunks=after_chunks, raw_body=raw)

    @classmethod
    def stream_error(
        cls, status: int = 529, message: str = "Overloaded", after_chunks: int = 1
    ) -> Fault:
        """An error event inside a 200 stream, after `after_chunks` good chunks, in the
        route's own shape (Anthropic's `event: error`, Gemini's and OpenAI's `{"error"}`
        chunk); the stream then ends."""
        return cls("stream_error", status=status, message=message, after_chunks=after_chunks)

    @classmethod
    def hang(cls) -> Fault:
        return cls("hang")

    @classmethod
    def raw(
        cls, body: bytes, *, status: int = 200, content_type: str = "text/html; charset=utf-8"
    ) -> Fault:
        """Answer with `body` as it is: a proxy's error page, a captive portal, JSON…"""
        return cls("raw", status=status, raw_body=body, content_type=content_type)


Script = Reply | Fault

STATUS_TEXT = {
    400: ("invalid_request_error", "Invalid request: the parameters are not supported."),
    401: ("invalid_request_error", "Incorrect API key provided: {key}."),
    403: ("permission_denied", "You are not allowed to use this model."),
    404: ("not_found_error", "The model does not exist."),
    429: ("rate_limit_exceeded", "Rate limit reached for requests."),
    500: ("server_error", "The server had an error while processing your request."),
    503: ("server_error", "The engine is currently overloaded, please try again later."),
}


def error_body(status: int, message: str) -> dict[str, Any]:
    kind = STATUS_TEXT.get(status, ("server_error", ""))[0]
    return {"error": {"message": message, "type": kind, "param": None, "code": str(status)}}


def fault_for_model_name(model: str) -> Fault | None:
    """The fault a model's name asks for (`fail-429`, `cut-stream`, ...), if any."""
    match = re.fullmatch(r"fail-(\d{3})", model)
    if match:
        status = int(match.group(1))
        return Fault.http(status, retry_after=1 if status == 429 else None)
    return {
        "cut-stream": Fault.cut(2),
        "malformed": Fault.malformed(1),
        "bad-bytes": Fault.bad_bytes(),
        "hang": Fault.hang(),
        "html-page": Fault.raw(CAPTIVE_PORTAL_PAGE),
    }.get(model)


def reply_for_model_name(model: str, filler_words: int = 0) -> Reply:
    """The default reply: `answer-X` answers X (seats that never agree), others 42.

    `filler_words` pads the reasoning, for benchmarks that need long streams.
    """
    text = DEFAULT_TEXT
    if filler_words:
        # Distinct words: litellm aborts a stream that repeats one chunk 100 times.
        text = " ".join(f"step{i}" for i in range(filler_words)) + "\n" + text
    match = re.fullmatch(r"answer-(\S+)", model)
    if match is None:
        return Reply(text)
    return Reply(text.replace("Final answer: 42", f"Final answer: {match.group(1)}"))


def split_words(text: str) -> list[str]:
    """Pieces that concatenate back to `text` exactly: each word with its trailing space."""
    return re.findall(r"\s*\S+\s*", text) or ([text] if text else [])
