"""`ask_table` meets the same limits as `roundtable run`: the domain's ConfigError, word
for word, before any model is called or anything is stored."""

from __future__ import annotations

import asyncio

import pytest

from roundtable.domain import ConfigError
from roundtable.mcp_server.asking import Question, SeatChoice, check, spec_of

TABLE = ("demo/ada", "demo/basil")


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (Question(text="\u200b\u200c\u200d\ufeff\u2060", seats=TABLE), "The question is empty"),
        (Question(text="?" * 20_001, seats=TABLE), "the limit is 20,000"),
        (Question(text="be \ud800 brief", seats=TABLE), "not UTF-8 text"),
        (Question(text="2+2?", seats=(f"{'N' * 81}=demo/ada", "demo/basil")), "the name is 81"),
        (
            Question(
                text="2+2?",
                seats=(SeatChoice("openai/x", api_base="http://" + "h" * 500), "demo/ada"),
            ),
            "the server address",
        ),
    ],
    ids=["zero-width", "long-question", "lone-surrogate", "long-name", "long-server"],
)
def test_ask_table_refuses_what_the_command_line_refuses(question, message):
    with pytest.raises(ConfigError, match=message):
        asyncio.run(check(spec_of(question)))


def test_a_lone_surrogate_in_a_search_or_an_id_is_refused_in_words(tmp_path):
    # JSON lets a client send "\ud800"; it reached SQLite and failed as a UnicodeEncodeError.
    from roundtable.mcp_server.stored import list_or_search, show

    db = str(tmp_path / "t.db")

    with pytest.raises(ConfigError, match=r"the search 'caf\\ud800' holds text that is not valid"):
        list_or_search(db, "caf\ud800", 10)
    with pytest.raises(ConfigError, match=r"no debate with id 'ab\\ud800cd'"):
        show(db, "ab\ud800cd")
