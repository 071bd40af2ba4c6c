"""Properties of the task readers: any text or bytes give a task or a clear ConfigError,
and a well-formed generic file always reads back the questions written into it."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from roundtable.domain import ConfigError
from roundtable.engine.evaluation.tasks import parse_task_bytes, parse_task_text

#: Pieces task files are made of, so random text reaches the readers' deeper paths.
FRAGMENTS = (
    "{",
    "}",
    "[",
    '"question": ',
    '"answer": ',
    '"choices": ["a", "b"]',
    '"id": 1',
    "####",
    " 1,000",
    "question,answer",
    "Q,a,b,c,d,",
    ",",
    '"',
    "\n",
    "\r\n",
    "A",
    "E",
    "12",
    "NaN",
    "1e5000000",
    "\ufeff",
    "\x00",
    "\u2028",
)

task_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=30).map(
    "".join
)


@settings(max_examples=400, deadline=None)
@given(task_text)
def test_any_text_gives_a_task_or_a_config_error(text: str) -> None:
    try:
        task = parse_task_text(text, name="fuzz", source="fuzz.txt")
    except ConfigError as error:
        message = str(error)
    else:
        assert task.items
        return
    # Every refusal names the file, so a user knows which of their files to fix.
    assert message.startswith("fuzz.txt")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_a_task_or_a_config_error(data: bytes) -> None:
    try:
        parse_task_bytes(data, name="fuzz", source="fuzz.bin")
    except ConfigError as error:
        message = str(error)
    else:
        return
    assert message.startswith("fuzz.bin")


question_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda text: text.strip() != "")
numbers = st.integers(min_value=-(10**9), max_value=10**9)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(question_text, numbers), min_size=1, max_size=8))
def test_generic_files_read_back_what_was_written(rows: list[tuple[str, int]]) -> None:
    jsonl = "\n".join(json.dumps({"question": q, "answer": a}) for q, a in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["question", "answer"])
    writer.writerows(rows)
    for text in (jsonl, buffer.getvalue()):
        task = parse_task_text(text, name="t", source="t")
        assert [(item.question, item.gold) for item in task.items] == [
            (q.strip(), str(a)) for q, a in rows
        ]
