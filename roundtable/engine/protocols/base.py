"""What every debate protocol decides, and the defaults most of them share.

A protocol is a small class: who speaks in a round, what each speaker is shown,
when to stop, and how the final answer is chosen. The runner owns everything
else (fan-out, streaming, parsing, failures, events), once for all protocols.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from roundtable.domain import Answer, ChatMessage, DebateSpec, Seat
from roundtable.engine.transcript import Transcript
from roundtable.engine.voting import VoteResult, describe_consensus, majority_vote

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

    @classmethod
    def info(cls) -> ProtocolInfo:
        return ProtocolInfo(cls.name, cls.title, cls.paper, cls.summary)

    def rounds(self, spec: DebateSpec) -> int:
        """How many rounds the debate runs at most (round numbers 0 .. rounds - 1)."""
        return spec.max_rounds

    def speakers(self, round_number: int, transcript: Transcript) -> tuple[Seat, ...]:
        """The seats that take a turn in this round: by default, every seat still standing."""
        return transcript.standing

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
        return (
            vote.leader is not None
            and vote.agreeing >= 2
            and vote.agreement >= spec.consensus.threshold - _SLACK
        )

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
        return self.decide_without_consensus(round_number, vote, transcript)

    @abstractmethod
    def decide_without_consensus(
        self, round_number: int, vote: VoteResult, transcript: Transcript
    ) -> Decision:
        """The final answer when the table did not agree."""
