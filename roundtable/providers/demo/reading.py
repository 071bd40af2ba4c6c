"""How a demo model reads the engine's prompt: the question, its own last answer, the others.

The CONTRACT is the engine's (`roundtable.engine.prompts`): the question follows a
`Question:` line in the first user message, the seat's own previous reply is an
assistant message, and the other seats are `### <name> (answer: …, confidence: …)`
blocks in the last user message. Kept apart from `demo.models`, which decides what
to say, so each stays one idea.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["PeerAnswer", "PromptReading", "content_of", "read_prompt"]


@dataclass(frozen=True, slots=True)
class PeerAnswer:
    """Another seat's latest answer, as the engine's discussion prompt shows it."""

    name: str
    answer: str | None  # display form; None when the engine could not read one
    confidence: float
    explanation: str = ""


@dataclass(frozen=True, slots=True)
class PromptReading:
    """What a demo model needs from the conversation to decide its next turn."""

    question: str
    round: int  # 0 for the first answer, n for discussion round n
    own_answer: str | None
    own_confidence: float | None
    peers: tuple[PeerAnswer, ...]
    own_text: str = ""  # the seat's earlier replies, oldest first


_QUESTION_LINE = re.compile(r"^[ \t]*(?:\*\*)?Question(?:\*\*)?[ \t]*:(?:\*\*)?[ \t]*(.*)$", re.M)
_PEER_HEADER = re.compile(
    r"^###[ \t]+(?P<name>.+?)[ \t]+\(answer:[ \t]*(?P<answer>.*?),[ \t]*"
    r"confidence:[ \t]*(?P<conf>\d*\.?\d+)\)[ \t]*$",
    re.M,
)
_ROUND = re.compile(r"\bround[ \t]+(\d{1,3})\b", re.I)
_FINAL = re.compile(r"^[ \t]*Final answer:[ \t]*(.+?)[ \t]*$", re.M | re.I)
_CONFIDENCE = re.compile(r"^[ \t]*Confidence:[ \t]*(\d*\.?\d+)", re.M | re.I)


def content_of(message: Mapping[str, Any]) -> str:
    """A message's text, whether it is a string or OpenAI's list of content parts."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # OpenAI's list of content parts
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, Mapping))
    return ""


def read_prompt(messages: Sequence[Mapping[str, Any]]) -> PromptReading:
    """Parse the engine's prompt (see the CONTRACT in the engine's prompts)."""
    users = [content_of(m) for m in messages if m.get("role") == "user"]
    replies = [content_of(m) for m in messages if m.get("role") == "assistant"]
    first = users[0] if users else ""
    match = _QUESTION_LINE.search(first)
    # The question runs from the `Question:` line to the end of round 0's message.
    question = (first[match.start(1) :] if match else first).strip()
    own_answer: str | None = None
    own_confidence: float | None = None
    if replies:
        finals = _FINAL.findall(replies[-1])
        own_answer = finals[-1] if finals else None
        confidences = _CONFIDENCE.findall(replies[-1])
        own_confidence = min(1.0, float(confidences[-1])) if confidences else None
    peers: list[PeerAnswer] = []
    if len(users) > 1:
        last = users[-1]
        headers = list(_PEER_HEADER.finditer(last))
        for index, m in enumerate(headers):
            end = headers[index + 1].start() if index + 1 < len(headers) else len(last)
            raw = m["answer"].strip()
            answer = None if raw.casefold() in {"none", "", "-"} else raw
            name, explanation = m["name"].strip(), last[m.end() : end].strip()
            peers.append(PeerAnswer(name, answer, float(m["conf"]), explanation))
    # The engine replays only the seat's latest turn, so counting replies undercounts;
    # its discussion prompt names the round ("Discussion round 2 of 2"), so read that too.
    round_number = len(replies)
    marker = _ROUND.search(users[-1][:200]) if len(users) > 1 else None  # its first line
    if marker:
        round_number = max(round_number, int(marker[1]))
    own_text = "\n\n".join(replies)
    return PromptReading(question, round_number, own_answer, own_confidence, tuple(peers), own_text)
