"""What a debate will cost before it runs: a token range and a cost range.

No model is called and nothing here touches the network, so the app can show it
live under Start and `roundtable run --estimate` can print it. The estimate plays
the debate on paper with the protocol's own hooks (who speaks, in which phases,
what each seat is sent, when the debate stops) and the real prompt builders, with
stand-in replies of a typical length, so the prompts grow with the others' replies
round after round exactly as the engine will build them:

- low: every seat agrees at once and writes a short reply, so the debate stops
  as early as its protocol allows (after the first round, for most);
- high: no seat ever agrees, every round is played by every seat with a long reply
  (a seat's `max_tokens` caps it), and every quiet call a judge could make is made.

Prices come from a `PriceLookup` the caller passes (`roundtable.providers.prices.
seat_price`: one price rule for the estimate, the budget and the bill); the engine
never reads a price list itself. A seat without a known price makes the cost range
unknown (None), never $0; the tokens are still estimated.

Tokens are counted as about four characters each. The high end is an estimate, not
a guarantee: a model that writes more than `REPLY_TOKENS_HIGH` (a reasoning model's
hidden thinking counts as output) costs more, unless its seat sets `max_tokens`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from roundtable.domain import ChatMessage, DebateSpec, Event, Seat, Usage
from roundtable.domain.formatting import format_cost
from roundtable.domain.pricing import PriceLookup
from roundtable.engine.continuation import replay_into, with_context
from roundtable.engine.evaluation.stats import total_cost
from roundtable.engine.parsing import parse_answer
from roundtable.engine.protocols import DebateProtocol, get_protocol, round_kind
from roundtable.engine.protocols.judging import free_form
from roundtable.engine.transcript import Transcript, TurnRecord

#: A reply's length in tokens at the low and the high end (explanation and answer).
REPLY_TOKENS_LOW = 150
REPLY_TOKENS_HIGH = 700
#: A judge's quiet verdict (agreement, disputed points; or persuaded / conformed).
JUDGE_REPLY_TOKENS = 250
#: Characters per token: English prose runs at about four for the common tokenizers.
CHARS_PER_TOKEN = 4
#: The chat format's own tokens per message (role and separators).
MESSAGE_OVERHEAD_TOKENS = 4

LOW, HIGH = "low", "high"


def count_tokens(messages: Iterable[ChatMessage]) -> int:
    """About how many prompt tokens `messages` are."""
    return sum(
        MESSAGE_OVERHEAD_TOKENS + math.ceil(len(message.content) / CHARS_PER_TOKEN)
        for message in messages
    )


@dataclass(frozen=True, slots=True)
class CallEstimate:
    """One model call on paper: a seat's turn, or a judge's quiet call."""

    seat_id: str
    prompt_tokens: int
    completion_tokens: int
    #: None when the seat's price is unknown.
    cost_usd: float | None
    judge: bool = False


@dataclass(frozen=True, slots=True)
class RoundEstimate:
    """One round on paper: its calls, and their sums."""

    round: int
    kind: str
    calls: tuple[CallEstimate, ...]

    @property
    def prompt_tokens(self) -> int:
        return sum(call.prompt_tokens for call in self.calls)

    @property
    def completion_tokens(self) -> int:
        return sum(call.completion_tokens for call in self.calls)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def cost_usd(self) -> float | None:
        return total_cost(call.cost_usd for call in self.calls)


@dataclass(frozen=True, slots=True)
class DebateEstimate:
    """The range a debate's tokens and cost should fall in (see the module docstring)."""

    low: tuple[RoundEstimate, ...]
    high: tuple[RoundEstimate, ...]
    #: Names of the seats whose price nobody knows (they make the cost unknown).
    unpriced: tuple[str, ...] = ()

    @property
    def low_tokens(self) -> int:
        return sum(r.total_tokens for r in self.low)

    @property
    def high_tokens(self) -> int:
        return sum(r.total_tokens for r in self.high)

    @property
    def low_cost_usd(self) -> float | None:
        return total_cost(r.cost_usd for r in self.low)

    @property
    def high_cost_usd(self) -> float | None:
        return total_cost(r.cost_usd for r in self.high)

    @property
    def rounds(self) -> tuple[int, int]:
        """The fewest and the most rounds left to play."""
        return len(self.low), len(self.high)

    @property
    def calls(self) -> tuple[int, int]:
        return sum(len(r.calls) for r in self.low), sum(len(r.calls) for r in self.high)

    def describe(self) -> str:
        """One line: "1,900–21,400 tokens · $0.0041–$0.0693 · 1–3 rounds"."""
        tokens = _span(self.low_tokens, self.high_tokens, lambda n: f"{n:,}") + " tokens"
        low_cost, high_cost = self.low_cost_usd, self.high_cost_usd
        if low_cost is None or high_cost is None:
            who = ", ".join(self.unpriced)
            cost = f"cost unknown (no price for {who})" if who else "cost unknown"
        elif high_cost == 0:
            cost = "free"
        else:
            cost = _span(low_cost, high_cost, format_cost)
        first, most = self.rounds
        rounds = _span(first, most, str) + (" round" if most == 1 else " rounds")
        return f"{tokens} · {cost} · {rounds}"

    def to_json(self) -> dict[str, Any]:
        """What `--estimate --json` prints."""
        return {
            "tokens": {"low": self.low_tokens, "high": self.high_tokens},
            "cost_usd": {"low": self.low_cost_usd, "high": self.high_cost_usd},
            "rounds": {"low": self.rounds[0], "high": self.rounds[1]},
            "calls": {"low": self.calls[0], "high": self.calls[1]},
            "unpriced_seats": list(self.unpriced),
            "per_round_high": [
                {
                    "round": r.round + 1,
                    "kind": r.kind,
                    "calls": len(r.calls),
                    "prompt_tokens": r.prompt_tokens,
                    "completion_tokens": r.completion_tokens,
                    "cost_usd": r.cost_usd,
                }
                for r in self.high
            ],
        }


# ------------------------------------------------------------------ the entry points
def estimate_debate(
    spec: DebateSpec, price: PriceLookup, *, played: Sequence[Event] = ()
) -> DebateEstimate:
    """The range of the rounds still to play of `spec`, after the complete rounds whose
    logged events are `played` (none for a new debate; a resume's kept rounds)."""
    paper = _Paper(spec, get_protocol(spec.protocol), price)
    ranges = []
    for path in (LOW, HIGH):
        transcript = Transcript(spec)
        replay_into(transcript, played)
        ranges.append(tuple(paper.play(transcript, path, start=len(transcript.rounds))))
    unpriced = tuple(
        seat.name for seat in spec.active_seats if not seat.is_human and price(seat) is None
    )
    return DebateEstimate(low=ranges[0], high=ranges[1], unpriced=unpriced)


def estimate_next_round(
    transcript: Transcript, round_number: int, price: PriceLookup
) -> RoundEstimate:
    """The high end of round `round_number`, given the rounds before it in
    `transcript` (left untouched): what the budget checks before the round starts.

    A judge's agreement call is counted when answers may be free-form: in the first
    round, or after a round whose answers were.
    """
    spec = transcript.spec
    paper = _Paper(spec, get_protocol(spec.protocol), price)
    judges = round_number == 0 or free_form(transcript.turns(round_number - 1))
    return paper.round(_copy(transcript), HIGH, round_number, judges=judges)


# ------------------------------------------------------------------ on paper
@dataclass(frozen=True, slots=True)
class _Paper:
    """A debate played on paper with stand-in replies (see the module docstring)."""

    spec: DebateSpec
    protocol: DebateProtocol
    price: PriceLookup

    def play(self, transcript: Transcript, path: str, *, start: int) -> Iterable[RoundEstimate]:
        """Rounds `start`.. of the path, stopping where the runner would."""
        spec, protocol = self.spec, self.protocol
        last = protocol.rounds(spec) - 1
        for round_number in range(start, last + 1):
            yield self.round(transcript, path, round_number, judges=path == HIGH)
            if len(transcript.standing) < 2 or round_number == last:
                return
            vote = protocol.count(round_number, transcript)
            if protocol.is_consensus(vote, spec) or protocol.stop_after(
                round_number, vote, transcript
            ):
                return

    def round(
        self, transcript: Transcript, path: str, round_number: int, *, judges: bool
    ) -> RoundEstimate:
        """Round `round_number` on paper; its stand-in turns are added to `transcript`."""
        spec, protocol = self.spec, self.protocol
        transcript.start_round()
        speakers = protocol.speakers(round_number, transcript)
        calls: list[CallEstimate] = []
        for phase in protocol.phases(round_number, speakers, transcript):
            sent = {seat.id: protocol.messages(seat, round_number, transcript) for seat in phase}
            for seat in phase:
                if not seat.is_human:  # a person's turn calls no model
                    prompt = count_tokens(with_context(spec, sent[seat.id]))
                    calls.append(_call(seat, prompt, _reply_tokens(seat, path), self.price))
            for seat in phase:
                transcript.add_turn(_stand_in(spec, seat, round_number, path))
        if judges:
            calls += self.judge_calls(transcript, round_number)
        kind = round_kind(spec.protocol, round_number, len(speakers))
        return RoundEstimate(round_number, kind, tuple(calls))

    def judge_calls(self, transcript: Transcript, round_number: int) -> list[CallEstimate]:
        """Every quiet call a judge could make after this round's turns (the high end)."""
        from roundtable.engine import prompts

        spec, protocol = self.spec, self.protocol
        calls = []
        turns = transcript.turns(round_number)
        agreement = protocol.agreement_judge(transcript)
        if agreement is not None and len(turns) >= 2:
            entries = [(spec.seat(turn.seat_id), turn) for turn in turns]
            messages = prompts.judge_agreement(spec, entries, agreement)
            calls.append(_judge_call(agreement, messages, self.price))
        conformity = protocol.conformity_judge(transcript)
        if conformity is None or round_number == 0:
            return calls
        for turn in turns:
            before = transcript.latest_turn(turn.seat_id, before_round=round_number)
            if turn.seat_id == conformity.id or before is None:
                continue
            others = [
                (spec.seat(other.seat_id), other)
                for other in transcript.turns(round_number - 1)
                if other.seat_id != turn.seat_id
            ]
            seat = spec.seat(turn.seat_id)
            messages = prompts.judge_conformity(spec, seat, before, turn, others, conformity)
            calls.append(_judge_call(conformity, messages, self.price))
        return calls


def _judge_call(judge: Seat, messages: Sequence[ChatMessage], price: PriceLookup) -> CallEstimate:
    reply = _capped(judge, JUDGE_REPLY_TOKENS)
    return _call(judge, count_tokens(messages), reply, price, judge=True)


def _call(
    seat: Seat, prompt: int, completion: int, price: PriceLookup, *, judge: bool = False
) -> CallEstimate:
    known = price(seat)
    cost = None if known is None else known.cost(prompt, completion)
    return CallEstimate(seat.id, prompt, completion, cost, judge=judge)


def _reply_tokens(seat: Seat, path: str) -> int:
    return _capped(seat, REPLY_TOKENS_LOW if path == LOW else REPLY_TOKENS_HIGH)


def _capped(seat: Seat, tokens: int) -> int:
    return tokens if seat.max_tokens is None else min(tokens, seat.max_tokens)


def _stand_in(spec: DebateSpec, seat: Seat, round_number: int, path: str) -> TurnRecord:
    """A reply of the path's length: the same answer from everyone (low) or a different
    one from each seat (high); a moderator stops at once (low) or never (high)."""
    index = spec.seats.index(seat)
    answer = "42" if path == LOW else str(100 + index)
    decision = "stop" if path == LOW else "continue"
    ending = f"\nDecision: {decision}\nFinal answer: {answer}\nConfidence: 0.8"
    length = _reply_tokens(seat, path) * CHARS_PER_TOKEN - len(ending)
    words = ("Because " + "the reasoning goes on " * (length // 22 + 1))[: max(0, length)]
    text = words + ending
    return TurnRecord(seat.id, round_number, text, parse_answer(text), Usage())


def _copy(transcript: Transcript) -> Transcript:
    return Transcript(
        transcript.spec,
        [dict(by_seat) for by_seat in transcript.rounds],
        dict(transcript.failures),
        list(transcript.side_usage),
    )


def _span(low: Any, high: Any, show: Any) -> str:
    return show(low) if show(low) == show(high) else f"{show(low)}–{show(high)}"
