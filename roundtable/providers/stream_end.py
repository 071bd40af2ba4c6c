"""Did the provider itself say its reply was finished? Per route, where litellm hides it.

A stream that stops without the provider's own finish reason was cut, whatever the
library makes of it. litellm (1.106) blurs that in two ways:

- its stream wrapper invents a final chunk with finish_reason "stop" when the
  provider's stream ends without one (`finish_reason_handler`); what the provider
  really sent is kept on the wrapper (`received_finish_reason`, or
  `intermittent_finish_reason` for routes parsed as OpenAI chunks);
- on the Gemini route (`gemini/`, `vertex_ai/`) its chunk parser stamps *every*
  chunk "stop" when the candidate has no `finishReason` (`_check_finish_reason`
  falls back to "stop"), so even those fields read "stop" after the first word of
  a reply cut a moment later. There the only faithful record is the raw chunk, so
  `StreamWatch` reads each one as litellm parses it. That route also sends its
  request only on the first read, so the response's Content-Type (is this a
  stream at all, or a login page?) is kept here too; litellm does not pass it on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any

#: Providers whose streams litellm parses with the Gemini iterator.
_GEMINI_ROUTES = frozenset({"gemini", "vertex_ai", "vertex_ai_beta"})


class StreamWatch:
    """Watches one litellm stream for what its wrapper hides: the provider's own
    end-of-reply mark and, on the Gemini route, the response's Content-Type."""

    def __init__(self, response: Any) -> None:
        #: None: this route's wrapper fields are trusted; else whether a raw chunk
        #: carried a finishReason.
        self._raw_finish: bool | None = None
        #: The Content-Type of a stream opened on first read (None: see the wrapper's).
        self.content_type: str | None = None
        if getattr(response, "custom_llm_provider", None) not in _GEMINI_ROUTES:
            return
        stream = getattr(response, "completion_stream", None)
        open_stream = getattr(response, "make_call", None)
        if stream is None and callable(open_stream):
            # The Gemini route sends its request on the first read (litellm's
            # `fetch_stream` awaits `make_call`): watch the stream once it exists.
            async def open_and_watch(*args: Any, **kwargs: Any) -> Any:
                opened = await open_stream(*args, **kwargs)
                self._watch_gemini(opened)
                return opened

            response.make_call = open_and_watch
        else:
            self._watch_gemini(stream)

    def _watch_gemini(self, stream: Any) -> None:
        headers = getattr(stream, "response_headers", None)
        with contextlib.suppress(AttributeError, TypeError):
            self.content_type = headers.get("content-type") if headers is not None else None
        parse: Callable[..., Any] | None = getattr(stream, "chunk_parser", None)
        if not callable(parse):
            return  # a litellm that parses differently: fall back on the wrapper's fields
        self._raw_finish = False

        def parse_and_note(chunk: Any) -> Any:
            if _gemini_says_finished(chunk):
                self._raw_finish = True
            return parse(chunk=chunk)

        # On this one stream object only: litellm calls `self.chunk_parser(chunk=...)`.
        stream.chunk_parser = parse_and_note

    def finish_reason(self, response: Any, seen: str | None) -> str | None:
        """The finish reason the provider sent, or None if it sent none.

        `seen` is the last finish reason the gateway saw on a chunk (used when the
        response is not litellm's stream wrapper).
        """
        if self._raw_finish is False:
            return None
        if hasattr(response, "received_finish_reason"):
            real = response.received_finish_reason or getattr(
                response, "intermittent_finish_reason", None
            )
            if real:
                return str(real)
            return "stop" if self._raw_finish else None
        return seen


def _gemini_says_finished(chunk: Any) -> bool:
    """Whether a raw Gemini GenerateContentResponse ends the reply (or the prompt was
    blocked, which ends it before it starts)."""
    if not isinstance(chunk, Mapping):
        return False
    feedback = chunk.get("promptFeedback")
    if isinstance(feedback, Mapping) and feedback.get("blockReason"):
        return True
    candidates = chunk.get("candidates")
    if not isinstance(candidates, list):
        return False
    return any(isinstance(c, Mapping) and c.get("finishReason") for c in candidates)
