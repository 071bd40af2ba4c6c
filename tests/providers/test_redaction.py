"""A reply is cleaned of keys as it streams, even a key split over several chunks."""

from __future__ import annotations

import logging
import random

import pytest

from roundtable.providers.key_shapes import redact_keys
from roundtable.providers.redaction import RedactingLogFilter, ReplyRedactor, known_secrets

OPENAI_SHAPED = "sk-proj-ABCdef1234567890xyzXYZ"
PLAIN = "plainserverkey9f8e7d6c5b4a"
REPLY = (
    f"The key I was given is {OPENAI_SHAPED}, and the server's is {PLAIN}. Send it as "
    "Authorization: Bearer tok0abcdef123 or ?api_key=zzz123&x=1, or AIzaSyA1234567890abcdefghijkl. "
    "A commit hash stays: 3f2a9c4e1b7d8a6f5e4d3c2b1a0f9e8d7c6b5a4f.\nFinal answer: 7"
)


def stream(redactor: ReplyRedactor, text: str, rng: random.Random) -> str:
    shown, start = [], 0
    while start < len(text):
        size = rng.randint(1, 9)
        shown.append(redactor.feed(text[start : start + size]))
        start += size
    return "".join(shown) + redactor.finish()


@pytest.mark.parametrize("seed", range(50))
def test_keys_split_over_chunks_are_redacted_as_if_the_reply_came_whole(seed):
    shown = stream(ReplyRedactor([PLAIN]), REPLY, random.Random(seed))
    assert shown == redact_keys(REPLY, [PLAIN])
    assert OPENAI_SHAPED not in shown
    assert PLAIN not in shown
    assert "tok0abcdef123" not in shown
    assert "AIzaSy" not in shown
    assert "3f2a9c4e1b7d8a6f5e4d3c2b1a0f9e8d7c6b5a4f" in shown  # not a key: kept
    assert shown.endswith("Final answer: 7")


def test_text_waits_only_for_the_end_of_its_word():
    redactor = ReplyRedactor(())
    assert redactor.feed("Hello") == ""
    assert redactor.feed(" wor") == "Hello "
    assert redactor.feed("ld\n") == "world\n"
    assert redactor.finish() == ""


def test_a_run_without_spaces_is_not_held_for_ever():
    redactor = ReplyRedactor(())
    shown = "".join(redactor.feed("x" * 100) for _ in range(30))
    assert len(shown) >= 2000


def test_known_secrets_are_the_environments_and_the_seats(monkeypatch):
    monkeypatch.setenv("MY_SERVER_TOKEN", PLAIN)
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_SHAPED)
    monkeypatch.setenv("SHORT_KEY", "abc")  # too short to be told from a word
    found = known_secrets(["from-the-keyring-1234"])
    assert {PLAIN, OPENAI_SHAPED, "from-the-keyring-1234"} <= set(found)
    assert "abc" not in found


def test_log_records_are_cleaned_message_and_traceback(monkeypatch):
    monkeypatch.setenv("MY_SERVER_TOKEN", PLAIN)
    try:
        raise RuntimeError(f"refused {PLAIN}")
    except RuntimeError as exc:
        record = logging.LogRecord(
            "LiteLLM", logging.DEBUG, __file__, 1, "chunk %s", (PLAIN,), (type(exc), exc, None)
        )
    assert RedactingLogFilter().filter(record)
    assert PLAIN not in record.getMessage()
    assert PLAIN not in (record.exc_text or "")


@pytest.mark.parametrize("seed", range(20))
def test_a_key_inside_a_long_run_without_spaces_is_redacted_wherever_the_chunks_fall(seed):
    # A key pasted into a URL, a JSON blob or a base64 dump: the run is longer than
    # what is held for a word, and it is let through in parts: no part may cut a key.
    rng = random.Random(seed)
    filler = "".join(rng.choice("abcdefghij0123456789,./:=") for _ in range(rng.randint(900, 3000)))
    at = rng.randint(0, len(filler))
    bearer = "tok" + "0123456789abcdef" * 90  # a 1,443-character bearer token (a JWT's size)
    reply = (
        f"url={filler[:at]}/{OPENAI_SHAPED}/{filler[at:]}&key={PLAIN}{filler} "
        f"Authorization: Bearer {bearer} done"
    )

    shown = stream(ReplyRedactor([PLAIN]), reply, rng)

    assert shown == redact_keys(reply, [PLAIN])
    assert "sk-proj" not in shown
    assert "ABCdef1234567890" not in shown
    assert PLAIN[:8] not in shown
    assert PLAIN[-8:] not in shown
    assert "0123456789abcdef" not in shown
    assert shown.endswith(" done")
