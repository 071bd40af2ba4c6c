"""Every error Roundtable raises on purpose, with a message a person can act on.

    RoundtableError
    ├── ConfigError            bad input: question, seats, panel file, model id, options
    ├── StorageError           the database cannot be opened, migrated or written
    ├── DebateError            the debate itself cannot go on
    │   └── NotEnoughSeats     fewer than two seats are left standing
    └── ProviderError          one model call failed (raised by providers/, per seat)
        ├── AuthFailed         401/403: key missing or refused; never retried
        ├── RateLimited        429; retried after `retry_after` seconds
        ├── ProviderTimeout    no first token, or the stream stalled, within the limit
        ├── ProviderUnavailable  5xx, connection refused, DNS; retried (after Retry-After)
        ├── StreamCut          the stream ended without a finish reason
        └── BadResponse        400/404, malformed chunk or body; never retried

`str(error)` is the message for the user: what failed, and what to do about it.
Provider messages name the seat. The exceptions of litellm and the OpenAI SDK are
mapped onto this tree in one place, `roundtable.providers.errors`.
"""

from __future__ import annotations


class RoundtableError(Exception):
    """Base of every error Roundtable raises on purpose."""


class ConfigError(RoundtableError):
    """The user's input or configuration is wrong; the message says how to fix it."""


class StorageError(RoundtableError):
    """The transcript database cannot be opened, migrated or written."""


class DebateError(RoundtableError):
    """The debate cannot continue."""


class NotEnoughSeats(DebateError):
    """Fewer than two seats remain, so there is nobody left to debate with."""


class ProviderError(RoundtableError):
    """A model call failed.

    `retryable` tells the gateway's retry policy whether another attempt may help;
    `kind` is a stable short name stored with a failed turn ("auth", "rate_limit", ...);
    `retry_after` is how long the server asked us to wait (Retry-After), if it did.
    """

    kind = "provider"
    retryable = False

    def __init__(
        self,
        message: str,
        *,
        seat: str | None = None,
        provider: str | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(message)
        self.seat = seat
        self.provider = provider
        self.retry_after = retry_after


class AuthFailed(ProviderError):
    kind = "auth"


class RateLimited(ProviderError):
    kind = "rate_limit"
    retryable = True


class ProviderTimeout(ProviderError):
    kind = "timeout"
    retryable = True


class ProviderUnavailable(ProviderError):
    kind = "unavailable"
    retryable = True


class StreamCut(ProviderError):
    kind = "stream_cut"
    retryable = True


class BadResponse(ProviderError):
    kind = "bad_response"
