"""The statistics an evaluation report states, in plain Python and plain words.

50-100 questions rarely separate two methods a few points apart, so every accuracy
comes with a Wilson 95 % interval and every comparison with McNemar's exact test on
the questions both methods answered; the verdict says whether the difference is more
than chance at this sample size. Confidence is judged by the Brier score and the
expected calibration error. Costs keep "unknown" apart from "free": a sum with one
unknown price is unknown, never a smaller number.

Only `math` is used: these numbers must be checkable by hand, and are in the tests.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from roundtable.domain.evaluation import EvalRunRecord

#: The normal quantile for a two-sided 95 % interval.
Z_95 = 1.959963984540054
#: A difference is called "more than chance" below this p-value.
ALPHA = 0.05
CALIBRATION_BINS = 10


# ---------------------------------------------------------------- proportions
@dataclass(frozen=True, slots=True)
class Proportion:
    """`successes` of `trials` with its interval [low, high] (fractions, not percents)."""

    successes: int
    trials: int
    low: float
    high: float

    @property
    def estimate(self) -> float | None:
        """The share itself; None when there were no trials (not 0: nothing was measured)."""
        return self.successes / self.trials if self.trials else None

    def brief(self) -> str:
        """ "80 % (49-94)": for tables whose heading gives n."""
        if not self.trials:
            return "—"
        share = 100 * self.successes / self.trials
        return f"{share:.0f} % ({100 * self.low:.0f}-{100 * self.high:.0f})"

    def describe(self) -> str:
        """ "80 % (49-94 %, n = 10)" """
        if not self.trials:
            return "no questions (n = 0)"
        share = 100 * self.successes / self.trials
        return f"{share:.0f} % ({100 * self.low:.0f}-{100 * self.high:.0f} %, n = {self.trials})"


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> Proportion:
    """The Wilson score interval for `successes` out of `trials`.

    Chosen over the textbook p ± z·sqrt(p(1-p)/n) because that one collapses to a
    single point at 0/n and n/n and leaves [0, 1] for small n, exactly where an
    evaluation of 20 questions lives. With no trials nothing is known: [0, 1].
    """
    if trials < 0 or not 0 <= successes <= trials:
        raise ValueError(f"{successes} successes of {trials} trials is not a proportion")
    if trials == 0:
        return Proportion(0, 0, 0.0, 1.0)
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    # Clamped, and widened to the estimate, so float rounding can never put the point
    # estimate outside its own interval (at 0/n and n/n the bound is exact).
    low = max(0.0, min(centre - half, p))
    high = min(1.0, max(centre + half, p))
    return Proportion(successes, trials, low, high)


# ---------------------------------------------------------------- paired comparison
@dataclass(frozen=True, slots=True)
class PairedTest:
    """McNemar's exact test of two methods on the same questions.

    `first_only` counts the questions only the first method got right, `second_only`
    those only the second did: the discordant pairs, the only ones that tell the
    methods apart.
    """

    first: str
    second: str
    first_only: int
    second_only: int
    pairs: int
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA

    @property
    def verdict(self) -> str:
        """The result in one plain sentence a user can act on."""
        if self.pairs == 0:
            return f"no questions to compare {self.first} with {self.second}"
        if not self.significant or self.first_only == self.second_only:
            return (
                f"no evidence of a difference at n = {self.pairs} ({format_p_value(self.p_value)})"
            )
        better, worse = (
            (self.first, self.second)
            if self.first_only > self.second_only
            else (self.second, self.first)
        )
        return (
            f"{better} is better than {worse}; the difference is more than chance at this "
            f"sample size ({format_p_value(self.p_value)})"
        )


def mcnemar_test(
    first_correct: Sequence[bool],
    second_correct: Sequence[bool],
    *,
    first: str = "the table",
    second: str = "the best single seat",
) -> PairedTest:
    """Compare two methods' right/wrong outcomes on the same questions, in the same order."""
    if len(first_correct) != len(second_correct):
        raise ValueError(
            f"paired outcomes differ in length: {len(first_correct)} and {len(second_correct)}"
        )
    first_only = sum(1 for a, b in zip(first_correct, second_correct, strict=True) if a and not b)
    second_only = sum(1 for a, b in zip(first_correct, second_correct, strict=True) if b and not a)
    return PairedTest(
        first=first,
        second=second,
        first_only=first_only,
        second_only=second_only,
        pairs=len(first_correct),
        p_value=mcnemar_exact_p(first_only, second_only),
    )


def mcnemar_exact_p(first_only: int, second_only: int) -> float:
    """Two-sided exact p-value: under "no difference" each discordant question is a fair
    coin, so p = 2·P(Binomial(b + c, 1/2) ≤ min(b, c)), capped at 1."""
    if first_only < 0 or second_only < 0:
        raise ValueError("discordant counts cannot be negative")
    n = first_only + second_only
    if n == 0:
        return 1.0
    smaller = min(first_only, second_only)
    # Exact integers throughout: C(n, i) summed, then one correctly rounded division.
    term, tail = 1, 1
    for i in range(smaller):
        term = term * (n - i) // (i + 1)
        tail += term
    return min(1.0, 2 * tail / (1 << n))


def format_p_value(p_value: float) -> str:
    """ "p = 0.039", "p = 0.39", "p < 0.001": enough digits to read, no false precision."""
    if p_value < 0.001:
        return "p < 0.001"
    if p_value < 0.1:
        return f"p = {p_value:.3f}"
    return f"p = {p_value:.2f}"


# ---------------------------------------------------------------- calibration
@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Answers whose stated confidence fell in [low, high) (the last bin includes 1.0)."""

    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


@dataclass(frozen=True, slots=True)
class Calibration:
    """How well stated confidences matched being right.

    `brier` is the mean squared gap between confidence and outcome (0 is perfect, 0.25
    what always saying 0.5 earns); `ece` the bin-weighted mean gap between confidence
    and accuracy. `bins` holds only the non-empty bins, for the calibration chart;
    `unstated` counts answers that gave no confidence and so are left out.
    """

    answers: int
    brier: float
    ece: float
    bins: tuple[CalibrationBin, ...]
    unstated: int = 0


def calibration(
    outcomes: Iterable[tuple[float | None, bool]], *, bins: int = CALIBRATION_BINS
) -> Calibration | None:
    """Brier score and ECE of (stated confidence, was right) pairs; None when no answer
    stated a confidence (no number is better than a made-up one)."""
    if bins < 1:
        raise ValueError("calibration needs at least one bin")
    stated: list[tuple[float, bool]] = []
    unstated = 0
    for confidence, correct in outcomes:
        if confidence is None:
            unstated += 1
            continue
        if not 0.0 <= confidence <= 1.0:
            raise ValueError(f"a confidence must lie in [0, 1], not {confidence}")
        stated.append((confidence, correct))
    if not stated:
        return None
    brier = sum((confidence - float(correct)) ** 2 for confidence, correct in stated)
    grouped: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for confidence, correct in stated:
        grouped[min(int(confidence * bins), bins - 1)].append((confidence, correct))
    filled = []
    ece = 0.0
    for index, members in enumerate(grouped):
        if not members:
            continue
        mean_confidence = sum(c for c, _ in members) / len(members)
        accuracy = sum(1 for _, right in members if right) / len(members)
        ece += len(members) / len(stated) * abs(accuracy - mean_confidence)
        filled.append(
            CalibrationBin(
                index / bins, (index + 1) / bins, len(members), mean_confidence, accuracy
            )
        )
    return Calibration(len(stated), brier / len(stated), ece, tuple(filled), unstated)


# ---------------------------------------------------------------- what debate changed
@dataclass(frozen=True, slots=True)
class Flips:
    """Questions where the round-0 majority and the table's final answer differ in being
    right: debate repaired the majority, or talked it out of the right answer."""

    wrong_to_right: int
    right_to_wrong: int
    questions: int

    def describe(self) -> str:
        return (
            f"debate turned a wrong majority right on {self.wrong_to_right} and a right "
            f"majority wrong on {self.right_to_wrong} of {self.questions} questions"
        )


def debate_flips(initial_correct: Sequence[bool], final_correct: Sequence[bool]) -> Flips:
    """Count the flips from the round-0 majority's outcomes to the final answers'."""
    if len(initial_correct) != len(final_correct):
        raise ValueError(
            f"outcomes differ in length: {len(initial_correct)} and {len(final_correct)}"
        )
    pairs = list(zip(initial_correct, final_correct, strict=True))
    return Flips(
        wrong_to_right=sum(1 for before, after in pairs if after and not before),
        right_to_wrong=sum(1 for before, after in pairs if before and not after),
        questions=len(pairs),
    )


# ---------------------------------------------------------------- cost
def total_cost(costs: Iterable[float | None]) -> float | None:
    """The sum of costs in USD; None (unknown) as soon as one of them is unknown."""
    total = 0.0
    for cost in costs:
        if cost is None:
            return None
        total += cost
    return total


def total_spent(run: EvalRunRecord) -> float | None:
    """Dollars the run has spent so far, samples included; None when a price was unknown."""
    costs: list[float | None] = []
    for question in run.done:
        costs.append(question.usage.cost_usd)
        if question.samples is not None:
            costs.append(question.samples.usage.cost_usd)
    return total_cost(costs)


@dataclass(frozen=True, slots=True)
class CostPerCorrect:
    """What one correct answer cost: the total spent divided by the answers that were right.

    `total_usd` None means some price was unknown, and so is this; never 0.
    """

    total_usd: float | None
    correct: int

    @property
    def usd(self) -> float | None:
        """USD per correct answer; None when unknown or when nothing was right."""
        if self.total_usd is None or self.correct == 0:
            return None
        return self.total_usd / self.correct

    def describe(self) -> str:
        if self.total_usd is None:
            return "unknown (a price is not known)"
        if self.correct == 0:
            return f"no correct answer for ${self.total_usd:.4f}"
        if self.total_usd == 0:
            return "free"
        return f"${self.total_usd / self.correct:.4f} per correct answer"


def cost_per_correct(costs: Iterable[float | None], correct: int) -> CostPerCorrect:
    """Cost per correct answer of a method whose calls cost `costs`."""
    if correct < 0:
        raise ValueError("the number of correct answers cannot be negative")
    return CostPerCorrect(total_cost(costs), correct)
