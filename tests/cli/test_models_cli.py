"""`roundtable models` as a user runs it: where each model was found, and a server the
user named that fails is said, with a non-zero exit."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from roundtable.cli import app
from tests.fakes.openai_server import FakeOpenAIServer
from tests.providers.conftest import dead_url


def models(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["models", *args], env=env)


def words(text: str) -> str:
    """The output with Rich's wrapping undone."""
    return " ".join(text.split())


def test_an_unreachable_server_is_said_and_the_exit_is_1():
    url = dead_url()

    result = models("--server", url)

    assert result.exit_code == 1
    assert f"✗ server at {url} (--server): connection refused" in result.output
    assert (
        f"Could not list the models of the server at {url} (--server): could not connect "
        "(connection refused) — is the server running? Is the address right?"
    ) in words(result.output)
    assert "demo/ada" in result.output  # everything else is still listed


def test_a_server_that_answers_500_is_said_with_the_key_to_set():
    with FakeOpenAIServer.like_litellm_proxy("sk-master-key-0123") as proxy:
        result = models("--server", proxy.base_url)

    assert result.exit_code == 1
    said = words(result.output)
    assert "it answered HTTP 500 Internal Server Error" in said
    assert "No key was sent: if it needs one, set OPENAI_API_KEY" in said


def test_a_refused_key_is_named_as_the_one_sent():
    with FakeOpenAIServer.like_litellm_proxy("sk-master-key-0123") as proxy:
        result = models(env={"LITELLM_PROXY_API_BASE": proxy.url, "LITELLM_PROXY_API_KEY": "sk-no"})

    assert result.exit_code == 1
    said = words(result.output)
    assert f"LiteLLM proxy at {proxy.url} (LITELLM_PROXY_API_BASE)" in said
    assert 'it answered HTTP 400 Bad Request (it said: "No connected db.")' in said
    assert "Check the key sent to it (LITELLM_PROXY_API_KEY)." in said


def test_a_wrong_path_on_a_running_server_asks_for_the_api_address():
    with FakeOpenAIServer() as server:
        result = models("--server", f"{server.url}/api")

    assert result.exit_code == 1
    said = words(result.output)
    assert "it answered HTTP 404 Not Found" in said
    assert "is this the server's API address (it usually ends in /v1)?" in said
    assert "No key was sent" not in said


def test_an_address_that_is_not_a_url_is_refused_before_anything_is_asked():
    for bad in ("not a url", "ftp://example.com/v1", "http://host:port"):
        result = models("--server", bad)

        assert result.exit_code == 2, bad
        assert f"--server {bad!r} is not" in words(result.output)
        assert "e.g. http://127.0.0.1:8080/v1" in words(result.output)


def test_each_model_says_where_it_was_found():
    with (
        FakeOpenAIServer(models=("llama3.1",), speaks_ollama=True) as ollama,
        FakeOpenAIServer(models=("qwen2.5",)) as server,
    ):
        result = models(
            "--server",
            server.base_url,
            env={"OLLAMA_HOST": f"0.0.0.0:{ollama.port}", "ANTHROPIC_API_KEY": "sk-ant-x"},
        )

    assert result.exit_code == 0, result.output
    said = words(result.output)
    assert f"ollama_chat/llama3.1 127.0.0.1:{ollama.port} (OLLAMA_HOST) not needed" in said
    assert f"openai/qwen2.5 127.0.0.1:{server.port} (--server) not needed" in said
    assert "anthropic/claude-sonnet-4-5 key: ANTHROPIC_API_KEY set" in said
    assert "demo/ada built in, simulated not needed" in said
    assert f"✓ Ollama at http://127.0.0.1:{ollama.port} (OLLAMA_HOST): 1 model" in said
    assert "How models are found" in said


def test_json_lists_the_servers_asked_and_where_each_model_was_found():
    url = dead_url()
    with FakeOpenAIServer(models=("qwen2.5",)) as server:
        result = models("--server", server.base_url, "--server", url, "--json")

    assert result.exit_code == 1
    data = json.loads(result.stdout)  # the error goes to stderr, the JSON stays whole
    qwen = next(m for m in data["models"] if m["id"] == "openai/qwen2.5")
    assert (qwen["found_via"], qwen["api_base"]) == ("--server", server.base_url)
    servers = {s["url"]: s for s in data["servers"]}
    assert servers[server.base_url]["ok"] is True
    assert servers[server.base_url]["models"] == 1
    assert servers[url]["problem"] == "connection refused"
    assert "Could not list the models" in words(result.stderr)
