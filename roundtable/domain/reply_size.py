"""How long one model reply may be: the tokens asked for, and the characters kept.

Two limits, for two kinds of server:

- `max_tokens` is asked of the model on every call: the seat's own
  (`Seat.max_tokens`, from a panel file, the app's seat editor or `run
  --max-tokens`), else `DEFAULT_MAX_TOKENS` (`REASONING_MAX_TOKENS` for a model
  that thinks before it answers, whose hidden thinking counts against the limit),
  never above what the provider lists as the model's most;
- a server that ignores `max_tokens` (a broken or hostile one once streamed 2 MB,
  which took minutes to record) is stopped when its reply passes
  `reply_char_limit` characters: the text so far is kept, the turn marked
  incomplete with the reason (`domain.endings.TOO_LONG`).
"""

from __future__ import annotations

#: Tokens asked for when a seat sets none: a long, reasoned answer takes under 1,500.
DEFAULT_MAX_TOKENS = 4096
#: The same for a reasoning model, whose thinking tokens count against the limit.
REASONING_MAX_TOKENS = 32_768
#: The most a seat may ask for (above any model's output limit today).
MAX_TOKENS_CEILING = 1_000_000
#: Characters kept of one reply at least: 50,000 tokens of English.
MAX_REPLY_CHARS = 200_000
#: Characters a token may take at most, on average, in a reply that keeps to its limit.
_CHARS_PER_TOKEN_CEILING = 8


def reply_char_limit(max_tokens: int | None, floor: int = MAX_REPLY_CHARS) -> int:
    """The characters one reply may have before it is stopped: `floor`, or more
    when `max_tokens` (what the call asked for) allows a longer honest reply."""
    return max(floor, _CHARS_PER_TOKEN_CEILING * (max_tokens or 0))
