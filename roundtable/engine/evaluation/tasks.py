"""Where an evaluation's questions come from: a built-in generator, a file, a bundled sample.

`resolve_task("arithmetic")` generates Du et al.'s arithmetic problems from a seed;
`resolve_task("gsm8k-sample")` loads a sample shipped in `resources/eval/`; anything
else is a path, read whole and checked line by line (`task_formats`) before the task
is returned, so a malformed file is refused before any model is called.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

from roundtable.domain import AnswerKind, ConfigError
from roundtable.domain.evaluation import EvalItem, EvalTask, TaskFormat
from roundtable.domain.limits import shown
from roundtable.engine.evaluation.task_formats import parse_items
from roundtable.paths import resource_dir

ARITHMETIC = "arithmetic"
#: Du et al. evaluated 100 arithmetic problems; without a limit we generate as many.
DEFAULT_ARITHMETIC_COUNT = 100
MAX_ARITHMETIC_COUNT = 10_000
#: Du et al.'s operands: integers from 0 to 30 inclusive.
ARITHMETIC_OPERANDS = (0, 30)

#: A task file larger than this is refused before it is read (GSM8K's test split is 0.7 MB,
#: all of MMLU's test CSVs together about 7 MB).
MAX_TASK_FILE_BYTES = 32 * 1024 * 1024

#: The samples in `resources/eval/`, by the name a user types.
SAMPLE_FILES = {
    "gsm8k-sample": "gsm8k-sample.jsonl",
    "mmlu-sample": "mmlu-sample.csv",
    "generic-sample-jsonl": "generic-sample.jsonl",
    "generic-sample-csv": "generic-sample.csv",
}


def resolve_task(spec: str, *, seed: int = 0, limit: int | None = None) -> EvalTask:
    """The task a user named: "arithmetic", a bundled sample's name, or a file path.

    `limit` keeps the first questions (for arithmetic: generates that many); `seed`
    only changes generated tasks, since a file's questions are its own.
    """
    if limit is not None and limit < 1:
        raise ConfigError(f"The question limit must be at least 1, not {limit}.")
    if spec == ARITHMETIC:
        return arithmetic_task(limit or DEFAULT_ARITHMETIC_COUNT, seed=seed)
    if spec in SAMPLE_FILES:
        # Named as the user typed it: both generic samples share the file stem.
        return dataclasses.replace(load_task(sample_path(spec)), name=spec).first(limit)
    return load_task(Path(spec)).first(limit)


def arithmetic_task(count: int = DEFAULT_ARITHMETIC_COUNT, *, seed: int = 0) -> EvalTask:
    """`count` problems `a+b*c+d-e*f` (Du et al., 2023), operands drawn from 0-30.

    The same seed gives the same problems in the same order, on any machine: the
    operands come from a `random.Random` of their own, never the global one.
    """
    if not 1 <= count <= MAX_ARITHMETIC_COUNT:
        raise ConfigError(
            f"Arithmetic tasks have 1 to {MAX_ARITHMETIC_COUNT:,} problems, not {count:,}."
        )
    rng = random.Random(seed)
    low, high = ARITHMETIC_OPERANDS
    items = []
    for number in range(1, count + 1):
        a, b, c, d, e, f = (rng.randint(low, high) for _ in range(6))
        gold = str(a + b * c + d - e * f)
        items.append(
            EvalItem(
                id=str(number),
                question=f"What is the result of {a}+{b}*{c}+{d}-{e}*{f}?",
                answer=gold,
                gold=gold,
                kind=AnswerKind.NUMBER,
            )
        )
    return EvalTask(
        name=ARITHMETIC,
        items=tuple(items),
        source=f"built-in generator (Du et al.'s a+b*c+d-e*f, seed {seed})",
        format=TaskFormat.ARITHMETIC,
    )


def load_task(path: Path) -> EvalTask:
    """The task in the file at `path`, named after the file; ConfigError when it cannot
    be read or any line is malformed (the message names the line)."""
    try:
        exists, is_file = path.exists(), path.is_file()
    except OSError as error:  # a name too long for the file system, say
        raise ConfigError(
            f"Cannot read the task file {shown(str(path), 80)}: {error.strerror or error}."
        ) from None
    if not exists:
        raise ConfigError(
            f"No task file at {path}. Give 'arithmetic', a sample "
            f"({', '.join(SAMPLE_FILES)}) or the path of a JSONL or CSV file."
        )
    if not is_file:
        raise ConfigError(f"{path} is not a file; give the path of a JSONL or CSV task file.")
    try:
        with path.open("rb") as stream:
            # Read one byte past the limit rather than trust the size on disk: a file that
            # grows while it is read (or a pipe) must not be read without end.
            data = stream.read(MAX_TASK_FILE_BYTES + 1)
    except OSError as error:
        raise ConfigError(f"Cannot read the task file {path}: {error.strerror or error}.") from None
    return parse_task_bytes(data, name=path.stem, source=str(path))


def parse_task_bytes(data: bytes, *, name: str, source: str) -> EvalTask:
    """A task from a file's bytes: size, encoding and every line checked."""
    if len(data) > MAX_TASK_FILE_BYTES:
        raise ConfigError(
            f"{source} is larger than {MAX_TASK_FILE_BYTES // (1024 * 1024)} MB; "
            "split it into smaller task files."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(
            f"{source}, line {line}: not UTF-8 text. Save the file as UTF-8 (a spreadsheet's "
            "'CSV UTF-8' option) and try again."
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ConfigError(f"{source}, line {line}: a NUL byte; this is not a text file.")
    return parse_task_text(text, name=name, source=source)


def parse_task_text(text: str, *, name: str, source: str) -> EvalTask:
    """A task from a file's text, its format detected from the content."""
    task_format, items = parse_items(text, source)
    return EvalTask(name=name, items=items, source=source, format=task_format)


def sample_path(name: str) -> Path:
    """The bundled sample called `name` (see `SAMPLE_FILES`), found like the prompts are."""
    try:
        filename = SAMPLE_FILES[name]
    except KeyError:
        raise ConfigError(
            f"There is no sample task called {name!r}; the samples are {', '.join(SAMPLE_FILES)}."
        ) from None
    return resource_dir() / "eval" / filename
