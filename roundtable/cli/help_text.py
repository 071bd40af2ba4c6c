"""How `roundtable … --help` reads: placeholders in words, and the exit codes.

Typer shows a value's Python type as its placeholder (`--seat <list[str]>`, `ID
<str>`) and a required argument as `{ID}`; a person reads `--seat MODEL` and `ID`
better. Every command gets `HelpfulCommand` (set in `roundtable.cli.app`): its
arguments are shown by name, an option without a metavar is given one from its type,
and the help ends with the exit codes (`roundtable.cli.exits`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

#: The end of every command's help: what its exit code means.
EXIT_CODES = (
    "\b\nExit codes:\n"
    "  0    done: a command ran, a debate finished (with or without consensus)\n"
    "  1    a debate failed, or stopped at its --budget\n"
    "  2    bad input; nothing was written\n"
    "  130  stopped with Ctrl+C; the debate is kept\n"
    "  141  the output was closed (… | head); a running debate is kept\n"
    "  143  stopped by SIGTERM (kill, a logout); the debate is kept, as with Ctrl+C"
)


class _PlainArgument(TyperArgument):
    """An argument shown by its name alone: `ID` in its help, `ID`, `[QUESTION]` or
    `ID...` in the usage line (Typer's own: `id:TEXT`, `{ID}`)."""

    def make_metavar(self, ctx: Any, *, usage: bool = False) -> str:
        name = (self.metavar or self.name or "").upper()
        if not usage:
            return name
        name = name if self.required else f"[{name}]"
        return name if self.nargs == 1 or name.endswith("...") else f"{name}..."


#: An option's value, in a word, by its type (Click's name for it; a list: each value's).
_PLACEHOLDERS = {
    "int": "N",
    "int range": "N",
    "float": "NUMBER",
    "float range": "NUMBER",
    "path": "PATH",
}


def _plain(params: Sequence[object]) -> None:
    for param in params:
        if isinstance(param, TyperArgument):
            # Typer makes the argument; only how it is shown changes.
            param.__class__ = _PlainArgument
        elif isinstance(param, TyperOption) and not param.is_flag and param.metavar is None:
            param.metavar = _PLACEHOLDERS.get(param.type.name, "TEXT")


class HelpfulCommand(TyperCommand):
    """A command whose help names placeholders in words and ends with the exit codes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self.params)
        self.epilog = f"{self.epilog}\n\n{EXIT_CODES}" if self.epilog else EXIT_CODES


class HelpfulGroup(TyperGroup):
    """The `roundtable` command itself: the same words, and the same exit codes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self.params)
        self.epilog = f"{self.epilog}\n\n{EXIT_CODES}" if self.epilog else EXIT_CODES
