"""Track records on the command line: `roundtable models` and `run --rule record-weighted`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import Seat
from roundtable.storage import open_database
from tests.storage.test_track_records import store_run

ADA = Seat("a", "Ada", "demo/ada")
GPT = Seat("g", "GPT", "openai/gpt-4o")


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def _measured(db: str) -> None:
    """Ada: 9 of 10 at 0.9 on arithmetic; GPT (no key here, so not on offer): 1 of 2."""
    database = open_database(db)
    questions = [
        (str(n), {"a": (str(n) if n else "7", 0.9), "g": (str(n), 0.9)}) for n in range(10)
    ]
    store_run(database, "run-1", "arithmetic", [ADA], questions)
    store_run(
        database, "run-2", "gsm8k", [GPT], [("1", {"g": ("1", 0.8)}), ("2", {"g": ("3", 0.8)})]
    )
    database.close()


def test_models_shows_each_model_s_record(tmp_path) -> None:
    db = str(tmp_path / "t.db")
    _measured(db)

    result = invoke("models", "--db", db)

    assert result.exit_code == 0, result.output
    # A narrow terminal wraps the record within its column: read the words in order.
    words = " ".join(result.output.split())
    assert (
        "demo/ada built in, simulated not needed 90 % on arithmetic (n=10) · well calibrated · "
        "simulated"
    ) in words
    assert "demo/basil built in, simulated not needed — " in words
    assert (
        "Also measured (not on offer now) Model Track record "
        "openai/gpt-4o 50 % on gsm8k (n=2) · too few to judge calibration"
    ) in words


def test_models_json_gives_the_numbers(tmp_path) -> None:
    db = str(tmp_path / "t.db")
    _measured(db)

    data = json.loads(invoke("models", "--db", db, "--json").stdout)

    ada = next(model for model in data["models"] if model["id"] == "demo/ada")
    (arithmetic,) = ada["track_record"]["tasks"]
    assert arithmetic["answers"] == 10
    assert arithmetic["correct"] == 9
    assert arithmetic["accuracy"] == 0.9
    assert arithmetic["brier"] == pytest.approx((9 * 0.1**2 + 0.9**2) / 10)
    assert arithmetic["ece"] == pytest.approx(0.0)
    assert arithmetic["calibration"] == "well calibrated"
    assert ada["track_record"]["simulated"] is True
    assert next(m for m in data["models"] if m["id"] == "demo/basil")["track_record"] is None
    (gpt,) = data["unlisted_track_records"]
    assert (gpt["model"], gpt["tasks"][0]["correct"], gpt["tasks"][0]["answers"]) == (
        "openai/gpt-4o",
        1,
        2,
    )


def test_models_before_any_run_have_no_record_column(tmp_path) -> None:
    result = invoke("models", "--db", str(tmp_path / "new.db"))

    assert result.exit_code == 0, result.output
    assert "demo/ada" in result.output
    assert "Track record" not in result.output


def _tied(db: str) -> None:
    """Bea (first) wrong and Ada right at the same confidence on four questions, then
    both right: the vote by confidence follows Bea, the vote by record follows Ada."""
    bea = Seat("b", "Bea", "demo/basil")
    database = open_database(db)
    questions = [(str(n), {"b": ("0", 0.8), "a": (str(n), 0.8)}) for n in range(1, 5)]
    store_run(
        database,
        "run-tied",
        "arithmetic",
        [bea, ADA],
        [*questions, ("5", {"b": ("5", 0.8), "a": ("5", 0.8)})],
    )
    database.close()


def test_eval_report_compares_the_record_weighted_with_the_confidence_weighted_vote(
    tmp_path,
) -> None:
    db = str(tmp_path / "t.db")
    _tied(db)
    html = str(tmp_path / "report.html")

    shown = invoke(
        "eval-report", "run-tied", "--rule", "record-weighted", "--db", db, "--html", html
    )
    data = json.loads(
        invoke(
            "eval-report",
            "run-tied",
            "--rule",
            "record-weighted",
            "--json",
            "--db",
            db,
            "--html",
            html,
        ).stdout
    )

    assert shown.exit_code == 0, shown.output
    words = " ".join(shown.output.split())
    assert "confidence-weighted vote 20 % (4-62)" in words
    assert "record-weighted vote 100 % (57-100)" in words
    assert (
        "Record-weighted against confidence-weighted vote (100 % (57-100) against 20 % (4-62)): "
        "no evidence of a difference at n = 5 (p = 0.12)."
    ) in words
    methods = {method["key"]: method for method in data["methods"]}
    assert methods["rule:record-weighted"]["accuracy"]["successes"] == 5
    assert methods["rule:confidence-weighted"]["accuracy"]["successes"] == 1
    assert data["vote_rules"]["record_vs_confidence"]["record_only"] == 4
    assert "record-weighted vote" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_eval_report_without_the_rule_has_no_rule_rows(tmp_path) -> None:
    db = str(tmp_path / "t.db")
    _tied(db)

    data = json.loads(invoke("eval-report", "run-tied", "--json", "--db", db).stdout)

    assert not any(method["key"].startswith("rule:") for method in data["methods"])
    assert "vote_rules" not in data


def test_an_unknown_rule_is_refused(tmp_path) -> None:
    db = str(tmp_path / "t.db")
    _tied(db)

    result = invoke("eval-report", "run-tied", "--rule", "loudest", "--db", db)

    assert result.exit_code == 2
    assert "Unknown rule 'loudest'; choose protocol or record-weighted." in " ".join(
        result.output.split()
    )
