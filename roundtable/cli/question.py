"""Where a question comes from: the command line, or standard input (`-` or a pipe).

    roundtable run "What is 2+2?"          # the argument
    roundtable run - < question.md         # `-` reads standard input to its end
    cat question.md | roundtable run      # so does a pipe with no argument

Standard input is read whole, so a question can be a long Markdown file; a person's
seat reads its answers from standard input too, so the two cannot share it.
"""

from __future__ import annotations

import sys

from roundtable.domain import ConfigError
from roundtable.domain.limits import is_blank

#: The argument that means "read the question from standard input", as in other CLIs.
FROM_STDIN = "-"


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):  # closed or replaced standard input
        return False


def reads_stdin(given: str | None) -> bool:
    """Whether the question comes from standard input rather than the argument."""
    return given == FROM_STDIN or (given is None and not _stdin_is_terminal())


def read_question(given: str | None) -> str:
    """The question the person asked: `given`, or standard input for `-` or a pipe.

    Raises ConfigError (exit 2, nothing written) when there is no question at all.
    """
    if not reads_stdin(given):
        if given is None:
            raise ConfigError(
                'give the question, e.g. roundtable run "What is 2+2?", or `-` to read it '
                "from standard input"
            )
        return given
    if _stdin_is_terminal():
        print("Type the question; end it with Ctrl+D on an empty line.", file=sys.stderr)
    try:
        text = sys.stdin.read()
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the question from standard input: {exc}") from None
    if is_blank(text):  # nothing, or only spaces and zero-width characters
        raise ConfigError(
            "the question read from standard input is empty; pipe a question in "
            '(echo "What is 2+2?" | roundtable run -) or give it as an argument'
        )
    return text
