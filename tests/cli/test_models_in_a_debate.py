"""The models `roundtable models` finds are where `roundtable run` calls them: Ollama
where OLLAMA_HOST says, a LiteLLM proxy by the README's two routes, and a proxy seat
without an address refused before anything is stored."""

from __future__ import annotations

import json

import pytest
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


@pytest.mark.parametrize(
    ("prefix", "base_var", "key_var", "path"),
    [
        ("openai", "OPENAI_API_BASE", "OPENAI_API_KEY", "/v1"),
        ("litellm_proxy", "LITELLM_PROXY_API_BASE", "LITELLM_PROXY_API_KEY", ""),
    ],
    ids=["openai-variables", "litellm-proxy-variables"],
)
def test_both_proxy_routes_in_the_readme_run(tmp_path, prefix, base_var, key_var, path):
    with FakeOpenAIServer.like_litellm_proxy(MASTER_KEY) as proxy:
        env = {base_var: proxy.url + path, key_var: MASTER_KEY}
        result = run(
            "--seat", f"{prefix}/fake-gpt", "--seat", f"{prefix}/fake-claude",
            "--db", str(tmp_path / "t.db"), env=env,
        )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert [turn["status"] for turn in json.loads(result.stdout)["rounds"][0]] == ["done"] * 2
    assert {h["authorization"] for h in proxy.request_headers} == {f"Bearer {MASTER_KEY}"}


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
