"""Du et al.'s arithmetic task: seeded, within 0-30, golds exact, and the demo can answer it."""

from __future__ import annotations

import re

import pytest

from roundtable.domain import AnswerKind, ConfigError
from roundtable.domain.evaluation import TaskFormat
from roundtable.engine.evaluation.tasks import arithmetic_task, resolve_task
from roundtable.providers.demo.arithmetic import find_problem

_EXPRESSION = re.compile(r"^What is the result of (\d+)\+(\d+)\*(\d+)\+(\d+)-(\d+)\*(\d+)\?$")


def test_the_same_seed_gives_the_same_problems_and_another_seed_others() -> None:
    assert arithmetic_task(20, seed=7) == arithmetic_task(20, seed=7)
    assert arithmetic_task(20, seed=7).items != arithmetic_task(20, seed=8).items


def test_a_known_seed_gives_a_problem_worked_by_hand() -> None:
    first = arithmetic_task(1, seed=1).items[0]
    assert first.question == "What is the result of 4+18*27+25-24*2?"
    # 4 + 486 + 25 - 48
    assert (first.gold, first.answer, first.kind) == ("467", "467", AnswerKind.NUMBER)


def test_every_problem_has_operands_in_0_to_30_and_its_exact_value() -> None:
    task = arithmetic_task(300, seed=3)
    assert task.format is TaskFormat.ARITHMETIC
    assert [item.id for item in task.items] == [str(n) for n in range(1, 301)]
    seen: set[int] = set()
    for item in task.items:
        match = _EXPRESSION.match(item.question)
        assert match is not None, item.question
        a, b, c, d, e, f = (int(group) for group in match.groups())
        seen.update((a, b, c, d, e, f))
        assert item.gold == str(a + (b * c) + d - (e * f))
    # 1,800 draws: both ends of Du et al.'s range come up, nothing outside it.
    assert min(seen) == 0
    assert max(seen) == 30


def test_the_demo_models_recognise_and_solve_the_questions() -> None:
    # On the demo table the harness must show models improving, so they must see the sum.
    for item in arithmetic_task(25, seed=11).items:
        problem = find_problem(item.question)
        assert problem is not None
        assert problem.answer == item.gold


def test_resolve_generates_as_many_problems_as_the_limit() -> None:
    assert len(resolve_task("arithmetic", seed=2, limit=5).items) == 5
    assert len(resolve_task("arithmetic").items) == 100
    assert resolve_task("arithmetic", seed=2, limit=5).source.endswith("seed 2)")


@pytest.mark.parametrize("count", [0, -1, 10_001])
def test_a_count_out_of_range_is_refused(count: int) -> None:
    with pytest.raises(ConfigError, match="1 to 10,000 problems"):
        arithmetic_task(count)
