"""How many self-consistency samples cost about as much as the table.

The sceptics' baseline (Li et al., 2024; "Rethinking the Bounds of LLM Reasoning") is
the best single seat sampled k times with a majority vote. A fair comparison spends
about the same tokens as the table did, so k is the whole number whose expected cost,
k times the seat's measured tokens per answer, is closest to the table's measured
tokens per question; it stays within 1 ≤ k ≤ cap so a cheap seat beside an expensive
table cannot ask for hundreds of calls.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from roundtable.domain.evaluation import StoredQuestion

#: Li et al. saw most of the gain by 10-20 samples; beyond that, calls cost more than they add.
DEFAULT_SAMPLE_CAP = 20


@dataclass(frozen=True, slots=True)
class SelfConsistencyPlan:
    """The chosen k and the token figures behind it, shown beside the baseline's result."""

    samples: int
    tokens_per_sample: float
    table_tokens: float
    cap: int

    @property
    def expected_tokens(self) -> float:
        return self.samples * self.tokens_per_sample

    @property
    def capped(self) -> bool:
        """True when the cap, not the table's cost, set k (the baseline spends less)."""
        return self.samples == self.cap and self.expected_tokens < self.table_tokens

    def describe(self, seat: str) -> str:
        """ "self-consistency: 5 samples of gpt-4o, about 10,500 tokens a question (the
        table: 11,000)" """
        text = (
            f"self-consistency: {self.samples} sample{'s' if self.samples != 1 else ''} of "
            f"{seat}, about {self.expected_tokens:,.0f} tokens a question "
            f"(the table: {self.table_tokens:,.0f})"
        )
        return text + f", capped at {self.cap}" if self.capped else text


def plan_self_consistency(
    table_tokens: float, tokens_per_sample: float, *, cap: int = DEFAULT_SAMPLE_CAP
) -> SelfConsistencyPlan:
    """Choose k so that k x `tokens_per_sample` is closest to `table_tokens`.

    Both are measured means per question (the table's whole debate; one answer of the
    best seat, its round-0 turn). On a tie the smaller k wins: the cheaper baseline.
    """
    if cap < 1:
        raise ValueError(f"the sample cap must be at least 1, not {cap}")
    if not math.isfinite(tokens_per_sample) or tokens_per_sample <= 0:
        raise ValueError(f"tokens per sample must be a positive number, not {tokens_per_sample}")
    if not math.isfinite(table_tokens) or table_tokens < 0:
        raise ValueError(f"the table's tokens must be a non-negative number, not {table_tokens}")
    # Clamped first: a huge ratio (or inf) must not reach floor() and ceil().
    ideal = min(table_tokens / tokens_per_sample, float(cap))
    below = min(cap, max(1, math.floor(ideal)))
    above = min(cap, max(1, math.ceil(ideal)))
    samples = min(
        (below, above),
        key=lambda k: (abs(k * tokens_per_sample - table_tokens), k),
    )
    return SelfConsistencyPlan(samples, tokens_per_sample, table_tokens, cap)


def measure_sampling(done: Sequence[StoredQuestion], seat_id: str) -> SelfConsistencyPlan | None:
    """How many samples of `seat_id` cost about what the table spent a question, from
    the questions done so far; None when the seat never answered (nothing to measure)."""
    spent = [
        question.rounds[0].seat_usage[seat_id].total_tokens
        for question in done
        if question.rounds and seat_id in question.rounds[0].seat_usage
    ]
    per_sample = sum(spent) / len(spent) if spent else 0.0
    if per_sample <= 0 or not done:
        return None
    table_tokens = sum(question.usage.total_tokens for question in done) / len(done)
    return plan_self_consistency(table_tokens, per_sample)
