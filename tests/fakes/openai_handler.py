"""The HTTP side of the fake OpenAI server: routes, SSE streaming, faults.

`FakeOpenAIServer` (openai_server.py) owns the script and the lifecycle; this
handler serves one connection at a time on a server thread, asking its owner
what to send.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

from tests.fakes.dialects import (
    GEMINI_PATH,
    AnthropicDialect,
    Dialect,
    GeminiDialect,
    OpenAIDialect,
    default_error_text,
)
from tests.fakes.ollama_routes import serve_chat, serve_tags
from tests.fakes.openai_script import Fault, Reply, Script, error_body, split_words

if TYPE_CHECKING:
    from tests.fakes.openai_server import FakeOpenAIServer


class ClientGone(Exception):
    """The client closed the connection (or the server is stopping)."""


class Interrupted(Exception):
    """Another request arrived at a server that cuts the reply in progress for it."""


class OpenAIHandler(BaseHTTPRequestHandler):
    owner: FakeOpenAIServer
    protocol_version = "HTTP/1.1"  # keep-alive and chunked bodies, like real servers
    #: Set when another request wants this one's slot (`one_at_a_time="cancel"`).
    _interrupt: threading.Event | None = None

    def setup(self) -> None:
        super().setup()
        self.owner._track(self.connection, add=True)

    def finish(self) -> None:
        self.owner._track(self.connection, add=False)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request log lines."""

    # ------------------------------------------------------------ routes
    def do_GET(self) -> None:
        path = self.path.rstrip("/")
        if self.owner.speaks_ollama and path == "/api/tags":
            serve_tags(self)
        elif path == "/v1/models":
            if self.owner.models_need_key and self._refused():
                return
            data = [
                {"id": m, "object": "model", "created": 0, "owned_by": "fake"}
                for m in self.owner._model_list()
            ]
            self._send_json(200, {"object": "list", "data": data})
        elif path == "/model/info" and self.owner.model_info is not None:
            if self.owner.models_need_key and self._refused():
                return
            # A LiteLLM proxy's shape (1.106): prices per token in each model's model_info.
            data = [
                {
                    "model_name": name,
                    "litellm_params": {"model": f"openai/{name}"},
                    "model_info": {
                        "input_cost_per_token": rates[0],
                        "output_cost_per_token": rates[1],
                    },
                }
                for name, rates in self.owner.model_info.items()
            ]
            self._send_json(200, {"data": data})
        else:
            self._send_json(404, error_body(404, f"No route {self.path}"))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        path = self.path.partition("?")[0]
        path = path.rstrip("/")
        if self.owner.speaks_ollama and path in ("/api/chat", "/api/show"):
            self._serve_ollama(path, raw)
            return
        gemini = GEMINI_PATH.match(path)
        if path.endswith("/v1/messages"):
            route = "anthropic"
        elif gemini is not None:
            route = "gemini"
        elif path in ("/v1/chat/completions", "/chat/completions"):  # both, as a proxy
            route = "openai"
        else:
            self._send_json(404, error_body(404, f"No route {self.path}"))
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._send_json(400, error_body(400, "The body is not valid JSON."))
            return
        if gemini is not None:
            # Gemini names the model in the path; recorded in the body for `requests_for`.
            body = {"model": gemini.group("model"), **body}
            body["stream"] = gemini.group("method") == "streamGenerateContent"
        self.owner._record(body, {k.lower(): v for k, v in self.headers.items()})
        token = self._token()
        dialect = self._dialect(route, body)
        if self._refused(dialect):
            return
        model = str(body.get("model", ""))
        item = self.owner._take(model)
        with self.owner._turn_on_slot() as interrupt:
            self._interrupt = interrupt
            self._answer(route, body, item, token, dialect)

    def _answer(
        self, route: str, body: dict[str, Any], item: Script, token: str, dialect: Dialect
    ) -> None:
        """Serve one chat request its scripted item."""
        self.owner._request_began()
        try:
            if isinstance(item, Fault) and item.kind == "http":
                self._serve_http_fault(item, token, dialect)
            elif isinstance(item, Fault) and item.kind == "raw":
                self._send_raw(item.status, item.raw_body, item.content_type)
            elif isinstance(item, Fault) and item.kind == "hang":
                self._wait(float("inf"))
            elif body.get("stream"):
                self._serve_stream(body, item, dialect)
            elif route == "openai":
                self._serve_json_reply(body, item)
            else:
                self._send_json(400, dialect.error(400, "This fake streams only on this route."))
        except (ClientGone, BrokenPipeError, ConnectionResetError):
            self.owner._note_disconnect()
            self.close_connection = True
        finally:
            self.owner._request_ended()

    def _dialect(self, route: str, body: dict[str, Any]) -> Dialect:
        model = str(body.get("model", ""))
        if route == "anthropic":
            return AnthropicDialect(f"msg_fake{self.owner._next_id()}", model)
        if route == "gemini":
            return GeminiDialect(model)
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        return OpenAIDialect(self.owner._next_id(), model, int(time.time()), include_usage)

    def _token(self) -> str:
        """The key sent, wherever the route puts it (Anthropic's x-api-key, Gemini's
        x-goog-api-key, everyone else's Authorization: Bearer)."""
        for name in ("x-api-key", "x-goog-api-key"):
            if self.headers.get(name):
                return str(self.headers[name]).strip()
        return (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()

    def _refused(self, dialect: Dialect | None = None) -> bool:
        """Answer as the server does to a wrong or missing key, when one is required."""
        token = self._token()
        if self.owner.api_key is None or token == self.owner.api_key:
            return False
        if not token and self.owner.keyless_status is not None:
            # A LiteLLM proxy without a database answers a call with no key like this.
            self._send_raw(self.owner.keyless_status, b"Internal Server Error", "text/plain")
            return True
        status, template = self.owner.refusal
        make_body = error_body if dialect is None else dialect.error
        self._send_json(status, make_body(status, template.format(key=token)))
        return True

    def _serve_ollama(self, path: str, raw: bytes) -> None:
        if path == "/api/show":  # litellm asks for details it can do without
            self._send_json(404, {"error": "model details are not served here"})
            return
        self.owner._request_began()
        try:
            serve_chat(self, json.loads(raw or b"{}"))
        except (ClientGone, BrokenPipeError, ConnectionResetError):
            self.owner._note_disconnect()
            self.close_connection = True
        finally:
            self.owner._request_ended()

    # ------------------------------------------------------------ replies
    def _serve_http_fault(self, fault: Fault, token: str, dialect: Dialect) -> None:
        body = fault.body
        if body is None or not isinstance(dialect, OpenAIDialect):
            words = fault.message or default_error_text(fault.status).format(key=token)
            body = dialect.error(fault.status, words)
        self._send_json(fault.status, body, fault.headers)

    def _serve_json_reply(self, body: dict[str, Any], item: Script) -> None:
        reply = item if isinstance(item, Reply) else Reply()
        self._wait(self._ttft(reply))
        pieces = split_words(reply.text)
        self._send_json(
            200,
            {
                "id": self.owner._next_id(),
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reply.text},
                        "finish_reason": reply.finish_reason,
                    }
                ],
                "usage": self._usage(body, reply, len(pieces)),
            },
            reply.headers,
        )

    def _serve_stream(self, body: dict[str, Any], item: Script, dialect: Dialect) -> None:
        reply = item if isinstance(item, Reply) else Reply()
        fault = item if isinstance(item, Fault) else None
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self._stream_reply(body, reply, fault, dialect)
        except Interrupted:
            # As llama-cpp-python does: end the stream at once, no finish reason.
            self.owner._note_cancelled()
            self._write_chunk(b"data: [DONE]\n\n")
            self._write_chunk(b"")

    def _stream_reply(
        self, body: dict[str, Any], reply: Reply, fault: Fault | None, dialect: Dialect
    ) -> None:
        self._wait(self._ttft(reply))
        pieces = split_words(reply.text)
        usage = self._usage(body, reply, len(pieces))
        for event in dialect.opening(usage["prompt_tokens"]):
            self._write_chunk(event)
        for number, piece in enumerate(self._paced(pieces, reply)):
            if fault is not None and number == fault.after_chunks:
                if fault.kind == "bad_bytes":
                    self._write_chunk(dialect.raw_text(fault.raw_body))
                else:
                    self._serve_stream_fault(fault, dialect)
                    return
            self._write_chunk(dialect.text(piece))
        if fault is not None and fault.kind != "bad_bytes":
            self._serve_stream_fault(fault, dialect)  # it asked for more chunks than there are
            return
        for event in dialect.closing(reply.finish_reason, usage if reply.send_usage else None):
            self._write_chunk(event)
        self._write_chunk(b"")

    def _serve_stream_fault(self, fault: Fault, dialect: Dialect) -> None:
        if fault.kind == "malformed":
            for event in dialect.malformed():
                self._write_chunk(event)
            self._write_chunk(b"")
        elif fault.kind == "stream_error":
            self._write_chunk(dialect.error_event(fault.status, fault.message or "Error."))
            self._write_chunk(b"")
        elif fault.kind == "cut" and not fault.abrupt:
            self._write_chunk(b"")  # a well-formed end of body, but no finish_reason
        else:
            # Drop the connection in the middle of a chunked body.
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)

    # ------------------------------------------------------------ helpers
    def _paced(self, pieces: list[str], reply: Reply) -> Iterator[str]:
        delay = self.owner.token_s if reply.token_s is None else reply.token_s
        for index, piece in enumerate(pieces):
            if index and delay > 0:
                self._wait(delay)
            yield piece

    def _ttft(self, reply: Reply) -> float:
        return self.owner.ttft_s if reply.ttft_s is None else reply.ttft_s

    def _usage(self, body: dict[str, Any], reply: Reply, pieces: int) -> dict[str, Any]:
        texts = [str(m.get("content") or "") for m in body.get("messages") or []]
        # Gemini sends `contents`, each a list of parts.
        texts += [str(p.get("text") or "") for c in body.get("contents") or [] for p in c["parts"]]
        words = sum(len(text.split()) for text in texts)
        prompt = words if reply.prompt_tokens is None else reply.prompt_tokens
        completion = pieces if reply.completion_tokens is None else reply.completion_tokens
        usage: dict[str, Any] = {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }
        if reply.usage_cost is not None:
            usage["cost"] = reply.usage_cost
        return usage

    def _write_chunk(self, data: bytes) -> None:
        """One HTTP/1.1 chunk; b"" writes the terminating zero-length chunk."""
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _send_json(
        self, status: int, payload: Any, headers: Mapping[str, str] | None = None
    ) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _send_raw(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _wait(self, seconds: float) -> None:
        """Sleep, but notice at once when the client hangs up or the server stops."""
        deadline = time.monotonic() + seconds
        while True:
            if self.owner._stopping.is_set():
                raise ClientGone
            if self._interrupt is not None and self._interrupt.is_set():
                raise Interrupted
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                readable, _, _ = select.select([self.connection], [], [], min(remaining, 0.02))
                if readable and self.connection.recv(1, socket.MSG_PEEK) == b"":
                    raise ClientGone
            except OSError as exc:
                raise ClientGone from exc
