"""The errors a turn ends with when the server does not finish it properly, in words
that name the seat, the server and the fix: silence, a passed deadline, a cut stream,
and a 200 answer that is not a stream at all."""

from __future__ import annotations

from roundtable.domain import BadResponse, ProviderTimeout, Seat, StreamCut
from roundtable.providers.catalogue import provider_label
from roundtable.providers.errors import scrub
from roundtable.providers.retry import Timeouts


def silence(seat: Seat, timeouts: Timeouts, *, speaking: bool) -> ProviderTimeout:
    """The seat's server said nothing for too long: before its first word, or mid-reply."""
    where = _where(seat)
    if speaking:
        what = f"{where} stopped sending for {timeouts.stall_s:g} s mid-reply"
    else:
        what = f"no answer from {where} within {timeouts.first_token_s:g} s"
    return ProviderTimeout(
        f"Seat '{seat.name}' ({seat.provider or seat.model}): {what} — the model may be "
        "overloaded or the server stuck; try again, or allow more time (the turn timeout in "
        "Settings, or --timeout SECONDS).",
        seat=seat.name,
        provider=seat.provider or None,
    )


def deadline_passed(seat: Seat, timeouts: Timeouts) -> ProviderTimeout:
    """The turn as a whole ran past its deadline."""
    return ProviderTimeout(
        f"Seat '{seat.name}' ({seat.provider or seat.model}): no complete reply from "
        f"{_where(seat)} within the turn's deadline of {timeouts.turn_deadline_s:g} s — "
        "allow more time with --turn-deadline SECONDS.",
        seat=seat.name,
        provider=seat.provider or None,
    )


def cut(seat: Seat, *, words: int) -> StreamCut:
    """The stream ended without the provider's finish, after `words` words."""
    return StreamCut(
        scrub(
            f"Seat '{seat.name}' ({seat.provider or seat.model}): the reply from {_where(seat)} "
            f"ended after {words} words without finishing — the connection was probably "
            "cut; try again."
        ),
        seat=seat.name,
        provider=seat.provider or None,
    )


def not_a_stream(seat: Seat, content_type: object) -> BadResponse | None:
    """The error for a 200 answer that is not an event stream (an HTML page, JSON).

    A captive portal, a proxy's error page or an api_base that points at the
    wrong path all answer 200 with something else; litellm then yields nothing
    at all. None when the answer did claim to be an event stream.
    """
    if not isinstance(content_type, str) or "event-stream" in content_type.lower():
        return None
    kind = content_type.split(";")[0].strip() or "an unknown type"
    return BadResponse(
        f"Seat '{seat.name}' ({seat.provider or seat.model}): {_where(seat)} answered with "
        f"{kind} instead of a streamed model reply — check that the address is "
        f"{_api_kind(seat.provider)} and that no proxy or login page is in the way.",
        seat=seat.name,
        provider=seat.provider or None,
    )


def _where(seat: Seat) -> str:
    return f"the server at {seat.api_base}" if seat.api_base else provider_label(seat.provider)


def _api_kind(provider: str | None) -> str:
    """What a seat's api_base should point at, in the words of its route."""
    if provider == "anthropic":
        return "the server's Anthropic API (its root: litellm adds /v1/messages)"
    if provider in ("gemini", "vertex_ai", "vertex_ai_beta"):
        return "the server's Gemini API (it usually ends in /v1beta)"
    return "the server's OpenAI-compatible API (it usually ends in /v1)"
