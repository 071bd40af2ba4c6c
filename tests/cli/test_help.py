"""`roundtable --help` and each command's help read as words, name the choices and
end with the exit codes."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain.values import PROTOCOLS

COMMANDS = [
    "run",
    "list",
    "show",
    "export",
    "models",
    "fork",
    "followup",
    "resume",
    "import",
    "eval",
    "evals",
    "eval-report",
    "delete",
    "path",
]


def help_of(*command: str) -> str:
    result = CliRunner(env={"COLUMNS": "100"}).invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_placeholders_are_words_not_python_types(command):
    text = help_of(command)

    assert not re.search(r"<(str|int|float|path|list\[[a-z]+\])[^>]*>", text), text
    assert not re.search(r"\{[a-z_]+\}", text), "a required argument reads {name}"
    assert "Exit codes:" in text
    assert "141  the output was closed" in text


def test_run_names_its_protocols_and_counts_rounds_as_people_do():
    text = " ".join(help_of("run").split())

    assert all(name in text for name in PROTOCOLS)
    assert "round 0" not in text
    assert "1 is answers alone" in text
    assert "--seat MODEL" in text
    assert "--panel FILE|NAME" in text


def test_the_top_level_help_says_a_bare_roundtable_opens_the_window():
    text = " ".join(help_of().split())

    assert "With no command, roundtable opens the desktop app" in text
    assert "130 stopped with Ctrl+C" in text  # the lines joined
