"""`roundtable export`: one debate as Markdown, HTML or JSON; many as training data.

    roundtable export ID [--format md|html|json|pdf] [-o FILE [--force]]
    roundtable export --format finetune|preference [ID…|--search TEXT|--eval RUN]
                      [--system TEXT] [-o FILE]

With no IDs, --search or --eval, every stored debate that qualifies is exported
(oldest first); with --eval RUN, the debates of that evaluation run, of which only
those the run scored correct qualify.

The training formats (`roundtable.export.training`) stream JSON Lines to stdout or
to FILE, so stdout stays clean JSONL; how many lines were written, and how many
debates were skipped and why, is said on stderr. Every debate named is looked up
before anything is written: an unknown id is bad input (exit 2) and writes nothing.
A FILE is written beside itself and renamed into place at the end, so a failure
half-way leaves no half file; when no debate qualifies, no FILE is made.
"""

# No `from __future__ import annotations`: see roundtable.cli.app.

import contextlib
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.text import Text

from roundtable.cli.exits import err, exit_with
from roundtable.cli.options import DbOption
from roundtable.domain import ConfigError
from roundtable.domain.formatting import visible_controls

if TYPE_CHECKING:
    from roundtable.domain import Seat
    from roundtable.export.training import SkipReason, TrainingFormat
    from roundtable.storage import Database, DebateRecord

#: `--search` takes every match, not a page of them: a training set wants them all.
_EVERY_MATCH = 1_000_000_000
#: How many summaries a page of `list_debates` brings when every debate is exported.
_PAGE = 500


# typer reads a command's options from its parameters, so commands have many.
def export(  # noqa: PLR0917
    debate_ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ID",
            help="Debate ids (a unique prefix is enough). md, html and json take one; "
            "finetune and preference take any number, or none for every stored debate.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="md, html, json, pdf (needs -o FILE), finetune or preference.",
        ),
    ] = "md",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="File to write (default: stdout); an existing one only with --force.",
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", "-q", metavar="TEXT", help="finetune/preference: the debates matching TEXT."
        ),
    ] = None,
    eval_run: Annotated[
        str | None,
        typer.Option(
            "--eval",
            metavar="RUN",
            help="finetune/preference: the debates of this evaluation run it scored correct.",
        ),
    ] = None,
    system: Annotated[
        str | None,
        typer.Option(
            "--system", metavar="TEXT", help="finetune/preference: a system message for every line."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the -o FILE if it exists.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Export a stored debate as Markdown, self-contained HTML, a JSON archive or PDF, or
    stored debates as training data: chat JSONL for fine-tuning (--format finetune)
    or preference pairs for DPO (--format preference)."""
    exit_with(
        lambda: export_command(
            debate_ids or [],
            fmt=fmt,
            output=output,
            search=search,
            eval_run=eval_run,
            system=system,
            db=db,
            force=force,
        )
    )


def export_command(
    debate_ids: Sequence[str],
    *,
    fmt: str,
    output: Path | None,
    search: str | None = None,
    eval_run: str | None = None,
    system: str | None = None,
    db: str | None,
    force: bool = False,
) -> None:
    from roundtable.cli.history import refuse_to_overwrite
    from roundtable.export import EXPORT_FORMATS

    fmt = fmt.lower().lstrip(".")
    refuse_to_overwrite(output, force=force)
    if fmt not in (*EXPORT_FORMATS, "pdf"):
        # Only here: the training exporter brings the providers' redaction with it.
        from roundtable.export.training import TRAINING_FORMATS

        if fmt not in TRAINING_FORMATS:
            known = ", ".join((*EXPORT_FORMATS, "pdf", *TRAINING_FORMATS))
            raise ConfigError(f"unknown format {fmt!r}; choose one of {known}")
        return training_export_command(
            debate_ids,
            fmt="finetune" if fmt == "finetune" else "preference",
            output=output,
            search=search,
            eval_run=eval_run,
            system=system,
            db=db,
        )
    for given, option in ((search, "--search"), (eval_run, "--eval"), (system, "--system")):
        if given is not None:
            raise ConfigError(f"{option} goes with --format finetune or preference, not {fmt}")
    if len(debate_ids) != 1:
        raise ConfigError(f"--format {fmt} exports one debate: give exactly one ID")
    from roundtable.cli.history import export_command as export_one

    return export_one(debate_ids[0], fmt=fmt, output=output, db=db, force=True)


# ---------------------------------------------------------------- training data
@dataclass
class _Tally:
    """What a training export did, for the closing lines on stderr."""

    lines: int = 0
    debates: int = 0
    simulated: int = 0
    skipped: "Counter[SkipReason]" = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class _Selected:
    """A debate to export, with an evaluation's verdict on it (None: not scored)."""

    debate_id: str
    scored_correct: bool | None = None


def training_export_command(
    debate_ids: Sequence[str],
    *,
    fmt: "TrainingFormat",
    output: Path | None,
    search: str | None,
    eval_run: str | None,
    system: str | None,
    db: str | None,
) -> None:
    ways = [bool(debate_ids), search is not None, eval_run is not None]
    if sum(ways) > 1:
        raise ConfigError("choose the debates one way: IDs, --search or --eval")
    from roundtable.headless.stores import open_store

    database = open_store(db, must_exist=True)
    try:
        selected = _select(database, debate_ids, search, eval_run)
        with _destination(output) as sink:
            tally = _write(database, selected, fmt, system, sink)
    finally:
        database.close()
    if search is not None:
        nothing = f"no debate matches {visible_controls(search)!r}"
    elif eval_run is not None:
        nothing = "the evaluation run has no stored debate"
    else:
        nothing = "no debates are stored"
    _report(tally, fmt, output, nothing=nothing)


def _select(
    database: "Database", debate_ids: Sequence[str], search: str | None, eval_run: str | None
) -> list[_Selected]:
    """The debates to export, every id resolved before a line is written."""
    from roundtable.storage import list_debates, resolve_id, search_debates
    from roundtable.storage.evaluations import load_eval_run

    if debate_ids:
        resolved = [resolve_id(database, given) for given in debate_ids]
        return [_Selected(debate_id) for debate_id in dict.fromkeys(resolved)]
    if search is not None:
        return [
            _Selected(hit.summary.id)
            for hit in search_debates(database, search, limit=_EVERY_MATCH)
        ]
    if eval_run is not None:
        run = load_eval_run(database, eval_run)
        # A question not asked yet has no debate; one asked but not scored is not correct.
        scored = {q.debate_id: q.correct is True for q in run.questions if q.debate_id}
        return [_Selected(debate_id, correct) for debate_id, correct in scored.items()]
    newest_first: list[str] = []
    while page := list_debates(database, limit=_PAGE, offset=len(newest_first)):
        newest_first.extend(summary.id for summary in page)
    return [_Selected(debate_id) for debate_id in reversed(newest_first)]  # oldest first


def _write(
    database: "Database",
    selected: Sequence[_Selected],
    fmt: "TrainingFormat",
    system: str | None,
    sink: TextIO,
) -> _Tally:
    from roundtable.export.training import SkipReason, export_training, jsonl_line
    from roundtable.storage import load_debate

    tally = _Tally()
    secrets = _KeyValues()
    for choice in selected:
        try:
            record = load_debate(database, choice.debate_id)
        except ConfigError:  # deleted since it was selected
            tally.skipped[SkipReason.MISSING] += 1
            continue
        export = export_training(
            record,
            fmt,
            system=system,
            secrets=secrets.for_debate(record),
            scored_correct=choice.scored_correct,
        )
        if export.skipped is not None:
            tally.skipped[export.skipped] += 1
            continue
        for line in export.lines:
            sink.write(jsonl_line(line))
        tally.lines += len(export.lines)
        tally.debates += 1
        tally.simulated += any(seat.is_demo for seat in record.seats)
    return tally


@contextlib.contextmanager
def _destination(output: Path | None) -> Iterator[TextIO]:
    """Where the lines go. stdout is written as they come. A file is written beside
    its target and moved into place at the end, and only when a line was written: the
    target is the whole export or left as it was."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    partial = output.with_name(f".{output.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as sink:
            yield sink
            wrote = sink.tell() > 0
        if wrote:
            os.replace(partial, output)
    except OSError as exc:
        raise ConfigError(f"cannot write {output}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)


class _KeyValues:
    """The secrets on this machine that a debate's text might quote: those the reply
    redactor knows (`known_secrets`), and the key each of the debate's seats would use
    (from the keyring too), looked up once per place a key comes from."""

    def __init__(self) -> None:
        self._by_seat: dict[tuple[str, str | None, str | None], str | None] = {}

    def for_debate(self, record: "DebateRecord") -> tuple[str, ...]:
        from roundtable.providers.redaction import known_secrets

        return known_secrets(self._seat_key(seat) for seat in record.spec.seats)

    def _seat_key(self, seat: "Seat") -> str | None:
        from roundtable.providers import lookup_api_key

        where = (seat.provider, seat.api_key_env, seat.api_base)
        if where not in self._by_seat:
            self._by_seat[where] = lookup_api_key(seat)
        return self._by_seat[where]


def _report(tally: _Tally, fmt: str, output: Path | None, *, nothing: str) -> None:
    """How many lines went where, and why debates gave none (on stderr); `nothing`
    says why there was no debate to look at."""
    from roundtable.export.provenance import GENERATOR

    where = str(output) if output is not None else "standard output"
    if tally.lines:
        err.print(
            Text(
                f"Wrote {_count(tally.lines, f'{fmt} line')} from "
                f"{_count(tally.debates, 'debate')} to {where} ({GENERATOR})."
            )
        )
    elif not tally.skipped:
        err.print(Text(f"No lines written: {nothing}."))
    else:
        left = " (left as it was)" if output is not None and output.exists() else ""
        err.print(Text(f"No lines written{left}: no debate qualified.", style="yellow"))
    if tally.skipped:
        reasons = ", ".join(f"{n} {reason}" for reason, n in tally.skipped.most_common())
        err.print(Text(f"Skipped {_count(tally.skipped.total(), 'debate')}: {reasons}."))
    if tally.simulated:
        err.print(
            Text(
                f"{_count(tally.simulated, 'exported debate')} had simulated demo seats: "
                "their text is not a real model's.",
                style="dim",
            )
        )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"
