"""A judge seat's quiet calls: agreement on free-form answers, persuasion or conformity.

Short answers (numbers, letters, yes/no, a few words) are compared by value. Essays,
code and advice cannot be, so a judge seat reads the round and rates agreement from
0 to 1, naming the points still disputed (the round's record shows both).

A seat that switches to the previous round's leading answer is checked for
capitulation: did an argument persuade it, or did it just follow the majority? A
judge the user chose is asked; otherwise a cheap heuristic reads the turn: does it add
anything beyond what the others and it had already said?

A judge's call is not a turn: it does not stream into the transcript, but its usage
counts in the debate's totals. A judge that fails (its provider errs, or it answers
in a form that cannot be read) is skipped; the count by value stands.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from roundtable.domain import (
    Answer,
    AnswerKind,
    ChatMessage,
    ProviderError,
    Seat,
    StreamChunk,
    TextDelta,
    TurnComplete,
    Usage,
    WillRetry,
)
from roundtable.engine import prompts
from roundtable.engine.gateway import Gateway
from roundtable.engine.parsing import clean_value, fold_text, parse_confidence, strip_answer_lines
from roundtable.engine.transcript import Transcript, TurnRecord
from roundtable.engine.voting import VoteResult, same_answer

#: A text answer longer than this (characters or words) is free-form, not short text.
SHORT_TEXT_CHARS = 80
SHORT_TEXT_WORDS = 12
#: Fewer new word pairs than this, and a switch to the leader is a capitulation …
MIN_NEW_PAIRS = 6
#: … and so is one that gives the majority as its reason, unless it also argues at length.
MAX_NEW_PAIRS_WITH_CUE = 25

#: Phrases that give the majority itself as the reason to switch.
_CUES = re.compile(
    r"\b(majority|most of (?:you|us|the others|the table)|"
    r"(?:everyone|everybody)(?: else)? (?:says|agrees|gets|has|is)|"
    r"(?:the )?others (?:all )?(?:say|agree|get|have)|(?:and|the) others get|all agree|"
    r"consensus|(?:so|that) much agreement|go(?:ing)? (?:along )?with (?:the|everyone)|"
    r"defer|outnumbered|several seats|the rest of (?:you|us|the table))\b",
    re.I,
)
# Words a seat uses to say it changes its mind; they are no argument by themselves.
_FILLER_WORDS = """
about actually after again agree agreed agreement all also although answer answers
anyway argument arguments because before being but can cannot change changed
changing choose clear confidence consensus convinced correct could did does doubt
else even everyone fair fine final first for from going good have having here
honestly how however just like looked looking made make makes maybe mind mine more
move moving much myself need now okay one only other others our over own perhaps
point points position possible previous probably quite rather really reconsider
reconsidered revise revised right round same say says seat seats see seems should
since some still sure switch switching table than that the their them then there
these they think this those though together too try update updated updating very
view was way well were what when which while who why will with without would wrong
yes yet you your
"""
_FILLER = frozenset(_FILLER_WORDS.split())
_WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class AgreementVerdict:
    """What an agreement judge said about a round."""

    agreement: float
    disputed: tuple[str, ...]
    common: str | None


# ---------------------------------------------------------------- a quiet call
async def consult(
    gateway: Gateway, seat: Seat, messages: Sequence[ChatMessage], transcript: Transcript
) -> str | None:
    """`seat`'s whole reply to `messages`, or None when its provider failed for good.

    The call's usage is added to the transcript's side usage either way it completes.
    """
    parts: list[str] = []
    complete: TurnComplete | None = None
    stream: AsyncIterator[StreamChunk] | None = None
    try:
        stream = gateway.stream(seat, messages, seed=transcript.spec.seed)
        async for chunk in stream:
            if isinstance(chunk, TextDelta):
                parts.append(chunk.text)
            elif isinstance(chunk, WillRetry):
                parts.clear()  # that attempt's text is void
            elif isinstance(chunk, TurnComplete):
                complete = chunk
                break
    except ProviderError:
        return None
    finally:
        if stream is not None:
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):
                    await aclose()
    transcript.add_side_usage(complete.usage if complete else Usage(cost_usd=None))
    if complete is None or complete.incomplete:
        # A verdict cut off mid-way is no verdict: the normal vote count stands.
        return None
    return "".join(parts)


# ---------------------------------------------------------------- free-form agreement
def is_short(answer: Answer | None) -> bool:
    """A number, a letter, yes/no or a few words: comparable by value."""
    if answer is None:
        return False
    if answer.kind is not AnswerKind.TEXT:
        return True
    display = answer.display
    return len(display) <= SHORT_TEXT_CHARS and len(display.split()) <= SHORT_TEXT_WORDS


def free_form(turns: Sequence[TurnRecord]) -> bool:
    """True when most of a round's answers cannot be compared by value (at least two)."""
    if len(turns) < 2:
        return False
    long_ones = sum(1 for turn in turns if not is_short(turn.answer))
    return long_ones * 2 > len(turns)


async def judge_agreement(
    vote: VoteResult, round_number: int, transcript: Transcript, gateway: Gateway, judge: Seat
) -> VoteResult:
    """`vote` with the judge's agreement, disputed points and common position, if it
    answered readably; else `vote` unchanged."""
    spec = transcript.spec
    entries = [(spec.seat(turn.seat_id), turn) for turn in transcript.turns(round_number)]
    messages = prompts.judge_agreement(spec, entries, judge)
    text = await consult(gateway, judge, messages, transcript)
    verdict = parse_agreement(text or "")
    if verdict is None:
        return vote
    leader = vote.leader
    if verdict.common:
        leader = Answer(
            raw=verdict.common,
            value=fold_text(verdict.common),
            display=verdict.common,
            kind=AnswerKind.TEXT,
        )
    summary = f"agreement {verdict.agreement:.0%}"
    if verdict.common:
        summary += f"; common position: {verdict.common}"
    return vote.with_(
        judged=verdict.agreement,
        disputed=verdict.disputed,
        judged_by=judge.id,
        verdict=summary,
        leader=leader,
    )


_AGREEMENT = re.compile(r"^[ \t*_#>-]*agreement[ \t*_]*[:=][ \t*_]*(?P<value>.+)$", re.I | re.M)
_DISPUTED = re.compile(
    r"^[ \t*_#>-]*disputed(?: points)?[ \t*_]*:[ \t*_]*(?P<inline>.*)$", re.I | re.M
)
_COMMON = re.compile(
    r"^[ \t*_#>-]*common(?: position| answer| ground)?[ \t*_]*:[ \t*_]*(?P<value>.*)$", re.I | re.M
)
_BULLET = re.compile(r"^[ \t]*(?:[-*•]|\d+[.)])[ \t]+(?P<item>.+)$")
_NONE = {"", "none", "nothing", "n/a", "-", "—", "no disputed points", "none remain"}
#: Disputed points kept per round, each cut to this length: a record, not an essay.
MAX_DISPUTED = 8
DISPUTED_CHARS = 200


def parse_agreement(text: str) -> AgreementVerdict | None:
    """Read "Agreement: 0.7", a "Disputed:" list and "Common position: …" from a judge's
    reply; None when it gives no readable agreement."""
    found = [parse_confidence(m["value"]) for m in _AGREEMENT.finditer(text)]
    readable = [value for value in found if value is not None]
    if not readable:
        return None
    disputed: list[str] = []
    headers = list(_DISPUTED.finditer(text))
    header = headers[-1] if headers else None  # the judge's final word counts
    if header is not None:
        inline = clean_value(header["inline"])
        if inline.casefold() not in _NONE:
            disputed.append(inline)
        for line in text[header.end() :].lstrip("\n").splitlines():
            bullet = _BULLET.match(line)
            if bullet is None:
                break
            item = clean_value(bullet["item"])
            if item.casefold() not in _NONE:
                disputed.append(item)
    common_match = list(_COMMON.finditer(text))
    common = clean_value(common_match[-1]["value"]) if common_match else ""
    points = tuple(_cut(point) for point in disputed[:MAX_DISPUTED])
    return AgreementVerdict(
        agreement=readable[-1],
        disputed=points,
        common=None if common.casefold() in _NONE else _cut(common),
    )


def _cut(text: str) -> str:
    return text if len(text) <= DISPUTED_CHARS else text[: DISPUTED_CHARS - 1].rstrip() + "…"


# ---------------------------------------------------------------- capitulation
async def capitulated(
    turn: TurnRecord,
    transcript: Transcript,
    gateway: Gateway,
    *,
    previous: VoteResult | None,
    judge: Seat | None,
) -> bool:
    """Whether `turn` switched to `previous`'s leading answer without a new argument."""
    if previous is None or previous.leader is None or turn.answer is None:
        return False
    before = transcript.latest_turn(turn.seat_id, before_round=turn.round)
    if before is None or before.answer is None:
        return False
    if not same_answer(turn.answer, previous.leader) or same_answer(before.answer, previous.leader):
        return False
    if judge is not None and judge.id != turn.seat_id:
        spec = transcript.spec
        others = [
            (spec.seat(other.seat_id), other)
            for other in transcript.turns(turn.round - 1)
            if other.seat_id != turn.seat_id
        ]
        seat = spec.seat(turn.seat_id)
        messages = prompts.judge_conformity(spec, seat, before, turn, others, judge)
        verdict = parse_conformity(await consult(gateway, judge, messages, transcript) or "")
        if verdict is not None:
            return verdict
    return restates_others(turn, transcript)


_VERDICT = re.compile(r"^[ \t*_#>-]*verdict[ \t*_]*:[ \t*_]*(?P<value>[^\n]*)$", re.I | re.M)


def parse_conformity(text: str) -> bool | None:
    """True for "Verdict: conformed", False for "Verdict: persuaded", else None."""
    matches = list(_VERDICT.finditer(text))
    if not matches:
        return None
    value = matches[-1]["value"].casefold()
    if re.search(r"\b(conform|capitulat|followed|deferr)", value):
        return True
    if re.search(r"\b(persuad|convinc|argument)", value):
        return False
    return None


def restates_others(turn: TurnRecord, transcript: Transcript) -> bool:
    """The cheap test: the turn gives the majority itself as its reason, or its reasoning
    adds (almost) nothing that the question, the previous round's turns and its own
    last turn did not already say.

    Novelty is counted in word pairs, not words: an argument that names a mistake
    ("I wrote 17 × 23 = 368, but it is 391") reuses the others' words and numbers, but
    puts them together in a way nobody had.
    """
    spec = transcript.spec
    known = _pairs(spec.question) | {p for s in spec.seats for p in _pairs(s.name)}
    for other in transcript.turns(turn.round - 1):
        known |= _pairs(other.text)
    mine = transcript.latest_turn(turn.seat_id, before_round=turn.round)
    if mine is not None:
        known |= _pairs(mine.text)
    body = strip_answer_lines(turn.text)
    new = len(_pairs(body) - known)
    if new < MIN_NEW_PAIRS:
        return True
    return bool(_CUES.search(body)) and new < MAX_NEW_PAIRS_WITH_CUE


def _pairs(text: str) -> set[tuple[str, str]]:
    """Neighbouring content words and numbers, folded; filler words are skipped."""
    words = [
        word
        for word in (w.casefold() for w in _WORD.findall(text))
        if (len(word) >= 3 or word[0].isdigit()) and word not in _FILLER
    ]
    return set(itertools.pairwise(words))
