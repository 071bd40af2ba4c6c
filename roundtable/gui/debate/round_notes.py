"""What some protocols record about a round, as small pieces of rich text.

A council's peer-review rankings (seat, average rank), a judge's verdict and the points
it found disputed. The transcript's round sections and the outcome both show them;
every piece of model text is escaped (it is untrusted).
"""

from __future__ import annotations

import html

from roundtable.gui.debate.state import DebateState, RoundView


def rankings_html(rankings: dict[str, float], state: DebateState) -> str:
    """A table of seats by average rank, best first (1.0 = everyone ranked it first)."""
    if not rankings:
        return ""
    rows = "".join(
        f"<tr><td align='right'>{place}.&nbsp;</td>"
        f"<td><b>{html.escape(state.seat_name(seat_id))}</b></td>"
        f"<td align='right'>&nbsp;&nbsp;{rank:.2f}</td></tr>"
        for place, (seat_id, rank) in enumerate(
            sorted(rankings.items(), key=lambda item: item[1]), start=1
        )
    )
    return (
        "<table cellspacing='0' cellpadding='1'>"
        "<tr><th></th><th align='left'>Seat</th><th align='right'>&nbsp;&nbsp;Average rank</th>"
        f"</tr>{rows}</table>"
    )


def judge_html(rnd: RoundView, state: DebateState) -> str:
    """The judge's verdict and the disputed points of one round, or ""."""
    parts = []
    if rnd.verdict:
        who = f" ({html.escape(state.seat_name(rnd.judged_by))})" if rnd.judged_by else ""
        parts.append(f"<b>Judge{who}:</b> {html.escape(rnd.verdict)}")
    if rnd.disputed:
        items = "".join(f"<li>{html.escape(point)}</li>" for point in rnd.disputed)
        parts.append(f"<b>Still disputed:</b><ul style='margin-top:0'>{items}</ul>")
    return "<br>".join(parts)


def round_notes_html(rnd: RoundView, state: DebateState) -> str:
    """Everything a finished round records beyond its tally: rankings, verdict, disputes."""
    pieces = []
    if rnd.rankings:
        pieces.append("<b>Peer ranking</b>" + rankings_html(rnd.rankings, state))
    judged = judge_html(rnd, state)
    if judged:
        pieces.append(judged)
    return "".join(f"<div>{piece}</div>" for piece in pieces)
