"""The engine as a long-lived child process of the GUI (DESIGN.md).

The GUI never imports litellm and never shares its interpreter with the engine: it
starts `python -m roundtable.enginehost --db URL` once, writes commands to its stdin and
reads replies from its stdout, one JSON line each, as `roundtable.wire` defines them.

Once warm (litellm loaded) the engine prints `Ready`; then it carries out each command
and prints every event of every debate, a `HumanTurnRequested` when a person's seat is
to speak, a confirmation of each rename and delete, and a `CommandFailed` for a command
it could not carry out.

This process is the single writer of the database, renames and deletes included; the
GUI only reads it.

Inside: `host.py` carries out the commands (`EngineHost`), `people.py` waits for a
person's turn from the GUI, `process.py` is the child process's main loop.
"""

from roundtable.enginehost.host import EngineHost
from roundtable.enginehost.people import GuiHumanInput
from roundtable.enginehost.process import main, read_command, serve

__all__ = ["EngineHost", "GuiHumanInput", "main", "read_command", "serve"]
