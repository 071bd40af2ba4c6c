"""The vote by track record against the confidence-weighted vote, on a run's own answers.

Both rules only re-count the final round's answers of the seats, so they are compared
on the answers an evaluation run already stored: no model is called again, and both
count exactly the same answers to the same questions. Two rows join the report's
methods (each with McNemar's test against the table), and a third test pits the two
rules against each other.

The weights are each seat's round-0 accuracy on the *other* questions of the same run
(leave-one-out), as `engine.voting.record_weight` turns a record into a weight. So no
question's own gold answer ever weighs its vote, as a record built before a debate
could not know it; and runs with the same questions (the same task and seed) cannot
leak into each other, as a record gathered from every stored run would.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from roundtable.domain import Answer
from roundtable.domain.evaluation import EvalRunRecord, StoredQuestion
from roundtable.engine.evaluation.report import EvalReport, Method
from roundtable.engine.evaluation.scoring import is_correct
from roundtable.engine.evaluation.stats import (
    PairedTest,
    cost_per_correct,
    mcnemar_test,
    wilson_interval,
)
from roundtable.engine.protocols import get_protocol
from roundtable.engine.voting import (
    RecordWeight,
    record_weight,
    record_weighted_vote,
    weighted_vote,
)

CONFIDENCE_KEY = "rule:confidence-weighted"
RECORD_KEY = "rule:record-weighted"
CONFIDENCE_LABEL = "confidence-weighted vote"
RECORD_LABEL = "record-weighted vote"


@dataclass(frozen=True, slots=True)
class RuleComparison:
    """The two rules on the run's questions, and McNemar's test of one against the other."""

    confidence: Method
    record: Method
    record_vs_confidence: PairedTest

    def describe(self) -> str:
        """One sentence for the report: which rule did better, surely or not."""
        return (
            f"Record-weighted against confidence-weighted vote "
            f"({self.record.accuracy.brief()} against {self.confidence.accuracy.brief()}): "
            f"{self.record_vs_confidence.verdict}."
        )


def compare_vote_rules(run: EvalRunRecord) -> RuleComparison:
    """Both rules over the final round of every question the run has done.

    ConfigError for a protocol whose answer is no vote (a council's synthesis, a
    mixture's aggregate, a moderator's decision): re-counting its last round would
    compare nothing the protocol does.
    """
    get_protocol(run.settings.table.protocol).check_decides_by_vote()
    done = [question for question in run.done if question.rounds]
    by_confidence = [_right(q, weighted_vote(_last_round(q)).leader) for q in done]
    by_record = [_right(q, leader) for q, leader in zip(done, _record_votes(done), strict=True)]
    table_right = [bool(question.correct) for question in done]
    costs = [question.usage.cost_usd for question in done]
    tokens = sum(question.usage.total_tokens for question in done)

    def method(key: str, label: str, right: list[bool]) -> Method:
        return Method(
            key=key,
            label=label,
            accuracy=wilson_interval(sum(right), len(right)),
            cost=cost_per_correct(costs, sum(right)),  # the table's debates, re-counted
            tokens=tokens,
            versus_table=mcnemar_test(table_right, right, first="the table", second=label),
        )

    return RuleComparison(
        confidence=method(CONFIDENCE_KEY, CONFIDENCE_LABEL, by_confidence),
        record=method(RECORD_KEY, RECORD_LABEL, by_record),
        record_vs_confidence=mcnemar_test(
            by_record,
            by_confidence,
            first="the record-weighted vote",
            second="the confidence-weighted vote",
        ),
    )


def with_vote_rules(report: EvalReport, comparison: RuleComparison) -> EvalReport:
    """The report with the two rules as two more methods (the terminal, JSON and HTML
    reports all list every method)."""
    return dataclasses.replace(
        report, methods=(*report.methods, comparison.confidence, comparison.record)
    )


# ---------------------------------------------------------------- internals
def _last_round(question: StoredQuestion) -> list[Answer | None]:
    return [answer for _, answer in question.rounds[-1].seats]


def _right(question: StoredQuestion, answer: Answer | None) -> bool:
    return is_correct(question.item, answer)


def _record_votes(done: Sequence[StoredQuestion]) -> list[Answer | None]:
    """Each question's last-round answers, each weighing its seat's round-0 record on
    the run's other questions (the totals less the question's own answer)."""
    alone = [
        {seat_id: is_correct(question.item, answer) for seat_id, answer in question.rounds[0].seats}
        for question in done
    ]
    totals: dict[str, tuple[int, int]] = {}
    for answers in alone:
        for seat_id, right in answers.items():
            count, seen = totals.get(seat_id, (0, 0))
            totals[seat_id] = (count + right, seen + 1)
    leaders = []
    for question, own in zip(done, alone, strict=True):
        last = question.rounds[-1].seats
        weights = []
        for seat_id, _ in last:
            count, seen = totals.get(seat_id, (0, 0))
            if seat_id in own:
                count, seen = count - own[seat_id], seen - 1
            weights.append(RecordWeight(seat_id, record_weight(count, seen), seen))
        leaders.append(record_weighted_vote([answer for _, answer in last], weights).leader)
    return leaders
