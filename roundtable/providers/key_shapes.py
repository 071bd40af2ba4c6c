"""What an API key looks like, and taking keys out of text.

Its own small module (regular expressions only) because the app's log filter needs
it before the window is shown, and the error mapping around it loads much more.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

REDACTED = "[redacted]"

_KEY_LIKE = re.compile(
    r"""
      \b(?:sk|pk|rk)-[A-Za-z0-9_\-]{8,}      # OpenAI, Anthropic (sk-ant-...), many others
    | \bAIza[0-9A-Za-z_\-]{20,}              # Google
    | \b(?:gsk|hf|r8|xai|pplx|nvapi)[_-][A-Za-z0-9_\-]{12,}
    | (?<=Bearer\ )\S+
    | (?<=api[_-]key=)[^&\s"']+
    """,
    re.VERBOSE | re.IGNORECASE,
)


def key_spans(text: str, secrets: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Where `redact_keys` would redact in `text`: (start, end) of every occurrence of
    a secret and of every key-shaped string, in no particular order."""
    spans = [match.span() for match in _KEY_LIKE.finditer(text)]
    for secret in secrets:
        if secret and len(secret) >= 4:
            start = text.find(secret)
            while start >= 0:
                spans.append((start, start + len(secret)))
                start = text.find(secret, start + 1)
    return spans


def redact_keys(text: str, secrets: Sequence[str] = ()) -> str:
    """`text` without the given secret values and without key-shaped strings of the
    known providers (`sk-…`, `AIza…`, a bearer token): what a model's reply is cleaned
    of (`providers.redaction`), which may rightly hold long hashes and identifiers."""
    for secret in secrets:
        if secret and len(secret) >= 4 and secret in text:
            text = text.replace(secret, REDACTED)
    return _KEY_LIKE.sub(REDACTED, text)
