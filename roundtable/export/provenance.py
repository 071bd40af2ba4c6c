"""Which Roundtable made an export: one phrase, shown the same way in every format.

A reader of an old export (or a bug report with one attached) can tell which
version wrote it. The JSON archive carries the version as data instead
(`roundtable.storage.archive`); training lines keep the shape trainers read, and
the command says the version on stderr with its closing lines.
"""

from __future__ import annotations

from roundtable import __version__

#: The program and version, as an HTML `generator` names it.
GENERATOR = f"Roundtable {__version__}"
#: The closing line of a Markdown, HTML or printed export.
EXPORTED_BY = f"Exported by {GENERATOR}"
