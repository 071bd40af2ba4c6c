"""The `roundtable` protocol, after ReConcile.

Chen, Saha and Bansal (2023), "ReConcile: Round-Table Conference Improves Reasoning
via Consensus among Diverse LLMs", arXiv:2309.13007.

Round 0: every seat answers alone, with its reasoning and a confidence. Each later
round: every seat sees the others' latest answers grouped by answer, with their
explanations and confidences, and revises or defends its own. The debate stops
as soon as the table agrees (the consensus threshold; 1.0 = all seats, as in the
paper) or after the last round; then the final answer is the vote of the last
round weighted by recalibrated confidence.
"""

from __future__ import annotations

from roundtable.domain import ChatMessage, Seat
from roundtable.engine import prompts
from roundtable.engine.protocols.base import DebateProtocol, Decision
from roundtable.engine.transcript import Transcript
from roundtable.engine.voting import VoteResult, describe_weighted_rule, weighted_vote


class RoundtableProtocol(DebateProtocol):
    """Chen, Saha, Bansal (2023), "ReConcile: Round-Table Conference Improves Reasoning
    via Consensus among Diverse LLMs", arXiv:2309.13007: answers with confidences,
    grouped discussion rounds, a vote weighted by recalibrated confidence."""

    name = "roundtable"
    title = "Round table (ReConcile)"
    paper = (
        "Chen, Saha, Bansal (2023). ReConcile: Round-Table Conference Improves Reasoning "
        "via Consensus among Diverse LLMs. arXiv:2309.13007"
    )
    summary = (
        "Each model answers alone with a confidence; then, round after round, every model "
        "reads the others' answers and explanations and revises. It stops when they agree; "
        "otherwise the answer with the most confidence-weighted votes wins."
    )
    decides_by_vote = True

    def messages(self, seat: Seat, round_number: int, transcript: Transcript) -> list[ChatMessage]:
        spec = transcript.spec
        conversation = [
            ChatMessage("system", prompts.roundtable_system(seat, spec)),
            ChatMessage("user", prompts.roundtable_answer(spec)),
        ]
        if round_number == 0:
            return conversation
        # Only the seat's own latest turn is replayed, not its whole history: that turn
        # already holds its current reasoning, and the prompt stays the same size each round.
        own = transcript.latest_turn(seat.id, before_round=round_number)
        if own is not None:
            conversation.append(ChatMessage("assistant", own.text))
        others = transcript.others_latest(seat.id, before_round=round_number)
        own_answer = own.answer if own is not None else None
        # No earlier turn of a standing seat: a fork seated it (a seat that failed has left).
        discuss = prompts.roundtable_discuss(
            spec, round_number, own_answer, others, joined=own is None
        )
        conversation.append(ChatMessage("user", discuss))
        return conversation

    def count(self, round_number: int, transcript: Transcript) -> VoteResult:
        return weighted_vote([turn.answer for turn in transcript.turns(round_number)])

    def decide_without_consensus(
        self, round_number: int, vote: VoteResult, transcript: Transcript
    ) -> Decision:
        return Decision(
            vote.leader, describe_weighted_rule(vote, round_number), vote.tally, consensus=False
        )
