"""Training data from stored debates: which debates qualify, what each line holds, and
that every line keeps to its schema and carries no key."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from roundtable.domain import (
    DebateCancelled,
    DebateFailed,
    Exchange,
)
from roundtable.export.training import (
    NO_EARLIER_ANSWER,
    SkipReason,
    TrainingFormat,
    export_training,
    jsonl_line,
    table_answer,
)
from roundtable.storage import Database, DebateRecord, load_debate, open_database
from tests.export.training_debates import debate, says
from tests.export.training_schema import check_line
from tests.helpers.debates import (
    ADA_R1,
    BAT_AND_BALL_QUESTION,
    GRACE_R0,
    bat_and_ball_debate,
    finished_debate,
)
from tests.helpers.events import EventBuilder, record

FORMATS: tuple[TrainingFormat, ...] = ("finetune", "preference")


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    database = open_database(tmp_path / "training.db")
    yield database
    database.close()


def stored(db: Database, events) -> DebateRecord:
    record(db, events)
    return load_debate(db, events[0].debate_id)


def lines_of(record_: DebateRecord, fmt: TrainingFormat, **options) -> list[dict]:
    """The debate's lines, each written as JSONL and checked against the schema."""
    export = export_training(record_, fmt, **options)
    return [check_line(jsonl_line(line), fmt) for line in export.lines]


# ---------------------------------------------------------------- fine-tuning chats
def test_a_consensus_debate_is_the_question_and_the_most_confident_final_explanation(db):
    export = export_training(stored(db, bat_and_ball_debate()), "finetune")

    assert export.skipped is None
    (line,) = [check_line(jsonl_line(line), "finetune") for line in export.lines]
    question, target = line["messages"]
    assert question == {"role": "user", "content": BAT_AND_BALL_QUESTION}
    # Round 2: Ada said 5 with 0.95, Grace 5 with 0.85 (Linus failed): Ada's reasoning,
    # its own answer lines replaced by one "Final answer:" line.
    assert target["role"] == "assistant"
    assert target["content"].startswith("Grace's 10 cents fails the check")
    assert target["content"].endswith("I keep my answer.\n\nFinal answer: 5")
    assert "Confidence" not in target["content"]


def test_equal_confidence_goes_to_the_earlier_seat_and_reasoning_beats_none(db):
    rounds = [
        {"ada": says("Six sevens.", "42", 0.9), "bea": says("Seven sixes.", "42", 0.9)},
        {
            "ada": ("Final answer: 42\nConfidence: 1.0", "42", 1.0),  # no reasoning at all
            "bea": says("Bea's check: 6*7 = 42.", "42", 0.8),
            "cy": says("Cy's check: 7*6 = 42.", "42", 0.8),
        },
    ]
    chosen = table_answer(stored(db, debate("tie", rounds, final="42", consensus=True)))

    assert chosen is not None
    assert chosen.turn.seat_id == "bea"  # ties Cy at 0.8; Ada's bare answer line loses
    assert chosen.target == "Bea's check: 6*7 = 42.\n\nFinal answer: 42"


def test_a_cut_reply_is_never_the_target(db):
    rounds = [{"ada": says("Six sevens are 42.", "42", 0.7), "bea": says("Sure: 42.", "42", 1.0)}]
    events = debate("cut", rounds, final="42", consensus=True, incomplete=frozenset({(0, "bea")}))
    chosen = table_answer(stored(db, events))

    assert chosen is not None
    assert chosen.turn.seat_id == "ada"


def test_a_target_without_any_reasoning_is_the_answer_line(db):
    rounds = [{"ada": ("Final answer: 42", "42", None), "bea": ("Final answer: 42", "42", None)}]
    (line,) = lines_of(stored(db, debate("bare", rounds, final="42", consensus=True)), "finetune")

    assert line["messages"][-1]["content"] == "Final answer: 42"


def test_a_system_message_comes_first_when_given(db):
    (line,) = lines_of(
        stored(db, bat_and_ball_debate()), "finetune", system="  You solve puzzles.  "
    )

    assert line["messages"][0] == {"role": "system", "content": "You solve puzzles."}
    assert [m["role"] for m in line["messages"]] == ["system", "user", "assistant"]


def test_a_follow_up_keeps_its_thread_as_earlier_untrained_turns(db):
    context = (
        Exchange("What is 6*7?", "42", consensus=True, debate_id="first"),
        Exchange("Is that prime?", None, consensus=False, debate_id="second"),
    )
    rounds = [{"ada": says("84 = 2*42.", "84", 0.9), "bea": says("Doubling: 84.", "84", 0.8)}]
    events = debate(
        "third", rounds, final="84", consensus=True, question="And twice that?", context=context
    )
    record_ = stored(db, events)

    (chat,) = lines_of(record_, "finetune")
    assert chat["messages"] == [
        {"role": "user", "content": "What is 6*7?"},
        {"role": "assistant", "content": "Final answer: 42", "weight": 0},
        {"role": "user", "content": "Is that prime?"},
        {"role": "assistant", "content": NO_EARLIER_ANSWER, "weight": 0},
        {"role": "user", "content": "And twice that?"},
        {"role": "assistant", "content": "84 = 2*42.\n\nFinal answer: 84"},
    ]
    # No pair here (nobody was overturned), but the prompt shape is checked below.
    assert export_training(record_, "preference").skipped is SkipReason.NONE_OVERTURNED


# ---------------------------------------------------------------- which debates qualify
def test_a_debate_without_consensus_gives_nothing_and_says_why(db):
    rounds = [{"ada": says("42.", "42", 0.9), "bea": says("41.", "41", 0.9)}]
    record_ = stored(db, debate("split", rounds, final="42", consensus=False))

    for fmt in FORMATS:
        export = export_training(record_, fmt)
        assert export.lines == ()
        assert export.skipped is SkipReason.NO_CONSENSUS


@pytest.mark.parametrize(
    ("ending", "reason"),
    [
        ("failed", SkipReason.FAILED),
        ("cancelled", SkipReason.CANCELLED),
        ("running", SkipReason.RUNNING),
    ],
)
def test_a_debate_that_did_not_finish_gives_nothing(db, ending, reason):
    events = finished_debate("unfinished")[:-1]  # everything but DebateFinished
    log = EventBuilder("unfinished")
    log.events = list(events)
    if ending == "failed":
        log.add(DebateFailed, error_kind="auth", message="no key")
    elif ending == "cancelled":
        log.add(DebateCancelled)

    export = export_training(stored(db, log.events), "finetune")

    assert (export.lines, export.skipped) == ((), reason)


def test_an_evaluation_verdict_replaces_consensus(db):
    split = [{"ada": says("42.", "42", 0.9), "bea": says("41.", "41", 0.6)}]
    no_consensus = stored(db, debate("right", split, final="42", consensus=False))
    agreed = stored(db, bat_and_ball_debate("wrong"))

    (line,) = lines_of(no_consensus, "finetune", scored_correct=True)
    assert line["messages"][-1]["content"] == "42.\n\nFinal answer: 42"
    for fmt in FORMATS:
        export = export_training(agreed, fmt, scored_correct=False)
        assert (export.lines, export.skipped) == ((), SkipReason.NOT_CORRECT)


# ---------------------------------------------------------------- preference pairs
def test_each_overturned_first_answer_is_one_pair_against_the_table_answer(db):
    (pair,) = lines_of(stored(db, bat_and_ball_debate()), "preference")

    assert pair["prompt"] == [{"role": "user", "content": BAT_AND_BALL_QUESTION}]
    assert pair["chosen"] == [
        {
            "role": "assistant",
            "content": ADA_R1.removesuffix("\n\nFinal answer: 5\nConfidence: 0.95")
            + "\n\nFinal answer: 5",
        }
    ]
    # Grace's first answer, 10, which the table overturned, laid out like the chosen one.
    grace = GRACE_R0.removesuffix("\n\nFinal answer: 10\nConfidence: 0.7")
    assert pair["rejected"] == [{"role": "assistant", "content": f"{grace}\n\nFinal answer: 10"}]


def test_one_pair_per_overturned_seat_in_seat_order_skipping_broken_first_turns(db):
    rounds = [
        {
            "ada": says("Ada: 6*7 = 36.", "36", 0.6),
            "bea": says("Bea: 42.", "42", 0.9),
            "cy": says("Cy: 6+7 = 13.", "13", 0.5),
        },
        {"ada": says("Ada: it is 42.", "42", 0.9), "bea": says("Bea: 42.", "42", 1.0), "cy": None},
    ]
    events = debate("many", rounds, final="42", consensus=True)
    pairs = lines_of(stored(db, events), "preference")

    rejected = [pair["rejected"][0]["content"] for pair in pairs]
    assert rejected == ["Ada: 6*7 = 36.\n\nFinal answer: 36", "Cy: 6+7 = 13.\n\nFinal answer: 13"]
    assert {pair["chosen"][0]["content"] for pair in pairs} == {"Bea: 42.\n\nFinal answer: 42"}

    cut = debate("cut-first", rounds, final="42", consensus=True, incomplete=frozenset({(0, "cy")}))
    (only,) = lines_of(stored(db, cut), "preference")
    assert only["rejected"][0]["content"].startswith("Ada:")


def test_a_follow_up_pair_carries_its_thread_in_the_prompt(db):
    context = (Exchange("What is 6*7?", "42", consensus=True, debate_id="first"),)
    rounds = [
        {"ada": says("Half of 42 is 20.", "20", 0.5), "bea": says("42/2 = 21.", "21", 0.9)},
        {"ada": says("Bea is right: 21.", "21", 0.9), "bea": says("21.", "21", 0.9)},
    ]
    events = debate("half", rounds, final="21", consensus=True, question="Half?", context=context)
    (pair,) = lines_of(stored(db, events), "preference", system="Be brief.")

    assert pair["prompt"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "What is 6*7?"},
        {"role": "assistant", "content": "Final answer: 42"},
        {"role": "user", "content": "Half?"},
    ]


# ---------------------------------------------------------------- secrets and lines
def test_keys_in_a_question_or_a_reply_never_reach_a_line(db):
    env_key = "plainvalue-7Qx-not-keylike"  # passed as a known key value
    pasted = "sk-proj-AbCdEf0123456789AbCdEf0123456789"  # recognisable by its shape
    rounds = [
        {
            "ada": says(f"My key {env_key} proves nothing; 6*7 = 24.", "24", 0.6),
            "bea": says(f"Use {pasted} if you like. 6*7 = 42.", "42", 0.9),
        },
        {"ada": says("42.", "42", 0.9), "bea": says(f"Still 42 ({pasted}).", "42", 1.0)},
    ]
    question = f"My OpenAI key is {pasted} and {env_key}. What is 6*7?"
    record_ = stored(db, debate("keys", rounds, final="42", consensus=True, question=question))

    for fmt in FORMATS:
        written = "".join(
            jsonl_line(line) for line in export_training(record_, fmt, secrets=[env_key]).lines
        )
        assert written, fmt
        assert env_key not in written
        assert pasted not in written
        assert "[redacted]" in written


def test_a_line_survives_readers_that_split_on_unicode_line_ends():
    content = "one\u2028two\u2029three\x85four\x9b[31m"
    line = jsonl_line({"messages": [{"role": "user", "content": content}]})

    assert len(line.splitlines()) == 1
    assert "\x9b" not in line
    assert json.loads(line)["messages"][0]["content"] == content
    assert jsonl_line({"x": "café"}) == '{"x": "café"}\n'  # UTF-8 stays readable


@pytest.mark.parametrize(
    "bad",
    [
        '{"messages": [{"role": "user", "content": "q"}]}\n',  # no answer
        '{"messages": [{"role": "assistant", "content": "a"}]}\n',  # no question
        '{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": " "}]}\n',
        '{"messages": [{"role": "user", "content": "q"}, {"role": "user", "content": "q"},'
        ' {"role": "assistant", "content": "a"}]}\n',  # roles do not alternate
        '{"messages": [{"role": "user", "content": "q"},'
        ' {"role": "assistant", "content": "a", "weight": 0}]}\n',  # the target switched off
        '{"messages": [{"role": "user", "content": "q", "name": "x"},'
        ' {"role": "assistant", "content": "a"}]}\n',  # a key the format does not have
        '{"messages": [], "id": 1}\n',
        '{"messages": [{"role": "user", "content": "q\u2028"}, '
        '{"role": "assistant", "content": "a"}]}\n',  # a raw line separator
    ],
)
def test_the_schema_check_refuses_malformed_lines(bad):
    with pytest.raises(AssertionError):
        check_line(bad, "finetune")


def test_the_schema_check_refuses_malformed_pairs():
    good = {
        "prompt": [{"role": "user", "content": "q"}],
        "chosen": [{"role": "assistant", "content": "a"}],
        "rejected": [{"role": "assistant", "content": "b"}],
    }
    check_line(json.dumps(good) + "\n", "preference")
    for broken in (
        {**good, "rejected": good["chosen"]},
        {**good, "prompt": [*good["prompt"], *good["chosen"]]},
        {**good, "chosen": "a"},
        {**good, "extra": 1},
    ):
        with pytest.raises(AssertionError):
            check_line(json.dumps(broken) + "\n", "preference")
