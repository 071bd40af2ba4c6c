"""The `roundtable` command line (see `roundtable.cli.app`)."""

from roundtable.cli.app import app, main

__all__ = ["app", "main"]
