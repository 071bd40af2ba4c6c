"""How many requests a server takes at once, as a panel file and the command line say."""

from __future__ import annotations

import pytest

from roundtable.domain import ConfigError
from roundtable.domain.concurrency import ServerLimit, parse_limit_option, server_key
from roundtable.domain.panel import dump_panel, parse_panel

SEAT = '[[seat]]\nmodel = "openai/llama"\napi_base = "http://127.0.0.1:8080/v1"\n'


def test_one_server_has_one_name_however_its_address_is_written():
    for spelt in (
        "http://127.0.0.1:8080/v1",
        "127.0.0.1:8080",
        "localhost:8080/",
        "HTTP://LOCALHOST:8080/v1/",
        "http://[::1]:8080",
    ):
        assert server_key(spelt) == "http://localhost:8080", spelt
    assert server_key("https://api.example.com/v1") == "https://api.example.com:443"
    assert server_key("http://10.0.0.5:8000") == "http://10.0.0.5:8000"
    assert server_key("Anthropic") == "anthropic"  # a hosted provider, by its route


def test_a_panel_file_sets_limits_per_server_and_keeps_them_when_saved():
    panel = parse_panel(
        SEAT
        + '[[server]]\napi_base = "http://localhost:8080/v1"\nconcurrency = 2\n'
        + '[[server]]\nprovider = "Anthropic"\nconcurrency = 4\n'
        + '[[server]]\napi_base = "10.0.0.5:8000"\nconcurrency = 0\n'
    )
    assert panel.servers == (
        ServerLimit("http://localhost:8080", 2),
        ServerLimit("anthropic", 4),
        ServerLimit("http://10.0.0.5:8000", None),  # 0: no limit
    )
    assert parse_panel(dump_panel(panel)).servers == panel.servers


@pytest.mark.parametrize(
    ("server", "said"),
    [
        ("concurrency = 1", "name the server with either `api_base`"),
        ('api_base = "x:1"\nprovider = "openai"\nconcurrency = 1', "either `api_base`"),
        ('api_base = "http://h:1"', "give its `concurrency`"),
        ('api_base = "http://h:1"\nconcurrency = -1', "a whole number from 1 to 64, or 0"),
        ('api_base = "http://h:1"\nconcurrency = 2.5', "a whole number from 1 to 64, or 0"),
        ('api_base = "http://h:1"\nconcurrency = true', "a whole number from 1 to 64, or 0"),
        ('api_base = "http://h:1"\nconcurrency = 1000', "a whole number from 1 to 64, or 0"),
        ('api_base = "ftp://h:1"\nconcurrency = 1', "must be an http:// or https:// address"),
        ('api_base = ""\nconcurrency = 1', "must be non-empty text"),
        ('api_base = "http://h:1"\nconcurrency = 1\nslots = 2', "unknown field(s) slots"),
    ],
)
def test_a_bad_server_table_is_refused_saying_what_to_write(server, said):
    with pytest.raises(ConfigError, match="panel file, server 1") as caught:
        parse_panel(SEAT + "[[server]]\n" + server + "\n")
    assert said in str(caught.value)


def test_the_command_line_names_a_server_or_every_server():
    assert parse_limit_option("localhost:8080=3") == ("http://localhost:8080", 3)
    assert parse_limit_option("anthropic=2") == ("anthropic", 2)
    assert parse_limit_option("2") == (None, 2)
    assert parse_limit_option("http://10.0.0.5:8000/v1=0") == ("http://10.0.0.5:8000", None)
    for bad, said in (("=3", "name the server before '='"), ("x=many", "whole number")):
        with pytest.raises(ConfigError, match=said):
            parse_limit_option(bad)
