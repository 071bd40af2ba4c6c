"""`roundtable list`: the stored debates, newest first, or the best matches of --search.

The question is what people scan for, so it gets the room: the other columns take
what their contents need (the result cut short), and on a narrow terminal the least
useful of them leave the table (Protocol, then Seats, then Cost, then When) until the
question has at least `QUESTION_ROOM` columns. `--json` prints every field instead
(`headless.summaries.summary_json`, the shape the MCP server lists too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from roundtable.domain import ConfigError
from roundtable.domain.formatting import format_cost, visible_controls
from roundtable.headless.stores import open_store
from roundtable.headless.summaries import summary_json

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from rich.console import JustifyMethod

    from roundtable.storage import DebateSummary

#: The question's least width before other columns are dropped for it.
QUESTION_ROOM = 40
#: The widest a result is shown; a longer answer is cut with an ellipsis.
RESULT_WIDTH = 16
#: Spaces between two columns.
GAP = 2


@dataclass(frozen=True, slots=True)
class _Column:
    title: str
    cell: Callable[[DebateSummary], Text]
    justify: JustifyMethod = "left"
    max_width: int | None = None


def _result(summary: DebateSummary) -> Text:
    if summary.status != "finished":
        return Text(summary.status, style="yellow")
    if summary.consensus:
        return Text(f"✓ {visible_controls(summary.final_answer or '')}", style="green")
    return Text(f"~ {visible_controls(summary.final_answer or 'no answer')}")


#: The columns beside the question, in the order they leave a narrow table.
_COLUMNS = {
    "ID": _Column("ID", lambda s: Text(s.id[:8])),
    "When": _Column("When", lambda s: Text(s.created_at.astimezone().strftime("%m-%d %H:%M"))),
    "Protocol": _Column("Protocol", lambda s: Text(s.protocol)),
    "Seats": _Column("Seats", lambda s: Text(str(s.seat_count)), justify="right"),
    "Result": _Column("Result", _result, max_width=RESULT_WIDTH),
    "Cost": _Column("Cost", lambda s: Text(format_cost(s.cost_usd)), justify="right"),
}
#: How many more matches `list --search … --by NAME` reads, to find that person's.
_SEARCH_WIDER = 10
_DROPPED_FIRST = ("Protocol", "Seats", "Cost", "When")
_SHOWN_ORDER = ("ID", "When", "Question", "Protocol", "Seats", "Result", "Cost")


def list_debates_command(
    *,
    search: str | None,
    limit: int,
    db: str | None,
    as_json: bool = False,
    started_by: str | None = None,
    page: int = 1,
) -> None:
    """`started_by`: only that person's debates (`--mine`, `--by NAME`); `page`: which
    `limit` of them (1: the first), pages of one search agreeing with each other."""
    from roundtable.storage import list_debates, search_debates

    skipped = (page - 1) * limit
    database = open_store(db, must_exist=True)
    try:
        if search is not None:
            if started_by is None:
                hits = search_debates(database, search, limit=limit, offset=skipped)
            else:  # the person's among the best matches: searched wider, then filtered
                hits = search_debates(database, search, limit=(skipped + limit) * _SEARCH_WIDER)
            rows = [
                (hit.summary, hit.snippet)
                for hit in hits
                if started_by is None or _same_person(hit.summary.started_by, started_by)
            ]
            rows = rows[skipped : skipped + limit] if started_by is not None else rows
        else:
            summaries = list_debates(database, limit=limit, offset=skipped, started_by=started_by)
            rows = [(summary, "") for summary in summaries]
    finally:
        database.close()
    out = Console(highlight=False)
    if as_json:
        print(json.dumps([summary_json(summary, snippet) for summary, snippet in rows], indent=2))
        return
    if not rows:
        if page > 1:
            out.print(f"No debates on page {page} (of {limit} each).")
        else:
            out.print(
                "No debates match."
                if search
                else 'No debates stored yet. Try: roundtable run "What is 2+2*3?"'
            )
        return
    out.print(debates_table(rows, width=out.width))


def started_by_option(*, mine: bool, by: str | None) -> str | None:
    """The person `--mine` or `--by NAME` asks for; None for everyone."""
    if mine and by is not None:
        raise ConfigError("give --mine or --by NAME, not both")
    if by is not None and not by.strip():
        raise ConfigError("--by needs a name (as `list --json` shows it in started_by)")
    if mine:
        from roundtable.storage.people import current_user

        return current_user()
    return by


def _same_person(stored: str | None, wanted: str) -> bool:
    return stored is not None and stored.lower() == wanted.strip().lower()


def debates_table(rows: Sequence[tuple[DebateSummary, str]], *, width: int) -> Table:
    """The list as a table `width` columns wide, the question given the room."""
    cells = {
        name: [column.cell(summary) for summary, _ in rows] for name, column in _COLUMNS.items()
    }
    needs = {name: _width(_COLUMNS[name], cells[name]) for name in _COLUMNS}
    shown = set(_COLUMNS)
    for name in _DROPPED_FIRST:
        if _question_room(width, [needs[n] for n in shown]) >= QUESTION_ROOM:
            break
        shown.discard(name)
    table = Table(box=None, padding=(0, GAP // 2), pad_edge=False, header_style="bold", expand=True)
    order = [name for name in _SHOWN_ORDER if name == "Question" or name in shown]
    for name in order:
        if name == "Question":
            # Wraps at words; a word longer than the column is folded, never lost.
            table.add_column("Question", ratio=1, overflow="fold")
            continue
        column = _COLUMNS[name]
        table.add_column(
            name, justify=column.justify, no_wrap=True, overflow="ellipsis", width=needs[name]
        )
    for row_index, (summary, snippet) in enumerate(rows):
        question = Text(visible_controls(summary.title or summary.question.splitlines()[0]))
        if snippet:
            question.append("\n")
            question.append_text(_marked(snippet))
        values = {name: cells[name][row_index] for name in shown}
        table.add_row(*(question if name == "Question" else values[name] for name in order))
    return table


def _width(column: _Column, cells: list[Text]) -> int:
    natural = max([len(column.title), *(cell.cell_len for cell in cells)])
    return min(natural, column.max_width) if column.max_width else natural


def _question_room(width: int, others: list[int]) -> int:
    """What is left for the question beside columns of these widths."""
    return width - sum(others) - GAP * len(others)


def _marked(snippet: str) -> Text:
    """A search snippet with the matched words in bold."""
    from roundtable.storage import SNIPPET_END, SNIPPET_START

    text = Text()
    bold = False
    for part in snippet.replace(SNIPPET_END, SNIPPET_START).split(SNIPPET_START):
        text.append(visible_controls(part), style="bold yellow" if bold else "")
        bold = not bold
    return text
