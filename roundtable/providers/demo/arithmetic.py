"""Arithmetic for the demo models: a safe little parser, worked steps and plausible slips.

The demo models really compute the expressions they are asked about, with exact
fractions and never with `eval`: integers (or decimals), `+ - * /` (also `× ÷ −`),
parentheses and a minus sign on a number. Each model can make the mistakes people
make: a wrong product, a carry slip, a sign slip, or working strictly left to right.
The same machinery lets a model recognise which slip produced someone else's answer.
"""

from __future__ import annotations

import functools
import random
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Problem", "Step", "Working", "find_problem", "fmt_number"]

_TOKEN = re.compile(r"\d+(?:\.\d+)?|[-+*/()]|\S")
_CANDIDATE = re.compile(r"[-+*/×÷−()\d.\s]+")
_UNICODE_OPS = str.maketrans({"×": "*", "÷": "/", "−": "-"})
_CUE = re.compile(r"\b(?:what\s+is|what's|calculate|compute|evaluate|result|solve)\b|=", re.I)
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{2,4}")
_SYMBOL = {"+": "+", "-": "−", "*": "×", "/": "÷"}
_APPLY: dict[str, Callable[[Fraction, Fraction], Fraction]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}
# Bounds that keep replies short and numbers printable (Python caps int->str at 4300 digits).
_MAX_TOKENS = 81
_MAX_DIGITS = 12


def fmt_number(value: Fraction | str) -> str:
    """Canonical display of a number: "58", "-12", "2.5", "2.3333" (4 decimals at most)."""
    number = Fraction(value)
    if number.denominator == 1:
        return str(number.numerator)
    # Exact rounding to 4 places, no float: a huge fraction must not overflow.
    scaled = round(abs(number) * 10_000)
    whole, part = divmod(scaled, 10_000)
    text = f"{whole}.{part:04d}".rstrip("0").rstrip(".")
    return f"-{text}" if number < 0 and scaled else text


def _operand(value: Fraction) -> str:
    text = fmt_number(value)
    return f"({text})" if text.startswith("-") else text


# ---------------------------------------------------------------- parsing
@dataclass(frozen=True, slots=True)
class _Num:
    value: Fraction


@dataclass(frozen=True, slots=True)
class _Op:
    op: str
    left: _Node
    right: _Node


_Node = _Num | _Op


class _Parser:
    """Recursive descent; with `precedence=False` every operator binds equally (a slip)."""

    def __init__(self, tokens: list[str], *, precedence: bool) -> None:
        self._tokens = tokens
        self._pos = 0
        self._levels = (("+", "-"), ("*", "/")) if precedence else (("+", "-", "*", "/"),)

    def parse(self) -> _Node:
        node = self._binary(0)
        if self._pos != len(self._tokens):
            raise ValueError(f"unexpected {self._tokens[self._pos]!r}")
        return node

    def _peek(self) -> str | None:
        return self._tokens[self._pos] if self._pos < len(self._tokens) else None

    def _next(self) -> str:
        token = self._peek()
        if token is None:
            raise ValueError("the expression ends too early")
        self._pos += 1
        return token

    def _binary(self, level: int) -> _Node:
        def operand() -> _Node:
            return self._binary(level + 1) if level + 1 < len(self._levels) else self._atom()

        node = operand()
        while self._peek() in self._levels[level]:
            op = self._next()
            node = _Op(op, node, operand())
        return node

    def _atom(self) -> _Node:
        token = self._next()
        if token == "(":
            node = self._binary(0)
            if self._next() != ")":
                raise ValueError("unbalanced parenthesis")
            return node
        sign = 1
        if token == "-":
            sign, token = -1, self._next()
        if not token[0].isdigit() or len(token) > _MAX_DIGITS:
            raise ValueError(f"not a number: {token!r}")
        return _Num(sign * Fraction(token))


def _tokens(text: str) -> list[str]:
    tokens = _TOKEN.findall(text.translate(_UNICODE_OPS))
    if len(tokens) > _MAX_TOKENS:
        raise ValueError("expression too long for the demo")
    return tokens


# ---------------------------------------------------------------- working it out
@dataclass(frozen=True, slots=True)
class Step:
    """One operation as a model wrote it; `result` differs from `intended` on a slip."""

    left: Fraction
    op: str
    right: Fraction
    result: Fraction
    intended: Fraction

    def operation(self, *, ascii_ops: bool = False) -> str:
        """The left-hand side: "7 × 8" (or "7 * 8" for a code block)."""
        symbol = self.op if ascii_ops else _SYMBOL[self.op]
        return f"{_operand(self.left)} {symbol} {_operand(self.right)}"

    def show(self, *, ascii_ops: bool = False) -> str:
        """The step as written, slip included: "7 × 8 = 54"."""
        return f"{self.operation(ascii_ops=ascii_ops)} = {fmt_number(self.result)}"


#: The kinds of slip, as a model would own up to them.
SLIP_LABELS = {
    "order": "working strictly left to right instead of doing × and ÷ first",
    "product": "a wrong product",
    "carry": "a carry slip",
    "sign": "a sign slip",
}


@dataclass(frozen=True, slots=True)
class Working:
    """A full attempt at the expression: its steps, its answer, and the slip if any."""

    answer: str  # display form, or "undefined" for a division by zero
    steps: tuple[Step, ...]
    slip: str | None = None  # a key of SLIP_LABELS; None for a correct working

    @property
    def left_to_right(self) -> bool:
        return self.slip == "order"

    @property
    def wrong_step(self) -> tuple[int, Step] | None:
        """The 1-based number and the step where an arithmetic slip happened."""
        for number, step in enumerate(self.steps, start=1):
            if step.result != step.intended:
                return number, step
        return None


def _slipped(step: Step, kind: str, delta: int) -> Fraction | None:
    """What a plausible mistake of `kind` turns this step's result into (None: n/a)."""
    if kind == "product" and step.op == "*":
        return step.left * (step.right + delta)  # one factor too many or too few
    if kind == "product" and step.op == "/":
        return step.intended + delta
    if kind == "carry" and step.op in "+-":
        return step.intended + 10 * delta
    if kind == "sign" and step.op in "+-":
        return step.left - step.right if step.op == "+" else step.left + step.right
    return None


def _work(node: _Node, slip: tuple[int, str, int] | None = None) -> Working:
    """Evaluate in post-order, recording each step; apply `slip` (step, kind, delta)."""
    steps: list[Step] = []

    def walk(n: _Node) -> Fraction:
        if isinstance(n, _Num):
            return n.value
        left, right = walk(n.left), walk(n.right)
        intended = _APPLY[n.op](left, right)  # ZeroDivisionError propagates to the caller
        step = Step(left, n.op, right, intended, intended)
        if slip is not None and slip[0] == len(steps):
            wrong = _slipped(step, slip[1], slip[2])
            if wrong is not None:
                step = Step(left, n.op, right, wrong, intended)
        steps.append(step)
        return step.result

    value = walk(node)
    slipped = any(s.result != s.intended for s in steps)
    return Working(fmt_number(value), tuple(steps), slip[1] if slip and slipped else None)


@dataclass(frozen=True, slots=True)
class Problem:
    """An arithmetic question: its expression, the right working and the likely wrong ones."""

    expression: str
    correct: Working
    mistakes: tuple[Working, ...]
    #: The strictly left-to-right answer when it differs (the classic trap), else None.
    trap: str | None

    @property
    def answer(self) -> str:
        return self.correct.answer

    def first_attempt(
        self, error_rate: float, habits: Mapping[str, float], rng: random.Random
    ) -> Working:
        """A model's solo attempt: right, or with probability `error_rate` one of its slips.

        `habits` weighs the kinds of slip this model tends to make.
        """
        if rng.random() >= error_rate or not self.mistakes:
            return self.correct
        per_kind = Counter(w.slip for w in self.mistakes)
        weights = [habits.get(w.slip or "", 0.1) / per_kind[w.slip] for w in self.mistakes]
        return rng.choices(self.mistakes, weights)[0]

    def diagnose(
        self, answer: str | None, text: str = "", *, written: bool = False
    ) -> Working | None:
        """A plausible wrong working that yields `answer`, if any.

        Several slips can give the same number; the one whose wrong step appears in
        `text` (the explanation that gave the answer) is preferred. With `written`,
        only a slip that `text` actually shows counts (a model owning up to its own).
        """
        candidates = [w for w in self.mistakes if w.answer == answer]
        plain = _plain(text)
        for working in candidates:
            found = working.wrong_step
            if found is None and "strictly left to right" in plain:
                return working
            if found is not None and _plain(found[1].show()) in plain:
                return working
        return candidates[0] if candidates and not written else None


def _plain(text: str) -> str:
    """Text without Markdown bold, table bars, backticks or `=`, with ASCII operators.

    So a step matches however a model laid it out: "7 × 8 = 56", "| 7 × 8 | 56 |",
    "- 7 × 8 = **56**" and "7 * 8 = 56" all read " 7 * 8 56 ".
    """
    flat = text.replace("**", " ").translate(_UNICODE_OPS)
    for mark in "=|`":
        flat = flat.replace(mark, " ")
    return " " + " ".join(flat.casefold().split()) + " "


def _build(expression: str) -> Problem | None:
    tokens = _tokens(expression)
    tree = _Parser(tokens, precedence=True).parse()
    if not isinstance(tree, _Op):
        return None
    try:
        correct = _work(tree)
    except ZeroDivisionError:
        return Problem(expression, Working("undefined", ()), (), None)
    mistakes: list[Working] = []
    trap: str | None = None
    try:
        flat = _work(_Parser(tokens, precedence=False).parse())
        if flat.answer != correct.answer:
            trap = flat.answer
            mistakes.append(Working(flat.answer, flat.steps, "order"))
    except ZeroDivisionError:
        pass
    for index in range(len(correct.steps)):
        for kind, delta in (("product", -1), ("product", 1), ("carry", 1), ("carry", -1)):
            mistakes.append(_work(tree, (index, kind, delta)))
        mistakes.append(_work(tree, (index, "sign", 0)))
    wrong = tuple(w for w in mistakes if w.slip is not None and w.answer != correct.answer)
    return Problem(expression, correct, wrong, trap)


@functools.lru_cache(maxsize=64)  # every seat asks about the same question every round
def find_problem(question: str) -> Problem | None:
    """The arithmetic expression in `question` (the longest that parses), or None."""
    best: Problem | None = None
    for match in _CANDIDATE.finditer(question):
        text = match.group().strip().rstrip(".").strip()
        if not any(op in text for op in "+-*/×÷−") or _DATE.fullmatch(text):
            continue
        operators = re.findall(r"(?<=[\d)])\s*[-+*/×÷−]", text)
        # "1-2 hours" or "18-25" are ranges, not sums, unless the question asks to compute.
        if all(op == "-" for op in operators) and len(operators) < 2 and not _CUE.search(question):
            continue
        try:
            problem = _build(text)
        except (ValueError, OverflowError):
            continue
        if problem is not None and (best is None or len(text) > len(best.expression)):
            best = problem
    return best
