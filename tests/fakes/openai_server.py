"""A loopback chat server with scripted replies and faults, in three dialects.

It speaks OpenAI's chat completions, Anthropic's Messages stream and Gemini's
streamGenerateContent (dialects.py); every scripted reply and fault works on each:

    Seat(model="openai/fake-gpt", api_base=server.base_url)           # .../v1
    Seat(model="anthropic/fake-claude", api_base=server.url)          # POST /v1/messages
    Seat(model="gemini/fake-gemini", api_base=server.gemini_base_url) # .../v1beta

Used by the provider integration tests, the CLI end-to-end test and
`benchmarks/fanout.py`, so that the real litellm -> OpenAI SDK -> httpx path is
exercised without the internet.

    with FakeOpenAIServer(ttft_s=0.05, token_s=0.01) as server:
        server.enqueue("fake-gpt", Reply("Final answer: 7"))
        server.enqueue("fake-gpt", Fault.http(429, retry_after=2))
        ... acompletion(model="openai/fake-gpt", api_base=server.base_url, ...)
        server.requests  # every chat request's JSON body, in arrival order

Each chat request takes the next scripted item queued for its model; with none
queued it gets the model's default reply, or a fault chosen by the model's name
(`fail-401`, `fail-429`, `fail-500`, any `fail-NNN`, `cut-stream`, `malformed`,
`bad-bytes`, `hang`, `html-page`) so that a CLI run in a subprocess can ask for one,
or else a generic reply ending in "Final answer: 42 / Confidence: 0.8" (`answer-X`
models answer X instead, for tables that never agree).

`FakeOpenAIServer(one_at_a_time="queue")` answers one chat request at a time, the next
waiting for it (llama.cpp's server with one slot, Ollama with one parallel request);
`one_at_a_time="cancel"` ends the reply in progress as soon as another request arrives,
with `data: [DONE]` and no finish reason, then answers the newcomer (llama-cpp-python's
server, whose `interrupt_requests` is on by default). `cancelled` counts those cuts.

`FakeOpenAIServer.like_litellm_proxy(key)` refuses keys the way a LiteLLM proxy does;
`speaks_ollama=True` also serves Ollama's native API (`ollama_routes.py`).

Run standalone (prints the base URL on the first stdout line, serves until killed):

    python -m tests.fakes.openai_server --port 0 --ttft 0.3 --token 0.02

It binds 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import itertools
import socket
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from http.server import ThreadingHTTPServer
from typing import Any, Literal

from tests.fakes.openai_handler import OpenAIHandler
from tests.fakes.openai_script import (
    DEFAULT_MODELS,
    DEFAULT_TEXT,
    Fault,
    Reply,
    Script,
    fault_for_model_name,
    reply_for_model_name,
)

# Tests import everything about the fake from this one module.
__all__ = ["DEFAULT_MODELS", "DEFAULT_TEXT", "FakeOpenAIServer", "Fault", "Reply", "Script"]


class FakeOpenAIServer:
    """A scriptable OpenAI-compatible server on 127.0.0.1, run in a background thread."""

    def __init__(
        self,
        *,
        ttft_s: float = 0.0,
        token_s: float = 0.0,
        port: int = 0,
        models: Sequence[str] = DEFAULT_MODELS,
        api_key: str | None = None,
        reply_words: int = 0,
        speaks_ollama: bool = False,
        one_at_a_time: Literal["queue", "cancel"] | None = None,
    ) -> None:
        self.ttft_s = ttft_s
        #: A server with one slot: "queue" makes a second request wait, "cancel" cuts
        #: the reply in progress for it.
        self.one_at_a_time = one_at_a_time
        self._slot = threading.Lock()
        self._interrupt: threading.Event | None = None  # the reply holding the slot
        #: Replies cut because another request arrived ("cancel").
        self.cancelled = 0
        #: Filler words put before the answer of default replies (longer streams).
        self.reply_words = reply_words
        self.token_s = token_s
        #: When set, requests without `Authorization: Bearer <api_key>` get `refusal`.
        self.api_key = api_key
        #: The status and message ({key}: the key received) of a refused chat request.
        self.refusal: tuple[int, str] = (401, "Incorrect API key provided: {key}.")
        #: When set, a request with no key at all gets this status and a plain-text body.
        self.keyless_status: int | None = None
        #: The model list, too, needs the key.
        self.models_need_key = False
        #: When set, `GET /model/info` answers as a LiteLLM proxy does, with these
        #: prices: {model name: (USD per prompt token, per completion token)}.
        self.model_info: dict[str, tuple[float, float]] | None = None
        #: Also serve Ollama's native API (`ollama_routes.py`).
        self.speaks_ollama = speaks_ollama
        self._models = list(models)
        self._port = port
        self._lock = threading.Lock()
        self._queues: dict[str, collections.deque[Script]] = collections.defaultdict(
            collections.deque
        )
        self._defaults: dict[str, Reply] = {}
        #: Each chat request's JSON body, in arrival order.
        self.requests: list[dict[str, Any]] = []
        #: The headers of each chat request (same order as `requests`).
        self.request_headers: list[dict[str, str]] = []
        self._disconnects = 0
        #: Chat requests being answered now, and the most there ever were at once.
        self.in_flight = 0
        self.peak_in_flight = 0
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)

    @classmethod
    def like_litellm_proxy(cls, master_key: str, **options: Any) -> FakeOpenAIServer:
        """Refuses keys as a LiteLLM proxy without a database does (litellm 1.106,
        measured): a wrong key gets 400 "No connected db.", no key at all a plain 500,
        for the model list as for chat."""
        server = cls(api_key=master_key, **options)
        server.refusal = (400, "No connected db.")
        server.keyless_status = 500
        server.models_need_key = True
        return server

    # ------------------------------------------------------------ scripting
    def enqueue(self, model: str, item: Script) -> None:
        """Serve `item` to the next chat request for `model` (first in, first out)."""
        with self._lock:
            self._queues[model].append(item)
            if model not in self._models:
                self._models.append(model)

    def set_default(self, model: str, reply: Reply) -> None:
        """Serve `reply` to every request for `model` that has nothing queued."""
        with self._lock:
            self._defaults[model] = reply
            if model not in self._models:
                self._models.append(model)

    def requests_for(self, model: str) -> list[dict[str, Any]]:
        with self._lock:
            return [body for body in self.requests if body.get("model") == model]

    @property
    def disconnects(self) -> int:
        """How many responses the client abandoned before they were complete."""
        with self._lock:
            return self._disconnects

    def wait_for_disconnects(self, count: int, timeout_s: float = 2.0) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.disconnects >= count:
                return True
            time.sleep(0.01)
        return self.disconnects >= count

    # ------------------------------------------------------------ lifecycle
    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """The OpenAI-style base URL (`.../v1`), what a seat's `api_base` should be."""
        return f"{self.url}/v1"

    @property
    def gemini_base_url(self) -> str:
        """What a `gemini/...` seat's `api_base` should be (`.../v1beta`)."""
        return f"{self.url}/v1beta"

    def start(self) -> FakeOpenAIServer:
        handler = type("BoundHandler", (OpenAIHandler,), {"owner": self})
        self._httpd = _QuietServer(("127.0.0.1", self._port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-openai-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            # Idle keep-alive connections would otherwise hold their threads open.
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ------------------------------------------------------------ internals
    @contextlib.contextmanager
    def _turn_on_slot(self) -> Iterator[threading.Event | None]:
        """Hold the server's one slot while a chat request is answered (when it has
        one); yields the event that tells this reply to stop ("cancel")."""
        if self.one_at_a_time is None:
            yield None
            return
        if self.one_at_a_time == "cancel":
            with self._lock:
                if self._interrupt is not None:
                    self._interrupt.set()  # the reply in progress ends now
        while not self._slot.acquire(timeout=0.05):
            if self._stopping.is_set():
                raise ConnectionAbortedError("the server is stopping")
        interrupt = threading.Event()
        with self._lock:
            self._interrupt = interrupt
        try:
            yield interrupt
        finally:
            with self._lock:
                if self._interrupt is interrupt:
                    self._interrupt = None
            self._slot.release()

    def _note_cancelled(self) -> None:
        with self._lock:
            self.cancelled += 1

    def _take(self, model: str) -> Script:
        with self._lock:
            queue = self._queues.get(model)
            if queue:
                return queue.popleft()
            if model in self._defaults:
                return self._defaults[model]
        return fault_for_model_name(model) or reply_for_model_name(model, self.reply_words)

    def _record(self, body: dict[str, Any], headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append(body)
            self.request_headers.append(headers)

    def _request_began(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def _request_ended(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _note_disconnect(self) -> None:
        with self._lock:
            self._disconnects += 1

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _model_list(self) -> list[str]:
        with self._lock:
            return list(self._models)

    def _next_id(self) -> str:
        return f"chatcmpl-fake{next(self._ids)}"


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up on an idle keep-alive connection is no error worth a
    traceback on stderr (the OpenAI SDK's pool does, when its event loop ends)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionResetError | BrokenPipeError):
            return
        super().handle_error(request, client_address)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ttft", type=float, default=0.0, help="seconds before the first token")
    parser.add_argument("--token", type=float, default=0.0, help="seconds between tokens")
    parser.add_argument("--words", type=int, default=0, help="filler words in default replies")
    parser.add_argument("--ollama", action="store_true", help="also serve Ollama's native API")
    parser.add_argument("--proxy-key", help="refuse other keys as a LiteLLM proxy does")
    args = parser.parse_args(argv)
    options: dict[str, Any] = {
        "ttft_s": args.ttft,
        "token_s": args.token,
        "port": args.port,
        "reply_words": args.words,
        "speaks_ollama": args.ollama,
    }
    if args.proxy_key:
        server = FakeOpenAIServer.like_litellm_proxy(args.proxy_key, **options).start()
    else:
        server = FakeOpenAIServer(**options).start()
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
