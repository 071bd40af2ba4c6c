"""Who is running Roundtable: the name stored with each debate they start.

A person's configured display name ($ROUNDTABLE_USER, else the one set in the app's
Settings › Team store, which every command reads too), else their login name. In a
store shared by a team it answers "who ran this?", and `list --mine` / `--by NAME`
filter by it.
"""

from __future__ import annotations

import getpass
import os

#: The environment variable naming the person (a display name such as "Ada L.").
USER_ENV = "ROUNDTABLE_USER"
#: Longest name kept (the column holds 255; a name is a label, not a paragraph).
MAX_NAME = 80


def current_user() -> str:
    """The display name from $ROUNDTABLE_USER, else Settings › Team store's, else the
    OS login name."""
    name = " ".join(os.environ.get(USER_ENV, "").split())
    if not name:
        from roundtable.storage.team_store import saved_team_store

        name = saved_team_store().user
    if not name:
        try:
            name = getpass.getuser()
        except (OSError, KeyError):  # no login name (a container with an unnamed uid)
            name = "unknown"
    return name[:MAX_NAME]
