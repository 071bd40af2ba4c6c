"""Where a seat's key comes from, the pre-flight check, and keys kept in the OS keyring."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from roundtable.domain import ConfigError, Seat
from roundtable.providers import (
    delete_api_key,
    has_api_key,
    key_source,
    keyring_available,
    lookup_api_key,
    missing_key_problem,
    resolve_api_key,
    set_api_key,
)
from roundtable.providers.keys import (
    KEYRING_SERVICE,
    LOCAL_PLACEHOLDER_KEY,
    is_private_base,
    sends_placeholder,
)

GPT = Seat(id="s1", name="GPT", model="openai/gpt-4o")


@pytest.fixture
def no_keyring():
    """A headless Linux box: keyring's `fail` backend raises on every call."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_lookup_order_is_seat_variable_then_standard_variable_then_keyring(
    monkeypatch, memory_keyring
):
    seat = Seat(id="s1", name="GPT", model="openai/gpt-4o", api_key_env="WORK_OPENAI_KEY")
    memory_keyring.set_password(KEYRING_SERVICE, "openai", "from-keyring")
    assert lookup_api_key(seat) == "from-keyring"

    monkeypatch.setenv("OPENAI_API_KEY", "from-standard-variable")
    assert lookup_api_key(seat) == "from-standard-variable"

    monkeypatch.setenv("WORK_OPENAI_KEY", "from-seat-variable")
    assert lookup_api_key(seat) == "from-seat-variable"


def test_gemini_accepts_either_of_its_variables(monkeypatch):
    seat = Seat(id="g", name="Gemini", model="gemini/gemini-2.5-flash")
    monkeypatch.setenv("GOOGLE_API_KEY", "google-key")

    assert lookup_api_key(seat) == "google-key"
    assert missing_key_problem(seat) is None


@pytest.mark.parametrize(
    "seat",
    [
        Seat(id="d", name="Ada", model="demo/ada"),
        Seat(id="o", name="Llama", model="ollama_chat/llama3.1"),
        Seat(id="l", name="Qwen", model="lm_studio/qwen2.5-7b"),
        Seat(id="v", name="vLLM", model="openai/qwen", api_base="http://192.168.1.20:8000/v1"),
    ],
    ids=["demo", "ollama", "lm-studio", "lan-server"],
)
def test_local_models_need_no_key(seat):
    assert missing_key_problem(seat) is None


def test_a_server_on_this_machine_gets_the_key_variable_the_user_set(monkeypatch):
    # A LiteLLM proxy on loopback wants its key; a placeholder made it answer 400.
    monkeypatch.setenv("OPENAI_API_KEY", "sk-the-proxys-master-key")
    seat = Seat(id="v", name="Proxy", model="openai/gpt-4o", api_base="http://127.0.0.1:4000/v1")

    assert resolve_api_key(seat) == "sk-the-proxys-master-key"


def test_another_machine_on_the_network_never_gets_the_cloud_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-the-users-real-cloud-key")
    seat = Seat(id="v", name="vLLM", model="openai/qwen", api_base="http://192.168.1.20:8000/v1")

    assert resolve_api_key(seat) == LOCAL_PLACEHOLDER_KEY
    assert sends_placeholder(seat)


def test_the_address_openai_api_base_names_gets_openai_api_key(monkeypatch):
    # The user paired them, as litellm does: the key goes with the base.
    monkeypatch.setenv("OPENAI_API_BASE", "http://192.168.1.20:4000/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-the-proxys-key")

    assert resolve_api_key(Seat(id="p", name="P", model="openai/gpt-4o")) == "sk-the-proxys-key"
    # … whether the seat carries the address (as `run` records it) or not
    copied = Seat(id="p", name="P", model="openai/gpt-4o", api_base="http://192.168.1.20:4000/v1/")
    assert resolve_api_key(copied) == "sk-the-proxys-key"


def test_a_key_in_the_keyring_goes_to_this_machine_but_not_to_others(memory_keyring):
    set_api_key("openai", "sk-stored-key")
    local = Seat(id="v", name="Local", model="openai/qwen", api_base="http://127.0.0.1:8000/v1")
    lan = Seat(id="w", name="LAN", model="openai/qwen", api_base="http://10.1.2.3:8000/v1")

    assert resolve_api_key(local) == "sk-stored-key"
    assert resolve_api_key(lan) == LOCAL_PLACEHOLDER_KEY
    assert resolve_api_key(GPT) == "sk-stored-key"


def test_ollama_is_sent_no_key_and_no_placeholder(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-the-users-real-cloud-key")
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:11500")

    assert resolve_api_key(Seat(id="o", name="Llama", model="ollama_chat/llama3.1")) is None


def test_a_local_server_gets_the_key_its_seat_names(monkeypatch):
    monkeypatch.setenv("VLLM_KEY", "the-vllm-key")
    seat = Seat(
        id="v",
        name="vLLM",
        model="openai/qwen",
        api_base="http://127.0.0.1:8000/v1",
        api_key_env="VLLM_KEY",
    )

    assert resolve_api_key(seat) == "the-vllm-key"


def test_missing_cloud_key_names_the_seat_the_variable_and_the_setting():
    problem = missing_key_problem(GPT)

    assert problem == (
        "Seat 'GPT' (openai/gpt-4o) needs an API key for OpenAI: set OPENAI_API_KEY "
        "or add the key in Settings › Providers."
    )


def test_missing_key_without_a_keyring_only_suggests_the_variable(no_keyring):
    problem = missing_key_problem(Seat(id="c", name="Claude", model="anthropic/claude-haiku-4-5"))

    assert problem is not None
    assert "ANTHROPIC_API_KEY" in problem
    assert "Settings" not in problem


def test_a_named_but_unset_variable_is_reported_by_name():
    seat = Seat(id="s", name="Work", model="openai/gpt-4o", api_key_env="WORK_KEY")

    problem = missing_key_problem(seat)

    assert problem is not None
    assert "Seat 'Work'" in problem
    assert "WORK_KEY" in problem


def test_providers_with_their_own_credentials_are_not_blocked():
    # Bedrock and Vertex AI read cloud credentials litellm finds itself.
    assert missing_key_problem(Seat(id="b", name="B", model="bedrock/anthropic.claude")) is None


def test_keys_round_trip_through_the_keyring(memory_keyring):
    assert keyring_available()
    assert not has_api_key("anthropic")

    set_api_key("anthropic", "  sk-ant-stored  ")

    assert memory_keyring.store[(KEYRING_SERVICE, "anthropic")] == "sk-ant-stored"
    assert has_api_key("anthropic")
    assert key_source("anthropic") == "keyring"
    assert lookup_api_key(Seat(id="c", name="C", model="anthropic/claude-haiku-4-5")) == (
        "sk-ant-stored"
    )

    delete_api_key("anthropic")
    delete_api_key("anthropic")  # deleting twice is harmless

    assert not has_api_key("anthropic")


def test_an_environment_key_is_reported_by_its_variable(monkeypatch):
    monkeypatch.setenv("MISTRAL_API_KEY", "m-key")

    assert key_source("mistral") == "MISTRAL_API_KEY"
    assert has_api_key("mistral")


def test_an_empty_key_is_refused():
    with pytest.raises(ConfigError, match="empty"):
        set_api_key("openai", "   ")


def test_without_a_keyring_lookups_use_the_environment_and_storing_says_why_not(
    no_keyring, monkeypatch
):
    assert not keyring_available()
    assert lookup_api_key(GPT) is None  # the fail backend's error does not escape
    monkeypatch.setenv("OPENAI_API_KEY", "env-key")
    assert lookup_api_key(GPT) == "env-key"

    with pytest.raises(ConfigError) as caught:
        set_api_key("openai", "sk-new")
    assert "No system keyring" in str(caught.value)
    assert "OPENAI_API_KEY" in str(caught.value)
    delete_api_key("openai")  # nothing to delete, and no crash


def test_a_plaintext_keyring_is_never_used(memory_keyring):
    plaintext = type("PlaintextKeyring", (type(memory_keyring),), {})
    plaintext.__module__ = "keyrings.alt.file"
    backend = plaintext()
    backend.set_password(KEYRING_SERVICE, "openai", "stored-in-plaintext")
    keyring.set_keyring(backend)

    assert not keyring_available()
    assert lookup_api_key(GPT) is None
    with pytest.raises(ConfigError):
        set_api_key("openai", "sk-new")


@pytest.mark.parametrize(
    ("url", "private"),
    [
        ("http://127.0.0.1:11434", True),
        ("http://localhost:1234/v1", True),
        ("http://[::1]:8000/v1", True),
        ("http://10.0.0.5:8000/v1", True),
        ("http://192.168.1.20:8000", True),
        ("http://gpu-box.local:8000/v1", True),
        ("https://api.openai.com/v1", False),
        ("https://8.8.8.8/v1", False),
        (None, False),
    ],
)
def test_private_addresses_are_recognised(url, private):
    assert is_private_base(url) is private
