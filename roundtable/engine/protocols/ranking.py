"""The council's peer review: anonymised, shuffled responses and the ranks read back.

Each reviewer sees every stage-1 response under a letter ("Response A", "Response
B", …) in an order of its own, drawn from the debate's seed and the reviewer's id:
no seat can tell which response is its own by position, and position bias (models
prefer what they read first) falls on a different response for each reviewer.

A reviewer's ranking is read from its "FINAL RANKING:" list (or "Ranking: C > A > B",
"1. C", …), mapped back to seats, and averaged over the reviewers: a response a
reviewer left out shares the places it left free (the mean of them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from roundtable.domain import Seat
from roundtable.engine.protocols.roles import labels, seeded_order

_RANKING_LABEL = re.compile(r"(?im)^[ \t>#*_-]*(?:final[ \t]+|my[ \t]+)?rank(?:ing|s)?\b[^\n]*?$")
_RESPONSE = re.compile(r"\bresponse[ \t]*([A-Z]{1,2})\b", re.I)
_BARE = re.compile(r"(?:^|[\s>(,.:;])([A-Z]{1,2})(?=$|[\s),.;:>])", re.M)
_END = re.compile(r"(?im)^[ \t*_>#-]*(?:final[ \t]+answer|confidence)\b")


@dataclass(frozen=True, slots=True)
class Anonymised:
    """One reviewer's view of the responses: label -> seat id, in shown order."""

    order: tuple[tuple[str, str], ...]

    @property
    def by_label(self) -> dict[str, str]:
        return dict(self.order)


def anonymise(seat_ids: Sequence[str], reviewer_id: str, seed: int | None) -> Anonymised:
    """The letters and order `reviewer_id` sees the responses of `seat_ids` in."""
    shuffled = seeded_order(seat_ids, seed=seed, salt=f"council-review:{reviewer_id}")
    return Anonymised(tuple(zip(labels(len(shuffled)), shuffled, strict=True)))


def parse_ranking(text: str, valid: Sequence[str]) -> tuple[str, ...]:
    """The labels a review ranked, best first (each once, only `valid` ones); () if none.

    The last ranking section wins (a reviewer that corrects itself writes the
    correction last); it ends at the final-answer or confidence line.
    """
    allowed = {label.upper() for label in valid}
    for header in reversed(list(_RANKING_LABEL.finditer(text))):
        _, colon, inline = header.group(0).partition(":")
        following = text[header.end() :]
        end = _END.search(following)
        region = (inline if colon else "") + "\n" + (following[: end.start()] if end else following)
        found = _labels_in(region, allowed)
        if found:
            return found
    return ()


def _labels_in(region: str, allowed: set[str]) -> tuple[str, ...]:
    named = [m.group(1).upper() for m in _RESPONSE.finditer(region)]
    candidates = named or [m.group(1) for m in _BARE.finditer(region)]
    seen: list[str] = []
    for label in candidates:
        if label in allowed and label not in seen:
            seen.append(label)
    return tuple(seen)


def ranked_seats(text: str, view: Anonymised) -> tuple[str, ...]:
    """A review's ranking as seat ids, best first."""
    by_label = view.by_label
    return tuple(by_label[label] for label in parse_ranking(text, list(by_label)))


def average_ranks(rankings: Sequence[Sequence[str]], seat_ids: Sequence[str]) -> dict[str, float]:
    """Seat id -> mean rank over the reviewers that gave a ranking, best first (ties in
    `seat_ids` order). Unranked responses share the places a reviewer left free."""
    totals = dict.fromkeys(seat_ids, 0.0)
    counted = 0
    for ranking in rankings:
        listed = [seat_id for seat_id in ranking if seat_id in totals]
        if not listed:
            continue
        counted += 1
        left = [seat_id for seat_id in seat_ids if seat_id not in listed]
        free = range(len(listed) + 1, len(seat_ids) + 1)
        shared = sum(free) / len(free) if left else 0.0
        for place, seat_id in enumerate(listed, start=1):
            totals[seat_id] += place
        for seat_id in left:
            totals[seat_id] += shared
    if counted == 0:
        return {}
    order = list(seat_ids)
    averages = {seat_id: round(total / counted, 4) for seat_id, total in totals.items()}
    return dict(sorted(averages.items(), key=lambda item: (item[1], order.index(item[0]))))


def best_ranked(rankings: Mapping[str, float], among: Sequence[Seat]) -> Seat | None:
    """The standing seat with the best (lowest) average rank, if any was ranked."""
    ids = {seat.id: seat for seat in among}
    for seat_id in rankings:  # already best first
        if seat_id in ids:
            return ids[seat_id]
    return None


def name_responses(text: str, view: Anonymised, names: Mapping[str, str]) -> str:
    """A review with its letters replaced by the seats' names, for the chair to read."""
    by_label = view.by_label

    def named(match: re.Match[str]) -> str:
        seat_id = by_label.get(match.group(1).upper(), "")
        return f"{names[seat_id]}'s answer" if seat_id in names else match.group(0)

    return _RESPONSE.sub(named, text)


def scrub_names(text: str, names: Sequence[str]) -> str:
    """A response with the seats' names blanked, so a signature cannot give it away."""
    for name in sorted({n for n in names if len(n.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name.strip())}(?!\w)", "[a member]", text, flags=re.I)
    return text
