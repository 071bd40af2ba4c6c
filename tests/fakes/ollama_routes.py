"""Ollama's native API on the fake server: `GET /api/tags` and `POST /api/chat`.

Switched on with `FakeOpenAIServer(speaks_ollama=True)`, so that litellm's real
`ollama_chat/` route (newline-delimited JSON, not server-sent events) and model
discovery can be tested against a server on loopback, found where OLLAMA_HOST says.
The same script serves both APIs: `enqueue("llama3.1", Reply(...))` answers an
`ollama_chat/llama3.1` seat; an HTTP fault is sent as Ollama sends errors,
`{"error": "..."}`.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from tests.fakes.openai_script import STATUS_TEXT, Fault, Reply, split_words

if TYPE_CHECKING:
    from tests.fakes.openai_handler import OpenAIHandler


def serve_tags(handler: OpenAIHandler) -> None:
    """The installed models, named with Ollama's default tag as Ollama lists them."""
    models = [
        {"name": name if ":" in name else f"{name}:latest", "model": name, "size": 1}
        for name in handler.owner._model_list()
    ]
    handler._send_json(200, {"models": models})


def serve_chat(handler: OpenAIHandler, body: dict[str, Any]) -> None:
    """One chat request: a stream of JSON lines (Ollama streams unless told not to)."""
    model = str(body.get("model", "")).removesuffix(":latest")
    handler.owner._record(body, {k.lower(): v for k, v in handler.headers.items()})
    item = handler.owner._take(model)
    if isinstance(item, Fault) and item.kind == "http":
        message = (item.body or {}).get("error", {}).get("message") if item.body else None
        text = message or STATUS_TEXT.get(item.status, ("", "Error."))[1].format(key="")
        handler._send_json(item.status, {"error": text}, item.headers)
        return
    reply = item if isinstance(item, Reply) else Reply()
    pieces = split_words(reply.text)
    if body.get("stream") is False:
        handler._wait(handler._ttft(reply))
        handler._send_json(200, _line(model, reply.text, done=True, pieces=len(pieces)))
        return
    handler.send_response(200)
    handler.send_header("Content-Type", "application/x-ndjson")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    handler._wait(handler._ttft(reply))
    fault = item if isinstance(item, Fault) else None
    for number, piece in enumerate(handler._paced(pieces, reply)):
        if fault is not None and number == fault.after_chunks:
            handler._serve_stream_fault(fault)
            return
        handler._write_chunk(json.dumps(_line(model, piece, done=False)).encode() + b"\n")
    final = _line(model, "", done=True, pieces=len(pieces))
    handler._write_chunk(json.dumps(final).encode() + b"\n")
    handler._write_chunk(b"")


def _line(model: str, text: str, *, done: bool, pieces: int = 0) -> dict[str, Any]:
    line: dict[str, Any] = {
        "model": model,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "message": {"role": "assistant", "content": text},
        "done": done,
    }
    if done:
        line |= {"done_reason": "stop", "prompt_eval_count": 10, "eval_count": pieces}
    return line
