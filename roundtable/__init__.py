"""Roundtable: seat several language models at a round table and let them debate."""

__version__ = "0.1.0"
