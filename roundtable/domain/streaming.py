"""What a provider gateway yields while one seat takes its turn.

The engine calls `Gateway.stream(seat, messages)` and receives, in order:
zero or more `TextDelta`, possibly interleaved with `WillRetry` (the text so far
is void: the attempt failed and another starts after `delay_s`), and exactly one
`TurnComplete` at the end. A turn that must wait for its server starts with
`WaitingForServer`, then `RequestSent` once it is its turn. A failure that is final
raises a `ProviderError`.
"""

from __future__ import annotations

from dataclasses import dataclass

from roundtable.domain.errors import ProviderError
from roundtable.domain.values import Usage


@dataclass(frozen=True, slots=True)
class ChatMessage:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class WillRetry:
    """The current attempt failed with `error`; the next starts after `delay_s`."""

    attempt: int  # the attempt that failed, 1-based
    delay_s: float
    error: ProviderError


@dataclass(frozen=True, slots=True)
class WaitingForServer:
    """The seat's server is busy with as many requests as it takes (`server` names it,
    "localhost:8080"): the turn waits in line; its timeouts have not started."""

    server: str


@dataclass(frozen=True, slots=True)
class RequestSent:
    """The turn's wait for its server is over: its request goes out now, and its
    timeouts count from here."""


@dataclass(frozen=True, slots=True)
class TurnComplete:
    usage: Usage
    finish_reason: str | None = None
    #: True when the stream was cut and every retry failed too: the turn's text is
    #: what arrived, kept rather than thrown away, and shown as incomplete.
    incomplete: bool = False
    #: Why an incomplete turn stopped, when the gateway knows (`domain.endings`, e.g.
    #: DEADLINE); "" for a cut stream.
    ending: str = ""


StreamChunk = TextDelta | WillRetry | WaitingForServer | RequestSent | TurnComplete
