"""The `vote` protocol: independent answers and a vote, no discussion.

Li, Zhang, Yu, Fu and Ye (2024), "More Agents Is All You Need", arXiv:2402.05120:
sampling several answers and taking the majority already beats a single model, and
it is the baseline every debate has to beat. Where the answers are numbers and no
answer has a majority, the median is taken instead, as crowds of forecasters are
aggregated (Schoenegger et al. (2024), "Wisdom of the Silicon Crowd", arXiv:2402.19379).

One round: every seat answers alone, at once. The cheapest protocol: one call per seat.
"""

from __future__ import annotations

from roundtable.domain import ChatMessage, DebateSpec, Seat
from roundtable.engine import prompts
from roundtable.engine.protocols.base import DebateProtocol, Decision
from roundtable.engine.transcript import Transcript
from roundtable.engine.voting import VoteResult, describe_median_rule, median_vote

_ROLE = (
    "Each of you answers alone, without seeing the others; the answers are then counted in a vote."
)


class VoteProtocol(DebateProtocol):
    """Li, Zhang, Yu, Fu, Ye (2024), "More Agents Is All You Need", arXiv:2402.05120:
    independent answers and a majority vote; the median of numbers as in Schoenegger et
    al. (2024), "Wisdom of the Silicon Crowd", arXiv:2402.19379."""

    name = "vote"
    title = "Independent vote (sample and vote)"
    paper = (
        "Li, Zhang, Yu, Fu, Ye (2024). More Agents Is All You Need. arXiv:2402.05120; "
        "median of numbers after Schoenegger et al. (2024), Wisdom of the Silicon Crowd, "
        "arXiv:2402.19379"
    )
    summary = (
        "Every model answers once, alone, and the answers are counted: the majority wins, "
        "or the median when the answers are numbers with no majority. No discussion: the "
        "cheapest protocol, and the baseline a debate should beat."
    )
    decides_by_vote = True

    def rounds(self, spec: DebateSpec) -> int:
        return 1

    def round_kind(self, round_number: int, speakers: int) -> str:
        return "independent answers, then the vote"

    def messages(self, seat: Seat, round_number: int, transcript: Transcript) -> list[ChatMessage]:
        spec = transcript.spec
        return [
            ChatMessage("system", prompts.seat_system(seat, spec, _ROLE)),
            ChatMessage("user", prompts.answer_alone(spec, "Answer the question below alone.")),
        ]

    def count(self, round_number: int, transcript: Transcript) -> VoteResult:
        return median_vote([turn.answer for turn in transcript.turns(round_number)])

    def decide_without_consensus(
        self, round_number: int, vote: VoteResult, transcript: Transcript
    ) -> Decision:
        return Decision(
            vote.leader, describe_median_rule(vote, round_number), vote.tally, consensus=False
        )
