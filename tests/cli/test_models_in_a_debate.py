"""The models `roundtable models` finds are where `roundtable run` calls them: Ollama
where OLLAMA_HOST says, a LiteLLM proxy by the README's two routes, and a proxy seat
without an address refused before anything is stored."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from roundtable.cli import app
from tests.fakes.openai_server import FakeOpenAIServer

MASTER_KEY = "sk-proxy-master-0123456789"


def run(*args: str, env: dict[str, str]):  # type: ignore[no-untyped-def]
    command = ["run", "What is 6*7?", "--rounds", "1", "--json", *args]
    return CliRunner().invoke(app, command, env=env)


def test_run_calls_ollama_where_ollama_host_says(tmp_path):
    db = tmp_path / "t.db"
    with FakeOpenAIServer(models=("llama3.1", "qwen2.5"), speaks_ollama=True) as ollama:
        env = {"OLLAMA_HOST": f"0.0.0.0:{ollama.port}"}
        listed = CliRunner().invoke(app, ["models", "--json"], env=env)
        result = run(
            "--seat", "ollama_chat/llama3.1", "--seat", "ollama_chat/qwen2.5",
            "--db", str(db), env=env,
        )  # fmt: skip

    assert listed.exit_code == 0, listed.output
    assert "ollama_chat/llama3.1" in [m["id"] for m in json.loads(listed.stdout)["models"]]
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["final_answer"] == "42"
    assert len(ollama.requests) == 2


def test_the_readmes_proxy_route_with_openai_variables_runs(tmp_path):
    with FakeOpenAIServer.like_litellm_proxy(MASTER_KEY) as proxy:
        env = {"OPENAI_API_BASE": proxy.base_url, "OPENAI_API_KEY": MASTER_KEY}
        result = run(
            "--seat", "openai/fake-gpt", "--seat", "openai/fake-claude",
            "--db", str(tmp_path / "t.db"), env=env,
        )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert [turn["status"] for turn in json.loads(result.stdout)["rounds"][0]] == ["done"] * 2


def test_the_litellm_proxy_route_runs_with_its_own_variables(tmp_path):
    with FakeOpenAIServer.like_litellm_proxy(MASTER_KEY) as proxy:
        env = {"LITELLM_PROXY_API_BASE": proxy.url, "LITELLM_PROXY_API_KEY": MASTER_KEY}
        result = run(
            "--seat", "litellm_proxy/fake-gpt", "--seat", "litellm_proxy/fake-claude",
            "--db", str(tmp_path / "t.db"), env=env,
        )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["final_answer"] == "42"


def test_a_proxy_seat_without_an_address_is_refused_and_nothing_is_stored(tmp_path):
    db = tmp_path / "never.db"

    result = run(
        "--seat", "litellm_proxy/gpt-4o", "--seat", "demo/ada", "--db", str(db),
        env={"LITELLM_PROXY_API_KEY": MASTER_KEY},
    )  # fmt: skip

    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "Seat 'gpt-4o' (litellm_proxy/gpt-4o) has no address for its server" in said
    assert "set LITELLM_PROXY_API_BASE" in said
    assert not db.exists()
