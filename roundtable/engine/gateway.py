"""The engine's only view of the model providers.

`roundtable.providers.LiteLLMGateway` implements it over litellm; tests use a
scripted gateway. Keeping it a Protocol means the engine never imports litellm.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from roundtable.domain import ChatMessage, Seat, StreamChunk


class Gateway(Protocol):
    def stream(
        self, seat: Seat, messages: Sequence[ChatMessage], *, seed: int | None = None
    ) -> AsyncIterator[StreamChunk]:
        """Stream one turn of `seat`: TextDelta*, WillRetry*, then one TurnComplete.

        Raises a `ProviderError` subclass when the turn fails for good. Cancelling
        the consuming task must abort the underlying HTTP call promptly.
        """
        ...

    async def redact(self, text: str, seats: Sequence[Seat]) -> str:
        """`text`, a person's turn, without the keys this machine would send for
        `seats` or knows from its environment: the turn goes into the other seats'
        prompts, the database and the exports, as a model's reply does."""
        ...


async def close_stream(stream: AsyncIterator[StreamChunk]) -> None:
    """Close a turn's stream now, so its own clean-up (ending the HTTP call) runs at once
    rather than whenever the generator is collected."""
    aclose = getattr(stream, "aclose", None)
    if aclose is not None:
        await aclose()
