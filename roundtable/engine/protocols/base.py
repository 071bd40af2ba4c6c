"""What every debate protocol decides, and the defaults most of them share.

A protocol is a small class: who speaks in a round (and in which order, when a round
has phases), what each speaker is shown, when to stop, and how the final answer is
chosen. The runner owns everything else (fan-out, streaming, parsing, failures,
events), once for all protocols. Its hooks, in the order the runner calls them:

    check(spec)                                  before anything starts (ConfigError)
    rounds(spec)                                 how many rounds at most
    speakers(r, transcript) / phases(r, seats)   who speaks, in which simultaneous groups
    messages(seat, r, transcript)                what a seat is sent (built per phase)
    annotate_turn(turn, transcript, gateway)     notes on a finished turn (capitulation…)
    assess(r, transcript, gateway)               the round's count, judged where needed
    is_consensus / stop_after / decide           stop and choose the final answer

`annotate_turn` and `assess` may consult a judge seat through the gateway (a quiet
call, not a turn); they never raise a provider's error: a judge that fails is skipped.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from roundtable.domain import PROTOCOLS, Answer, ChatMessage, ConfigError, DebateSpec, Seat
from roundtable.engine.gateway import Gateway
from roundtable.engine.protocols import judging
from roundtable.engine.protocols.roles import find_seat
from roundtable.engine.transcript import Transcript, TurnRecord
from roundtable.engine.voting import (
    VoteResult,
    describe_consensus,
    describe_judged_rule,
    describe_record_rule,
    majority_vote,
    record_scope,
    record_weighted_vote,
    seat_record_weights,
)

#: Floating-point slack when comparing an agreement share with the threshold (2/3 vs 0.6667).
_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class ProtocolInfo:
    """How the app explains a protocol to a person choosing one."""

    name: str
    title: str
    paper: str
    summary: str


@dataclass(frozen=True, slots=True)
class TurnNotes:
    """What a protocol adds to a finished turn's record (TurnFinished's extra fields)."""

    #: Switched to the previous round's leading answer without a new argument.
    capitulated: bool = False
    #: A council review's ranking, de-anonymised: seat ids, best first.
    ranking: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    """The final answer of a debate and the rule that chose it, in words."""

    answer: Answer | None
    rule: str
    tally: dict[str, float]
    consensus: bool


class DebateProtocol(ABC):
    """Base of the debate protocols; subclasses set the four class attributes and
    implement `messages`, and override the other hooks where they differ."""

    name: ClassVar[str]
    title: ClassVar[str]
    paper: ClassVar[str]
    summary: ClassVar[str]
    #: True when a table that did not agree is decided by a vote of the seats' answers:
    #: only then may the opt-in vote by track record (`DebateSpec.record_weights`) replace it.
    decides_by_vote: ClassVar[bool] = False

    @classmethod
    def info(cls) -> ProtocolInfo:
        return ProtocolInfo(cls.name, cls.title, cls.paper, cls.summary)

    def check(self, spec: DebateSpec) -> None:
        """Raise `ConfigError` when `spec` cannot run under this protocol.

        By default: a named chair or judge must be one of the seats.
        """
        for role, ref in (("chair", spec.chair), ("judge", spec.judge)):
            if ref is None or (role == "chair" and ref == "elected"):
                continue
            if find_seat(spec.seats, ref) is None:
                names = ", ".join(seat.name for seat in spec.seats)
                raise ConfigError(
                    f"The {role} {ref!r} is not one of the seats ({names}). "
                    f"Name a seat at the table as the {role}."
                )
        if spec.record_weights is not None:
            self.check_decides_by_vote()

    def check_decides_by_vote(self) -> None:
        """Raise `ConfigError` unless this protocol's answer can be weighted by track record."""
        if self.decides_by_vote:
            return
        by_vote = {cls.name for cls in DebateProtocol.__subclasses__() if cls.decides_by_vote}
        voting = ", ".join(name for name in PROTOCOLS if name in by_vote)
        raise ConfigError(
            f"The {self.name} protocol's answer is not a vote of the seats, so it cannot "
            f"be weighted by track record. Use one that ends with a vote ({voting})."
        )

    def round_kind(self, round_number: int, speakers: int) -> str:
        """What a round is, for a person following along ("discussion", "peer review");
        `speakers` is how many seats speak in it (the RoundStarted event's seat ids)."""
        return "independent answers" if round_number == 0 else "discussion"

    def rounds(self, spec: DebateSpec) -> int:
        """How many rounds the debate runs at most (round numbers 0 .. rounds - 1)."""
        return spec.max_rounds

    def speakers(self, round_number: int, transcript: Transcript) -> tuple[Seat, ...]:
        """The seats that take a turn in this round: by default, every seat still standing."""
        return transcript.standing

    def phases(
        self, round_number: int, speakers: tuple[Seat, ...], transcript: Transcript
    ) -> tuple[tuple[Seat, ...], ...]:
        """The round's speakers in groups that speak one after the other; each group
        speaks at once and is shown the turns of the groups before it. Default: one."""
        return (speakers,)

    async def annotate_turn(
        self, turn: TurnRecord, transcript: Transcript, gateway: Gateway
    ) -> TurnNotes:
        """Notes on a finished turn before it is announced. Default: the capitulation flag."""
        capitulated = await judging.capitulated(
            turn,
            transcript,
            gateway,
            previous=self.count(turn.round - 1, transcript) if turn.round > 0 else None,
            judge=self.conformity_judge(transcript),
        )
        return TurnNotes(capitulated=capitulated)

    async def assess(
        self, round_number: int, transcript: Transcript, gateway: Gateway
    ) -> VoteResult:
        """The round's count; where the answers are free-form (they cannot be compared by
        value), the agreement judge rates agreement and names the disputed points."""
        vote = self.count(round_number, transcript)
        judge = self.agreement_judge(transcript)
        if judge is None or not judging.free_form(transcript.turns(round_number)):
            return vote
        return await judging.judge_agreement(vote, round_number, transcript, gateway, judge)

    def agreement_judge(self, transcript: Transcript) -> Seat | None:
        """Who rates agreement on free-form answers: the judge, else the chair, else the
        first seat standing. A judge's call is a quiet model call: never a person's seat."""
        standing = tuple(seat for seat in transcript.standing if not seat.is_human)
        spec = transcript.spec
        for ref in (spec.judge, spec.chair):
            seat = find_seat(standing, ref) if ref else None
            if seat is not None:
                return seat
        return standing[0] if standing else None

    def conformity_judge(self, transcript: Transcript) -> Seat | None:
        """Who is asked whether a seat that switched was persuaded or conformed: only a
        judge the user chose (elsewhere a cheap heuristic decides, at no cost)."""
        spec = transcript.spec
        judge = find_seat(transcript.standing, spec.judge) if spec.judge else None
        return judge if judge is not None and not judge.is_human else None

    @abstractmethod
    def messages(self, seat: Seat, round_number: int, transcript: Transcript) -> list[ChatMessage]:
        """The conversation `seat` is sent in this round (the transcript holds rounds < r)."""

    def count(self, round_number: int, transcript: Transcript) -> VoteResult:
        """Count the round's finished turns (a seat with no readable answer still counts
        as a voter who does not agree). Default: one seat, one vote."""
        return majority_vote([turn.answer for turn in transcript.turns(round_number)])

    def is_consensus(self, vote: VoteResult, spec: DebateSpec) -> bool:
        """Enough of the round's voters gave the leading answer.

        At least two seats must agree: a lone voter agreeing with itself is not a table
        that agrees, whatever the threshold.
        """
        threshold = spec.consensus.threshold - _SLACK
        if not vote.binding:
            return False
        if vote.judged is not None:
            return vote.voters >= 2 and vote.judged >= threshold
        return vote.leader is not None and vote.agreeing >= 2 and vote.agreement >= threshold

    def stop_after(self, round_number: int, vote: VoteResult, transcript: Transcript) -> bool:
        """Whether to end the debate after this round (besides reaching the last round)."""
        return self.is_consensus(vote, transcript.spec)

    def decide(
        self, round_number: int, vote: VoteResult, transcript: Transcript, *, consensus: bool
    ) -> Decision:
        """The final answer once the debate stops after `round_number`."""
        if consensus:
            rule = describe_consensus(vote, round_number, transcript.spec.consensus.threshold)
            return Decision(vote.leader, rule, vote.tally, consensus=True)
        if vote.judged is not None:
            # Free-form answers have no vote worth the name: the judge's reading stands.
            return Decision(
                vote.leader, describe_judged_rule(vote, round_number), vote.tally, False
            )
        if transcript.spec.record_weights is not None and self.decides_by_vote:
            return self.decide_by_record(round_number, transcript)
        return self.decide_without_consensus(round_number, vote, transcript)

    def decide_by_record(self, round_number: int, transcript: Transcript) -> Decision:
        """The opt-in rule: the round's answers, each weighing its seat's track record on
        similar questions (the weights came with the spec; the engine reads no database)."""
        spec = transcript.spec
        assert spec.record_weights is not None
        turns = transcript.turns(round_number)
        answers = [turn.answer for turn in turns]
        scope = record_scope(spec.record_weights, answers)
        weights = seat_record_weights(spec.record_weights, [turn.seat_id for turn in turns], scope)
        vote = record_weighted_vote(answers, weights)
        names = {seat.id: seat.name for seat in spec.seats}
        rule = describe_record_rule(vote, round_number, scope, weights, names)
        return Decision(vote.leader, rule, vote.tally, consensus=False)

    @abstractmethod
    def decide_without_consensus(
        self, round_number: int, vote: VoteResult, transcript: Transcript
    ) -> Decision:
        """The final answer when the table did not agree."""
