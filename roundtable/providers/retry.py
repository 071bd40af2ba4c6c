"""When to try a model call again, how long to wait, and how long to wait for a model.

The OpenAI SDK under litellm silently retries twice by default; the gateway turns
that off (`max_retries=0`) and retries here instead, so every retry is visible to
the user as a `WillRetry` and the waits are ours to choose and to test. How long a
server asked us to wait (`Retry-After`) is read here too.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from roundtable.domain import ConfigError, ProviderError, ProviderTimeout


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter; a server's Retry-After wins when it gives one.

    Only errors marked `retryable` are retried (rate limits, 5xx, timeouts, cut
    streams, refused connections); a refused key, a bad request or an unknown
    model fails at once, since asking again cannot help. A timeout is retried at
    most once: each attempt already waited the whole limit, so a third would make
    the table wait three times as long for a seat that is probably stuck.
    """

    max_attempts: int = 3
    #: Attempts in all for a turn whose attempts time out (first try + one retry).
    timeout_attempts: int = 2
    base_delay_s: float = 1.0
    max_delay_s: float = 20.0
    #: A Retry-After longer than this is shortened to it: a debate should not
    #: sit silent for an hour because a server said so.
    retry_after_cap_s: float = 60.0
    #: Each backoff delay is spread by up to this fraction either way, so seats
    #: that failed together do not all retry in the same instant.
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if min(self.max_attempts, self.timeout_attempts) < 1:
            raise ConfigError("Retry policy: max_attempts must be at least 1.")
        if min(self.base_delay_s, self.max_delay_s, self.retry_after_cap_s) < 0:
            raise ConfigError("Retry policy: delays cannot be negative.")
        if not 0.0 <= self.jitter <= 1.0:
            raise ConfigError("Retry policy: jitter is a fraction between 0 and 1.")

    def should_retry(self, error: ProviderError, attempt: int) -> bool:
        """Whether to start another attempt after attempt number `attempt` (1-based) failed."""
        limit = self.max_attempts
        if isinstance(error, ProviderTimeout):
            limit = min(limit, self.timeout_attempts)
        return error.retryable and attempt < limit

    def delay_s(
        self, error: ProviderError, attempt: int, rng: random.Random | None = None
    ) -> float:
        """Seconds to wait after attempt number `attempt` failed with `error`."""
        if error.retry_after is not None:  # a 429 or an overloaded 503/529 that said when
            return min(max(error.retry_after, 0.0), self.retry_after_cap_s)
        backoff = min(self.max_delay_s, self.base_delay_s * 2.0 ** (attempt - 1))
        spread = backoff * self.jitter
        uniform = rng.uniform if rng is not None else random.uniform
        draw = uniform(-spread, spread)
        return max(0.0, min(self.max_delay_s, backoff + draw))


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long a seat may stay silent before its attempt counts as failed.

    `first_token_s` runs from the start of the call to the first piece of text
    (a model may think for a while before it speaks); `stall_s` is the longest gap
    allowed between two chunks after that; `connect_s` bounds opening the connection.
    `turn_deadline_s` bounds the whole turn, retries included: a server that drips a
    word a second is never silent long enough to stall, yet must not hold a debate
    for ever. Generous, since a local model can be slow but honest.
    """

    first_token_s: float = 60.0
    stall_s: float = 60.0
    connect_s: float = 10.0
    turn_deadline_s: float = 600.0

    def __post_init__(self) -> None:
        if not min(self.first_token_s, self.stall_s, self.connect_s, self.turn_deadline_s) > 0:
            raise ConfigError("Timeouts must be positive numbers of seconds.")

    def for_turn(self, seconds: float | None) -> Timeouts:
        """These timeouts with a debate's per-turn limit (`DebateSpec.turn_timeout_s`).

        The limit bounds both the wait for the first token and any silence after it;
        connecting never takes longer than the turn may. None keeps these timeouts.
        """
        if seconds is None:
            return self
        limit = _seconds(seconds, "per-turn timeout")
        return replace(
            self, first_token_s=limit, stall_s=limit, connect_s=min(self.connect_s, limit)
        )

    def with_deadline(self, seconds: float | None) -> Timeouts:
        """These timeouts with a debate's deadline for a whole turn
        (`DebateSpec.turn_deadline_s`); None keeps this one."""
        if seconds is None:
            return self
        return replace(self, turn_deadline_s=_seconds(seconds, "turn deadline"))


def _seconds(value: object, what: str) -> float:
    """`value` as a positive finite number of seconds; ConfigError naming `what` if not."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        raise ConfigError(f"The {what} must be a positive number of seconds, not {value!r}.")
    return float(value)


def retry_after_s(chain: Sequence[BaseException]) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms or Retry-After), if it did."""
    for exc in chain:
        # litellm keeps the vendor's headers apart from `response` (which it rebuilds).
        for headers in (
            getattr(exc, "litellm_response_headers", None),
            getattr(exc, "headers", None),
            getattr(getattr(exc, "response", None), "headers", None),
        ):
            value = _parse_retry_after(headers)
            if value is not None:
                return value
    return None


def _parse_retry_after(headers: Any) -> float | None:
    if not headers:
        return None
    try:
        lowered = {str(k).lower(): str(v) for k, v in dict(headers).items()}
    except (TypeError, ValueError):
        return None
    if "retry-after-ms" in lowered:
        try:
            return max(float(lowered["retry-after-ms"]) / 1000.0, 0.0)
        except ValueError:
            pass
    raw = lowered.get("retry-after")
    if raw is None:
        return None
    try:
        return max(float(raw), 0.0)
    except ValueError:
        pass
    try:  # the HTTP-date form
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(moment.timestamp() - time.time(), 0.0)
