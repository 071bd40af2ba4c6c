"""The commands Roundtable suggests next ("Show it with: roundtable show 1a2b3c4d").

A suggestion is only useful if it can be pasted as it is: it keeps the --db the
person gave (a database elsewhere than the default would otherwise be missed), and
every word is quoted for the shell.
"""

from __future__ import annotations

import shlex


def suggested_command(*words: str, db: str | None) -> str:
    """`roundtable WORDS… [--db DB]`, quoted for a POSIX shell."""
    command = ["roundtable", *words]
    if db is not None:
        command += ["--db", db]
    return shlex.join(command)
