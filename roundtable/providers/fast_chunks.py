"""Streamed chunks read by pydantic's compiled validator, not the SDK's Python walk.

On the OpenAI route (OpenAI and every OpenAI-compatible server) the SDK turns each
streamed event into a `ChatCompletionChunk` with `construct_type`, a lenient
field-by-field walk in Python: profiled, it was about 40% of litellm's whole cost
per chunk (benchmarks/chunk_cost.py). pydantic's own validator builds the same
model, equal field for field, in a small fraction of the time. A chunk it refuses
(a server whose chunks bend the schema: no `created`, another `object`) goes the
SDK's lenient way as before, so nothing that was read is refused now.
"""

from __future__ import annotations

from typing import Any


def install(openai_module: Any) -> None:
    """Make the SDK's clients (litellm's, too) build chunks the fast way.

    An SDK without these hooks keeps its own way: slower, not broken.
    """
    try:
        base = openai_module._base_client.BaseClient
        chunk_type = openai_module.types.chat.ChatCompletionChunk
        lenient = base._process_response_data
    except AttributeError:
        return
    if getattr(lenient, "_roundtable_fast", False):
        return
    import pydantic

    validate = chunk_type.model_validate

    def process_response_data(self: Any, *, data: object, cast_to: Any, response: Any) -> Any:
        if cast_to is chunk_type and isinstance(data, dict):
            try:
                return validate(data)
            except pydantic.ValidationError:
                pass  # read leniently below, as the SDK always did
        return lenient(self, data=data, cast_to=cast_to, response=response)

    process_response_data._roundtable_fast = True  # type: ignore[attr-defined]
    base._process_response_data = process_response_data
