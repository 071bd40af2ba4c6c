"""Seats that share a server take turns on it; an evaluation's calls share one limit.

Many local servers answer one request at a time (llama.cpp, Ollama with one slot, LM
Studio); llama-cpp-python even cuts the reply in progress when another request
arrives. So every turn first takes a slot on its seat's server: as many at a time
as the server's limit (`providers.server_routes`: one for a local server unless the
user said otherwise, none for a hosted provider). Seats on different servers still
stream at once.

One mechanism for every limit on calls in flight: `Slots`, first come first served,
so seats queue in seat order (the round starts their turns in that order), and an
evaluation's overall limit (`--concurrency`) is one more `Slots` taken after the
server's. Slots are always taken in that order, so no two turns can each hold what
the other waits for.

A turn that must wait for its server says so (`WaitingForServer`, then
`RequestSent`): the table shows it as waiting for the server rather than thinking.
Its timeouts, which belong to the gateway underneath, start only when its request
is sent, whatever it waited for.

A server's slots are shared by every debate this process runs on the same event loop
(the app's engine runs several at once), so two debates queue for one server too;
the limit a debate brings is the one in force from its next turn on.

When a reply from a server at an address is cut moments after another request was
sent to that server during it, the server cut it for the newcomer (llama-cpp-python
does, by default): the error then says so and names the fix, a limit of 1, rather
than "the connection was probably cut". With the default limit of 1 this cannot come
from this process's own seats; another program using the same server can still do
it, unseen here, and the cut keeps its own words.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import math
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Protocol

from roundtable.domain import (
    ChatMessage,
    RequestSent,
    Seat,
    StreamChunk,
    StreamCut,
    WaitingForServer,
    WillRetry,
)
from roundtable.domain.concurrency import ServerLimit
from roundtable.engine.gateway import Gateway, close_stream


class ServerRoute(Protocol):
    """A seat's server as the queue needs it (`providers.server_routes.ServerRoute`)."""

    @property
    def key(self) -> str:
        """Its name for the queue: "http://localhost:8080", "anthropic"."""

    @property
    def label(self) -> str:
        """Its name for people: "localhost:8080"."""

    @property
    def concurrency(self) -> int | None:
        """How many requests it takes at once; None: no limit."""


#: How soon after another request to the same server a cut is put down to it: the
#: server cuts at once, but a request counts as sent when it is let through, which
#: may be seconds before it goes out (the first call loads litellm).
NEWCOMER_WINDOW_S = 10.0

#: Where a seat's requests go, given the user's limits.
Route = Callable[[Seat, tuple[ServerLimit, ...]], ServerRoute]


class Slots:
    """At most `limit` holders at once (None: any number), served first come first
    served: a freed slot is handed to the longest waiter, never taken by a newcomer."""

    def __init__(self, limit: int | None) -> None:
        if limit is not None and limit < 1:
            raise ValueError(f"a limit on calls in flight must be at least 1, not {limit}")
        self.limit = limit
        self.in_flight = 0
        self.peak = 0  # the most ever held at once, for tests and the benchmark
        #: Requests sent by holders, ever (each admission, each retry): a request sent
        #: since a mark raises it; and when the latest went out (the loop's clock).
        self.requests = 0
        self.last_request_at = -math.inf
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    def set_limit(self, limit: int | None) -> None:
        """Change the limit; a raised one lets waiters in at once."""
        self.limit = limit
        while self._waiters and not self._full:
            self._hand_over()

    @property
    def busy(self) -> bool:
        """Whoever asks now has to wait."""
        return self._full or any(not waiter.done() for waiter in self._waiters)

    @property
    def _full(self) -> bool:
        return self.limit is not None and self.in_flight >= self.limit

    async def acquire(self) -> None:
        if not self.busy:
            self._take()
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter  # `release` hands its slot over: already counted as ours
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed over just as we were cancelled: pass it on
            elif waiter in self._waiters:  # a release may have passed it over already
                self._waiters.remove(waiter)
                if not self._full:  # one who queued behind it must not wait for nobody
                    self._hand_over()
            raise

    def release(self) -> None:
        self.in_flight -= 1
        if not self._full:
            self._hand_over()

    def _hand_over(self) -> None:
        """Give a slot to the longest waiter still waiting, if any."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._take()
                waiter.set_result(None)
                return

    def note_request(self, at: float) -> None:
        """A holder sends (or will send, at `at`) a request."""
        self.requests += 1
        self.last_request_at = max(self.last_request_at, at)

    def _take(self) -> None:
        self.in_flight += 1
        self.note_request(asyncio.get_running_loop().time())
        self.peak = max(self.peak, self.in_flight)


#: Each event loop's server slots, by server key: shared by the debates on that loop.
_SERVERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Slots]] = (
    weakref.WeakKeyDictionary()
)


def server_slots(server: ServerRoute) -> Slots:
    """The slots of `server` on the running loop, with its limit as given now."""
    servers = _SERVERS.setdefault(asyncio.get_running_loop(), {})
    slots = servers.get(server.key)
    if slots is None:
        slots = servers[server.key] = Slots(server.concurrency)
    elif slots.limit != server.concurrency:
        slots.set_limit(server.concurrency)
    return slots


class QueuedGateway:
    """A gateway whose turns wait for a slot on their server (and for one of the
    run's slots when `overall` is set) before their request is sent.

    The slots are held for the whole turn, retries included: a server counts the
    requests in flight, and a retry is one. Share one `QueuedGateway` between debates
    that run at once (an evaluation does) so that they queue for the same servers.
    """

    def __init__(
        self,
        gateway: Gateway,
        limits: Sequence[ServerLimit] = (),
        *,
        overall: int | None = None,
        route: Route | None = None,
    ) -> None:
        if route is None:
            from roundtable.providers.server_routes import seat_server

            route = seat_server
        self._gateway = gateway
        self._limits = tuple(limits)
        self._route = route
        #: Every call of the run (an evaluation's `--concurrency`); unlimited otherwise.
        self.overall = Slots(overall)

    @property
    def in_flight(self) -> int:
        return self.overall.in_flight

    @property
    def peak(self) -> int:
        return self.overall.peak

    async def redact(self, text: str, seats: Sequence[Seat]) -> str:
        return await self._gateway.redact(text, seats)  # no request: nothing to queue

    async def stream(
        self, seat: Seat, messages: Sequence[ChatMessage], *, seed: int | None = None
    ) -> AsyncIterator[StreamChunk]:
        server = self._route(seat, self._limits)
        on_server = server_slots(server)
        # Only a wait for the server is announced: an evaluation's own limit is its
        # business, and its debates are not watched turn by turn.
        waits = on_server.busy
        if waits:
            yield WaitingForServer(server.label)
        held: list[Slots] = []
        try:
            for slots in (on_server, self.overall):  # always in this order: no deadlock
                await slots.acquire()
                held.append(slots)
            if waits:
                yield RequestSent()
            watch = _CutWatch(on_server, server)
            stream = self._gateway.stream(seat, messages, seed=seed)
            try:
                async for chunk in stream:
                    if isinstance(chunk, WillRetry):
                        newcomer = watch.cut_for_newcomer()
                        watch.retrying(chunk.delay_s)
                        if newcomer and isinstance(chunk.error, StreamCut):
                            error = cut_by_newcomer(chunk.error, seat, server)
                            yield dataclasses.replace(chunk, error=error)
                            continue
                    yield chunk
            except StreamCut as cut:
                if watch.cut_for_newcomer():
                    raise cut_by_newcomer(cut, seat, server) from cut
                raise
            finally:
                await close_stream(stream)  # now, not when collected: ends its HTTP call
        finally:
            for slots in reversed(held):
                slots.release()


class _CutWatch:
    """Whether a cut now is the server dropping this attempt for another request: one
    went to the same server (at an address, not a provider's route) during the
    attempt, moments ago."""

    def __init__(self, slots: Slots, server: ServerRoute) -> None:
        self._slots = slots
        self._at_address = "//" in server.key
        self._mark = slots.requests

    def cut_for_newcomer(self) -> bool:
        since = asyncio.get_running_loop().time() - self._slots.last_request_at
        # Requests let through in one moment reach the server in any order (the HTTP
        # client may take longer to send the first), so another holder still in flight
        # counts as a newcomer too, not only a request let through after this one.
        others = self._slots.requests > self._mark or self._slots.in_flight > 1
        return self._at_address and others and since <= NEWCOMER_WINDOW_S

    def retrying(self, delay_s: float) -> None:
        """The next attempt is a request of its own, sent after `delay_s`."""
        self._slots.note_request(asyncio.get_running_loop().time() + delay_s)
        self._mark = self._slots.requests


def cut_by_newcomer(cut: StreamCut, seat: Seat, server: ServerRoute) -> StreamCut:
    """`cut` told as what it was: the server dropped this reply for another request."""
    return StreamCut(
        f"Seat '{seat.name}': the server at {server.label} cut this reply when another "
        "request arrived: it serves one request at a time. Set its concurrency to 1 in "
        "Settings › Local servers (or `concurrency = 1` under its [[server]] in the panel file, "
        f"or --server-concurrency {server.label}=1).",
        seat=cut.seat,
        provider=cut.provider,
        retry_after=cut.retry_after,
    )
