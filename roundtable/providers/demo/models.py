"""Offline simulated models for the `demo` provider: who they are and what they say.

With no API key and no local server a new user must still see a whole debate, so the
`demo` provider seats a few simulated models. This module is the pure part: it reads
the conversation the engine sends (the question after a `Question:` line, the seat's own
previous reply, the other seats' `### <name> (answer: …, confidence: …)` blocks) and
decides, deterministically, what the model says next. `roundtable.providers.demo.provider`
streams that text through litellm like any real model's.

Arithmetic questions (Du et al.'s `a+b*c+d-e*f` and the like) are really computed; each
model slips now and then in its own way (a wrong product, working left to right, a
sign slip), shows its working in Markdown, and in discussion rounds re-checks and mostly
converges on the right answer. Other questions get a clearly labelled simulated opinion
with a short answer (yes/no, an option letter, one of two named options) so the vote
and the consensus still work.

No litellm here: everything is plain Python and unit-testable.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from roundtable.providers.demo import voices
from roundtable.providers.demo.arithmetic import Problem, Working, find_problem
from roundtable.providers.demo.reading import PromptReading, read_prompt
from roundtable.providers.demo.replies import (
    SIMULATED_BANNER,
    Decision,
    clamp_confidence,
    number_key,
    question_options,
    reply_text,
    seeded_rng,
    text_key,
)
from roundtable.providers.demo.roster import DEMO_MODELS, SLIP_HABITS, DemoModel, get_demo_model
from roundtable.providers.demo.tasks import read_task, reply_to_task

__all__ = [
    "DEMO_MODELS",
    "SIMULATED_BANNER",
    "DemoModel",
    "PromptReading",
    "get_demo_model",
    "read_prompt",
    "simulate_reply",
]


# ---------------------------------------------------------------- shared helpers
def _turn_rng(model: DemoModel, tr: PromptReading, seed: object) -> random.Random:
    """The generator for this turn: it changes with the round and with the table.

    Folding in what the others answered means a changed table is a fresh situation,
    even if a prompt does not say which round it is.
    """
    table = ";".join(f"{p.name}={p.answer}@{p.confidence:.2f}" for p in tr.peers)
    return seeded_rng(model.id, tr.question, tr.round, seed, tr.own_answer, table)


# ---------------------------------------------------------------- arithmetic
def _first_confidence(model: DemoModel, right: bool, rng: random.Random) -> float:
    # Ada and Cyra are calibrated (they feel a slip); Basil is sure of everything.
    base = {"demo/ada": 0.88, "demo/basil": 0.96, "demo/cyra": 0.82, "demo/dex": 0.72}[model.id]
    if not right and model.id != "demo/basil":
        base -= 0.15
    return clamp_confidence(base + rng.uniform(-0.03, 0.03))


def _agreeing_confidence(base: float, agree_share: float, rng: random.Random) -> float:
    """Confidence rises toward 0.99 as more of the table gives the same answer."""
    return clamp_confidence(base + (0.99 - base) * agree_share * 0.9 + rng.uniform(-0.01, 0.01))


def _decide_arithmetic(
    model: DemoModel, problem: Problem, tr: PromptReading, own: str, rng: random.Random
) -> Decision:
    correct = problem.answer
    peers = [(p.name, number_key(p.answer)) for p in tr.peers]
    # A seat whose answer could not be read contradicts nobody.
    if all(key in (own, None) for _, key in peers):
        return Decision(own, "agree")
    right_peers = [name for name, key in peers if key == correct]
    if own == correct:
        wrong = Counter(key for _, key in peers if key not in (None, correct))
        if wrong and tr.round == 1:
            key, count = wrong.most_common(1)[0]
            # A rare lapse: a right answer talked out of it by a confident majority.
            if count >= 2 and count * 3 >= 2 * len(peers) and rng.random() < 0.2:
                peer = next(name for name, k in peers if k == key)
                return Decision(key, "swayed", peer, key)
        return Decision(own, "hold")
    support = len(right_peers) / len(peers)
    p_fix = 0.55 + 0.4 * support if right_peers else 0.45
    p_fix -= model.stubbornness * (0.6 if tr.round <= 1 else 0.3)
    if rng.random() < max(0.1, p_fix):
        if right_peers and rng.random() < 0.5:
            return Decision(correct, "persuaded", rng.choice(right_peers), correct)
        return Decision(correct, "fixed")
    name, key = next((n, k) for n, k in peers if k not in (own, None))
    return Decision(own, "stubborn", name, key or "")


def _arithmetic_reply(model: DemoModel, problem: Problem, tr: PromptReading, seed: object) -> str:
    habits = SLIP_HABITS[model.id]
    first = problem.first_attempt(model.error_rate, habits, seeded_rng(model.id, tr.question, seed))
    rng = _turn_rng(model, tr, seed)
    if tr.round == 0 or not tr.peers:
        confidence = _first_confidence(model, first.answer == problem.answer, rng)
        return reply_text(
            voices.first_arithmetic(model.id, problem, first, rng), first.answer, confidence
        )
    own = number_key(tr.own_answer) or first.answer
    decision = _decide_arithmetic(model, problem, tr, own, rng)
    agree = sum(number_key(p.answer) == decision.answer for p in tr.peers) / len(tr.peers)
    right = decision.answer == problem.answer
    if decision.move == "stubborn":
        previous = tr.own_confidence or _first_confidence(model, right, rng)
        confidence = clamp_confidence(previous if model.id == "demo/basil" else previous * 0.92)
    else:
        confidence = _agreeing_confidence(_first_confidence(model, right, rng), agree, rng)
    working: Working | None = None
    if decision.answer == problem.answer and (decision.move != "agree" or model.id == "demo/cyra"):
        working = problem.correct
    elif decision.move == "stubborn" and first.answer == own:
        working = first  # it shows the working it trusts, slip and all
    body = voices.discuss_arithmetic(
        model.id, problem, tr=tr, own=own, decision=decision, working=working, rng=rng
    )
    return reply_text(body, decision.answer, confidence)


# ---------------------------------------------------------------- other questions
def _first_opinion(model: DemoModel, question: str, options: Sequence[str], seed: object) -> str:
    rng = seeded_rng(model.id, question, "opinion", seed)
    # A shared prior from the question alone, so the table leans one way from the start.
    favoured = seeded_rng("prior", question, seed).choice(list(options))
    if model.id == "demo/dex" and rng.random() < 0.6:
        contrary = [o for o in options if o != favoured]
        return rng.choice(contrary or list(options))
    return favoured if rng.random() < 0.55 else rng.choice(list(options))


def _leader(answers: Sequence[tuple[str, float]]) -> str:
    """The confidence-weighted plurality; every seat computes the same one.

    Weights are whole hundredths so the sum is exact whatever the order, and ties
    break on a stable hash, never on which seat is asking.
    """
    weights: Counter[str] = Counter()
    display: dict[str, str] = {}
    for answer, confidence in answers:
        key = text_key(answer)
        if key:
            weights[key] += 100 + round(confidence * 100)
            display.setdefault(key, answer)
    if not weights:
        return answers[0][0]
    best = min(weights, key=lambda k: (-weights[k], hashlib.sha256(k.encode()).hexdigest()))
    return display[best]


def _opinion_reply(model: DemoModel, tr: PromptReading, seed: object) -> str:
    kind, options = question_options(tr.question)
    first = _first_opinion(model, tr.question, options, seed)
    rng = _turn_rng(model, tr, seed)
    base = {"demo/ada": 0.62, "demo/basil": 0.9, "demo/cyra": 0.66, "demo/dex": 0.58}[model.id]
    if tr.round == 0 or not tr.peers:
        body = voices.first_opinion(model.id, kind, first, rng)
        return reply_text(body, first, clamp_confidence(base + rng.uniform(-0.04, 0.04)))
    own = tr.own_answer or first
    table = [(p.answer, p.confidence) for p in tr.peers if p.answer]
    leader = _leader([(own, tr.own_confidence or base), *table])
    decision = Decision(
        own, "agree" if all(text_key(a) == text_key(own) for a, _ in table) else "hold"
    )
    if text_key(leader) != text_key(own):
        peer = next(p.name for p in tr.peers if text_key(p.answer) == text_key(leader))
        p_move = 0.85 - model.stubbornness * (0.8 if tr.round <= 1 else 0.3)
        move = "persuaded" if rng.random() < p_move else "stubborn"
        decision = Decision(leader if move == "persuaded" else own, move, peer, leader)
    agree = sum(text_key(a) == text_key(decision.answer) for a, _ in table) / len(tr.peers)
    confidence = _agreeing_confidence(base, agree, rng)
    if decision.move == "stubborn":
        confidence = clamp_confidence(base * 0.95)
    return reply_text(
        voices.discuss_opinion(model.id, tr, decision, rng), decision.answer, confidence
    )


# ---------------------------------------------------------------- entry point
def simulate_reply(model_id: str, messages: Sequence[Mapping[str, Any]], seed: int | None) -> str:
    """The full text `model_id` says for this turn of the conversation.

    Deterministic: the same model, messages and seed always give the same text.
    Raises `ConfigError` for a model that is not one of `DEMO_MODELS`.
    """
    model = get_demo_model(model_id)
    tr = read_prompt(messages)
    # The other protocols' tasks (a council review, a moderator's decision, a judge's
    # question…) have replies of their own; layers and rebuttals are discussion rounds.
    task = read_task(messages)
    if task.kind:
        text = reply_to_task(model, tr, task, seed)
        if text is not None:
            return text
        tr = dataclasses.replace(tr, round=task.round)
    problem = find_problem(tr.question)
    if problem is not None:
        return _arithmetic_reply(model, problem, tr, seed)
    return _opinion_reply(model, tr, seed)
