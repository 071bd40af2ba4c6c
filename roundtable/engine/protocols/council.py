"""The `council` protocol, after the "LLM Council" pattern.

Karpathy (2025), "llm-council" (github.com/karpathy/llm-council): several models
answer, review each other anonymously, and a chairman writes the final response.

Three rounds, one per stage:

1. every seat answers alone;
2. every seat reviews all the answers, anonymised as Response A, B, C… in an order
   of its own (seeded by the debate's seed), and ranks them; the ranks are averaged
   (`RoundFinished.rankings`, and each reviewer's ranking on its own `TurnFinished`);
3. the chair writes the synthesis, which is the final answer. The chair is the seat
   the spec names (`DebateSpec.chair`), the best-ranked seat when it says "elected",
   or else the first seat.

Agreement is recorded every stage (answers, the reviewers' answers, how many seats'
last answers match the synthesis); it never ends the council early: the stages are
the protocol.
"""

from __future__ import annotations

from roundtable.domain import ChatMessage, DebateSpec, Seat
from roundtable.engine import prompts
from roundtable.engine.gateway import Gateway
from roundtable.engine.protocols import ranking
from roundtable.engine.protocols.base import DebateProtocol, Decision, TurnNotes
from roundtable.engine.protocols.roles import find_seat
from roundtable.engine.transcript import Transcript, TurnRecord
from roundtable.engine.voting import VoteResult, majority_vote, same_answer

ANSWER, REVIEW, SYNTHESIS = 0, 1, 2
ELECTED = "elected"
#: How much of each review the chair reads: the reasons, not the whole essay.
REVIEW_CHARS = 700

_ROLE = (
    "You sit on a council: each member answers alone; then every member reviews and ranks "
    "all the answers, anonymised; then the chair writes the council's final answer."
)


class CouncilProtocol(DebateProtocol):
    """The "LLM Council" pattern (Karpathy, 2025, github.com/karpathy/llm-council):
    answers, anonymised and shuffled peer review with averaged ranks, a chair's synthesis."""

    name = "council"
    title = "Council with peer review (LLM Council)"
    paper = (
        'Karpathy (2025). "LLM Council": answers, anonymised peer review and ranking, '
        "and a chairman's synthesis. github.com/karpathy/llm-council"
    )
    summary = (
        "Every model answers; then every model reviews and ranks all the answers, "
        "anonymised and shuffled so none can favour its own; the ranks are averaged, and a "
        "chair (chosen, or elected by the ranking) writes the final answer."
    )

    def rounds(self, spec: DebateSpec) -> int:
        return 3

    def round_kind(self, round_number: int, speakers: int) -> str:
        return {
            ANSWER: "stage 1 · answers",
            REVIEW: "stage 2 · anonymised peer review and ranking",
            SYNTHESIS: "stage 3 · the chair's synthesis",
        }.get(round_number, "council")

    def speakers(self, round_number: int, transcript: Transcript) -> tuple[Seat, ...]:
        if round_number == SYNTHESIS:
            chair, _ = self.chair(transcript)
            return (chair,) if chair is not None else ()
        return transcript.standing

    def messages(self, seat: Seat, round_number: int, transcript: Transcript) -> list[ChatMessage]:
        spec = transcript.spec
        system = ChatMessage("system", prompts.seat_system(seat, spec, _ROLE))
        if round_number == ANSWER:
            ask = prompts.answer_alone(spec, "Answer the question below on your own.")
            return [system, ChatMessage("user", ask)]
        intro = "The council was asked this question."
        conversation = [system, ChatMessage("user", prompts.question_only(spec, intro))]
        if round_number == REVIEW:
            task = self._review_prompt(seat, transcript)
        else:
            task = self._synthesis_prompt(seat, transcript)
        conversation.append(ChatMessage("user", task))
        return conversation

    # ------------------------------------------------------------ stage 2: the review
    def view(self, reviewer_id: str, transcript: Transcript) -> ranking.Anonymised:
        """The letters and order in which `reviewer_id` sees the stage-1 answers."""
        answered = [turn.seat_id for turn in transcript.turns(ANSWER)]
        return ranking.anonymise(answered, reviewer_id, transcript.spec.seed)

    def _review_prompt(self, seat: Seat, transcript: Transcript) -> str:
        spec = transcript.spec
        answers = {turn.seat_id: turn for turn in transcript.turns(ANSWER)}
        names = [s.name for s in spec.seats]
        responses = [
            prompts.Response(
                label, prompts.whole_text(ranking.scrub_names(answers[sid].text, names))
            )
            for label, sid in self.view(seat.id, transcript).order
        ]
        return prompts.council_review(responses)

    def review_rankings(self, transcript: Transcript) -> list[tuple[str, tuple[str, ...]]]:
        """(reviewer id, the seat ids it ranked best first) for every finished review."""
        return [
            (turn.seat_id, ranking.ranked_seats(turn.text, self.view(turn.seat_id, transcript)))
            for turn in transcript.turns(REVIEW)
        ]

    def average_ranks(self, transcript: Transcript) -> dict[str, float]:
        answered = [turn.seat_id for turn in transcript.turns(ANSWER)]
        return ranking.average_ranks([r for _, r in self.review_rankings(transcript)], answered)

    # ------------------------------------------------------------ stage 3: the chair
    def chair(self, transcript: Transcript) -> tuple[Seat | None, str]:
        """The chair and how it was chosen, in words ("first seat", "elected…")."""
        spec = transcript.spec
        standing = transcript.standing
        wanted = spec.chair
        if wanted and wanted != ELECTED:
            chosen = find_seat(standing, wanted)
            if chosen is not None:
                return chosen, "chosen for the chair"
        if wanted == ELECTED or wanted:
            ranks = self.average_ranks(transcript)
            best = ranking.best_ranked(ranks, standing)
            if best is not None:
                how = f"elected: best average rank {ranks[best.id]:.2f}"
                if wanted != ELECTED:
                    how = f"the chosen chair left the table; {how}"
                return best, how
        if not standing:
            return None, "no seat left"
        return standing[0], "first seat" if wanted is None else "first seat standing"

    def _synthesis_prompt(self, chair: Seat, transcript: Transcript) -> str:
        spec = transcript.spec
        ranks = self.average_ranks(transcript)
        answers = {turn.seat_id: turn for turn in transcript.turns(ANSWER)}
        ordered = [sid for sid in ranks if sid in answers] + [
            sid for sid in answers if sid not in ranks
        ]
        members = []
        for seat_id in ordered:
            quoted = prompts.quote(spec.seat(seat_id), answers[seat_id])
            rank = f"{ranks[seat_id]:.2f}" if seat_id in ranks else "not ranked"
            members.append(
                prompts.Member(
                    quoted.name, quoted.display, quoted.confidence, rank, quoted.explanation
                )
            )
        names = {seat.id: seat.name for seat in spec.seats}
        reviews = []
        for turn in transcript.turns(REVIEW):
            named = ranking.name_responses(turn.text, self.view(turn.seat_id, transcript), names)
            record = TurnRecord(turn.seat_id, turn.round, named, turn.answer, turn.usage)
            reviews.append(prompts.quote(spec.seat(turn.seat_id), record, REVIEW_CHARS))
        elected = spec.chair == ELECTED and "elected" in self.chair(transcript)[1]
        return prompts.council_synthesis(members, reviews, elected=elected)

    # ------------------------------------------------------------ counting and deciding
    async def annotate_turn(
        self, turn: TurnRecord, transcript: Transcript, gateway: Gateway
    ) -> TurnNotes:
        if turn.round == SYNTHESIS:
            return TurnNotes()  # the chair's synthesis is no switch of sides
        notes = await super().annotate_turn(turn, transcript, gateway)
        if turn.round == REVIEW:
            ranked = ranking.ranked_seats(turn.text, self.view(turn.seat_id, transcript))
            return TurnNotes(capitulated=notes.capitulated, ranking=ranked)
        return notes

    def count(self, round_number: int, transcript: Transcript) -> VoteResult:
        turns = transcript.turns(round_number)
        if round_number != SYNTHESIS:
            vote = majority_vote([turn.answer for turn in turns]).with_(binding=False)
            if round_number == REVIEW:
                vote = vote.with_(rankings=self.average_ranks(transcript))
            return vote
        return self._synthesis_count(turns, transcript)

    def _synthesis_count(self, turns: list[TurnRecord], transcript: Transcript) -> VoteResult:
        """The chair's answer leads; agreement is the share of seats whose last answer
        matches it (the chair included)."""
        if not turns:
            return majority_vote([])
        chair_turn = turns[0]
        others = [
            turn
            for seat in transcript.standing
            if seat.id != chair_turn.seat_id
            and (turn := transcript.latest_turn(seat.id, before_round=SYNTHESIS)) is not None
        ]
        answers = [chair_turn.answer, *(turn.answer for turn in others)]
        counted = majority_vote(answers)
        if chair_turn.answer is None:
            return counted.with_(binding=False)
        agreeing = sum(1 for answer in answers if same_answer(answer, chair_turn.answer))
        chair, how = self.chair(transcript)
        name = chair.name if chair is not None else chair_turn.seat_id
        return counted.with_(
            leader=chair_turn.answer,
            agreeing=agreeing,
            verdict=f"Synthesis by the chair {name} ({how})",
        )

    def decide(
        self, round_number: int, vote: VoteResult, transcript: Transcript, *, consensus: bool
    ) -> Decision:
        spec = transcript.spec
        ranks = self.average_ranks(transcript)
        table = ", ".join(f"{spec.seat(sid).name} {rank:.2f}" for sid, rank in ranks.items())
        peer = f" Peer review, average rank (1 = best): {table}." if table else ""
        turns = transcript.turns(SYNTHESIS)
        if round_number == SYNTHESIS and turns and turns[0].answer is not None:
            who = f"{vote.agreeing} of {vote.voters} seats' last answers agree with it"
            rule = f"{vote.verdict}: {turns[0].answer.display}; {who}.{peer}"
            return Decision(turns[0].answer, rule, vote.tally, consensus=consensus)
        # No synthesis to read (the chair failed or wrote no answer): the best-ranked answer.
        answers = {turn.seat_id: turn.answer for turn in transcript.turns(ANSWER)}
        for seat_id in ranks:
            if answers.get(seat_id) is not None:
                rule = (
                    f"The chair gave no readable synthesis, so the best-ranked answer "
                    f"({spec.seat(seat_id).name}'s) stands.{peer}"
                )
                return Decision(answers[seat_id], rule, vote.tally, consensus=False)
        return self.decide_without_consensus(round_number, vote, transcript)

    def decide_without_consensus(
        self, round_number: int, vote: VoteResult, transcript: Transcript
    ) -> Decision:
        rule = f"No synthesis and no ranking: majority of round {round_number + 1}."
        if vote.leader is None:
            rule = "No seat gave a readable answer, so there is no answer."
        return Decision(vote.leader, rule, vote.tally, consensus=False)
