"""Read a model's final answer and confidence out of the text it wrote.

Our prompts ask every seat to end with two lines, "Final answer: ..." and
"Confidence: ...", but real models wander: bold labels, headings, `\\boxed{}`,
JSON objects, "The answer is ...". `parse_answer` tries these sources from the
most to the least explicit and takes the last occurrence within the first source
that yields a usable value (a model that corrects itself writes the correction
last). The value is then cleaned (markdown, quotes, LaTeX wrappers, trailing
period) and normalised (`normalize.normalize_value`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

from roundtable.domain import Answer, AnswerKind
from roundtable.engine.normalize import (
    fold_text,
    latex_fractions,
    normalize_choice,
    normalize_number,
    normalize_value,
    normalize_yes_no,
)

__all__ = [
    "clean_value",
    "fold_text",
    "normalize_choice",
    "normalize_number",
    "normalize_value",
    "normalize_yes_no",
    "parse_answer",
    "parse_confidence",
    "strip_answer_lines",
]

_BOLD = r"(?:\*\*|__)?"
#: What may precede a label on its line: bullets, quote marks, heading hashes, bold.
_LEAD = r"^[ \t>#*_\-•]*"
# Horizontal space only: a label at the end of its line must not swallow the next line.
_SEP = r"[ \t]*" + _BOLD + r"[ \t]*[:：=\-–—][ \t]*" + _BOLD

_FINAL_LINE = re.compile(
    _LEAD + r"(?:my[ \t]+|the[ \t]+)?final[ \t]+answer" + _SEP + r"(?P<value>.*)$", re.I | re.M
)
#: "### Final Answer" / "**Final answer:**" alone on a line: the value is on the next one.
_FINAL_HEADING = re.compile(
    _LEAD
    + r"(?:my[ \t]+|the[ \t]+)?final[ \t]+answer[ \t]*"
    + _BOLD
    + r"[ \t]*:?[ \t]*"
    + _BOLD
    + r"[ \t]*$",
    re.I | re.M,
)
_ANSWER_LINE = re.compile(
    _LEAD + r"(?:(?:my|the|correct|best|short)[ \t]+)?answer" + _SEP + r"(?P<value>.*)$",
    re.I | re.M,
)
_ANSWER_IS = re.compile(
    r"\b(?:the\s+)?(?:final\s+|correct\s+|right\s+)?answer\s+(?:is|would\s+be|should\s+be)"
    r"\s*:?\s*(?P<value>[^\n]+)",
    re.I,
)
_CONFIDENCE_LINE = re.compile(
    _LEAD + r"(?:my[ \t]+)?confidence(?:[ \t]+(?:level|score))?" + _SEP + r"(?P<value>.*)$",
    re.I | re.M,
)
_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
#: Where a JSON object can start: a brace, then a key (keys are strings) or its end.
_JSON_START = re.compile(r'\{\s*["}]')
#: Failed JSON decodes tried per reply. Each costs a scan back to the start of the
#: text (for the error's line number): unbounded, '{"{"{"…' replies were quadratic.
_JSON_TRIES = 256
#: "B (confidence: 0.8)" / "B, confidence 80%" at the end of an answer value.
_INLINE_CONFIDENCE = re.compile(
    r"[\s,;(\[]*\bconfidence(?:\s+level)?\s*[:=]?\s*(?P<value>[^)\]\s][^)\]]*)[)\]]?\s*$", re.I
)
#: Where "The answer is X because ..." stops being the answer.
_SENTENCE_END = re.compile(r"\.(?=\s|$)|[;!?]|,?\s+(?:because|since|as|which)\b", re.I)

_WORD_CONFIDENCE = (
    ("very high", 0.95),
    ("very low", 0.2),
    ("high", 0.9),
    ("medium", 0.7),
    ("moderate", 0.7),
    ("low", 0.4),
)
_PLACEHOLDERS = {
    "",
    "?",
    "...",
    "…",
    "n/a",
    "tbd",
    "unknown",
    "i don't know",
    "i do not know",
    "your answer",
    "answer",
    "not sure",
    "unsure",
    "i'm not sure",
    "i am not sure",
    "no answer",
    "no idea",
    "no clue",
    "idk",
}
#: A single-line reply this short is taken as the answer itself when it is a number,
#: a choice letter or yes/no ("42", "B.", "Yes").
_BARE_REPLY_CHARS = 60


def parse_answer(text: str) -> Answer | None:
    """The answer and confidence a model gave in `text`, or None when it gave none."""
    found = _find_value(text)
    if found is None:
        return None
    raw, value, inline_confidence = found
    confidence = _find_confidence(text)
    if confidence is None:
        confidence = inline_confidence
    kind, normalized, display = normalize_value(value)
    return Answer(raw=raw, value=normalized, display=display, kind=kind, confidence=confidence)


def parse_confidence(text: str) -> float | None:
    """0.8, "80%", "8/10", "high" -> a number in [0, 1]; None when there is none.

    A bare number above 1 is read as a score out of 10 up to 10 ("8" -> 0.8), and as a
    percentage up to 100 ("85" -> 0.85): models write both when asked for 0..1.
    """
    text = _strip_markup(text).casefold()
    number = r"(\d+(?:\.\d+)?|\.\d+)"
    if match := re.match(rf"^{number}\s*%", text):
        return _clamp(float(match.group(1)) / 100)
    if match := re.match(rf"^{number}\s*(?:/|out of)\s*{number}", text):
        denominator = float(match.group(2))
        return _clamp(float(match.group(1)) / denominator) if denominator else None
    if match := re.match(rf"^{number}", text):
        value = float(match.group(1))
        if value <= 1:
            return value
        return _clamp(value / 10 if value <= 10 else value / 100)
    for word, value in _WORD_CONFIDENCE:
        if re.search(rf"\b{word}\b", text):
            return value
    return None


def clean_value(text: str) -> str:
    """Strip what surrounds an answer: markdown, quotes, LaTeX wrappers, a final period."""
    text = text.strip()
    previous = None
    while previous != text:
        previous = text
        text = _unwrap_boxed(text)
        text = re.sub(r"^\$+(.*?)\$+$", r"\1", text)
        text = re.sub(r"^\\[(\[](.*?)\\[)\]]$", r"\1", text)
        text = re.sub(r"^\\(?:text|textbf|mathrm|mathbf)\{(.*)\}$", r"\1", text)
        text = latex_fractions(text).replace("\\$", "$").replace("\\%", "%")
        text = re.sub(r"^[*_`>\s]+|[*_`\s]+$", "", text)
        text = re.sub(r'^["“”\'‘’«»]+|["“”\'‘’«»]+$', "", text)
        text = re.sub(r"[.,;:!]+$", "", text)
        text = re.sub(r"^(?:the\s+)?(?:final\s+)?answer\s+is\s*:?\s*", "", text, flags=re.I)
    return text.strip()


def strip_answer_lines(text: str) -> str:
    """`text` without its final-answer and confidence lines: the explanation alone."""
    kept = [
        line
        for line in text.splitlines()
        if not (
            _FINAL_LINE.match(line) or _FINAL_HEADING.match(line) or _CONFIDENCE_LINE.match(line)
        )
    ]
    return "\n".join(kept).strip()


# ------------------------------------------------------------------ finding the value
_Found = tuple[str, str, float | None]  # raw span, cleaned value, inline confidence


def _find_value(text: str) -> _Found | None:
    sources: tuple[Callable[[str], Iterator[tuple[str, str]]], ...] = (
        _final_lines,
        _json_answers,
        _boxed,
        _answer_lines,
        _answer_is,
        _bare_reply,
    )
    for source in sources:
        # Candidates come in text order; the last usable one wins.
        for raw, value in reversed(list(source(text))):
            cleaned, confidence = _split_inline_confidence(clean_value(value))
            cleaned = clean_value(cleaned)
            if _usable(cleaned):
                return raw.strip(), cleaned, confidence
    return None


def _final_lines(text: str) -> Iterator[tuple[str, str]]:
    starts: list[tuple[int, str, str]] = []
    for match in _FINAL_LINE.finditer(text):
        starts.append((match.start(), match.group(0), match.group("value")))
    for match in _FINAL_HEADING.finditer(text):
        following = text[match.end() :].lstrip("\n")
        next_line = following.split("\n", 1)[0] if following.strip() else ""
        if _CONFIDENCE_LINE.match(next_line):
            continue
        starts.append((match.start(), match.group(0) + "\n" + next_line, next_line))
    for _, raw, value in sorted(starts):
        yield raw, value


def _answer_lines(text: str) -> Iterator[tuple[str, str]]:
    for match in _ANSWER_LINE.finditer(text):
        yield match.group(0), match.group("value")


def _answer_is(text: str) -> Iterator[tuple[str, str]]:
    for match in _ANSWER_IS.finditer(text):
        value = match.group("value")
        # Bold or boxed values end where their markup ends, whatever follows.
        marked = re.match(r"\s*(\*\*[^*]+\*\*|\$[^$]+\$|\\boxed\{[^}]*\})", value)
        if marked:
            value = marked.group(1)
        else:
            end = _SENTENCE_END.search(value)
            value = value[: end.start()] if end else value
        yield match.group(0), value


def _boxed(text: str) -> Iterator[tuple[str, str]]:
    matches = list(_BOXED.finditer(text))
    if not matches:
        return
    # One pass pairs every brace: scanning to the end from each box instead made
    # thousands of unclosed "\boxed{" in a reply take seconds (quadratic).
    closing = _closing_braces(text)
    covered = -1  # boxes inside a box already given are reached by unwrapping that one
    for match in matches:
        opening = match.end() - 1
        close = closing.get(opening)
        if close is not None and match.start() > covered:
            covered = close
            yield text[match.start() : close + 1], text[opening + 1 : close]


def _json_answers(text: str) -> Iterator[tuple[str, str]]:
    decoder = json.JSONDecoder()
    # Only where an object can start: each failed try costs a scan of the text so far
    # (the error's line number), so trying every "{" of "{{{{…" was quadratic.
    start = _JSON_START.search(text)
    failures = 0
    while start is not None:
        position = start.start()
        try:
            obj, end = decoder.raw_decode(text, position)
        except RecursionError:
            # Nested deeper than Python recurses: no answer object is, and retrying from
            # every later brace would take minutes on such a reply.
            return
        except ValueError:
            failures += 1
            if failures > _JSON_TRIES:
                return
            start = _JSON_START.search(text, position + 1)
            continue
        if isinstance(obj, dict):
            keys = {str(k).casefold().replace("_", ""): v for k, v in obj.items()}
            answer = keys.get("finalanswer", keys.get("answer"))
            if isinstance(answer, str | int | float) and not isinstance(answer, bool):
                confidence = keys.get("confidence")
                value = str(answer)
                if isinstance(confidence, str | int | float) and not isinstance(confidence, bool):
                    value += f" (confidence: {confidence})"
                yield text[position:end], value
        start = _JSON_START.search(text, end)


def _bare_reply(text: str) -> Iterator[tuple[str, str]]:
    stripped = text.strip()
    if not stripped or "\n" in stripped or len(stripped) > _BARE_REPLY_CHARS:
        return
    # A labelled line that the labelled sources rejected ("Final answer: unknown") is
    # a non-answer, not a bare reply.
    if any(p.match(stripped) for p in (_FINAL_LINE, _ANSWER_LINE, _CONFIDENCE_LINE)):
        return
    # Free text alone ("Hmm.", "Good question") is too often not an answer to trust.
    if normalize_value(clean_value(stripped)).kind is not AnswerKind.TEXT:
        yield stripped, stripped


# ------------------------------------------------------------------ helpers
def _find_confidence(text: str) -> float | None:
    for match in reversed(list(_CONFIDENCE_LINE.finditer(text))):
        confidence = parse_confidence(match.group("value"))
        if confidence is not None:
            return confidence
    return None


def _split_inline_confidence(value: str) -> tuple[str, float | None]:
    match = _INLINE_CONFIDENCE.search(value)
    if match is None or match.start() == 0:
        return value, None
    return value[: match.start()], parse_confidence(match.group("value"))


def _usable(value: str) -> bool:
    folded = value.casefold().strip()
    if folded in _PLACEHOLDERS:
        return False
    # Echoed template slots: "<answer>", "[your answer here]".
    return not re.fullmatch(r"<[^>]*>|\[[^\]]*\s[^\]]*\]", folded)


def _unwrap_boxed(text: str) -> str:
    """The last `\\boxed{...}` in a value is the answer, whatever words surround it
    ("The final answer is $\\boxed{42}$. I hope it is correct.")."""
    matches = list(_BOXED.finditer(text))
    if not matches:
        return text
    closing = _closing_braces(text)
    # The last box that closes: in nested boxes, the innermost, unwrapped at once.
    for match in reversed(matches):
        close = closing.get(match.end() - 1)
        if close is not None:
            return text[match.end() : close].strip()
    return text


def _closing_braces(text: str) -> dict[int, int]:
    """The index of the `}` that closes each `{` of `text` (unclosed ones are absent)."""
    pairs: dict[int, int] = {}
    open_braces: list[int] = []
    for index, char in enumerate(text):
        if char == "{":
            open_braces.append(index)
        elif char == "}" and open_braces:
            pairs[open_braces.pop()] = index
    return pairs


def _strip_markup(text: str) -> str:
    return re.sub(r"^[\s*_`\"'(\[]+|[\s*_`\"')\].]+$", "", text)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
