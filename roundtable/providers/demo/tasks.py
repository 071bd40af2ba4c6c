"""What the demo models say to the other protocols' tasks, and to a judge's questions.

`models` answers questions and discussion rounds; this module handles the tasks
the other protocols set (see the CONTRACT in `roundtable.engine.prompts`: the last
user message's first line names the task):

- a council review: every `### Response A` is checked (arithmetic really is) and the
  responses are ranked, best first, under "FINAL RANKING:";
- a chair's synthesis: the best-supported member answer, with its working;
- a moderated debate's negative opening (it challenges the affirmative, or agrees
  when it finds no flaw) and the moderator's decision (it stops once exactly one
  side is right, from the second round on);
- a judge's agreement check (it compares the stated answers) and its persuasion or
  conformity verdict (did the seat name a concrete error, or only the majority?).

Mixture layers and the debaters' later rounds are discussion rounds in all but name:
`read_task` gives their round number and the ordinary discussion path answers. Every
reply starts with the "simulated" banner, like every demo reply.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from roundtable.providers.demo import voices
from roundtable.providers.demo.arithmetic import Problem, find_problem
from roundtable.providers.demo.reading import PeerAnswer, PromptReading, content_of
from roundtable.providers.demo.replies import (
    SIMULATED_BANNER,
    clamp_confidence,
    number_key,
    question_options,
    reply_text,
    seeded_rng,
    text_key,
)
from roundtable.providers.demo.roster import SLIP_HABITS, DemoModel

__all__ = ["Task", "read_task", "reply_to_task"]

_TASKS = (
    ("review", re.compile(r"^# Peer review\b")),
    ("synthesis", re.compile(r"^# Chair's synthesis\b")),
    ("layer", re.compile(r"^# Layer (\d+) of \d+")),
    ("aggregate", re.compile(r"^# Aggregation\b.*?layer (\d+)")),
    ("affirmative", re.compile(r"^# Debate: affirmative side, round (\d+)")),
    ("negative", re.compile(r"^# Debate: negative side, round (\d+)")),
    ("moderator", re.compile(r"^# Moderator's decision, round (\d+)")),
    ("agreement", re.compile(r"^# Agreement check\b")),
    ("conformity", re.compile(r"^# Persuasion or conformity\b")),
)
#: Tasks whose number is a layer or round counted from 1, not the engine's round.
_FROM_ONE = {"layer", "affirmative", "negative", "moderator"}
_RESPONSE = re.compile(r"^###[ \t]+Response[ \t]+([A-Z]{1,2})[ \t]*$", re.M)
_FINAL = re.compile(r"^[ \t]*Final answer:[ \t]*(.+?)[ \t]*$", re.M | re.I)
_ARGUMENT = re.compile(
    r"\b(step|wrote|slip|product|carry|sign|left to right|working|precedence|because|"
    r"miscalculat|computed|instead of)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Task:
    """The task a prompt sets; kind "" for an ordinary answer or discussion round."""

    kind: str = ""
    round: int = 0  # the engine's round (0 for a first answer)
    final: bool = False  # the moderator's last round: it must decide
    text: str = ""  # the task's message


def read_task(messages: Sequence[Mapping[str, Any]]) -> Task:
    """The task named on the first line of the last user message, if any."""
    users = [content_of(m) for m in messages if m.get("role") == "user"]
    if len(users) < 2:  # a task always follows the question's own message
        return Task()
    last = users[-1]
    head = next((line.strip() for line in last.splitlines() if line.strip()), "")
    for kind, pattern in _TASKS:
        match = pattern.match(head)
        if match is None:
            continue
        number = int(match.group(1)) if match.groups() else 1
        round_number = number - 1 if kind in _FROM_ONE else number
        final = "This is the last round" in last
        return Task(kind, max(0, round_number), final, last)
    return Task()


def reply_to_task(model: DemoModel, tr: PromptReading, task: Task, seed: object) -> str | None:
    """The model's reply to `task`, or None when the ordinary discussion path answers."""
    problem = find_problem(tr.question)
    if task.kind == "review":
        return _review(model, tr, task, problem, seed)
    if task.kind == "synthesis":
        return _synthesis(model, tr, problem, seed)
    if task.kind == "negative" and task.round == 0 and tr.peers:
        return _challenge(model, tr, problem, seed)
    if task.kind == "moderator":
        return _moderate(model, tr, task, problem)
    if task.kind == "agreement":
        return _agreement(tr, problem)
    if task.kind == "conformity":
        return _conformity(tr)
    return None


def _key(answer: str | None, problem: Problem | None) -> str | None:
    return number_key(answer) if problem is not None else text_key(answer)


# ---------------------------------------------------------------- council
def _responses(text: str) -> list[tuple[str, str | None, str]]:
    """(label, stated answer, body) of each `### Response X` block."""
    headers = list(_RESPONSE.finditer(text))
    out = []
    for index, header in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(text)
        body = text[header.end() : end]
        # The instructions after the last response are not part of it.
        body = body.split("\nFor each response,", 1)[0].strip()
        finals = _FINAL.findall(body)
        out.append((header.group(1), finals[-1] if finals else None, body))
    return out


def _review(
    model: DemoModel, tr: PromptReading, task: Task, problem: Problem | None, seed: object
) -> str:
    responses = _responses(task.text)
    rng = seeded_rng(model.id, tr.question, "review", seed, [r[:2] for r in responses])
    counts = Counter(_key(answer, problem) for _, answer, _ in responses)
    scores: dict[str, float] = {}
    notes = []
    for label, answer, body in responses:
        key = _key(answer, problem)
        if problem is not None:
            right = key == problem.answer
            scores[label] = (2.0 if right else 0.0) + rng.random()
            if right:
                note = f"{answer} is right: × and ÷ first, then + and − from left to right."
            elif answer is None:
                note = "gives no final answer I can read."
            else:
                note = voices.their_slip(problem, "This response", answer, body)
        else:
            # A simulated reviewer cannot judge substance: it follows the weight of opinion.
            scores[label] = counts[key] + rng.random()
            note = f"argues for {answer or 'nothing definite'}" + (
                "; several responses agree." if counts[key] > 1 else "; it stands alone."
            )
        notes.append(f"- **Response {label}**: {note}")
    ranked = sorted(scores, key=lambda label: -scores[label])
    best = next(answer for label, answer, _ in responses if label == ranked[0]) if ranked else None
    answer = best or "no answer"
    if problem is not None and problem.answer in counts:
        answer = problem.answer
    opener = {
        "demo/ada": "Each response, on its merits:",
        "demo/basil": "Ooh, a review! I read them all — here's what I think, no favourites!",
        "demo/cyra": "I checked every response line by line; my notes, then my ranking.",
        "demo/dex": "Time to be the critic nobody asked for. One by one:",
    }[model.id]
    ranking = "FINAL RANKING:\n" + "\n".join(
        f"{place}. Response {label}" for place, label in enumerate(ranked, start=1)
    )
    confidence = clamp_confidence(
        0.7 + 0.25 * (counts.get(_key(answer, problem), 0) / max(1, len(responses)))
    )
    return reply_text([opener, "\n".join(notes), ranking], answer, confidence)


def _synthesis(model: DemoModel, tr: PromptReading, problem: Problem | None, seed: object) -> str:
    members = list(tr.peers)  # best-ranked first, as the chair's prompt lists them
    if not members:
        return reply_text(["There is nothing to synthesise: no member answered."], "no answer", 0.1)
    top = members[0]
    answer = top.answer or "no answer"
    body = [
        f"As chair I weigh the {len(members)} answers and the reviews. The best-ranked answer "
        f"is {top.name}'s {answer}."
    ]
    if problem is not None:
        right = [m for m in members if number_key(m.answer) == problem.answer]
        if right and number_key(top.answer) != problem.answer:
            body.append(
                f"I depart from it: checking the working, {voices.names([m.name for m in right])} "
                f"{'has' if len(right) == 1 else 'have'} it right, and "
                + voices.their_slip(problem, top.name, answer, top.explanation)
            )
        answer = problem.answer if right else answer
        body.append(
            voices.layout(
                model.id,
                problem.correct
                if right
                else problem.first_attempt(
                    model.error_rate, SLIP_HABITS[model.id], seeded_rng(model.id, tr.question, seed)
                ),
            )
        )
    else:
        backers = [m.name for m in members if text_key(m.answer) == text_key(answer)]
        body.append(
            f"{voices.names(backers)} support {answer}; the reviews rank it first. "
            "(Simulated synthesis: a real chair would weigh the arguments themselves.)"
        )
    agree = sum(_key(m.answer, problem) == _key(answer, problem) for m in members) / len(members)
    return reply_text(body, answer, clamp_confidence(0.75 + 0.2 * agree))


# ---------------------------------------------------------------- moderated debate
def _challenge(model: DemoModel, tr: PromptReading, problem: Problem | None, seed: object) -> str:
    """The negative side's opening: find the flaw in the affirmative, or concede."""
    affirmative = tr.peers[0]
    if problem is not None:
        mine = problem.first_attempt(
            model.error_rate, SLIP_HABITS[model.id], seeded_rng(model.id, tr.question, seed)
        )
        if mine.answer == number_key(affirmative.answer):
            body = [
                f"I looked for a flaw in {affirmative.name}'s working and found none: "
                f"{mine.answer} holds, and I will not invent a disagreement.",
                voices.layout(model.id, mine),
            ]
            return reply_text(body, mine.answer, 0.9)
        their = affirmative.answer or "answer"
        if problem.diagnose(number_key(their), affirmative.explanation) is not None:
            flaw = voices.their_slip(problem, affirmative.name, their, affirmative.explanation)
        else:  # it cannot name a slip, because there is none: it only trusts its own working
            flaw = f"My own working does not give {their}, so I challenge it."
        body = [
            f"I dispute {affirmative.name}'s {affirmative.answer}. {flaw}",
            f"I get {mine.answer}:",
            voices.layout(model.id, mine),
        ]
        return reply_text(body, mine.answer, 0.8)
    _kind, options = question_options(tr.question)
    others = [o for o in options if text_key(o) != text_key(affirmative.answer)] or list(options)
    mine_text = random.Random(f"{model.id}{tr.question}{seed}").choice(others)
    body = [
        "_(Simulated debate: the positions are placeholders, not reasoning.)_",
        f"Someone has to test {affirmative.name}'s {affirmative.answer}: here is the case "
        f"for {mine_text} — it needs fewer assumptions than the question lets on.",
    ]
    return reply_text(body, mine_text, 0.6)


def _side(peer: PeerAnswer) -> tuple[str, str]:
    role, _, name = peer.name.partition(":")
    return role.strip().casefold(), name.strip() or peer.name


def _moderate(model: DemoModel, tr: PromptReading, task: Task, problem: Problem | None) -> str:
    sides = [(*_side(p), p) for p in tr.peers]
    keys = {_key(p.answer, problem) for _, _, p in sides}
    winner: tuple[str, str, PeerAnswer] | None = None
    if problem is not None:
        right = [s for s in sides if number_key(s[2].answer) == problem.answer]
        answer = problem.answer
        if len(keys) > 1 and len(right) == 1:
            winner = right[0]
        clear = winner is not None and (task.round >= 1 or task.final)
        reason = "checking both workings step by step"
    else:
        best = max(sides, key=lambda s: s[2].confidence, default=None)
        answer = best[2].answer if best and best[2].answer else "no answer"
        winner = best if len(keys) > 1 else None
        clear = task.final
        reason = "weighing how firmly each side held its ground (simulated)"
    if len(keys) == 1 and sides:
        body = f"Both sides now say {sides[0][2].answer}: the debate has converged."
        decision, side = "stop", "none"
    elif winner is not None and (clear or task.final):
        body = f"After {reason}, the {winner[0]} side ({winner[1]}) is clearly right."
        decision, side = "stop", winner[0]
    elif task.final:
        body = "Neither side is clearly right, but this is the last round; I decide on the merits."
        decision, side = "stop", "none"
    else:
        body = "Neither side has made its case decisively yet; the debate continues."
        decision, side = "continue", "none"
    listed = "; ".join(f"{role} {name}: {p.answer or 'no answer'}" for role, name, p in sides)
    return (
        f"{SIMULATED_BANNER}\n\nI moderate; I do not argue. This round — {listed}.\n\n{body}\n\n"
        f"Decision: {decision}\n\nWinner: {side}\n\nFinal answer: {answer}\n"
        f"Confidence: {0.9 if decision == 'stop' else 0.6:.2f}\n"
    )


# ---------------------------------------------------------------- a judge's quiet calls
def _agreement(tr: PromptReading, problem: Problem | None) -> str:
    groups: dict[str | None, list[PeerAnswer]] = {}
    for peer in tr.peers:
        groups.setdefault(_key(peer.answer, problem), []).append(peer)
    count = len(tr.peers)
    largest = max((len(g) for g in groups.values()), default=0)
    agreement = largest / count if count else 0.0
    shown = [g[0].answer or "no answer" for g in groups.values()]
    disputed = ["none"] if len(groups) <= 1 else [f"whether the answer is {' or '.join(shown)}"]
    common = "none"
    if largest * 2 > count:
        lead = max(groups.values(), key=len)
        common = lead[0].answer or "none"
    bullets = "\n".join(f"- {point}" for point in disputed)
    return (
        f"{SIMULATED_BANNER}\n\n_(Simulated judge: it compares the stated answers, not the "
        f"reasoning.)_\n\nAgreement: {agreement:.2f}\nDisputed:\n{bullets}\n"
        f"Common position: {common}\n"
    )


def _conformity(tr: PromptReading) -> str:
    seat = tr.peers[-1] if tr.peers else None
    # The seat's block runs to the end of the prompt: the question after it is not its text.
    text = seat.explanation.split("\n\nDid ", 1)[0] if seat is not None else ""
    argued = _ARGUMENT.search(text) is not None
    verdict = "persuaded" if argued else "conformed"
    why = (
        "It names a concrete error, so an argument moved it."
        if argued
        else "It gives no reason of its own beyond what the others said."
    )
    return f"{SIMULATED_BANNER}\n\nVerdict: {verdict}\n{why}\n"
