"""The `mixture` protocol, after Mixture-of-Agents.

Wang, Wang, Athiwaratkun, Zhang and Zou (2024), "Mixture-of-Agents Enhances Large
Language Model Capabilities", arXiv:2406.04692.

Layers are rounds. In the first layer every seat (a proposer) answers alone; in each
later layer every proposer is given all of the previous layer's answers as anonymous
references ("synthesize these responses into a single, high-quality response…
some of it may be biased or incorrect") and answers again. In the last round the
aggregator alone (the chair: `DebateSpec.chair`, else the first seat) synthesises
the last layer into the final answer. When a layer's proposers already agree, the
aggregator writes at once: more layers would only repeat them.
"""

from __future__ import annotations

from roundtable.domain import ChatMessage, ConfigError, DebateSpec, Seat
from roundtable.engine import prompts
from roundtable.engine.gateway import Gateway
from roundtable.engine.protocols.base import DebateProtocol, Decision, TurnNotes
from roundtable.engine.protocols.roles import find_seat
from roundtable.engine.transcript import Transcript, TurnRecord
from roundtable.engine.voting import VoteResult, majority_vote, same_answer

_ROLE = (
    "You are one of several proposers in layers: each layer reads the previous layer's "
    "answers as references and writes a better one; an aggregator writes the final answer."
)


class MixtureProtocol(DebateProtocol):
    """Wang, Wang, Athiwaratkun, Zhang, Zou (2024), "Mixture-of-Agents Enhances Large
    Language Model Capabilities", arXiv:2406.04692: layers of proposers, each given the
    previous layer's answers as references; an aggregator writes the final answer."""

    name = "mixture"
    title = "Mixture-of-Agents (layers + aggregator)"
    paper = (
        "Wang, Wang, Athiwaratkun, Zhang, Zou (2024). Mixture-of-Agents Enhances Large "
        "Language Model Capabilities. arXiv:2406.04692"
    )
    summary = (
        "Layers of proposers: every model answers, then each layer reads all the previous "
        "layer's answers as anonymous references and writes a better one; in the last round "
        "an aggregator (the chair, or the first model) writes the final answer."
    )

    def check(self, spec: DebateSpec) -> None:
        super().check(spec)
        if spec.chair == "elected":
            raise ConfigError(
                "A mixture's aggregator cannot be elected (only a council ranks its members). "
                "Name a seat as the chair, or leave it empty for the first seat."
            )
        if spec.max_rounds < 2:
            raise ConfigError(
                "A mixture needs at least 2 rounds: a layer of proposers, then the aggregator. "
                "Use --rounds 3 for two layers and the aggregation."
            )

    def round_kind(self, round_number: int, speakers: int) -> str:
        if round_number == 0:
            return "layer 1 · proposers answer alone"
        if speakers == 1:
            return "aggregation · the final answer from the last layer"
        return f"layer {round_number + 1} · proposers read layer {round_number}"

    def aggregator(self, transcript: Transcript) -> Seat | None:
        standing = transcript.standing
        chosen = find_seat(standing, transcript.spec.chair)
        return chosen or (standing[0] if standing else None)

    def aggregates(self, round_number: int, transcript: Transcript) -> bool:
        """Whether the aggregator writes in this round: the last one, or right after a
        layer that agreed."""
        if round_number == self.rounds(transcript.spec) - 1:
            return True
        if round_number == 0:
            return False
        previous = majority_vote([t.answer for t in transcript.turns(round_number - 1)])
        return super().is_consensus(previous, transcript.spec)

    def speakers(self, round_number: int, transcript: Transcript) -> tuple[Seat, ...]:
        if self.aggregates(round_number, transcript):
            aggregator = self.aggregator(transcript)
            return (aggregator,) if aggregator is not None else ()
        return transcript.standing

    def messages(self, seat: Seat, round_number: int, transcript: Transcript) -> list[ChatMessage]:
        spec = transcript.spec
        system = ChatMessage("system", prompts.seat_system(seat, spec, _ROLE))
        if round_number == 0:
            ask = prompts.answer_alone(spec, "Answer the question below on your own.")
            return [system, ChatMessage("user", ask)]
        references = [
            prompts.quote(spec.seat(turn.seat_id), turn)
            for turn in transcript.turns(round_number - 1)
        ]
        task = prompts.mixture_layer(
            references,
            layer=round_number + 1,
            layers=self.rounds(spec) - 1,
            aggregate=self.aggregates(round_number, transcript),
        )
        intro = "You are asked this question."
        return [
            system,
            ChatMessage("user", prompts.question_only(spec, intro)),
            ChatMessage("user", task),
        ]

    async def annotate_turn(
        self, turn: TurnRecord, transcript: Transcript, gateway: Gateway
    ) -> TurnNotes:
        if self.aggregates(turn.round, transcript):
            return TurnNotes()  # the aggregation is a synthesis, not a switch of sides
        return await super().annotate_turn(turn, transcript, gateway)

    def count(self, round_number: int, transcript: Transcript) -> VoteResult:
        turns = transcript.turns(round_number)
        if not self.aggregates(round_number, transcript) or not turns:
            return majority_vote([turn.answer for turn in turns]).with_(binding=False)
        final = turns[0]
        layer = transcript.turns(round_number - 1) if round_number else []
        answers = [final.answer, *(turn.answer for turn in layer if turn.seat_id != final.seat_id)]
        counted = majority_vote(answers)
        if final.answer is None:
            return counted.with_(binding=False)
        agreeing = sum(1 for answer in answers if same_answer(answer, final.answer))
        name = transcript.spec.seat(final.seat_id).name
        return counted.with_(
            leader=final.answer, agreeing=agreeing, verdict=f"Aggregated by {name}"
        )

    def stop_after(self, round_number: int, vote: VoteResult, transcript: Transcript) -> bool:
        return self.aggregates(round_number, transcript)

    def decide(
        self, round_number: int, vote: VoteResult, transcript: Transcript, *, consensus: bool
    ) -> Decision:
        turns = transcript.turns(round_number)
        if self.aggregates(round_number, transcript) and turns and turns[0].answer is not None:
            layers = round_number  # proposer layers before the aggregation
            rule = (
                f"{vote.verdict} from {layers} layer{'s' if layers != 1 else ''} of proposers: "
                f"{turns[0].answer.display}; {vote.agreeing} of {vote.voters} of the last "
                "layer's answers (the aggregator's included) agree with it."
            )
            return Decision(turns[0].answer, rule, vote.tally, consensus=consensus)
        return self.decide_without_consensus(round_number, vote, transcript)

    def decide_without_consensus(
        self, round_number: int, vote: VoteResult, transcript: Transcript
    ) -> Decision:
        # The aggregator failed or wrote no answer: the last layer's majority stands.
        layer = round_number - 1 if self.aggregates(round_number, transcript) else round_number
        fallback = majority_vote([turn.answer for turn in transcript.turns(max(layer, 0))])
        if fallback.leader is None:
            return Decision(None, "No seat gave a readable answer.", fallback.tally, False)
        rule = (
            f"The aggregator gave no readable answer, so the majority of round {layer + 1} "
            f"stands: {fallback.leader.display} "
            f"from {fallback.agreeing} of {fallback.voters} seats."
        )
        return Decision(fallback.leader, rule, fallback.tally, consensus=False)
