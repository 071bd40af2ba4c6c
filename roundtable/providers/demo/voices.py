"""How each demo model words its replies: the persona texts behind `models`.

`models` decides what a model answers; this module only writes it up, in the
model's own voice: Ada terse, Basil chatty and sure, Cyra methodical in tables, Dex
arguing the other side. Every function returns the Markdown paragraphs of a reply
body; the caller adds the "simulated" banner and the final-answer lines.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from roundtable.providers.demo.arithmetic import SLIP_LABELS, Problem, Working, fmt_number
from roundtable.providers.demo.replies import Decision

if TYPE_CHECKING:
    from roundtable.providers.demo.reading import PeerAnswer, PromptReading

__all__ = [
    "discuss_arithmetic",
    "discuss_opinion",
    "first_arithmetic",
    "first_opinion",
    "layout",
    "names",
    "their_slip",
]

_ADA, _BASIL, _CYRA, _DEX = "demo/ada", "demo/basil", "demo/cyra", "demo/dex"


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# ---------------------------------------------------------------- arithmetic
def _layout(model_id: str, working: Working) -> str:
    """The working in the model's own layout: inline, bullet list, table or code block."""
    if not working.steps:
        return "The expression divides by zero somewhere, so it has no value: **undefined**."
    order = (
        "Strictly left to right:"
        if working.left_to_right
        else "× and ÷ first, then + and − from left to right:"
    )
    steps = working.steps
    if model_id == _ADA:
        return f"{order} " + "; ".join(s.show() for s in steps) + "."
    if model_id == _BASIL:
        lines = [f"- {s.operation()} = **{fmt_number(s.result)}**" for s in steps]
        return order + "\n\n" + "\n".join(lines)
    if model_id == _CYRA:
        rows = ["| Step | Operation | Result |", "|---:|---|---:|"]
        for number, step in enumerate(steps, start=1):
            rows.append(f"| {number} | {step.operation()} | {fmt_number(step.result)} |")
        return order + "\n\n" + "\n".join(rows)
    code = "\n".join(s.show(ascii_ops=True) for s in steps)
    return f"{order}\n\n```text\n{code}\n```"


_FIRST_OPENERS = {
    _ADA: ("", "Precedence first."),
    _BASIL: (
        "Ooh, arithmetic — my favourite! This one's honestly easy, let me just rattle through it.",
        "Ha, a nice little sum! I love these. Let me zip through it real quick.",
        "Oh, this is a fun one! No need to overthink it, here we go.",
    ),
    _CYRA: (
        "Let me work through this step by step, one operation per row.",
        "I'll lay out every operation in order so each one can be checked.",
    ),
    _DEX: (
        "Before everyone nods along to the obvious answer, let me do it the boring way.",
        "Let me be the one who actually checks instead of assuming.",
    ),
}
_FIRST_CLOSERS = {
    _ADA: ("Result: **{answer}**.", "So **{answer}**."),
    _BASIL: (
        "So the answer is **{answer}** — I'm very sure about this one!",
        "Easy: **{answer}**. I'd bet on it!",
    ),
    _CYRA: (
        "Each row follows from the ones above, so the expression evaluates to **{answer}**.",
        "Reading off the last row: **{answer}**.",
    ),
    _DEX: ("So **{answer}** — unless someone can show me a step that's wrong.",),
}


def first_arithmetic(
    model_id: str, problem: Problem, working: Working, rng: random.Random
) -> list[str]:
    """Round 0: the model works the expression out alone."""
    body = [
        rng.choice(_FIRST_OPENERS[model_id]),
        f"`{problem.expression}`",
        _layout(model_id, working),
        rng.choice(_FIRST_CLOSERS[model_id]).format(answer=working.answer),
    ]
    if model_id == _DEX and problem.trap and problem.trap != working.answer:
        body.append(
            f"The trap here: going strictly left to right gives {problem.trap} — tempting, "
            "and wrong, because × and ÷ bind tighter."
        )
    return body


def _own_slip(problem: Problem, own: str, text: str) -> str:
    """How a model owns up to the slip that produced its earlier answer (`text`)."""
    working = problem.diagnose(own, text, written=True)
    if working is None:
        return f"my earlier {own} does not survive a second pass"
    if working.left_to_right:
        return f"I was {SLIP_LABELS['order']}"
    found = working.wrong_step
    if found is None:  # cannot happen for a slip other than "order"; stay graceful
        return f"my earlier {own} does not survive a second pass"
    number, step = found
    label = SLIP_LABELS[working.slip or "carry"]
    return f"{label} in step {number}: I wrote {step.show()}, but it is {fmt_number(step.intended)}"


def _their_slip(problem: Problem, names: str, their: str, text: str) -> str:
    working = problem.diagnose(their, text)
    if working is None:
        return f"{names}'s {their}: I can't reproduce it from the expression at all."
    if working.left_to_right:
        return f"{names}'s {their} is what you get working strictly left to right."
    found = working.wrong_step
    detail = f" ({found[1].show()})" if found else ""
    return f"{names}'s {their} is what you get with {SLIP_LABELS[working.slip or 'carry']}{detail}."


_ARITH_MOVES = {
    "agree": {
        _ADA: "Everyone has {answer}. Re-checked; it holds.",
        _BASIL: "See? We all got {answer} — told you it was easy!",
        _CYRA: "Every answer on the table matches mine. Re-running my table gives {answer} again.",
        _DEX: "Everyone says {answer}. I tried to break it and couldn't. Fine: {answer} stands.",
    },
    "hold": {
        _ADA: "I keep {answer}.",
        _BASIL: "I'm sticking with {answer}, and honestly I'm even surer now!",
        _CYRA: "I checked each of my rows again and they hold, so I keep {answer}.",
        _DEX: "For once I'm the one defending an answer: {answer}.",
    },
    "fixed": {
        _ADA: "Re-checked my own working and found the error — {mistake}. Corrected: {answer}.",
        _BASIL: "Whoops! Okay, I went back over it and — {mistake}. My bad! It's {answer}.",
        _CYRA: "Re-checking my table row by row, I found my error — {mistake}. Corrected:",
        _DEX: "I hate to admit it, but going over my own steps: {mistake}. So it's {answer}.",
    },
    "persuaded": {
        _ADA: "{peer}'s working is right and mine was not — {mistake}. Switching to {answer}.",
        _BASIL: "Hmm, {peer} has a point — {mistake}. Fine, fine: {answer}.",
        _CYRA: "{peer}'s explanation convinced me. Comparing it with my table, {mistake}. Updated:",
        _DEX: "{peer} made the better argument and I'm out of objections — {mistake}. "
        "{answer} it is.",
    },
    "stubborn": {
        _ADA: "I still get {own} on a second pass; {peer}'s {their} doesn't match my steps. "
        "Keeping {own} for now, with less confidence.",
        _BASIL: "I've looked at {peer}'s {their}, but I'm sticking with {own} — "
        "I went through it carefully!",
        _CYRA: "I re-ran my table and still get {own}. I'll keep it until someone points to "
        "the row I got wrong.",
        _DEX: "The table is drifting to {their}, which is exactly when someone should hold out. "
        "I keep {own} for this round.",
    },
    "swayed": {
        _ADA: "{peer} and others get {answer}; that much agreement makes me doubt my {own}. "
        "Going with {answer}.",
        _BASIL: "Huh, {peer} and the others all say {answer}. Maybe I rushed my {own}. "
        "Okay, {answer}!",
        _CYRA: "Several seats, {peer} among them, get {answer}. I can't find my error yet, "
        "but I'll move to {answer}.",
        _DEX: "Usually I'd argue, but {peer} and the others agree on {answer}. I'll try {answer}.",
    },
}


def _table_overview(model_id: str, tr: PromptReading, own: str) -> str:
    if model_id == _CYRA:
        rows = ["| Seat | Answer | Confidence |", "|---|---:|---:|", f"| me (before) | {own} | |"]
        rows += [f"| {p.name} | {p.answer or '—'} | {p.confidence:.2f} |" for p in tr.peers]
        return "Here is where the table stands:\n\n" + "\n".join(rows)
    listed = ", ".join(f"{p.name} {p.answer or 'no answer'} ({p.confidence:.2f})" for p in tr.peers)
    lead = {_ADA: "Table: ", _BASIL: "Okay, I've read everyone's answers! ", _DEX: "So: "}
    return f"{lead[model_id]}{listed}; I had {own}."


def discuss_arithmetic(
    model_id: str,
    problem: Problem,
    *,
    tr: PromptReading,
    own: str,
    decision: Decision,
    working: Working | None,
    rng: random.Random,
) -> list[str]:
    """A discussion round: read the table, re-check, and say what changed and why."""
    template = _ARITH_MOVES[decision.move][model_id]
    mistake = (
        _own_slip(problem, own, tr.own_text) if decision.move in {"fixed", "persuaded"} else ""
    )
    text = template.format(
        answer=decision.answer, own=own, peer=decision.peer, their=decision.their, mistake=mistake
    )
    body = [_table_overview(model_id, tr, own), text]
    if decision.move == "hold":
        wrong: dict[str, list[PeerAnswer]] = {}
        for peer in tr.peers:
            if peer.answer and peer.answer != decision.answer:
                wrong.setdefault(peer.answer, []).append(peer)
        notes = [
            f"- {_their_slip(problem, _names([p.name for p in g]), a, g[0].explanation)}"
            for a, g in wrong.items()
        ]
        body.insert(1, "\n".join(notes))
    if decision.move == "agree" and model_id == _DEX and problem.trap:
        body.append(f"(Left to right you'd get {problem.trap}, but that ignores precedence.)")
    if working is not None:
        body.append(_layout(model_id, working))
    return body


def layout(model_id: str, working: Working) -> str:
    """The working in the model's own layout (for the other protocols' tasks)."""
    return _layout(model_id, working)


def their_slip(problem: Problem, names_: str, their: str, text: str) -> str:
    """Which slip produced another seat's wrong answer, in one sentence."""
    return _their_slip(problem, names_, their, text)


def names(items: Sequence[str]) -> str:
    """ "Ada", "Ada and Basil", "Ada, Basil and Cyra"."""
    return _names(items)


# ---------------------------------------------------------------- other questions
_NOTE = (
    "> I am a simulated demo model: I cannot actually read or reason about this question. "
    "This reply is assembled from templates to show how a debate flows. Demo models really "
    "work out arithmetic — try `What is 12+7*3+5-4*6?`"
)
_REASONS = (
    "it fits the most natural reading of the question",
    "it needs the fewest extra assumptions",
    "the alternatives rely on details the question doesn't give",
    "it is the easiest position to defend if challenged",
)
_CAVEATS = ("a real model would weigh specifics I cannot see", "more context could change this")


def _fold(answer: str | None) -> str:
    return (answer or "").strip().rstrip(".!").casefold()


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shown(kind: str, answer: str) -> str:
    return f"option {answer}" if kind == "choice" else answer


def first_opinion(model_id: str, kind: str, answer: str, rng: random.Random) -> list[str]:
    """Round 0 for a non-arithmetic question: a short, labelled, persona-shaped opinion."""
    first, second = rng.sample(_REASONS, 2)
    caveat = rng.choice(_CAVEATS)
    shown = _shown(kind, answer)
    if model_id == _ADA:
        text = f"**Position:** {shown}.\n\n- **Reason:** {first}.\n- **Caveat:** {caveat}."
    elif model_id == _BASIL:
        text = (
            f"Oh, great question! Honestly? **{shown}** — no doubt in my mind. "
            f"{_upper_first(first)}, and {second}. Anyone who says otherwise is overthinking it!"
        )
    elif model_id == _CYRA:
        text = (
            "Let me weigh it in a table.\n\n| Consideration | Assessment |\n|---|---|\n"
            f"| Most natural reading | favours {shown} |\n| Extra assumptions | fewest for "
            f"{shown} |\n| Caveat | {caveat} |\n\nOn balance: **{shown}**."
        )
    else:
        text = (
            f"Let me argue the side that usually gets dismissed. {_upper_first(first)}; {second}. "
            f"Everyone else can take the easy road — I say **{shown}**."
        )
    return [_NOTE, text]


_OPINION_MOVES = {
    "agree": {
        _ADA: "The table agrees on {answer}; keeping it.",
        _BASIL: "We all agree on {answer} — knew it!",
        _CYRA: "All positions now match: {answer}. Nothing in the table changes.",
        _DEX: "Unanimous on {answer}. I looked for a hole worth arguing and found none.",
    },
    "hold": {
        _ADA: "{others} {see} it differently, but the weight of the table is with {answer}.",
        _BASIL: "I hear {others}, but {answer} is still right!",
        _CYRA: "The weighted positions still favour {answer}; {others_view} is noted.",
        _DEX: "{others} {have} a point worth testing, but {answer} survives it.",
    },
    "persuaded": {
        _ADA: "{peer}'s case for {their} is the stronger one; switching.",
        _BASIL: "Okay, {peer} talked me round — {their} it is!",
        _CYRA: "Comparing the arguments, {peer}'s case for {their} is better supported. Updating.",
        _DEX: "I argued the other side as long as it was useful; {peer}'s case for {their} "
        "holds up. Switching.",
    },
    "stubborn": {
        _ADA: "I still prefer {own} over {peer}'s {their}; keeping it one more round.",
        _BASIL: "Nope, I'm sticking with {own}! {peer} hasn't convinced me.",
        _CYRA: "I'd like to see a stronger argument before moving from {own}.",
        _DEX: "Someone has to keep testing the consensus: I stay with {own} for now.",
    },
}


def discuss_opinion(
    model_id: str, tr: PromptReading, decision: Decision, rng: random.Random
) -> list[str]:
    """A discussion round for a non-arithmetic question: follow or resist the table."""
    own = tr.own_answer or decision.answer
    listed = ", ".join(
        f"{p.name}: {p.answer or 'no answer'} ({p.confidence:.2f})" for p in tr.peers
    )
    differ = [p.name for p in tr.peers if _fold(p.answer) not in {_fold(decision.answer), ""}]
    others = _names(differ) or "the others"
    one = len(differ) == 1  # "Basil has a point", "Basil and Cyra have a point"
    text = _OPINION_MOVES[decision.move][model_id].format(
        answer=decision.answer,
        own=own,
        peer=decision.peer,
        their=decision.their,
        others=others,
        have="has" if one else "have",
        see="sees" if one else "see",
        others_view=f"{others}'s view" if differ else "their view",
    )
    note = "_(Simulated discussion: the positions are placeholders, not reasoning.)_"
    return [note, f"On the table — {listed}.", text, _upper_first(rng.choice(_CAVEATS)) + "."]
