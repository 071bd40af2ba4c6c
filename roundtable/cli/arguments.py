"""Command-line text that is not UTF-8 is refused, once, for every command.

On Linux an argument's bytes that are not UTF-8 reach Python as lone surrogates
(`\\udcff`), which went on to a database query or a seat's name and ended in a
traceback. Every command checks its text arguments and options here right after
they are parsed: exit 2, naming the argument and showing its bytes. A path
(`import FILE`) is left alone: a file name need not be UTF-8 to be opened.

A number option given `nan` is refused here too (exit 2, naming the option): Click's
ranges let it through (every comparison with NaN is false), and no option of ours
means anything by it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import typer

from roundtable.cli.exits import fail_usage
from roundtable.cli.help_text import HelpfulCommand
from roundtable.domain.limits import is_unicode, shown


def refuse_undecodable(ctx: Any, params: Iterable[Any]) -> None:
    """Exit 2 when a parsed text argument or option holds bytes that are not UTF-8."""
    for param in params:
        if param.type.name == "path":  # checked when the file is opened, not here
            continue
        for item in _values(ctx, param):
            if isinstance(item, str) and not is_unicode(item):
                raise fail_usage(
                    f"{_name_of(param)} {shown(item)} holds bytes that are not UTF-8 text. "
                    "Type it again in a UTF-8 terminal (check `locale`), or convert the "
                    "text with iconv."
                )


def refuse_not_a_number(ctx: Any, params: Iterable[Any]) -> None:
    """Exit 2 (Click's usage error) when a number option was given `nan`."""
    for param in params:
        for item in _values(ctx, param):
            if isinstance(item, float) and math.isnan(item):
                raise typer.BadParameter("nan is not a number.", ctx=ctx, param=param)


def _values(ctx: Any, param: Any) -> tuple[Any, ...]:
    value = ctx.params.get(param.name or "")
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _name_of(param: Any) -> str:
    """`--search` for an option, `ID` for an argument (as its help shows it)."""
    if param.param_type_name == "option":
        return str(max(param.opts, key=len))
    return str(param.metavar or param.name or "the argument").upper()


class CheckedCommand(HelpfulCommand):
    """A command whose text arguments are checked for bytes that are not UTF-8, and
    its number options for NaN."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        rest: list[str] = super().parse_args(ctx, args)
        refuse_undecodable(ctx, self.params)
        refuse_not_a_number(ctx, self.params)
        return rest


__all__ = ["CheckedCommand", "refuse_not_a_number", "refuse_undecodable"]
