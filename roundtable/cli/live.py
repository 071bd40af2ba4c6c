"""The terminal view of a debate: a consumer of the event stream, like the recorder.

On a terminal it keeps a small live panel of the seats in the current round (waiting
for its server, thinking, streaming, retrying, done, failed) and prints each finished
turn above it; piped, it prints the same transcript without the live panel.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.console import Console, Group
from rich.live import Live
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from roundtable.cli.terminal_text import terminal_safe
from roundtable.domain import (
    ConsensusReached,
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateInterrupted,
    DebateSpec,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnQueued,
    TurnRetrying,
    TurnSent,
    TurnStarted,
    Usage,
)
from roundtable.domain.endings import describe_ending
from roundtable.domain.formatting import format_cost, round_label, simulated_label
from roundtable.engine.parsing import strip_answer_lines
from roundtable.engine.protocols import planned_rounds, round_kind
from roundtable.export.markdown import turn_markdown

#: The most of one reply printed here: rendering Markdown costs about 3 ms per kB, and
#: a runaway reply (200 kB before the size limit stops it) is read with `show`.
MAX_SHOWN_CHARS = 20_000

SEAT_COLOURS = (
    "cyan",
    "magenta",
    "green",
    "yellow",
    "blue",
    "red",
    "bright_cyan",
    "bright_magenta",
)


def format_usage(usage: Usage) -> str:
    return f"{usage.total_tokens:,} tokens · {format_cost(usage.cost_usd)}"


@dataclass
class _SeatState:
    state: str = "waiting"
    chars: int = 0
    note: str = ""


class TerminalView:
    """Prints a debate as it happens. Call it with each event.

    Every event's text (a model's reply, a seat's name, the question, a server's
    error message) is untrusted: the view draws its control characters before
    anything is printed, so an escape sequence is shown, never obeyed.
    """

    def __init__(
        self,
        console: Console,
        *,
        show_text: bool = True,
        first_new_round: int = 0,
        earlier_rounds: str = "copied",
    ) -> None:
        self.console = console
        self.show_text = show_text
        #: A fork or resume replays its first rounds (0-based, before this one) from
        #: storage: the totals say what they cost apart from what this run spent.
        self.first_new_round = first_new_round
        #: What those rounds are to the person: "copied" (a fork) or "kept" (a resume).
        self.earlier_rounds = earlier_rounds
        self.spec: DebateSpec | None = None
        self.debate_id = ""
        self.started = time.monotonic()
        self._states: dict[str, _SeatState] = {}
        self._live: Live | None = None
        self._round = 0
        self._total = Usage()
        #: Each round's and each seat's turns' usage, for their totals.
        self._round_usage: dict[int, Usage] = {}
        self._seat_usage: dict[str, Usage] = {}

    # -------------------------------------------------------------- sink
    def __call__(self, event: Event) -> None:
        event = terminal_safe(event)
        match event:
            case DebateStarted(spec=spec):
                self.spec, self.debate_id = spec, event.debate_id
                self.started = time.monotonic()
                self._print_header(spec)
            case RoundStarted(round=number, seat_ids=seat_ids):
                self._round = number
                self._states = {seat_id: _SeatState() for seat_id in seat_ids}
                protocol = self.spec.protocol if self.spec else "roundtable"
                kind = round_kind(protocol, number, len(seat_ids)) or "discussion"
                self._print(Text(""))
                self.console.rule(f"[bold]{round_label(number)}[/] · {kind}", style="dim")
                self._start_live()
            case TurnStarted(seat_id=seat_id) | TurnSent(seat_id=seat_id):
                self._state(seat_id).state = "thinking"
            case TurnQueued(seat_id=seat_id, server=server):
                self._note(seat_id, "queued", f"waiting for {server}")
            case TurnDelta(seat_id=seat_id, text=text):
                state = self._state(seat_id)
                state.state, state.chars = "streaming", state.chars + len(text)
            case TurnRetrying(seat_id=seat_id, delay_s=delay, message=message):
                self._note(seat_id, "retrying", f"retrying in {delay:.0f} s: {message}")
            case TurnFinished():
                self._state(event.seat_id).state = "done"
                self._total = self._total + event.usage
                self._round_usage[event.round] = (
                    self._round_usage.get(event.round, Usage()) + event.usage
                )
                self._seat_usage[event.seat_id] = (
                    self._seat_usage.get(event.seat_id, Usage()) + event.usage
                )
                self._print_turn(event)
            case TurnFailed(seat_id=seat_id, message=message):
                self._state(seat_id).state = "failed"
                self._print(Text(f"✗ {self._name(seat_id)} failed: {message}", style="red"))
            case RoundFinished():
                self._stop_live()
                self._print_round(event)
            case ConsensusReached(round=number, answer=answer):
                self._print(
                    Text(
                        f"✓ Consensus on {answer} in {round_label(number).lower()}",
                        style="bold green",
                    )
                )
            case DebateFinished():
                self._stop_live()
                self._print_summary(event)
            case DebateCancelled(reason=reason) | DebateInterrupted(reason=reason):
                self._stop_live()
                self._print(
                    Text(
                        f"Debate stopped: {reason}. The partial debate is stored as "
                        f"{self.debate_id[:8]}.",
                        "yellow",
                    )
                )
            case DebateFailed(message=message):
                self._stop_live()
                # Each seat's error was printed as it failed: here only who, when, what kind.
                lines = [
                    line.partition("): ")[0] + ")"
                    if line.startswith("- ") and "): " in line
                    else line
                    for line in message.splitlines()
                ]
                self._print(Text("Debate failed: " + "\n".join(lines), style="bold red"))
        if self._live is not None:
            self._live.update(self._status_table())

    def close(self) -> None:
        self._stop_live()

    # -------------------------------------------------------------- helpers
    def _note(self, seat_id: str, what: str, note: str) -> None:
        """The seat is `what` ("queued", "retrying"), as `note` says; no text so far."""
        state = self._state(seat_id)
        state.state, state.chars, state.note = what, 0, note

    def _state(self, seat_id: str) -> _SeatState:
        return self._states.setdefault(seat_id, _SeatState())

    def _name(self, seat_id: str) -> str:
        if self.spec is None:
            return seat_id
        try:
            return self.spec.seat(seat_id).name
        except KeyError:
            return seat_id

    def _is_person(self, event: TurnFinished) -> bool:
        try:
            return self.spec is not None and self.spec.seat(event.seat_id).is_human
        except KeyError:
            return False

    def _colour(self, seat_id: str) -> str:
        ids = [seat.id for seat in self.spec.seats] if self.spec else []
        index = ids.index(seat_id) if seat_id in ids else 0
        return SEAT_COLOURS[index % len(SEAT_COLOURS)]

    def _print(self, renderable: object) -> None:
        target = self._live.console if self._live is not None else self.console
        target.print(renderable)

    def _start_live(self) -> None:
        if self.console.is_terminal and self._live is None:
            self._live = Live(
                self._status_table(), console=self.console, transient=True, refresh_per_second=8
            )
            self._live.start()

    def _stop_live(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def _status_table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        elapsed = time.monotonic() - self.started
        for seat_id, state in self._states.items():
            if state.state == "done":
                continue
            detail = {
                "waiting": "waiting",
                "queued": state.note,
                "thinking": "thinking…",
                "streaming": f"writing… {state.chars:,} chars",
                "retrying": state.note,
                "failed": "failed",
            }[state.state]
            table.add_row(
                Text(self._name(seat_id), style=self._colour(seat_id)), Text(detail, "dim")
            )
        table.add_row(Text(""), Text(f"{elapsed:.1f} s · {format_usage(self._total)}", "dim"))
        return table

    def _print_header(self, spec: DebateSpec) -> None:
        seats = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
        seats.add_column("Seat")
        seats.add_column("Model")
        for seat in spec.seats:
            # Text, not markup: a model id or name may hold brackets.
            label = Text("person" if seat.is_human else seat.model)
            if seat.is_demo:
                label.append("  (simulated demo model)", style="dim")
            if seat.id in spec.sitting_out:
                label.append("  (sits out from here on)", style="dim")
            seats.add_row(Text(seat.name, style=self._colour(seat.id)), label)
        rounds = planned_rounds(spec)  # a vote plans one round, whatever --rounds says
        length = "one round" if rounds == 1 else f"up to {rounds} rounds"
        title = f"Roundtable · {spec.protocol} · {length}"
        if spec.budget_usd is not None:
            title += f" · budget {format_cost(spec.budget_usd)}"
        self._print(
            Panel(
                Group(Text(spec.question, style="bold"), Text(""), seats),
                title=title,
                title_align="left",
                border_style="bold",
            )
        )

    def _print_turn(self, event: TurnFinished) -> None:
        answer = event.answer
        headline = Text()
        headline.append(self._name(event.seat_id), style=f"bold {self._colour(event.seat_id)}")
        if event.passed:
            headline.append("  passed this round", style="dim")
        elif answer is not None:
            headline.append(f"  answer: {answer.display}", style="bold")
            if answer.confidence is not None:
                headline.append(f"  confidence {answer.confidence:.0%}")
        elif not event.ending:
            headline.append("  (no answer found in the text)", style="yellow")
        if event.ending:  # said as what it was: empty, length-cut, filtered, a tool call
            headline.append(f"  [{describe_ending(event.ending)}]", style="yellow")
        elif event.incomplete:
            headline.append("  [incomplete: the stream was cut]", style="yellow")
        if event.capitulated:
            headline.append("  [switched to the majority without a new argument]", "yellow")
        if event.ranking:
            ranked = " > ".join(self._name(seat_id) for seat_id in event.ranking)
            headline.append(f"  ranked: {ranked}", style="dim")
        footer = Text(
            f"{event.usage.total_tokens:,} tokens · {format_cost(event.usage.cost_usd)} · "
            f"{event.usage.latency_s:.1f} s",
            style="dim",
        )
        body: list[object] = [headline]
        if self.show_text:
            # The headline already shows the parsed answer and confidence; the full
            # text, answer lines included, stays in `roundtable show` and exports.
            text = strip_answer_lines(event.text)
            hidden = max(0, len(text) - MAX_SHOWN_CHARS)
            body += [
                Text(""),
                Markdown(
                    turn_markdown(text[:MAX_SHOWN_CHARS], typed_by_person=self._is_person(event))
                ),
            ]
            if hidden:
                body.append(
                    Text(
                        f"… {hidden:,} more characters, stored: `roundtable show "
                        f"{self.debate_id[:8]}` prints the whole reply",
                        style="dim",
                    )
                )
        body += [footer]
        self._print(Panel(Group(*body), border_style=self._colour(event.seat_id)))  # type: ignore[arg-type]

    def _print_round(self, event: RoundFinished) -> None:
        votes = ", ".join(f"{answer}: {weight:.2f}" for answer, weight in event.tally.items())
        leader = event.leader if event.leader is not None else "none"
        self._print(
            Text(
                f"Agreement {event.agreement:.0%} · leading answer {leader} · votes {votes or '—'}",
                "bold",
            )
        )
        # What the protocol recorded besides the count: peer ranks, a judge's word.
        if event.rankings:
            ranks = ", ".join(f"{self._name(s)} {r:.2f}" for s, r in event.rankings.items())
            self._print(Text(f"Peer review, average rank (1 = best): {ranks}", "bold"))
        if event.verdict:
            self._print(Text(event.verdict, "bold"))
        for point in event.disputed:
            self._print(Text(f"  disputed: {point}", "yellow"))
        spent = self._round_usage.get(event.round, Usage())
        self._print(Text(f"{round_label(event.round)} total: {format_usage(spent)}", "dim"))

    def _print_summary(self, event: DebateFinished) -> None:
        wall = time.monotonic() - self.started
        grid = Table.grid(padding=(0, 2))
        answer = Text(event.final_answer or "none", style="bold")
        seats = self.spec.seats if self.spec else ()
        simulated = simulated_label(sum(seat.is_demo for seat in seats), len(seats))
        if simulated:  # the demo table's verdict must never read as a real one
            answer.append(f"  ({simulated}: the offline demo models)", style="yellow")
        grid.add_row("Final answer", answer)
        grid.add_row("Consensus", "yes" if event.consensus else "no")
        grid.add_row("Rule", Text(event.rule))
        votes = ", ".join(f"{answer}: {weight:.2f}" for answer, weight in event.tally.items())
        grid.add_row("Vote", Text(votes or "—"))  # answers are text, never markup
        grid.add_row("Rounds", str(event.rounds))
        whole = " (the whole debate)" if self.first_new_round else ""
        grid.add_row("Usage", f"{format_usage(event.usage)}{whole}")
        order = [seat.id for seat in self.spec.seats] if self.spec else []
        for seat_id in sorted(self._seat_usage, key=lambda s: order.index(s) if s in order else 0):
            usage = self._seat_usage[seat_id]
            grid.add_row("", Text(f"{self._name(seat_id)}: {format_usage(usage)}", style="dim"))
        if self.first_new_round:
            self._add_split_usage(grid, event)
        this_run = f" ({self._rounds_now(event)}, this run)" if self.first_new_round else ""
        grid.add_row("Wall time", f"{wall:.1f} s{this_run}")
        grid.add_row("Stored as", self.debate_id)
        self._print(Panel(grid, title="Result", title_align="left", border_style="green"))

    def _add_split_usage(self, grid: Table, event: DebateFinished) -> None:
        """The copied (or kept) rounds' usage and this run's, apart: the wall time is
        this run's alone, so the tokens beside it must be too."""
        earlier, now = Usage(), Usage()
        for number, usage in self._round_usage.items():
            if number < self.first_new_round:
                earlier = earlier + usage
            else:
                now = now + usage
        first = self.first_new_round
        span = "round 1" if first == 1 else f"rounds 1–{first}"
        grid.add_row("", Text(f"{span}, {self.earlier_rounds}: {format_usage(earlier)}"))
        grid.add_row("", Text(f"{self._rounds_now(event)}, this run: {format_usage(now)}"))

    def _rounds_now(self, event: DebateFinished) -> str:
        """The rounds this run played, counted from 1: "rounds 3–4"."""
        first, last = self.first_new_round + 1, max(event.rounds, self.first_new_round + 1)
        return f"round {first}" if first == last else f"rounds {first}–{last}"
