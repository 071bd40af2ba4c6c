"""How a model's reply ended, when it is not a plain answer.

A turn whose reply was empty, only whitespace, cut by the length limit, stopped by
the provider's content filter, by the turn's deadline or by the reply size limit, or
only a tool call is not the same as a turn that answered badly: each is said as what
it is (`TurnFinished.ending`), and the engine treats it so (a length-cut, late or
oversized reply is incomplete; a filtered one is a refusal and casts no vote). ""
means an ordinary reply.
"""

from __future__ import annotations

EMPTY = "empty"
BLANK = "blank"
LENGTH = "length"
REFUSED = "refused"
TOOL_CALL = "tool_call"
#: Set by the gateway, not read from a finish reason: the turn ran past its deadline.
DEADLINE = "deadline"
#: Set by the gateway: the reply passed the size limit (`domain.reply_size`) and was stopped.
TOO_LONG = "too_long"

_WORDS = {
    EMPTY: "the reply was empty",
    BLANK: "the reply was only whitespace",
    LENGTH: "the reply was cut by the length limit (max tokens) before it finished",
    REFUSED: "the provider's content filter stopped the reply (a refusal)",
    TOOL_CALL: "the reply was only a tool call, with no text",
    DEADLINE: "the turn reached its deadline before the reply finished; the text so far "
    "is kept (--turn-deadline SECONDS allows more)",
    TOO_LONG: "the reply passed the size limit for one reply and was stopped there; the "
    "text so far is kept (the server may ignore max tokens)",
}
#: Finish reasons (OpenAI's names, which litellm maps every route to) that say a
#: model asked for a tool instead of answering.
_TOOL_FINISHES = frozenset({"tool_calls", "function_call"})


def reply_ending(text: str, finish_reason: str | None) -> str:
    """The ending of a reply that finished with `finish_reason` (one of the constants
    above), or "" for an ordinary reply."""
    if finish_reason == "content_filter":
        return REFUSED
    if finish_reason == "length":
        return LENGTH
    if text.strip():
        return ""
    if finish_reason in _TOOL_FINISHES:
        return TOOL_CALL
    return EMPTY if not text else BLANK


def describe_ending(ending: str) -> str:
    """The ending in words for a person ("the reply was empty"); "" for none."""
    return _WORDS.get(ending, "")
