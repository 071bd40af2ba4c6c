"""Server-sent events read leniently: bytes that are not UTF-8 become U+FFFD, not a crash.

The OpenAI SDK under litellm (the route of OpenAI and every OpenAI-compatible
server) decodes each event line strictly; one stray Latin-1 byte raised
UnicodeDecodeError, which ended the stream, and the rest of the reply was lost as
if the connection had been cut. litellm's own client (the Anthropic and Gemini
routes) already decodes with replacement, through httpx. Both now agree: the text
is kept, and each byte that could not be read shows as the replacement character
"\ufffd", so the reader sees where something was lost.

Decoding per line is exact: an event line ends at \\n or \\r, and those bytes never
occur inside a multi-byte UTF-8 character, so no character is split between lines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any


def install(openai_module: Any) -> None:
    """Make the SDK's clients (litellm's, too) build the lenient decoder.

    An SDK that no longer has these hooks keeps its strict decoder: a stray byte
    would then cost a retry again (the route tests say so), not the app its start.
    """
    try:
        base = openai_module._base_client.BaseClient
        strict = openai_module._streaming.SSEDecoder
    except AttributeError:
        return
    decoder_class = _lenient_decoder_class(strict)

    def make_sse_decoder(self: Any) -> Any:
        return decoder_class()

    base._make_sse_decoder = make_sse_decoder


def _lenient_decoder_class(strict: type) -> type:
    class LenientSSEDecoder(strict):  # type: ignore[misc]
        """The SDK's decoder, with `errors="replace"` where it decodes each line."""

        def iter_bytes(self, iterator: Iterator[bytes]) -> Iterator[Any]:
            for chunk in self._iter_chunks(iterator):
                for raw_line in chunk.splitlines():
                    sse = self.decode(raw_line.decode("utf-8", "replace"))
                    if sse:
                        yield sse

        async def aiter_bytes(self, iterator: AsyncIterator[bytes]) -> AsyncIterator[Any]:
            async for chunk in self._aiter_chunks(iterator):
                for raw_line in chunk.splitlines():
                    sse = self.decode(raw_line.decode("utf-8", "replace"))
                    if sse:
                        yield sse

    return LenientSSEDecoder
