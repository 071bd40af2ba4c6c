"""The wire formats the fake server speaks: OpenAI's, Anthropic's and Gemini's.

The handler (openai_handler.py) decides *what* happens to a reply (paced words,
a cut, a malformed chunk, an error status); a dialect decides how each of those
looks on the wire, so every fault in the script exists on every route.

Shapes follow what litellm 1.106 sends and parses:

- Anthropic (`anthropic/<model>`, api_base = the server's root): POST
  `/v1/messages` with `"stream": true`; SSE events `message_start`,
  `content_block_start`, `content_block_delta` (text_delta), `content_block_stop`,
  `message_delta` (stop_reason, output usage), `message_stop`
  (litellm/llms/anthropic/chat/handler.py). Errors: `{"type": "error", "error":
  {"type": "overloaded_error", "message": ...}}`, 529 when overloaded.
- Gemini (`gemini/<model>`, api_base = `<root>/v1beta`): POST
  `/v1beta/models/<model>:streamGenerateContent?alt=sse`; each SSE `data:` is a
  GenerateContentResponse, the last one with `finishReason` and `usageMetadata`
  (litellm/llms/vertex_ai/gemini/vertex_and_google_ai_studio_gemini.py). Errors:
  `{"error": {"code": 503, "message": ..., "status": "UNAVAILABLE"}}`.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from tests.fakes.openai_script import STATUS_TEXT, error_body

#: Gemini's model routes: `/v1beta/models/gemini-x:streamGenerateContent`.
GEMINI_PATH = re.compile(r"^(?:/v1beta|/v1)?/models/(?P<model>[^/:]+):(?P<method>\w+)$")


def _sse(payload: dict[str, Any], event: str | None = None) -> bytes:
    head = f"event: {event}\n" if event else ""
    return head.encode() + b"data: " + json.dumps(payload).encode() + b"\n\n"


class OpenAIDialect:
    """OpenAI's chat completions stream (also what every OpenAI-compatible server speaks)."""

    name = "openai"

    def __init__(self, chunk_id: str, model: str, created: int, include_usage: bool) -> None:
        self.chunk_id, self.model, self.created = chunk_id, model, created
        self.include_usage = include_usage

    def _chunk(self, delta: dict[str, Any], finish: str | None) -> bytes:
        out: dict[str, Any] = {
            "id": self.chunk_id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        if self.include_usage:
            out["usage"] = None
        return _sse(out)

    def opening(self, prompt_tokens: int) -> list[bytes]:
        return [self._chunk({"role": "assistant", "content": ""}, None)]

    def text(self, piece: str) -> bytes:
        return self._chunk({"content": piece}, None)

    def raw_text(self, piece: bytes) -> bytes:
        """A text chunk whose bytes are put on the wire as they are (bad UTF-8, say)."""
        head = json.dumps(
            {
                "id": self.chunk_id,
                "object": "chat.completion.chunk",
                "created": self.created,
                "model": self.model,
                "choices": [{"index": 0, "delta": {"content": "@@"}, "finish_reason": None}],
            }
        ).encode()
        return b"data: " + head.replace(b"@@", piece) + b"\n\n"

    def closing(self, finish_reason: str, usage: dict[str, int] | None) -> list[bytes]:
        events = [self._chunk({}, finish_reason)]
        if self.include_usage and usage is not None:
            final = {
                "id": self.chunk_id,
                "object": "chat.completion.chunk",
                "created": self.created,
                "model": self.model,
                "choices": [],
                "usage": usage,
            }
            events.append(_sse(final))
        events.append(b"data: [DONE]\n\n")
        return events

    def malformed(self) -> list[bytes]:
        return [b'data: {"id": "chatcmpl-broken", "choices": [{"delta": \n\n', b"data: [DONE]\n\n"]

    @staticmethod
    def error(status: int, message: str) -> dict[str, Any]:
        return error_body(status, message)

    @classmethod
    def error_event(cls, status: int, message: str) -> bytes:
        return _sse(cls.error(status, message))


class AnthropicDialect:
    """Anthropic's Messages stream."""

    name = "anthropic"
    #: OpenAI's finish reasons as Anthropic's stop reasons.
    STOP_REASONS: ClassVar[dict[Any, str]] = {
        "stop": "end_turn",
        "length": "max_tokens",
        "content_filter": "refusal",
        "tool_calls": "tool_use",
    }
    ERROR_TYPES: ClassVar[dict[Any, str]] = {
        400: "invalid_request_error",
        401: "authentication_error",
        403: "permission_error",
        404: "not_found_error",
        429: "rate_limit_error",
        500: "api_error",
        503: "overloaded_error",
        529: "overloaded_error",
    }

    def __init__(self, message_id: str, model: str) -> None:
        self.message_id, self.model = message_id, model

    def opening(self, prompt_tokens: int) -> list[bytes]:
        message = {
            "id": self.message_id,
            "type": "message",
            "role": "assistant",
            "model": self.model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": prompt_tokens, "output_tokens": 1},
        }
        block = {"type": "content_block_start", "index": 0}
        block["content_block"] = {"type": "text", "text": ""}
        return [
            _sse({"type": "message_start", "message": message}, "message_start"),
            _sse(block, "content_block_start"),
            _sse({"type": "ping"}, "ping"),
        ]

    def text(self, piece: str) -> bytes:
        delta = {"type": "text_delta", "text": piece}
        return _sse(
            {"type": "content_block_delta", "index": 0, "delta": delta}, "content_block_delta"
        )

    def raw_text(self, piece: bytes) -> bytes:
        head = self.text("@@")
        return head.replace(b"@@", piece)

    def closing(self, finish_reason: str, usage: dict[str, int] | None) -> list[bytes]:
        stop_reason = self.STOP_REASONS.get(finish_reason, finish_reason)
        output = (usage or {}).get("completion_tokens", 0)
        delta = {"stop_reason": stop_reason, "stop_sequence": None}
        return [
            _sse({"type": "content_block_stop", "index": 0}, "content_block_stop"),
            _sse(
                {"type": "message_delta", "delta": delta, "usage": {"output_tokens": output}},
                "message_delta",
            ),
            _sse({"type": "message_stop"}, "message_stop"),
        ]

    def malformed(self) -> list[bytes]:
        # Half an event, then the stream ends as a finished one would.
        return [
            b'event: content_block_delta\ndata: {"type": "content_block_delta", "delta": \n\n',
            _sse({"type": "message_stop"}, "message_stop"),
        ]

    @classmethod
    def error(cls, status: int, message: str) -> dict[str, Any]:
        kind = cls.ERROR_TYPES.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": message}}

    @classmethod
    def error_event(cls, status: int, message: str) -> bytes:
        return _sse(cls.error(status, message), "error")


class GeminiDialect:
    """Gemini's streamGenerateContent with `alt=sse`."""

    name = "gemini"
    FINISH_REASONS: ClassVar[dict[Any, str]] = {
        "stop": "STOP",
        "length": "MAX_TOKENS",
        "content_filter": "SAFETY",
        "tool_calls": "STOP",
    }
    STATUS_NAMES: ClassVar[dict[Any, str]] = {
        400: "INVALID_ARGUMENT",
        401: "UNAUTHENTICATED",
        403: "PERMISSION_DENIED",
        404: "NOT_FOUND",
        429: "RESOURCE_EXHAUSTED",
        500: "INTERNAL",
        503: "UNAVAILABLE",
    }

    def __init__(self, model: str) -> None:
        self.model = model
        self.prompt_tokens = 0

    def _response(self, text: str, finish: str | None = None, usage: Any = None) -> bytes:
        candidate: dict[str, Any] = {
            "content": {"parts": [{"text": text}], "role": "model"},
            "index": 0,
        }
        if finish is not None:
            candidate["finishReason"] = finish
        payload: dict[str, Any] = {"candidates": [candidate], "modelVersion": self.model}
        if usage is not None:
            payload["usageMetadata"] = usage
        return _sse(payload)

    def opening(self, prompt_tokens: int) -> list[bytes]:
        self.prompt_tokens = prompt_tokens
        return []

    def text(self, piece: str) -> bytes:
        return self._response(piece)

    def raw_text(self, piece: bytes) -> bytes:
        return self._response("@@").replace(b"@@", piece)

    def closing(self, finish_reason: str, usage: dict[str, int] | None) -> list[bytes]:
        finish = self.FINISH_REASONS.get(finish_reason, finish_reason)
        metadata = None
        if usage is not None:
            metadata = {
                "promptTokenCount": usage["prompt_tokens"],
                "candidatesTokenCount": usage["completion_tokens"],
                "totalTokenCount": usage["total_tokens"],
            }
        return [self._response("", finish, metadata)]

    def malformed(self) -> list[bytes]:
        return [b'data: {"candidates": [{"content": {"parts": [{"text": \n\n']

    @classmethod
    def error(cls, status: int, message: str) -> dict[str, Any]:
        state = cls.STATUS_NAMES.get(status, "UNKNOWN")
        return {"error": {"code": status, "message": message, "status": state}}

    @classmethod
    def error_event(cls, status: int, message: str) -> bytes:
        return _sse(cls.error(status, message))


Dialect = OpenAIDialect | AnthropicDialect | GeminiDialect


def default_error_text(status: int) -> str:
    if status == 529:
        return "Overloaded"
    return STATUS_TEXT.get(status, ("server_error", "Error."))[1]
