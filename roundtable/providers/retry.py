"""When to try a model call again, how long to wait, and how long to wait for a model.

The OpenAI SDK under litellm silently retries twice by default; the gateway turns
that off (`max_retries=0`) and retries here instead, so every retry is visible to
the user as a `WillRetry` and the waits are ours to choose and to test.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from roundtable.domain import ConfigError, ProviderError, RateLimited


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter; a server's Retry-After wins when it gives one.

    Only errors marked `retryable` are retried (rate limits, 5xx, timeouts, cut
    streams, refused connections); a refused key, a bad request or an unknown
    model fails at once, since asking again cannot help.
    """

    max_attempts: int = 3
    base_delay_s: float = 1.0
    max_delay_s: float = 20.0
    #: A Retry-After longer than this is shortened to it: a debate should not
    #: sit silent for an hour because a server said so.
    retry_after_cap_s: float = 60.0
    #: Each backoff delay is spread by up to this fraction either way, so seats
    #: that failed together do not all retry in the same instant.
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigError("Retry policy: max_attempts must be at least 1.")
        if min(self.base_delay_s, self.max_delay_s, self.retry_after_cap_s) < 0:
            raise ConfigError("Retry policy: delays cannot be negative.")
        if not 0.0 <= self.jitter <= 1.0:
            raise ConfigError("Retry policy: jitter is a fraction between 0 and 1.")

    def should_retry(self, error: ProviderError, attempt: int) -> bool:
        """Whether to start another attempt after attempt number `attempt` (1-based) failed."""
        return error.retryable and attempt < self.max_attempts

    def delay_s(
        self, error: ProviderError, attempt: int, rng: random.Random | None = None
    ) -> float:
        """Seconds to wait after attempt number `attempt` failed with `error`."""
        if isinstance(error, RateLimited) and error.retry_after is not None:
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
    """

    first_token_s: float = 60.0
    stall_s: float = 60.0
    connect_s: float = 10.0

    def __post_init__(self) -> None:
        if min(self.first_token_s, self.stall_s, self.connect_s) <= 0:
            raise ConfigError("Timeouts must be positive numbers of seconds.")
