"""Read a task file's text into items, the format told by the content, never the name.

The formats people already have:

- GSM8K JSONL: one object per line, `question` and an `answer` whose last line is
  `#### N` (N may have thousands commas: "#### 1,080");
- MMLU CSV: no header, six columns: question, four choices, the answer letter A-D;
- generic JSONL: `question`, `answer`, optional `choices` (a list) and `id`;
- generic CSV: a header row naming `question` and `answer`, optional `id`, and choices
  either as columns headed `A`, `B`, ... or one `choices` column split at `|`.

A file whose first record holds "####" in its answer is GSM8K; a first line starting
with `{` is JSONL; a header with a `question` column is generic CSV; six columns
without a header are MMLU. Every error names the line and what is wrong, and the
whole file is read before anything is returned, so a bad line 900 stops a run before
its first model call rather than after 899 paid questions.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from roundtable.domain import AnswerKind, ConfigError
from roundtable.domain.evaluation import CHOICE_LETTERS, EvalItem, TaskFormat
from roundtable.domain.limits import MAX_QUESTION_CHARS
from roundtable.engine.normalize import fold_text, normalize_choice
from roundtable.engine.parsing import clean_value, normalize_value

#: More questions than any public benchmark split; beyond it, split the file.
MAX_ITEMS = 50_000
MAX_ANSWER_CHARS = 1_000
MAX_CHOICE_CHARS = 2_000
MAX_ID_CHARS = 200
MIN_CHOICES = 2

_GSM8K_FINAL = re.compile(r"####\s*(?P<value>[^\n]*?)\s*$")
_MMLU_COLUMNS = 6
_CHOICES_SEPARATOR = "|"

_FORMATS_HELP = (
    "Roundtable reads GSM8K JSONL (question, answer ending in '#### N'), MMLU CSV "
    "(no header; question, four choices, answer letter), or JSONL/CSV with 'question' "
    "and 'answer' (optional 'choices' and 'id')."
)


class _JsonNumber(str):
    """A JSON number kept as its text: no float rounding, no 4,300-digit int limit."""

    __slots__ = ()


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a question can have")


@dataclass(frozen=True, slots=True)
class _Fields:
    """One record's raw fields, before checks; `line` is where it starts in the file."""

    line: int
    question: object
    answer: object
    choices: tuple[object, ...] = ()
    id: object = None


def parse_items(text: str, source: str) -> tuple[TaskFormat, tuple[EvalItem, ...]]:
    """The format of `text` and its items; ConfigError naming the line on any defect."""
    text = text.removeprefix("\ufeff")  # a BOM from a spreadsheet export is not content
    first = _first_line(text)
    if first is None:
        raise ConfigError(f"{source} is empty: it has no questions. {_FORMATS_HELP}")
    if first.lstrip().startswith("["):
        raise ConfigError(
            f"{source} looks like one JSON array; Roundtable reads JSON Lines: one "
            'object per line, e.g. {"question": "...", "answer": "..."}.'
        )
    if first.lstrip().startswith("{"):
        records = list(_json_records(text, source))
        task_format = _jsonl_format(records[0][1])
        fields = (
            _gsm8k_fields(records, source)
            if task_format is TaskFormat.GSM8K
            else _generic_json_fields(records, source)
        )
    else:
        task_format, fields = _csv_fields(text, source)
    return task_format, _build_items(fields, source, letters_only=task_format is TaskFormat.MMLU)


def _first_line(text: str) -> str | None:
    for line in text.split("\n"):
        if line.strip():
            return line
    return None


# ---------------------------------------------------------------- JSON Lines
def _json_records(text: str, source: str) -> Iterator[tuple[int, dict[str, object]]]:
    # split("\n"), not splitlines(): U+2028 and friends are legal inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}, line {number}"
        try:
            record = json.loads(
                line,
                parse_int=_JsonNumber,
                parse_float=_JsonNumber,
                parse_constant=_refuse_constant,
            )
        except json.JSONDecodeError as error:
            spread = (
                " Each question must be one whole object on one line (JSON Lines), not an "
                "object spread over several lines."
                if line.strip() == "{"
                else ""
            )
            raise ConfigError(
                f"{where}: not valid JSON ({error.msg} at column {error.colno}).{spread}"
            ) from None
        except (ValueError, RecursionError) as error:
            raise ConfigError(f"{where}: not valid JSON ({error}).") from None
        if not isinstance(record, dict):
            raise ConfigError(
                f'{where}: expected a JSON object {{"question": ..., "answer": ...}}, '
                f"found {_json_kind(record)}."
            )
        yield number, record


def _jsonl_format(first: dict[str, object]) -> TaskFormat:
    answer = first.get("answer")
    if isinstance(answer, str) and "####" in answer:
        return TaskFormat.GSM8K
    return TaskFormat.GENERIC_JSONL


def _gsm8k_fields(records: list[tuple[int, dict[str, object]]], source: str) -> list[_Fields]:
    fields = []
    for number, record in records:
        where = f"{source}, line {number}"
        answer = _required(record, "answer", where)
        if not isinstance(answer, str) or isinstance(answer, _JsonNumber):
            raise ConfigError(f"{where}: 'answer' must be text ending in '#### N'.")
        match = _GSM8K_FINAL.search(answer)
        if match is None:
            raise ConfigError(f"{where}: the answer does not end with '#### N' as GSM8K's do.")
        final = match.group("value").replace(",", "")
        if not final or _normalised(final, where)[0] is not AnswerKind.NUMBER:
            raise ConfigError(f"{where}: the final answer after '####' is not a number: {final!r}.")
        question = _required(record, "question", where)
        fields.append(_Fields(number, question, final, id=record.get("id")))
    return fields


def _generic_json_fields(
    records: list[tuple[int, dict[str, object]]], source: str
) -> list[_Fields]:
    fields = []
    for number, record in records:
        where = f"{source}, line {number}"
        question = _required(record, "question", where)
        answer = _required(record, "answer", where)
        if isinstance(answer, str) and "####" in answer:
            # Read as generic, this would silently grade against the whole worked solution.
            raise ConfigError(
                f"{where}: the answer ends in '#### N' as GSM8K's do, but line "
                f"{records[0][0]}'s does not; give every line in one format."
            )
        choices = record.get("choices", [])
        if not isinstance(choices, list):
            raise ConfigError(f'{where}: \'choices\' must be a list of texts, e.g. ["4", "5"].')
        fields.append(_Fields(number, question, answer, tuple(choices), record.get("id")))
    return fields


def _required(record: dict[str, object], key: str, where: str) -> object:
    if key not in record:
        raise ConfigError(f"{where}: the field '{key}' is missing.")
    return record[key]


def _json_kind(value: object) -> str:
    """How a person would name a JSON value's type in an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "a number" if isinstance(value, _JsonNumber) else "a string"


# ---------------------------------------------------------------- CSV
def _csv_fields(text: str, source: str) -> tuple[TaskFormat, list[_Fields]]:
    rows = _csv_rows(text, source)
    if not rows:  # only separators and spaces: ",,,"
        raise ConfigError(f"{source} has no questions: every cell is empty. {_FORMATS_HELP}")
    header_line, header = rows[0]
    names = [cell.strip().casefold() for cell in header]
    if "question" in names:
        return TaskFormat.GENERIC_CSV, _generic_csv_fields(names, rows[1:], header_line, source)
    if len(header) == _MMLU_COLUMNS:
        return TaskFormat.MMLU, _mmlu_fields(rows, source)
    raise ConfigError(
        f"{source}: unknown format: line {header_line} has {len(header)} column(s) and no "
        f"header naming a 'question' column. {_FORMATS_HELP}"
    )


def _csv_rows(text: str, source: str) -> list[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    line_before = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ConfigError(
                f"{source}, line {line_before + 1}: not valid CSV ({error})."
            ) from None
        if any(cell.strip() for cell in row):
            rows.append((line_before + 1, row))
        line_before = reader.line_num
    return rows


def _mmlu_fields(rows: list[tuple[int, list[str]]], source: str) -> list[_Fields]:
    fields = []
    for number, row in rows:
        if len(row) != _MMLU_COLUMNS:
            raise ConfigError(
                f"{source}, line {number}: expected {_MMLU_COLUMNS} columns (question, A, B, "
                f"C, D, answer letter) as on line {rows[0][0]}, found {len(row)}."
            )
        fields.append(_Fields(number, row[0], row[5], tuple(row[1:5])))
    return fields


def _generic_csv_fields(
    names: list[str], rows: list[tuple[int, list[str]]], header_line: int, source: str
) -> list[_Fields]:
    if "answer" not in names:
        raise ConfigError(
            f"{source}, line {header_line}: the header names no 'answer' column "
            f"(it has: {', '.join(names)})."
        )
    letter_columns = [i for i, name in enumerate(names) if name in CHOICE_LETTERS.casefold()]
    choices_column = names.index("choices") if "choices" in names else None
    id_column = names.index("id") if "id" in names else None
    fields = []
    for number, row in rows:
        if len(row) != len(names):
            raise ConfigError(
                f"{source}, line {number}: expected {len(names)} columns as in the header "
                f"on line {header_line}, found {len(row)}."
            )
        if choices_column is not None and row[choices_column].strip():
            choices: tuple[str, ...] = tuple(row[choices_column].split(_CHOICES_SEPARATOR))
        else:
            # Trailing empty letter cells let a 3-choice item share a file with 4-choice ones.
            cells = [row[i] for i in letter_columns]
            while cells and not cells[-1].strip():
                cells.pop()
            choices = tuple(cells)
        fields.append(
            _Fields(
                number,
                row[names.index("question")],
                row[names.index("answer")],
                choices,
                row[id_column] if id_column is not None else None,
            )
        )
    if not fields:
        raise ConfigError(f"{source} has a header but no questions after it.")
    return fields


# ---------------------------------------------------------------- items
def _build_items(
    records: list[_Fields], source: str, *, letters_only: bool
) -> tuple[EvalItem, ...]:
    if len(records) > MAX_ITEMS:
        raise ConfigError(
            f"{source} has {len(records):,} questions; at most {MAX_ITEMS:,} fit in one run. "
            "Split the file."
        )
    items: list[EvalItem] = []
    first_line_of: dict[str, int] = {}
    for position, record in enumerate(records, start=1):
        where = f"{source}, line {record.line}"
        item = _build_item(record, str(position), where, letters_only=letters_only)
        if item.id in first_line_of:
            raise ConfigError(
                f"{where}: the id {item.id!r} was already used on line {first_line_of[item.id]}."
            )
        first_line_of[item.id] = record.line
        items.append(item)
    return tuple(items)


def _build_item(record: _Fields, position: str, where: str, *, letters_only: bool) -> EvalItem:
    question = _text(record.question, "question", MAX_QUESTION_CHARS, where, numbers=False)
    answer = _answer_text(record.answer, where)
    blank_id = record.id is None or (isinstance(record.id, str) and not record.id.strip())
    item_id = position if blank_id else _text(record.id, "id", MAX_ID_CHARS, where)
    if not record.choices:
        kind, gold = _normalised(answer, where)
        return EvalItem(item_id, question, answer, gold, kind)
    if not MIN_CHOICES <= len(record.choices) <= len(CHOICE_LETTERS):
        raise ConfigError(
            f"{where}: {len(record.choices)} choice(s); a multiple-choice question needs "
            f"{MIN_CHOICES} to {len(CHOICE_LETTERS)} (A-J)."
        )
    choices = tuple(
        _text(choice, f"choice {CHOICE_LETTERS[index]}", MAX_CHOICE_CHARS, where)
        for index, choice in enumerate(record.choices)
    )
    letter = _gold_letter(answer, choices, letters_only=letters_only)
    if letter is None:
        letters = CHOICE_LETTERS[: len(choices)]
        also = "" if letters_only else " nor the text of one of the choices"
        raise ConfigError(
            f"{where}: the answer {answer!r} is not a letter {letters[0]}-{letters[-1]}{also}."
        )
    return EvalItem(item_id, question, answer, letter, AnswerKind.CHOICE, choices)


def _gold_letter(answer: str, choices: tuple[str, ...], *, letters_only: bool) -> str | None:
    letters = CHOICE_LETTERS[: len(choices)]
    stripped = answer.strip()
    letter = stripped.upper() if letters_only else normalize_choice(stripped)
    if letter is not None and len(letter) == 1 and letter in letters:
        return letter
    if letters_only:
        return None
    # A generic file may give the right choice's text instead of its letter.
    folded = fold_text(stripped)
    matches = [letters[i] for i, choice in enumerate(choices) if fold_text(choice) == folded]
    return matches[0] if len(matches) == 1 else None


#: A number written with an exponent ("1e6", "-2.5E-3").
_SCIENTIFIC = re.compile(r"[-+]?(?:\d[\d,]*\.?\d*|\.\d+)[eE][-+]?\d+")


def _normalised(answer: str, where: str) -> tuple[AnswerKind, str]:
    """The gold answer's kind and value, normalised as a seat's reply would be."""
    kind, gold, _ = normalize_value(clean_value(answer))
    if kind is not AnswerKind.NUMBER and _SCIENTIFIC.fullmatch(answer.strip()):
        # The normaliser declines numbers like "1e5000000" (too large to compare as
        # numbers); as a gold answer it would silently become text.
        raise ConfigError(f"{where}: the answer {answer!r} is too large a number.")
    if not gold:
        raise ConfigError(f"{where}: the answer {answer!r} has nothing to compare with.")
    if len(gold) > MAX_ANSWER_CHARS:
        raise ConfigError(f"{where}: the answer {answer!r} is too large a number.")
    return kind, gold


def _answer_text(value: object, where: str) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"  # a JSON true/false gold answer to a yes/no question
    return _text(value, "answer", MAX_ANSWER_CHARS, where)


def _text(value: object, field: str, limit: int, where: str, *, numbers: bool = True) -> str:
    """A field's text, stripped: present, not empty, not too long, of an accepted type."""
    if isinstance(value, _JsonNumber) and not numbers:
        raise ConfigError(f"{where}: the {field} must be text, not the number {value}.")
    if not isinstance(value, str):
        raise ConfigError(f"{where}: the {field} must be text, not {_json_kind(value)}.")
    text = value.strip()
    if not text:
        raise ConfigError(f"{where}: the {field} is empty.")
    if len(text) > limit:
        raise ConfigError(
            f"{where}: the {field} has {len(text):,} characters; at most {limit:,} are allowed."
        )
    return text
