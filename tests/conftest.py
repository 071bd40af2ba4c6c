"""Test-wide guards: no display, no network, no real user directories or keys."""

from __future__ import annotations

import os

# Before anything imports Qt: without a display the whole process would abort.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# litellm must never try the network (price map, tokenizers) from a test.
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
os.environ["HF_HUB_OFFLINE"] = "1"

import platform
import sqlite3
from importlib import metadata

import pytest

_KEY_VARS = (
    "OPENAI_API_KEY",
    "OPENAI_API_BASE",
    "OPENAI_BASE_URL",
    "ANTHROPIC_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "MISTRAL_API_KEY",
    "GROQ_API_KEY",
    "OPENROUTER_API_KEY",
    "ROUNDTABLE_DB",
    # Where local servers and a LiteLLM proxy are (providers/endpoints.py).
    "OLLAMA_HOST",
    "OLLAMA_API_BASE",
    "LM_STUDIO_API_BASE",
    "LITELLM_PROXY_API_BASE",
    "LITELLM_PROXY_API_KEY",
)


def _fts5_compiled_in() -> bool:
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()
    return True


def _version(distribution: str) -> str:
    # From the installed metadata: importing litellm would cost seconds before any test.
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def pytest_report_header() -> list[str]:
    """What this run depends on, so a failure elsewhere can be compared like for like."""
    import PySide6
    from PySide6 import QtCore

    fts5 = "with FTS5" if _fts5_compiled_in() else "WITHOUT FTS5 (search tests will fail)"
    return [
        f"roundtable depends on: Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version} {fts5}",
        f"  Qt {QtCore.qVersion()}, PySide6 {PySide6.__version__}, "
        f"litellm {_version('litellm')}, SQLAlchemy {_version('SQLAlchemy')}",
        f"  PostgreSQL tests (-m postgres): pgserver {_version('pgserver')}, "
        f"psycopg {_version('psycopg')}",
    ]


@pytest.fixture(scope="session")
def postgres_server():
    """One real PostgreSQL server for the session, started on first use (about 1 s)."""
    from tests.helpers.postgres import PostgresServer

    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server):
    """The URL of a new empty database on the session's PostgreSQL server."""
    url = postgres_server.new_database()
    yield url
    postgres_server.drop_database(url)


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path, monkeypatch):
    """Point the data directory at tmp_path and hide the developer's real keys."""
    data = tmp_path / "data"
    monkeypatch.setenv("ROUNDTABLE_DATA_DIR", str(data))
    monkeypatch.setenv("ROUNDTABLE_DEMO_SPEED", "40")
    for var in _KEY_VARS:
        monkeypatch.delenv(var, raising=False)
    return data


@pytest.fixture(autouse=True)
def memory_keyring():
    """Every test gets an empty in-memory keyring (never the OS one)."""
    import keyring

    from tests.fakes.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
