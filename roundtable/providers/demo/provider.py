"""The `demo` provider: offline simulated models, served through litellm like real ones.

The gateway registers the handler built here, so a `demo/<name>` seat takes exactly
the path a real model takes (`litellm.acompletion`, streamed chunks, usage on the
last chunk, litellm's exception mapping):

    litellm.custom_provider_map = [{"provider": "demo", "custom_handler": make_demo_handler()}]

The words come from `demo.models.simulate_reply`; this module only delivers them the
way a model types: the first token after a few hundred milliseconds, then tens of
tokens per second, a word or two per chunk. `ROUNDTABLE_DEMO_SPEED` divides every delay
(default 1; tests use 40). Delays are plain `asyncio.sleep`s, so cancelling the
consuming task, or simply no longer iterating, stops a demo model at once.
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import re
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

# Importing litellm without these blocks on the network (docs/notes.md, "litellm").
# The gateway sets them before it imports litellm; this covers importing this module first.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import litellm
from litellm.llms.custom_llm import CustomLLM, CustomLLMError
from litellm.types.llms.openai import ChatCompletionUsageBlock
from litellm.types.utils import Choices, GenericStreamingChunk, ModelResponse

from roundtable.domain import ConfigError
from roundtable.providers.demo.models import DemoModel, get_demo_model, simulate_reply

__all__ = ["SPEED_ENV", "DemoLLM", "estimate_tokens", "make_demo_handler", "speed_factor"]

#: Environment variable that divides every demo delay (2 = twice as fast).
SPEED_ENV = "ROUNDTABLE_DEMO_SPEED"
#: Rough size of a token for usage figures; the demo has no tokenizer and needs none.
CHARS_PER_TOKEN = 4
_WORD = re.compile(r"\s*\S+")


def speed_factor() -> float:
    """`ROUNDTABLE_DEMO_SPEED` as a positive number; anything unusable means 1.0."""
    raw = os.environ.get(SPEED_ENV, "").strip()
    try:
        value = float(raw) if raw else 1.0
    except ValueError:
        return 1.0
    return value if math.isfinite(value) and value > 0 else 1.0


def estimate_tokens(text: str) -> int:
    """About one token per four characters; at least one for any non-empty text."""
    return max(1, round(len(text) / CHARS_PER_TOKEN)) if text else 0


def _prompt_tokens(messages: Sequence[Mapping[str, Any]]) -> int:
    # Chat formats spend a few tokens per message on roles and separators.
    return sum(estimate_tokens(str(m.get("content") or "")) + 4 for m in messages)


def _chunks(text: str, rng: random.Random) -> list[str]:
    """Split `text` into pieces of one or two words whose concatenation is `text`."""
    words = _WORD.findall(text)
    chunks: list[str] = []
    index = 0
    while index < len(words):
        size = 1 if rng.random() < 0.6 else 2
        chunks.append("".join(words[index : index + size]))
        index += size
    tail = text[sum(len(w) for w in words) :]  # trailing whitespace, kept exactly
    if tail:
        chunks.append(tail)
    return chunks


@dataclass(frozen=True, slots=True)
class _Turn:
    """One demo call worked out up front: what it says and how it is paced."""

    model: DemoModel
    text: str
    finish_reason: Literal["stop", "length"]
    prompt_tokens: int
    completion_tokens: int
    first_token_s: float  # already divided by `speed`
    chunks: tuple[str, ...]
    speed: float

    @property
    def usage(self) -> ChatCompletionUsageBlock:
        return ChatCompletionUsageBlock(
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            total_tokens=self.prompt_tokens + self.completion_tokens,
        )

    def delay_after(self, chunk: str) -> float:
        """Seconds to type `chunk` at this model's speed (already scaled)."""
        return estimate_tokens(chunk) / self.model.tokens_per_s / self.speed

    @property
    def total_s(self) -> float:
        return self.first_token_s + sum(self.delay_after(c) for c in self.chunks)


def _plan(model: str, messages: Sequence[Mapping[str, Any]], params: Mapping[str, Any]) -> _Turn:
    """Resolve the model, write its reply and decide the pacing; raise for unknown models."""
    try:
        demo = get_demo_model(model)
    except ConfigError as exc:
        # litellm maps a CustomLLMError's status onto its own exceptions: 404 -> NotFoundError.
        raise CustomLLMError(status_code=404, message=str(exc)) from exc  # type: ignore[no-untyped-call]
    seed = params.get("seed")
    text = simulate_reply(demo.id, messages, seed if isinstance(seed, int) else None)
    finish_reason: Literal["stop", "length"] = "stop"
    max_tokens = params.get("max_tokens")
    if isinstance(max_tokens, int) and 0 < max_tokens < estimate_tokens(text):
        # Honour the seat's limit the way a real model does: cut, and say so.
        text, finish_reason = text[: max_tokens * CHARS_PER_TOKEN], "length"
    rng = random.Random(text)  # pacing varies between replies but repeats for the same one
    speed = speed_factor()
    first = demo.first_token_s * rng.uniform(0.8, 1.3) / speed
    return _Turn(
        model=demo,
        text=text,
        finish_reason=finish_reason,
        prompt_tokens=_prompt_tokens(messages),
        completion_tokens=estimate_tokens(text),
        first_token_s=first,
        chunks=tuple(_chunks(text, rng)),
        speed=speed,
    )


def _chunk(text: str) -> GenericStreamingChunk:
    return GenericStreamingChunk(
        text=text, is_finished=False, finish_reason="", usage=None, index=0, tool_use=None
    )


def _last_chunk(turn: _Turn) -> GenericStreamingChunk:
    return GenericStreamingChunk(
        text="",
        is_finished=True,
        finish_reason=turn.finish_reason,
        usage=turn.usage,
        index=0,
        tool_use=None,
    )


def _fill(response: ModelResponse, turn: _Turn) -> ModelResponse:
    choice = response.choices[0]
    if isinstance(choice, Choices):
        choice.message.content = turn.text
        choice.finish_reason = turn.finish_reason
    response.model = turn.model.id
    # ModelResponse declares `usage` only dynamically; litellm itself sets it this way.
    setattr(response, "usage", litellm.Usage(**turn.usage))  # noqa: B010
    return response


class DemoLLM(CustomLLM):
    """litellm handler for `demo/<name>`: simulated replies, paced like a real model.

    litellm passes every argument by keyword; the signatures mirror `CustomLLM`'s.
    Only the async methods exist: Roundtable's engine never calls litellm synchronously.
    """

    # litellm fixes these signatures (16 arguments, a `timeout` it owns): PLR0917, ASYNC109.
    async def astreaming(  # type: ignore[override]  # noqa: PLR0917
        self,
        model: str,
        messages: list[Any],
        api_base: str,
        custom_prompt_dict: dict[Any, Any],
        model_response: ModelResponse,
        print_verbose: Callable[..., Any],
        encoding: Any,
        api_key: Any,
        logging_obj: Any,
        optional_params: dict[Any, Any],
        acompletion: Any = None,
        litellm_params: Any = None,
        logger_fn: Any = None,
        headers: Any = None,
        timeout: Any = None,  # noqa: ASYNC109
        client: Any = None,
    ) -> AsyncIterator[GenericStreamingChunk]:
        # CustomLLM declares a coroutine, but litellm iterates what this returns
        # (CustomStreamWrapper): an async generator is what it actually needs.
        turn = _plan(model, messages, optional_params)
        # Sleep until each chunk is due on a fixed schedule, so pauses never drift. The
        # loop's clock, as asyncio.sleep's own: a test's virtual clock paces it too.
        clock = asyncio.get_running_loop().time
        due = clock() + turn.first_token_s
        for piece in turn.chunks:
            await asyncio.sleep(max(0.0, due - clock()))
            yield _chunk(piece)
            due += turn.delay_after(piece)
        await asyncio.sleep(max(0.0, due - clock()))
        yield _last_chunk(turn)

    async def acompletion(  # noqa: PLR0917
        self,
        model: str,
        messages: list[Any],
        api_base: str,
        custom_prompt_dict: dict[Any, Any],
        model_response: ModelResponse,
        print_verbose: Callable[..., Any],
        encoding: Any,
        api_key: Any,
        logging_obj: Any,
        optional_params: dict[Any, Any],
        acompletion: Any = None,
        litellm_params: Any = None,
        logger_fn: Any = None,
        headers: Any = None,
        timeout: Any = None,  # noqa: ASYNC109
        client: Any = None,
    ) -> ModelResponse:
        turn = _plan(model, messages, optional_params)
        await asyncio.sleep(turn.total_s)
        return _fill(model_response, turn)


def make_demo_handler() -> DemoLLM:
    """A fresh handler for `litellm.custom_provider_map` under the provider name "demo"."""
    return DemoLLM()
