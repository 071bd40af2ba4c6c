"""The `debate` protocol, after Du et al.'s multiagent debate.

Du, Li, Torralba, Tenenbaum and Mordatch (2023), "Improving Factuality and Reasoning
in Language Models through Multiagent Debate", arXiv:2305.14325.

Every seat answers at once; then, each round, every seat reads all the other seats'
latest solutions ("These are the solutions to the problem from other agents…
Using the reasoning from other agents as additional advice, can you give an
updated answer?") and answers again. The debate stops when the table agrees (the
consensus threshold) or after the last round; the final answer is the plain
majority of the last round: one seat, one vote, confidence plays no part.
"""

from __future__ import annotations

from roundtable.domain import ChatMessage, Seat
from roundtable.engine import prompts
from roundtable.engine.protocols.base import DebateProtocol, Decision
from roundtable.engine.transcript import Transcript
from roundtable.engine.voting import VoteResult, describe_majority_rule

_ROLE = (
    "You all answer at the same time; then, round after round, each of you reads the other "
    "agents' latest solutions and gives an updated answer."
)


class MultiagentDebate(DebateProtocol):
    """Du, Li, Torralba, Tenenbaum, Mordatch (2023), "Improving Factuality and Reasoning
    in Language Models through Multiagent Debate", arXiv:2305.14325: simultaneous
    answers, every seat reads all the others' latest solutions each round, majority vote."""

    name = "debate"
    title = "Multiagent debate (Du et al.)"
    paper = (
        "Du, Li, Torralba, Tenenbaum, Mordatch (2023). Improving Factuality and Reasoning "
        "in Language Models through Multiagent Debate. arXiv:2305.14325"
    )
    summary = (
        "Every model answers; then, each round, every model reads all the others' latest "
        "solutions and gives an updated answer. It stops when they agree; otherwise the "
        "majority of the last round wins (one model, one vote)."
    )
    decides_by_vote = True

    def round_kind(self, round_number: int, speakers: int) -> str:
        return (
            "independent answers"
            if round_number == 0
            else "updated answers after reading the others"
        )

    def messages(self, seat: Seat, round_number: int, transcript: Transcript) -> list[ChatMessage]:
        spec = transcript.spec
        conversation = [
            ChatMessage("system", prompts.seat_system(seat, spec, _ROLE)),
            ChatMessage("user", prompts.answer_alone(spec, "Answer the question below.")),
        ]
        if round_number == 0:
            return conversation
        # The paper keeps each agent's own history in its context; its latest solution
        # is what the update revises, and keeps the prompt the same size every round.
        own = transcript.latest_turn(seat.id, before_round=round_number)
        if own is not None:
            conversation.append(ChatMessage("assistant", own.text))
        others = transcript.others_latest(seat.id, before_round=round_number)
        last = self.rounds(spec) - 1
        update = prompts.debate_update(round_number, last, others, joined=own is None)
        conversation.append(ChatMessage("user", update))
        return conversation

    def decide_without_consensus(
        self, round_number: int, vote: VoteResult, transcript: Transcript
    ) -> Decision:
        return Decision(
            vote.leader, describe_majority_rule(vote, round_number), vote.tally, consensus=False
        )
