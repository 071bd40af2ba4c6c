"""The `moderated` protocol, after Multi-Agent Debate (MAD).

Liang, He, Jiao, Wang, Wang, Wang, Yang, Tu and Shi (2023), "Encouraging Divergent
Thinking in Large Language Models through Multi-Agent Debate", arXiv:2305.19118.

An affirmative and a negative side argue in turns and a judge (the moderator) reads
each round. Seat 1 argues the affirmative, seat 2 the negative, seat 3 judges (or
the seat `DebateSpec.judge`, else `DebateSpec.chair`, names); further seats join the
sides in turn. Each round has three phases: the affirmative speaks (answering the
negative's last argument), then the negative (answering this round's affirmative),
then the judge, who stops the debate as soon as one side is clearly right (the
paper's "adaptive break") and must decide at the last round. When both sides give
the same answer the debate has converged and stops too.
"""

from __future__ import annotations

import re

from roundtable.domain import ChatMessage, ConfigError, DebateSpec, Seat
from roundtable.engine import prompts
from roundtable.engine.gateway import Gateway
from roundtable.engine.protocols import judging
from roundtable.engine.protocols.base import DebateProtocol, Decision, TurnNotes
from roundtable.engine.protocols.roles import find_seat
from roundtable.engine.transcript import Transcript, TurnRecord
from roundtable.engine.voting import (
    VoteResult,
    describe_weighted_rule,
    majority_vote,
    weighted_vote,
)

AFFIRMATIVE, NEGATIVE = "affirmative", "negative"

_ROLES = {
    AFFIRMATIVE: "This is a moderated debate: you argue the affirmative side, a negative side "
    "challenges you, and a moderator judges each round.",
    NEGATIVE: "This is a moderated debate: you argue the negative side against the "
    "affirmative's answer, and a moderator judges each round.",
    "judge": "This is a moderated debate between an affirmative and a negative side: you are "
    "the moderator. You do not argue; you judge which side is right.",
}
_DECISION = re.compile(r"^[ \t*_#>-]*decision[ \t*_]*:[ \t*_]*(?P<value>[^\n]*)$", re.I | re.M)
_WINNER = re.compile(r"^[ \t*_#>-]*winner[ \t*_]*:[ \t*_]*(?P<value>[^\n]*)$", re.I | re.M)


def judge_stops(text: str) -> bool:
    """The moderator's "Decision: stop" (its last decision line counts)."""
    found = _DECISION.findall(text)
    return bool(found) and re.search(r"\b(stop|end|decided?|final)\b", found[-1], re.I) is not None


def judge_winner(text: str) -> str | None:
    """The side the moderator's "Winner:" line names ("affirmative", "negative"), or None."""
    found = _WINNER.findall(text)
    if not found:
        return None
    value = found[-1].casefold()
    for side in (AFFIRMATIVE, NEGATIVE):
        if side in value:
            return side
    return None


class ModeratedProtocol(DebateProtocol):
    """Liang et al. (2023), "Encouraging Divergent Thinking in Large Language Models
    through Multi-Agent Debate" (MAD), arXiv:2305.19118: an affirmative and a negative
    side argue in turns; a judge stops the debate once a side is clearly right."""

    name = "moderated"
    title = "Moderated debate (MAD: affirmative, negative, judge)"
    paper = (
        "Liang, He, Jiao, Wang, Wang, Wang, Yang, Tu, Shi (2023). Encouraging Divergent "
        "Thinking in Large Language Models through Multi-Agent Debate. arXiv:2305.19118"
    )
    summary = (
        "Seat 1 argues the affirmative, seat 2 the negative, in turns; seat 3 moderates, "
        "reads each round and ends the debate as soon as one side is clearly right, or "
        "decides at the last round."
    )

    # ------------------------------------------------------------ who is who
    def check(self, spec: DebateSpec) -> None:
        super().check(spec)
        if len(spec.seats) < 3:
            raise ConfigError(
                f"A moderated debate needs at least 3 seats (affirmative, negative and a "
                f"judge); this one has {len(spec.seats)}. Add a seat to judge."
            )
        if spec.chair == "elected":
            raise ConfigError(
                "A moderated debate's judge cannot be elected; name a seat, or leave it "
                "empty for the third seat."
            )

    def round_kind(self, round_number: int, speakers: int) -> str:
        return "affirmative, then negative, then the moderator's decision"

    def judge(self, spec: DebateSpec) -> Seat:
        return (
            find_seat(spec.seats, spec.judge) or find_seat(spec.seats, spec.chair) or spec.seats[2]
        )

    def sides(self, spec: DebateSpec) -> dict[str, str]:
        """Seat id -> side, alternating in table order among the debaters."""
        judge = self.judge(spec)
        debaters = [seat for seat in spec.seats if seat.id != judge.id]
        return {seat.id: (AFFIRMATIVE, NEGATIVE)[i % 2] for i, seat in enumerate(debaters)}

    def _side_seats(self, side: str, seats: tuple[Seat, ...], spec: DebateSpec) -> tuple[Seat, ...]:
        sides = self.sides(spec)
        return tuple(seat for seat in seats if sides.get(seat.id) == side)

    def speakers(self, round_number: int, transcript: Transcript) -> tuple[Seat, ...]:
        return transcript.standing

    def phases(
        self, round_number: int, speakers: tuple[Seat, ...], transcript: Transcript
    ) -> tuple[tuple[Seat, ...], ...]:
        spec = transcript.spec
        judge = self.judge(spec)
        groups = (
            self._side_seats(AFFIRMATIVE, speakers, spec),
            self._side_seats(NEGATIVE, speakers, spec),
            tuple(seat for seat in speakers if seat.id == judge.id),
        )
        return tuple(group for group in groups if group)

    # ------------------------------------------------------------ what each is sent
    def messages(self, seat: Seat, round_number: int, transcript: Transcript) -> list[ChatMessage]:
        spec = transcript.spec
        judge = self.judge(spec)
        role = "judge" if seat.id == judge.id else self.sides(spec)[seat.id]
        conversation = [
            ChatMessage("system", prompts.seat_system(seat, spec, _ROLES[role])),
            ChatMessage("user", prompts.question_only(spec, "The debate is about this question.")),
        ]
        last = spec.max_rounds
        if role == "judge":
            sides = [
                prompts.Side(side.capitalize(), *self._quoted(turn, transcript))
                for side in (AFFIRMATIVE, NEGATIVE)
                for turn in self._side_turns(side, round_number, transcript)
            ]
            final = round_number == last - 1
            task = prompts.moderated_judge(round_number + 1, last, sides, final=final)
            return [*conversation, ChatMessage("user", task)]
        own = transcript.latest_turn(seat.id, before_round=round_number)
        if own is not None:
            conversation.append(ChatMessage("assistant", own.text))
        opponent = self._opponent_turn(seat, role, round_number, transcript)
        note_turn = transcript.latest_turn(judge.id, before_round=round_number)
        task = prompts.moderated_debater(
            role,
            round_number + 1,
            last,
            prompts.quote(spec.seat(opponent.seat_id), opponent) if opponent else None,
            prompts.quote(judge, note_turn) if note_turn else None,
        )
        return [*conversation, ChatMessage("user", task)]

    def _quoted(self, turn: TurnRecord, transcript: Transcript) -> tuple[str, str, str, str]:
        q = prompts.quote(transcript.spec.seat(turn.seat_id), turn)
        return q.name, q.display, q.confidence, q.explanation

    def _side_turns(self, side: str, round_number: int, transcript: Transcript) -> list[TurnRecord]:
        sides = self.sides(transcript.spec)
        return [t for t in transcript.turns(round_number) if sides.get(t.seat_id) == side]

    def _opponent_turn(
        self, seat: Seat, role: str, round_number: int, transcript: Transcript
    ) -> TurnRecord | None:
        """The argument `seat` answers: for the negative, this round's affirmative; for the
        affirmative, the negative's last round. Pairs by position when sides have several."""
        spec = transcript.spec
        mine = self._side_seats(role, spec.seats, spec)
        index = [s.id for s in mine].index(seat.id)
        if role == NEGATIVE:
            turns = self._side_turns(AFFIRMATIVE, round_number, transcript)
        elif round_number > 0:
            turns = self._side_turns(NEGATIVE, round_number - 1, transcript)
        else:
            turns = []
        return turns[min(index, len(turns) - 1)] if turns else None

    # ------------------------------------------------------------ judging
    def conformity_judge(self, transcript: Transcript) -> Seat | None:
        judge = self.judge(transcript.spec)
        standing = any(s.id == judge.id for s in transcript.standing)
        # A person judging is asked for their turn, not for quiet calls in between.
        return judge if standing and not judge.is_human else None

    async def annotate_turn(
        self, turn: TurnRecord, transcript: Transcript, gateway: Gateway
    ) -> TurnNotes:
        spec = transcript.spec
        role = self.sides(spec).get(turn.seat_id)
        if role is None:
            return TurnNotes()  # the judge's verdict is no switch of sides
        opponent = self._opponent_turn(spec.seat(turn.seat_id), role, turn.round, transcript)
        if opponent is None or turn.round == 0:
            return TurnNotes()
        # With two sides there is no majority: giving in to the opponent is the switch.
        previous = majority_vote([opponent.answer])
        judge = self.conformity_judge(transcript)
        flag = await judging.capitulated(turn, transcript, gateway, previous=previous, judge=judge)
        return TurnNotes(capitulated=flag)

    def _judge_turn(self, round_number: int, transcript: Transcript) -> TurnRecord | None:
        judge = self.judge(transcript.spec)
        return next((t for t in transcript.turns(round_number) if t.seat_id == judge.id), None)

    def count(self, round_number: int, transcript: Transcript) -> VoteResult:
        sides = self.sides(transcript.spec)
        debaters = [t for t in transcript.turns(round_number) if t.seat_id in sides]
        vote = majority_vote([turn.answer for turn in debaters])
        judge_turn = self._judge_turn(round_number, transcript)
        if judge_turn is None:
            return vote
        name = transcript.spec.seat(judge_turn.seat_id).name
        winner = judge_winner(judge_turn.text)
        if judge_stops(judge_turn.text):
            side = f": the {winner} side is right" if winner else ""
            verdict = f"The moderator {name} stops the debate{side}"
        else:
            verdict = f"The moderator {name} lets the debate continue"
        return vote.with_(judged_by=judge_turn.seat_id, verdict=verdict)

    def stop_after(self, round_number: int, vote: VoteResult, transcript: Transcript) -> bool:
        judge_turn = self._judge_turn(round_number, transcript)
        return judge_turn is not None and judge_stops(judge_turn.text)

    def decide(
        self, round_number: int, vote: VoteResult, transcript: Transcript, *, consensus: bool
    ) -> Decision:
        if not consensus or vote.leader is None or vote.judged is not None:
            return super().decide(round_number, vote, transcript, consensus=consensus)
        spec = transcript.spec
        sides = self.sides(spec)
        names = " and ".join(
            spec.seat(t.seat_id).name for t in transcript.turns(round_number) if t.seat_id in sides
        )
        rule = (
            f"Consensus: the sides ({names}) both answered {vote.leader.display} in round "
            f"{round_number + 1}, so the debate converged."
        )
        if vote.verdict:
            rule += f" {vote.verdict}."
        return Decision(vote.leader, rule, vote.tally, consensus=True)

    def decide_without_consensus(
        self, round_number: int, vote: VoteResult, transcript: Transcript
    ) -> Decision:
        judge_turn = self._judge_turn(round_number, transcript)
        if judge_turn is not None and judge_turn.answer is not None:
            name = transcript.spec.seat(judge_turn.seat_id).name
            winner = judge_winner(judge_turn.text)
            side = f" for the {winner} side" if winner else ""
            rule = (
                f"The moderator {name} decided{side} in round {round_number + 1}: "
                f"{judge_turn.answer.display}."
            )
            return Decision(judge_turn.answer, rule, vote.tally, consensus=False)
        # No readable verdict (the judge failed or gave none): the sides' weighted vote.
        sides = self.sides(transcript.spec)
        debaters = [t.answer for t in transcript.turns(round_number) if t.seat_id in sides]
        weighted = weighted_vote(debaters)
        rule = "The moderator gave no readable decision. " + describe_weighted_rule(
            weighted, round_number
        )
        return Decision(weighted.leader, rule, weighted.tally, consensus=False)
