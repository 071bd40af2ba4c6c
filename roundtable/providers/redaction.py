"""Keys never reach the table: a model's reply is cleaned of them as it streams.

A misbehaving server (or a model that was shown one) can echo an API key inside a
successful reply. The gateway passes every piece of reply text through one
`ReplyRedactor` before the engine sees it, so the events, the database, the
exports, the logs and the screen all get the same cleaned text: no consumer has to
remember. It removes the keys this process knows (`known_secrets`: the seat's own,
from the keyring or the environment, and every secret-named environment variable)
and key-shaped strings of known providers (`errors.redact_keys`). The app's log
file is cleaned the same way (`RedactingLogFilter`): a library's DEBUG lines quote
the chunks and requests they handle.

A key can arrive split over several chunks ("sk-ab", "c123…"), so the redactor
holds back the word still being written (the text after the last whitespace: no
key holds whitespace) and cleans text only once its word is complete. What it
emits, joined, is exactly the cleaned whole reply; the screen lags by one word.
A run of over `_HELD_MAX` characters without whitespace is let through in parts,
cut where no key could straddle the cut: the last `_KEY_ROOM` characters (or the
longest secret's length) stay held, and a cut never falls inside anything that is
or may still become a key (a bearer token runs to the end of its run).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

from roundtable.providers.catalogue import PROVIDERS
from roundtable.providers.key_shapes import key_spans, redact_keys

#: Environment variables whose values are secrets (API keys, tokens, passwords).
_SECRET_NAME_PARTS = ("KEY", "TOKEN", "SECRET", "PASSWORD")
#: Shorter values are not taken for secrets (they would blank ordinary words).
_MIN_SECRET_CHARS = 8
#: Characters before a key that decide whether it is one ("Bearer ", "api_key=").
_CONTEXT_CHARS = 8
#: The longest run without whitespace held back, waiting for its end...
_HELD_MAX = 1024
#: ...after which it is let through but for this many last characters (no real key
#: is longer), unless a key straddles that point.
_KEY_ROOM = 256
#: A run that is one key as far as anyone can tell (a bearer token) is held whole,
#: up to this; past it, it is cleaned and let through, as the reply's own size
#: limit would end it soon after anyway.
_HELD_LIMIT = 65_536


def known_secrets(extra: Iterable[str | None] = ()) -> tuple[str, ...]:
    """The secret values this process knows: `extra` (a seat's key from the keyring),
    every provider's key variable and every secret-named environment variable;
    longest first, so a key that contains another is removed whole."""
    key_vars = {name for info in PROVIDERS.values() for name in info.key_vars}
    values = {
        value.strip()
        for name, value in os.environ.items()
        if name in key_vars or any(part in name.upper() for part in _SECRET_NAME_PARTS)
    }
    values.update(value.strip() for value in extra if value)
    usable = {value for value in values if len(value) >= _MIN_SECRET_CHARS}
    return tuple(sorted(usable, key=len, reverse=True))


class ReplyRedactor:
    """Cleans one attempt's streamed reply of keys: `feed` each piece of text as it
    arrives and pass on what it returns; `finish` returns what was held back."""

    def __init__(self, secrets: Iterable[str]) -> None:
        # A secret holding whitespace could straddle the pieces; none that are real do.
        self._secrets = tuple(s for s in secrets if s and not any(c.isspace() for c in s))
        self._held = ""
        self._context = ""

    def feed(self, text: str) -> str:
        """The part of the reply so far that is safe to show, cleaned ("" when the
        piece only continued a word)."""
        held = self._held + text
        if not held:
            return ""
        if held[-1].isspace():
            self._held = ""
            return self._clean(held)
        words = held.rsplit(None, 1)
        if len(words) == 1 and not held[0].isspace():  # one word, not finished yet
            cut = self._safe_cut(held) if len(held) > _HELD_MAX else 0
            if len(held) > _HELD_LIMIT:
                cut = len(held)
            self._held = held[cut:]
            return self._clean(held[:cut])
        cut = len(held) - len(words[-1])
        self._held = held[cut:]
        return self._clean(held[:cut])

    def _safe_cut(self, run: str) -> int:
        """Where a long run without whitespace may be cut: early enough that any key
        still arriving stays held, and never inside a key or a secret (0: nowhere yet)."""
        room = max([_KEY_ROOM, *(len(secret) for secret in self._secrets)])
        cut = len(run) - room
        if cut <= 0:
            return 0
        context = self._context
        whole = context + run
        spans = [
            (start - len(context), end - len(context))
            for start, end in key_spans(whole, self._secrets)
        ]
        moved = True
        while moved and cut > 0:  # moving the cut left may land it inside another span
            moved = False
            for start, end in spans:
                if start < cut and (end > cut or end >= len(run)):
                    cut, moved = max(start, 0), True
        return cut

    def finish(self) -> str:
        """The word held back at the end of the reply, cleaned."""
        held, self._held = self._held, ""
        return self._clean(held)

    def _clean(self, text: str) -> str:
        if not text:
            return ""
        # The characters before `text` are given as context ("Bearer " before a
        # token), then taken off again: they were shown already.
        context = self._context
        whole = context + text
        self._context = whole[-_CONTEXT_CHARS:]
        if not self._may_hold_key(whole):
            return text  # most text, and cheap to tell: this runs for every chunk
        cleaned = redact_keys(whole, self._secrets)
        if cleaned.startswith(context):
            return cleaned[len(context) :]
        return redact_keys(text, self._secrets)

    def _may_hold_key(self, text: str) -> bool:
        """False when `text` cannot hold a known secret or a key shape: every shape
        has a "-" or "_" in it, or starts "AIza", or follows "Bearer "."""
        if "-" in text or "_" in text or any(secret in text for secret in self._secrets):
            return True
        lowered = text.lower()
        return "aiza" in lowered or "bearer" in lowered


class RedactingLogFilter(logging.Filter):
    """Cleans every record its handler writes of the keys this process knows and of
    key-shaped strings, message and traceback alike."""

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = known_secrets()
        message = record.getMessage()
        cleaned = redact_keys(message, secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_keys(record.exc_text, secrets)
        return True
