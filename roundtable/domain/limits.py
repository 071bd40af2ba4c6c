"""How much text a person may give, and which text counts as none: the one place.

Every text a user supplies (a question, a seat's name, persona, model id, server
address, key variable, a panel file) has a limit here, checked where a debate's
spec, a seat or a panel is built: `engine.validate_spec` (the command line, the
app, the MCP server, follow-ups), `domain.panel.parse_panel` (panel files, saved
tables) and the archive importer; the app's setup form lists the same messages
before Start. Each check raises `ConfigError` saying what to do, so every front
end shows the same message.

A 10 MB persona was once accepted and grew the database by 40 MB: a limit is
cheaper than a slow, costly debate whose prompt no model reads to the end.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from roundtable.domain.errors import ConfigError

if TYPE_CHECKING:
    from roundtable.domain.values import DebateSpec, Seat

#: Longest question accepted; a clear limit instead of a slow, expensive debate.
MAX_QUESTION_CHARS = 20_000
#: Longest persona (a seat's role and tone); a page of instructions is about 3,000.
MAX_PERSONA_CHARS = 8_000
#: Longest seat name; it labels a card, a transcript line and a column.
MAX_SEAT_NAME_CHARS = 80
#: Longest model id, server address or key variable name.
MAX_SETTING_CHARS = 500
#: Largest panel file read: a table of twenty seats with long personas is under 200 kB.
MAX_PANEL_FILE_BYTES = 1024 * 1024


def is_blank(text: str) -> bool:
    """True when `text` shows nothing: only whitespace and invisible format characters
    (zero-width space, joiners, byte order mark, word joiner, direction marks)."""
    return all(char.isspace() or unicodedata.category(char) == "Cf" for char in text)


def is_unicode(text: str) -> bool:
    """False for text holding lone surrogates: what Python makes of bytes that are not
    UTF-8 (a command-line argument, standard input under a C locale, a JSON escape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(text: str, width: int = 40) -> str:
    """`text` quoted for a message: cut to `width` characters, bytes that were not
    UTF-8 shown as \\xff, so the message itself can always be printed."""
    cut = text if len(text) <= width else text[:width] + "…"
    return "'" + "".join(map(_visible, cut)) + "'"


def _visible(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte Python's surrogateescape could not decode
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate from a JSON "\\ud800" escape
        return f"\\u{code:04x}"
    return char


def check_text(text: str, *, what: str, limit: int, fix: str) -> None:
    """Refuse `text` that is longer than `limit` characters or not valid Unicode.

    `what` names it in the message ("the question", "seat 'GPT': the persona");
    `fix` is the sentence that says what to do about the length.
    """
    if not is_unicode(text):
        raise ConfigError(
            f"{_capital(what)} holds bytes that are not UTF-8 text ({shown(text)}). "
            "Type it again, or save the file as UTF-8."
        )
    if len(text) > limit:
        raise ConfigError(
            f"{_capital(what)} is {len(text):,} characters long; the limit is {limit:,}. {fix}"
        )


def check_question(question: str) -> None:
    """The question: not blank, not over `MAX_QUESTION_CHARS`, valid Unicode."""
    check_text(
        question,
        what="the question",
        limit=MAX_QUESTION_CHARS,
        fix="Shorten it or attach only the part that matters.",
    )
    if is_blank(question):
        invisible = "" if not question.strip() else " (it holds only invisible characters)"
        raise ConfigError(
            f"The question is empty{invisible}. Type the question the table should answer."
        )


def check_seat(seat: Seat, *, where: str | None = None) -> None:
    """A seat's texts: its name, persona, model id, server address and key variable.

    `where` names the seat in a message ("panel file t.toml, seat 2"); by default,
    its name.
    """
    label = where or f"seat {shown(seat.name or seat.id)}"
    check_text(
        seat.name,
        what=f"{label}: the name",
        limit=MAX_SEAT_NAME_CHARS,
        fix="Give the seat a short name, e.g. 'GPT' or 'Local Llama'.",
    )
    check_text(
        seat.persona,
        what=f"{label}: the persona",
        limit=MAX_PERSONA_CHARS,
        fix="Keep to the role and the tone the seat should take.",
    )
    settings = {
        "the model id": seat.model,
        "the server address (api_base)": seat.api_base or "",
        "the key variable's name (api_key_env)": seat.api_key_env or "",
    }
    for what, value in settings.items():
        check_text(
            value,
            what=f"{label}: {what}",
            limit=MAX_SETTING_CHARS,
            fix="Check that the right value went into this field.",
        )


def seats_over_limits(seats: Iterable[Seat]) -> list[str]:
    """The message of each seat with a text over a limit, for a form that lists them."""
    found = []
    for seat in seats:
        try:
            check_seat(seat)
        except ConfigError as exc:
            found.append(str(exc))
    return found


def check_spec_texts(spec: DebateSpec) -> None:
    """Every text of a debate's spec: its question, each seat's, the roles it names."""
    check_question(spec.question)
    for seat in spec.seats:
        check_seat(seat)
    for role, ref in (("chair", spec.chair), ("judge", spec.judge)):
        check_text(
            ref or "",
            what=f"the {role}",
            limit=MAX_SEAT_NAME_CHARS,
            fix=f"Name the {role} by a seat's name or id.",
        )


def check_table_name(name: str) -> None:
    """A saved table's name (`--save NAME`, `--panel NAME`): it becomes a file name."""
    check_text(
        name,
        what="the table's name",
        limit=MAX_SEAT_NAME_CHARS,
        fix="Give the table a short name, e.g. 'reviewers'.",
    )


def check_panel_size(size_bytes: int, source: str) -> None:
    """A panel file larger than `MAX_PANEL_FILE_BYTES` is not a table of seats."""
    if size_bytes > MAX_PANEL_FILE_BYTES:
        raise ConfigError(
            f"{source} is larger than {MAX_PANEL_FILE_BYTES // 1024:,} kB, the most a panel "
            "file may be (twenty seats with long personas take under 200 kB). "
            "Check that it is the right file."
        )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
