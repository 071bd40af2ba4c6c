"""Task files: each format read from its content, the bundled samples, every refusal
naming its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roundtable.domain import AnswerKind, ConfigError
from roundtable.domain.evaluation import EvalTask, TaskFormat
from roundtable.engine.evaluation import tasks
from roundtable.engine.evaluation.tasks import (
    SAMPLE_FILES,
    load_task,
    parse_task_bytes,
    parse_task_text,
    resolve_task,
    sample_path,
)
from roundtable.providers.demo.replies import question_options


def parse(text: str) -> EvalTask:
    return parse_task_text(text, name="t", source="t.txt")


def refused(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse(text)
    return str(caught.value)


def golds(task: EvalTask) -> list[tuple[str, str, AnswerKind]]:
    return [(item.id, item.gold, item.kind) for item in task.items]


# ---------------------------------------------------------------- the samples
def test_every_sample_is_shipped_and_found_where_the_prompts_are() -> None:
    for name in SAMPLE_FILES:
        assert sample_path(name).is_file()
        assert sample_path(name).parent.parent.joinpath("prompts", "answer.md").is_file()


def test_the_gsm8k_sample() -> None:
    task = resolve_task("gsm8k-sample")
    assert (task.name, task.format) == ("gsm8k-sample", TaskFormat.GSM8K)
    # "#### 2,160": the thousands comma is stripped from the gold answer.
    assert [item.gold for item in task.items] == ["73", "150", "2160", "150", "21", "52"]
    assert {item.kind for item in task.items} == {AnswerKind.NUMBER}


def test_the_mmlu_sample() -> None:
    task = resolve_task("mmlu-sample")
    assert task.format is TaskFormat.MMLU
    assert [item.gold for item in task.items] == ["B", "C", "C", "D", "B", "C", "A"]
    first = task.items[0]
    assert first.choices == ("Oxygen", "Nitrogen", "Carbon dioxide", "Argon")
    assert first.prompt.endswith("A) Oxygen\nB) Nitrogen\nC) Carbon dioxide\nD) Argon")


def test_the_generic_jsonl_sample() -> None:
    task = resolve_task("generic-sample-jsonl")
    assert task.format is TaskFormat.GENERIC_JSONL
    assert golds(task) == [
        ("capital-au", "canberra", AnswerKind.TEXT),
        ("boiling-point", "100", AnswerKind.NUMBER),
        ("planets", "B", AnswerKind.CHOICE),
        ("triangle", "10", AnswerKind.NUMBER),
        ("primes-even", "yes", AnswerKind.YESNO),
        ("half", "0.5", AnswerKind.NUMBER),
        # Given as the choice's text, "Jane Austen", which is choice B.
        ("author", "B", AnswerKind.CHOICE),
    ]


def test_the_generic_csv_sample() -> None:
    task = resolve_task("generic-sample-csv")
    assert task.format is TaskFormat.GENERIC_CSV
    assert golds(task) == [
        ("squares", "144", AnswerKind.NUMBER),
        ("continents", "7", AnswerKind.NUMBER),
        ("language", "B", AnswerKind.CHOICE),
        ("speed", "80", AnswerKind.NUMBER),
        ("element", "B", AnswerKind.CHOICE),
        ("moon", "no", AnswerKind.YESNO),
    ]
    # Letter columns left empty at the end: a 3-choice item among 4-choice ones.
    assert task.item("language").choices == ("Spanish", "Portuguese", "French")


def test_a_limit_keeps_the_first_questions_of_a_file() -> None:
    assert [item.id for item in resolve_task("mmlu-sample", limit=2).items] == ["1", "2"]


# ---------------------------------------------------------------- detected by content
def test_the_format_comes_from_the_content_not_the_extension(tmp_path: Path) -> None:
    misnamed = tmp_path / "questions.csv"
    misnamed.write_bytes(sample_path("gsm8k-sample").read_bytes())
    task = load_task(misnamed)
    assert (task.name, task.format, len(task.items)) == ("questions", TaskFormat.GSM8K, 6)
    also = tmp_path / "exam.jsonl"
    also.write_bytes(sample_path("mmlu-sample").read_bytes())
    assert load_task(also).format is TaskFormat.MMLU


def test_windows_line_endings_and_a_byte_order_mark_are_read() -> None:
    jsonl = '\ufeff{"question": "2+2?", "answer": "4"}\r\n{"question": "3+3?", "answer": 6}\r\n'
    assert golds(parse(jsonl)) == [("1", "4", AnswerKind.NUMBER), ("2", "6", AnswerKind.NUMBER)]
    mmlu = "\ufeffQ1,a,b,c,d,A\r\nQ2,a,b,c,d, d \r\n"
    assert [item.gold for item in parse(mmlu).items] == ["A", "D"]


def test_a_generic_csv_may_give_choices_in_one_column() -> None:
    task = parse('question,choices,answer,subject\nBest?,"red|green|blue",green,art\n')
    assert task.items[0].choices == ("red", "green", "blue")
    assert task.items[0].gold == "B"


def test_blank_lines_are_skipped_and_line_numbers_still_count_them() -> None:
    text = '{"question": "a?", "answer": "1"}\n\n   \n{"question": "b?"}\n'
    assert "t.txt, line 4: the field 'answer' is missing" in refused(text)


def test_a_quoted_csv_cell_spanning_lines_keeps_the_next_line_number_right() -> None:
    text = 'question,answer\n"first\nsecond line",1\nthird,1,extra\n'
    assert "line 4: expected 2 columns as in the header on line 1, found 3" in refused(text)


# ---------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "t.txt is empty"),
        ("  \n\n", "t.txt is empty"),
        ('[{"question": "a", "answer": "1"}]', "one JSON array"),
        (
            '{"question": "a", "answer": "1"}\n{"question": "b", "answer": }\n',
            "line 2: not valid JSON",
        ),
        (
            '{"question": "a", "answer": "1"}\n{"question": "b", "answer": NaN}\n',
            "line 2: not valid JSON",
        ),
        ('{"question": "a", "answer": "1"}\n["b", "2"]\n', "line 2: expected a JSON object"),
        ('{"answer": "1"}\n', "line 1: the field 'question' is missing"),
        ('{\n  "question": "a",\n  "answer": "1"\n}\n', "line 1: not valid JSON (Expecting"),
        ('{\n  "question": "a",\n  "answer": "1"\n}\n', "not an object spread over several"),
        (
            '{"question": "a", "answer": "1"}\n{"question": "b", "answer": "x\\n#### 2"}\n',
            "line 2: the answer ends in '#### N' as GSM8K's do, but line 1's does not",
        ),
        ('{"question": 5, "answer": "1"}\n', "line 1: the question must be text, not the number 5"),
        ('{"question": "a", "answer": null}\n', "line 1: the answer must be text, not null"),
        ('{"question": "a", "answer": " "}\n', "line 1: the answer is empty"),
        ('{"question": "a", "answer": "..."}\n', "line 1: the answer '...' has nothing to compare"),
        ('{"question": "a", "choices": "x, y", "answer": "A"}\n', "'choices' must be a list"),
        ('{"question": "a", "choices": ["x"], "answer": "A"}\n', "1 choice(s); a multiple-choice"),
        (
            '{"question": "a", "choices": ["x", ""], "answer": "A"}\n',
            "line 1: the choice B is empty",
        ),
        (
            '{"question": "a", "choices": ["x", "y", "z"], "answer": "w"}\n',
            "line 1: the answer 'w' is not a letter A-C nor the text of one of the choices",
        ),
        (
            '{"id": "q", "question": "a", "answer": 1}\n'
            '{"id": "q", "question": "b", "answer": 2}\n',
            "line 2: the id 'q' was already used on line 1",
        ),
    ],
)
def test_a_malformed_jsonl_file_is_refused_with_its_line(text: str, message: str) -> None:
    assert message in refused(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"question": "a", "answer": "x\\n#### 3"}\n{"question": "b", "answer": "4"}\n',
            "line 2: the answer does not end with '#### N' as GSM8K's do",
        ),
        (
            '{"question": "a", "answer": "x\\n#### 3"}\n{"question": "b", "answer": "#### many"}\n',
            "line 2: the final answer after '####' is not a number: 'many'",
        ),
        (
            '{"question": "a", "answer": "x\\n#### 3"}\n{"question": "b", "answer": 4}\n',
            "line 2: 'answer' must be text ending in '#### N'",
        ),
    ],
)
def test_a_malformed_gsm8k_file_is_refused_with_its_line(text: str, message: str) -> None:
    assert message in refused(text)


def test_gsm8k_thousands_and_negative_finals() -> None:
    text = (
        json.dumps({"question": "a?", "answer": "step\n#### 1,234,567"})
        + "\n"
        + json.dumps({"question": "b?", "answer": "#### -12"})
    )
    assert [item.gold for item in parse(text).items] == ["1234567", "-12"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q1,a,b,c,d,A\nQ2,a,b,c,d,E\n", "line 2: the answer 'E' is not a letter A-D."),
        ("Q1,a,b,c,d,A\nQ2,a,b,c,d,\n", "line 2: the answer is empty"),
        (
            "Q1,a,b,c,d,A\n\nQ2,a,b,c,B\n",
            "line 3: expected 6 columns (question, A, B, C, D, answer",
        ),
        ("Q1,a,,c,d,A\n", "line 1: the choice B is empty"),
        ('Q1,a,b,c,d,A\n"Q2,a,b,c,d,B\n', "line 2: not valid CSV"),
        ("Q1,a,b,A\n", "unknown format: line 1 has 4 column(s) and no header"),
        ("question,solution\nQ,1\n", "line 1: the header names no 'answer' column"),
        ("question,answer\n", "has a header but no questions"),
        ("question,answer\n,1\n", "line 2: the question is empty"),
    ],
)
def test_a_malformed_csv_file_is_refused_with_its_line(text: str, message: str) -> None:
    assert message in refused(text)


@pytest.mark.parametrize("huge", ["1e5000000", "1e999999"])
def test_a_gold_number_too_large_to_write_out_is_refused(huge: str) -> None:
    generic = json.dumps({"question": "a?", "answer": huge})
    assert f"line 1: the answer '{huge}' is too large a number" in refused(generic)
    gsm8k = json.dumps({"question": "a?", "answer": f"#### {huge}"})
    assert f"line 1: the answer '{huge}' is too large a number" in refused(gsm8k)


def test_the_demo_table_sees_a_multiple_choice_prompts_options() -> None:
    # The harness asks `item.prompt`; the offline demo seats must read its letters.
    prompt = resolve_task("mmlu-sample").items[0].prompt
    assert question_options(prompt) == ("choice", ("A", "B", "C", "D"))


def test_a_question_longer_than_the_debate_limit_is_refused() -> None:
    text = json.dumps({"question": "x" * 20_001, "answer": "1"})
    assert "line 1: the question has 20,001 characters; at most 20,000" in refused(text)


# ---------------------------------------------------------------- the file itself
def test_a_missing_path_or_a_folder_says_what_to_give(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"No task file at .*Give 'arithmetic', a sample"):
        resolve_task(str(tmp_path / "nope.jsonl"))
    with pytest.raises(ConfigError, match="is not a file"):
        load_task(tmp_path)


def test_a_file_over_the_size_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "MAX_TASK_FILE_BYTES", 1024 * 1024)
    big = tmp_path / "big.jsonl"
    big.write_bytes(b'{"question": "a", "answer": "1"}\n' * 40_000)
    with pytest.raises(ConfigError, match="larger than 1 MB; split it"):
        load_task(big)


def test_text_that_is_not_utf8_or_has_nul_bytes_is_refused_with_its_line() -> None:
    latin1 = "question,answer\nCaf\xe9?,1\n".encode("latin-1")
    with pytest.raises(ConfigError, match=r"x, line 2: not UTF-8 text\. Save the file as UTF-8"):
        parse_task_bytes(latin1, name="x", source="x")
    with pytest.raises(ConfigError, match="x, line 1: a NUL byte"):
        parse_task_bytes(b"a\x00b", name="x", source="x")


def test_too_many_questions_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from roundtable.engine.evaluation import task_formats

    monkeypatch.setattr(task_formats, "MAX_ITEMS", 3)
    text = "".join(f"Q{n},a,b,c,d,A\n" for n in range(4))
    assert "has 4 questions; at most 3 fit in one run. Split the file." in refused(text)
