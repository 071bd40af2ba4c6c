"""`roundtable run` refuses a table whose server cannot be reached, before anything starts."""

from __future__ import annotations

from typer.testing import CliRunner

from roundtable.cli import app
from tests.fakes.openai_server import FakeOpenAIServer
from tests.providers.conftest import dead_url


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["run", "Which number?", *args], env=env)


def test_an_unreachable_api_base_is_named_and_the_run_refused(tmp_path):
    url = dead_url()
    panel = tmp_path / "table.toml"
    panel.write_text(
        "[[seat]]\nname = 'Local'\nmodel = 'openai/llama'\n"
        f"api_base = '{url}'\n"
        "[[seat]]\nmodel = 'demo/ada'\n"
    )
    db = tmp_path / "never.db"

    result = run("--panel", str(panel), "--db", str(db))

    assert result.exit_code == 2
    assert f"Cannot reach the server at {url} (connection refused)" in result.output
    assert "seat 'Local'" in result.output
    # Refused by the pre-flight, before the store was opened: no seat made an attempt.
    assert not db.exists()


def test_an_unreachable_openai_api_base_from_the_environment_is_named(tmp_path):
    url = dead_url()
    db = tmp_path / "never.db"

    result = run(
        "--seat", "openai/a", "--seat", "openai/b", "--db", str(db), env={"OPENAI_API_BASE": url}
    )

    assert result.exit_code == 2
    assert f"Cannot reach the server at {url}" in result.output
    assert "seats 'a', 'b'" in result.output
    assert not db.exists()


def test_a_host_that_does_not_resolve_is_named(tmp_path):
    db = tmp_path / "never.db"
    url = "http://no-such-host.invalid:8000/v1"
    env = {"OPENAI_API_BASE": url}

    result = run("--seat", "x=openai/m", "--seat", "demo/ada", "--db", str(db), env=env)

    assert result.exit_code == 2
    assert "unknown host 'no-such-host.invalid'" in result.output
    assert not db.exists()


def test_a_reachable_server_passes_the_check_and_the_debate_runs(tmp_path):
    db = tmp_path / "t.db"
    with FakeOpenAIServer() as server:
        result = run(
            "--seat", "openai/fake-gpt", "--seat", "openai/fake-claude", "--rounds", "1",
            "--db", str(db), "--json", env={"OPENAI_API_BASE": server.base_url},
        )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert db.exists()
