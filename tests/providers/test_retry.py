"""How long the gateway waits before trying again, and what it never retries."""

from __future__ import annotations

import random

import pytest

from roundtable.domain import (
    AuthFailed,
    BadResponse,
    ConfigError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    StreamCut,
)
from roundtable.providers import RetryPolicy, Timeouts


def test_backoff_doubles_per_attempt_and_stops_at_the_maximum():
    policy = RetryPolicy(base_delay_s=1.0, max_delay_s=5.0, jitter=0.0)
    error = ProviderUnavailable("500")

    delays = [policy.delay_s(error, attempt) for attempt in range(1, 6)]

    assert delays == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_jitter_spreads_delays_within_its_fraction():
    policy = RetryPolicy(base_delay_s=2.0, max_delay_s=100.0, jitter=0.25)
    rng = random.Random(7)

    delays = [policy.delay_s(StreamCut("cut"), 1, rng) for _ in range(200)]

    assert all(1.5 <= d <= 2.5 for d in delays)
    assert len({round(d, 3) for d in delays}) > 50  # seats failing together do not retry together


def test_retry_after_is_honoured_exactly_and_capped():
    policy = RetryPolicy(base_delay_s=1.0, retry_after_cap_s=60.0)

    assert policy.delay_s(RateLimited("429", retry_after=7.0), 1) == 7.0
    assert policy.delay_s(RateLimited("429", retry_after=3600.0), 1) == 60.0
    assert policy.delay_s(RateLimited("429", retry_after=-1.0), 1) == 0.0


def test_rate_limit_without_retry_after_backs_off():
    policy = RetryPolicy(base_delay_s=1.0, jitter=0.0)

    assert policy.delay_s(RateLimited("429"), 2) == 2.0


@pytest.mark.parametrize(
    "error",
    [RateLimited("x"), ProviderUnavailable("x"), StreamCut("x")],
    ids=lambda e: type(e).__name__,
)
def test_transient_failures_are_retried_until_the_last_attempt(error):
    policy = RetryPolicy(max_attempts=3)

    assert policy.should_retry(error, 1)
    assert policy.should_retry(error, 2)
    assert not policy.should_retry(error, 3)


def test_a_timeout_is_retried_once_only():
    # Each timed-out attempt already waited the whole limit: one more chance, not two.
    policy = RetryPolicy(max_attempts=5)

    assert policy.should_retry(ProviderTimeout("x"), 1)
    assert not policy.should_retry(ProviderTimeout("x"), 2)
    assert not RetryPolicy(max_attempts=1).should_retry(ProviderTimeout("x"), 1)


@pytest.mark.parametrize(
    "error", [AuthFailed("401"), BadResponse("400")], ids=lambda e: type(e).__name__
)
def test_refused_keys_and_bad_requests_are_never_retried(error):
    assert not RetryPolicy(max_attempts=10).should_retry(error, 1)


def test_an_exhausted_quota_is_not_retried():
    error = RateLimited("quota")
    error.retryable = False  # what the mapper does for insufficient_quota

    assert not RetryPolicy().should_retry(error, 1)


@pytest.mark.parametrize(
    "options",
    [{"max_attempts": 0}, {"timeout_attempts": 0}, {"base_delay_s": -1.0}, {"jitter": 1.5}],
)
def test_a_nonsensical_policy_is_refused(options):
    with pytest.raises(ConfigError):
        RetryPolicy(**options)


def test_timeouts_must_be_positive():
    with pytest.raises(ConfigError):
        Timeouts(first_token_s=0)
    assert Timeouts() == Timeouts(first_token_s=60.0, stall_s=60.0, connect_s=10.0)
