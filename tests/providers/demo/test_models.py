"""The offline demo models: what they say, how they slip, and whether a table converges.

These tests drive `simulate_reply` with conversations shaped exactly like the engine's
prompts (the CONTRACT: `Question:` in round 0's message, the seat's own previous reply
as an assistant message, other seats as `### <name> (answer: …, confidence: …)` blocks).
The tiny `Table` below plays the engine's part; the real engine is not imported.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roundtable.domain import ConfigError
from roundtable.providers.demo.arithmetic import find_problem
from roundtable.providers.demo.models import (
    DEMO_MODELS,
    SIMULATED_BANNER,
    get_demo_model,
    read_prompt,
    simulate_reply,
)

FINAL = re.compile(r"^Final answer: (?P<value>.+)$", re.M)
CONFIDENCE = re.compile(r"^Confidence: (?P<value>.+)$", re.M)
ALL_IDS = [m.id for m in DEMO_MODELS]


def du_question(rng: random.Random) -> str:
    """Du et al.'s arithmetic task: a+b*c+d-e*f with integers 0..30."""
    a, b, c, d, e, f = (rng.randint(0, 30) for _ in range(6))
    return (
        f"What is the result of {a}+{b}*{c}+{d}-{e}*{f}? "
        "Make sure to state your answer at the end of the response."
    )


def answer_of(text: str) -> tuple[str, float]:
    return FINAL.findall(text)[-1], float(CONFIDENCE.findall(text)[-1])


def first_message(question: str) -> dict[str, str]:
    return {
        "role": "user",
        "content": "Answer on your own, then end with the two lines.\n\nQuestion:\n" + question,
    }


@dataclass
class Table:
    """A stand-in for the engine: seats answer, then see each other's blocks and revise.

    Like the engine, each discussion prompt replays only the seat's latest turn as the
    assistant message; `round_marker` adds the engine's "Discussion round r of n" line.
    """

    question: str
    seats: list[tuple[str, str]]  # (seat name, demo model id)
    seed: int
    round_marker: bool = True
    rounds: list[dict[str, tuple[str, float]]] = field(default_factory=list)

    def run(self, max_rounds: int = 3) -> Table:
        prompts = {name: [first_message(self.question)] for name, _ in self.seats}
        for number in range(max_rounds):
            replies = {name: simulate_reply(m, prompts[name], self.seed) for name, m in self.seats}
            answers = {name: answer_of(text) for name, text in replies.items()}
            self.rounds.append(answers)
            if len({a for a, _ in answers.values()}) == 1:
                break  # unanimous: the engine stops early
            for name, _ in self.seats:
                blocks = [
                    f"### {other} (answer: {answers[other][0]}, confidence: "
                    f"{answers[other][1]:.2f})\n{strip_answer(replies[other])}"
                    for other, _ in self.seats
                    if other != name
                ]
                marker = (
                    f"Discussion round {number + 1} of {max_rounds - 1}."
                    if self.round_marker
                    else ""
                )
                prompts[name] = [
                    first_message(self.question),
                    {"role": "assistant", "content": replies[name]},
                    {"role": "user", "content": marker + discussion(answers[name][0], blocks)},
                ]
        return self

    def converged_on(self, answer: str) -> bool:
        return all(a == answer for a, _ in self.rounds[-1].values())


def strip_answer(text: str) -> str:
    lines = [ln for ln in text.splitlines() if not ln.startswith(("Final answer:", "Confidence:"))]
    return "\n".join(lines).strip()[:1500]


def discussion(own: str, blocks: list[str]) -> str:
    return (
        f"\n\nYour previous answer was {own}.\n\n"
        "Here are the other participants' latest answers:\n\n## Answers\n\n"
        + "\n\n".join(blocks)
        + "\n\nCheck each explanation step by step. Then end with the two lines."
    )


FOUR = [(m.name, m.id) for m in DEMO_MODELS]


# ---------------------------------------------------------------- the models
def test_demo_models_are_distinct_personas() -> None:
    assert len(DEMO_MODELS) >= 3
    assert len({m.id for m in DEMO_MODELS}) == len({m.name for m in DEMO_MODELS}) == len(ALL_IDS)
    for model in DEMO_MODELS:
        assert model.id.startswith("demo/")
        assert model.blurb
        assert 0 < model.error_rate < 1
        assert model.tokens_per_s >= 10
    assert get_demo_model("ada") is get_demo_model("demo/ada")


def test_unknown_model_names_the_demo_models() -> None:
    with pytest.raises(ConfigError) as caught:
        simulate_reply("demo/zed", [first_message("What is 2+3*4?")], 1)
    for model_id in ALL_IDS:
        assert model_id in str(caught.value)


# ---------------------------------------------------------------- arithmetic replies
@pytest.mark.parametrize("model_id", ALL_IDS)
def test_arithmetic_reply_is_labelled_and_ends_with_answer_lines(model_id: str) -> None:
    text = simulate_reply(model_id, [first_message("What is 3+4*5+6-7*8?")], seed=3)
    assert text.startswith(SIMULATED_BANNER)
    lines = text.strip().splitlines()
    assert re.fullmatch(r"Final answer: -?\d+", lines[-2])
    confidence = float(lines[-1].removeprefix("Confidence: "))
    assert 0 <= confidence <= 1
    assert "7 × 8" in text or "7 * 8" in text  # the working is shown


def test_same_inputs_and_seed_give_the_same_reply() -> None:
    messages = [first_message("What is 12+7*3+5-4*6?")]
    assert simulate_reply("demo/basil", messages, 5) == simulate_reply("demo/basil", messages, 5)
    texts = {simulate_reply("demo/basil", messages, seed) for seed in range(12)}
    assert len(texts) > 1  # the seed matters: Basil does not say the same thing every time


def test_error_rates_differ_by_model() -> None:
    rng = random.Random(11)
    questions = [du_question(rng) for _ in range(150)]
    wrong = dict.fromkeys(ALL_IDS, 0)
    for number, question in enumerate(questions):
        problem = find_problem(question)
        assert problem is not None
        for model_id in ALL_IDS:
            reply = simulate_reply(model_id, [first_message(question)], number)
            wrong[model_id] += answer_of(reply)[0] != problem.answer
    rates = {k: v / len(questions) for k, v in wrong.items()}
    assert rates["demo/ada"] < 0.15
    assert rates["demo/basil"] > 0.25
    assert rates["demo/ada"] < rates["demo/cyra"] < rates["demo/basil"]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("What is the result of 3+4*5+6-7*8?", "-27"),
        ("Compute (2+3)*(4-6).", "-10"),
        ("What is 7/2 + 1?", "4.5"),
        ("What is 12 × 3 − 4 ÷ 2?", "34"),
        ("What is -5*-3?", "15"),
        ("Evaluate 10/(5-5)", "undefined"),
    ],
)
def test_expressions_are_found_and_computed_exactly(question: str, answer: str) -> None:
    problem = find_problem(question)
    assert problem is not None
    assert problem.answer == answer


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of France?",
        "Should I sleep 7-8 hours a night?",
        "Was the meeting on 2024-01-15 a Monday?",
        "What is __import__('os').getcwd() + 1?",
    ],
)
def test_non_arithmetic_questions_are_not_computed(question: str) -> None:
    assert find_problem(question) is None


# ---------------------------------------------------------------- discussion rounds
def test_transcript_follows_the_engine_contract() -> None:
    messages = [
        {"role": "system", "content": "You are Ada."},
        first_message("Which is larger?\nA) 3\nB) 4"),
        {"role": "assistant", "content": "I think A.\n\nFinal answer: A\nConfidence: 0.7"},
        {
            "role": "user",
            "content": discussion(
                "A",
                [
                    "### Basil the Bold (answer: B, confidence: 0.90)\nFour beats three.",
                    "### Cyra (answer: none, confidence: 0.00)\nI rambled.",
                    "### Dex (answer: 1,000, confidence: 0.55)\nBig.",
                ],
            ),
        },
    ]
    transcript = read_prompt(messages)
    assert transcript.question == "Which is larger?\nA) 3\nB) 4"
    assert transcript.round == 1
    assert (transcript.own_answer, transcript.own_confidence) == ("A", 0.7)
    assert [(p.name, p.answer, p.confidence) for p in transcript.peers] == [
        ("Basil the Bold", "B", 0.9),
        ("Cyra", None, 0.0),
        ("Dex", "1,000", 0.55),
    ]
    assert transcript.peers[0].explanation.startswith("Four beats three.")


def round_one(
    model_id: str,
    question: str,
    own: str,
    peers: list[tuple[str, str]],
    seed: int,
    *,
    working: str = "My working.",
) -> str:
    mine = f"{SIMULATED_BANNER}\n\n{working}\n\nFinal answer: {own}\nConfidence: 0.80"
    blocks = [f"### {name} (answer: {ans}, confidence: 0.90)\nMy steps." for name, ans in peers]
    messages = [
        first_message(question),
        {"role": "assistant", "content": mine},
        {"role": "user", "content": discussion(own, blocks)},
    ]
    return simulate_reply(model_id, messages, seed)


def test_a_wrong_model_mostly_moves_to_the_right_answer_and_says_why() -> None:
    question = "What is the result of 5+13*7+22-8*3?"  # 94; left to right gives 420
    peers = [("Ada", "94"), ("Dex", "94"), ("Eve", "94")]
    slip = "Strictly left to right: 5 + 13 = 18; 18 × 7 = 126; 126 + 22 = 148; 148 − 8 = 140; ..."
    for model_id in ("demo/cyra", "demo/basil"):
        replies = [round_one(model_id, question, "420", peers, s, working=slip) for s in range(30)]
        moved = [r for r in replies if answer_of(r)[0] == "94"]
        # Whoever changes their mind names the slip or the seat that convinced them.
        assert all("strictly left to right" in r or any(n in r for n, _ in peers) for r in moved)
        if model_id == "demo/cyra":  # revises readily
            assert len(moved) >= 25
        else:  # Basil mostly comes round too, but sometimes digs in, and says so
            kept = [r for r in replies if answer_of(r)[0] == "420"]
            assert len(moved) >= 12
            assert kept
            assert all("sticking with 420" in r for r in kept)


def test_a_right_model_explains_the_others_slip() -> None:
    question = "What is the result of 5+13*7+22-8*3?"
    reply = round_one("demo/ada", question, "94", [("Basil", "420"), ("Cyra", "94")], seed=1)
    assert answer_of(reply)[0] == "94"
    assert "Basil's 420 is what you get working strictly left to right" in reply


def test_confidence_rises_as_the_table_agrees() -> None:
    question = "What is the result of 5+13*7+22-8*3?"
    alone = answer_of(simulate_reply("demo/cyra", [first_message(question)], 2))
    assert alone[0] == "94"
    split = answer_of(round_one("demo/cyra", question, "94", [("Basil", "420")] * 2, 2))
    agreed = answer_of(round_one("demo/cyra", question, "94", [("Ada", "94"), ("Dex", "94")], 2))
    assert agreed[1] > alone[1]
    assert agreed[1] > split[1]


@pytest.mark.parametrize(
    ("seats", "round_marker"),
    [(FOUR, True), (FOUR[:3], True), (FOUR, False)],
    ids=["four seats", "three seats", "prompt without a round number"],
)
def test_a_demo_table_usually_converges_on_the_right_answer(seats, round_marker) -> None:
    rng = random.Random(2024)
    converged = disagreed_first = 0
    for _ in range(50):
        question = du_question(rng)
        problem = find_problem(question)
        assert problem is not None
        seed = rng.randint(0, 10**6)
        table = Table(question, seats, seed, round_marker).run(max_rounds=3)
        converged += table.converged_on(problem.answer)
        disagreed_first += len({a for a, _ in table.rounds[0].values()}) > 1
    assert converged >= 40  # >= 80 % within three rounds
    assert disagreed_first >= 10  # and round 0 often disagrees, so there is a debate to watch


# ---------------------------------------------------------------- other questions
@pytest.mark.parametrize(
    ("question", "allowed"),
    [
        ("Is a hot dog a sandwich?", {"yes", "no"}),
        ("Which planet is largest?\nA) Mars\nB) Jupiter\nC) Venus", {"A", "B", "C"}),
        ("Should a beginner learn Python or Rust?", {"Python", "Rust"}),
        ("How do I bake sourdough bread?", {"it depends", "keep it simple", "needs more context"}),
    ],
)
@pytest.mark.parametrize("model_id", ALL_IDS)
def test_other_questions_get_a_labelled_short_answer(
    model_id: str, question: str, allowed: set[str]
) -> None:
    text = simulate_reply(model_id, [first_message(question)], seed=4)
    assert text.startswith(SIMULATED_BANNER)
    assert "simulated demo model" in text.casefold().split("\n", 1)[1]  # said again, in words
    assert answer_of(text)[0] in allowed


def test_a_demo_table_converges_on_other_questions_too() -> None:
    converged = 0
    for seed in range(30):
        table = Table("Is a hot dog a sandwich?", FOUR, seed=seed).run(max_rounds=3)
        converged += len({a for a, _ in table.rounds[-1].values()}) == 1
    assert converged >= 24


_FRAGMENTS = st.sampled_from(
    [
        "Question:\n",
        "### Ada (answer: 5, confidence: 0.50)\n",
        "### Cyra (answer: none, confidence: 0.00)\n",
        "### Dex (answer: 1e999999999, confidence: 0.90)\n",
        "Final answer: 7\n",
        "Confidence: 2\n",
        "3+4*5",
        "(",
        "/0",
        " or ",
        "?",
        "A) x\nB) y\n",
        "Is ",
        "\n\n",
    ]
)
_MESSAGES = st.lists(
    st.fixed_dictionaries(
        {
            "role": st.sampled_from(["user", "assistant", "system"]),
            "content": st.one_of(
                st.lists(st.one_of(_FRAGMENTS, st.text(max_size=15)), max_size=10).map("".join),
                st.none(),
            ),
        }
    ),
    max_size=5,
)


@settings(max_examples=100, deadline=None)
@given(model_id=st.sampled_from(ALL_IDS), messages=_MESSAGES, seed=st.none() | st.integers())
def test_any_conversation_gets_a_labelled_reply_with_answer_lines(
    model_id: str, messages: list[dict[str, Any]], seed: int | None
) -> None:
    lines = simulate_reply(model_id, messages, seed).rstrip("\n").splitlines()
    assert lines[0] == SIMULATED_BANNER
    assert re.fullmatch(r"Final answer: \S.*", lines[-2])
    assert re.fullmatch(r"Confidence: [01]\.\d\d", lines[-1])
