"""The pieces every demo reply is built from, shared by `models`, `tasks` and `voices`.

A leaf of the demo provider (it imports only `arithmetic`): the "simulated" banner and
the closing answer lines, the seeded random generator that makes a reply deterministic,
how a peer's displayed answer is compared, what kind of short answer a question takes,
and the `Decision` a seat makes in a discussion round.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from roundtable.providers.demo.arithmetic import fmt_number

__all__ = [
    "SIMULATED_BANNER",
    "Decision",
    "clamp_confidence",
    "number_key",
    "question_options",
    "reply_text",
    "seeded_rng",
    "text_key",
]

#: The first line of every demo reply, so a simulated answer is labelled wherever it shows.
SIMULATED_BANNER = "*Simulated demo model — not a real LLM.*"


@dataclass(frozen=True, slots=True)
class Decision:
    """One seat's move in a discussion round."""

    answer: str
    move: str  # agree | hold | fixed | persuaded | stubborn | swayed
    peer: str = ""  # the seat that persuaded it, or that it refuses to follow
    their: str = ""  # that seat's answer


def seeded_rng(*parts: object) -> random.Random:
    """A generator seeded from a stable hash: Python's hash() is salted per process."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def clamp_confidence(value: float) -> float:
    """A confidence a demo model would state: never certain, never nothing."""
    return max(0.05, min(0.99, value))


def reply_text(body: Sequence[str], answer: str, confidence: float) -> str:
    """The whole reply: the banner, the body's paragraphs, then the answer lines."""
    parts = [SIMULATED_BANNER, *(p for p in body if p)]
    return "\n\n".join(parts) + f"\n\nFinal answer: {answer}\nConfidence: {confidence:.2f}\n"


def number_key(display: str | None) -> str | None:
    """A peer's displayed answer in our canonical number form ("1,000.0" -> "1000")."""
    if display is None:
        return None
    cleaned = display.replace(",", "").replace("$", "").replace("*", "").strip().rstrip(".")
    # Plain decimals only: Fraction("1e999999999") would build a gigantic integer.
    if re.fullmatch(r"-?\d{1,60}(?:\.\d{1,20})?", cleaned):
        return fmt_number(cleaned)
    return cleaned.casefold()


def text_key(answer: str | None) -> str | None:
    """A short text answer folded for comparison ("Yes." and "yes" are one answer)."""
    if answer is None:
        return None
    return re.sub(r"[^\w+#' ]+", "", answer).strip().casefold() or None


#: A question opening with an auxiliary verb ("Is…", "Should…", "Can't…") wants yes or no.
_YES_NO_START = re.compile(
    r"^(?:is|are|was|were|do|does|did|can|could|should|would|will|has|have|had|may|might"
    r"|must|shall)(?:n't)?\b",
    re.I,
)
_CHOICE = re.compile(r"^[ \t]*\(?([A-J])[).:][ \t]+\S", re.M)
_EITHER = re.compile(r"\b([A-Za-z][\w+#.'-]*)\s*,?\s+or\s+([A-Za-z][\w+#.'-]*)\s*\?\s*$")
_OPEN_STANCES = ("it depends", "keep it simple", "needs more context")


def question_options(question: str) -> tuple[str, tuple[str, ...]]:
    """What kind of short answer a non-arithmetic question takes, and its options."""
    letters = tuple(dict.fromkeys(_CHOICE.findall(question)))
    if len(letters) >= 2:
        return "choice", letters
    head = question.strip().splitlines()[0] if question.strip() else ""
    either = _EITHER.search(head)
    if either and either[1].casefold() != either[2].casefold():
        return "either", (either[1].rstrip(".,"), either[2].rstrip(".,"))
    if _YES_NO_START.match(head):
        return "yesno", ("yes", "no")
    return "open", _OPEN_STANCES
