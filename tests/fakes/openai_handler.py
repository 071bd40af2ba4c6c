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
import time
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

from tests.fakes.ollama_routes import serve_chat, serve_tags
from tests.fakes.openai_script import STATUS_TEXT, Fault, Reply, Script, error_body, split_words

if TYPE_CHECKING:
    from tests.fakes.openai_server import FakeOpenAIServer


class ClientGone(Exception):
    """The client closed the connection (or the server is stopping)."""


class OpenAIHandler(BaseHTTPRequestHandler):
    owner: FakeOpenAIServer
    protocol_version = "HTTP/1.1"  # keep-alive and chunked bodies, like real servers

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
        else:
            self._send_json(404, error_body(404, f"No route {self.path}"))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        path = self.path.rstrip("/")
        if self.owner.speaks_ollama and path in ("/api/chat", "/api/show"):
            self._serve_ollama(path, raw)
            return
        if path not in ("/v1/chat/completions", "/chat/completions"):  # both, as a proxy
            self._send_json(404, error_body(404, f"No route {self.path}"))
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._send_json(400, error_body(400, "The body is not valid JSON."))
            return
        self.owner._record(body, {k.lower(): v for k, v in self.headers.items()})
        token = self._token()
        if self._refused():
            return
        model = str(body.get("model", ""))
        item = self.owner._take(model)
        self.owner._request_began()
        try:
            if isinstance(item, Fault) and item.kind == "http":
                self._serve_http_fault(item, token)
            elif isinstance(item, Fault) and item.kind == "raw":
                self._send_raw(item.status, item.raw_body, item.content_type)
            elif isinstance(item, Fault) and item.kind == "hang":
                self._wait(float("inf"))
            elif body.get("stream"):
                self._serve_stream(body, item)
            else:
                self._serve_json_reply(body, item)
        except (ClientGone, BrokenPipeError, ConnectionResetError):
            self.owner._note_disconnect()
            self.close_connection = True
        finally:
            self.owner._request_ended()

    def _token(self) -> str:
        return (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()

    def _refused(self) -> bool:
        """Answer as the server does to a wrong or missing key, when one is required."""
        token = self._token()
        if self.owner.api_key is None or token == self.owner.api_key:
            return False
        if not token and self.owner.keyless_status is not None:
            # A LiteLLM proxy without a database answers a call with no key like this.
            self._send_raw(self.owner.keyless_status, b"Internal Server Error", "text/plain")
            return True
        status, template = self.owner.refusal
        self._send_json(status, error_body(status, template.format(key=token)))
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
    def _serve_http_fault(self, fault: Fault, token: str) -> None:
        body = fault.body
        if body is None:
            template = STATUS_TEXT.get(fault.status, ("server_error", "Error."))[1]
            body = error_body(fault.status, template.format(key=token))
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

    def _serve_stream(self, body: dict[str, Any], item: Script) -> None:
        reply = item if isinstance(item, Reply) else Reply()
        fault = item if isinstance(item, Fault) else None
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        chunk_id, model, created = self.owner._next_id(), body.get("model"), int(time.time())

        def chunk(delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
            out: dict[str, Any] = {
                "id": chunk_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            if include_usage:
                out["usage"] = None
            return out

        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self._wait(self._ttft(reply))
        self._event(chunk({"role": "assistant", "content": ""}, None))
        pieces = split_words(reply.text)
        for number, piece in enumerate(self._paced(pieces, reply)):
            if fault is not None and number == fault.after_chunks:
                self._serve_stream_fault(fault)
                return
            self._event(chunk({"content": piece}, None))
        if fault is not None:  # the fault asked for more chunks than the text has
            self._serve_stream_fault(fault)
            return
        self._event(chunk({}, reply.finish_reason))
        if include_usage and reply.send_usage:
            self._event(
                {
                    "id": chunk_id,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model,
                    "choices": [],
                    "usage": self._usage(body, reply, len(pieces)),
                }
            )
        self._write_chunk(b"data: [DONE]\n\n")
        self._write_chunk(b"")

    def _serve_stream_fault(self, fault: Fault) -> None:
        if fault.kind == "malformed":
            self._write_chunk(b'data: {"id": "chatcmpl-broken", "choices": [{"delta": \n\n')
            self._write_chunk(b"data: [DONE]\n\n")
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
        words = sum(len(str(m.get("content") or "").split()) for m in body.get("messages") or [])
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

    def _event(self, payload: dict[str, Any]) -> None:
        self._write_chunk(b"data: " + json.dumps(payload).encode() + b"\n\n")

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
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                readable, _, _ = select.select([self.connection], [], [], min(remaining, 0.02))
                if readable and self.connection.recv(1, socket.MSG_PEEK) == b"":
                    raise ClientGone
            except OSError as exc:
                raise ClientGone from exc
