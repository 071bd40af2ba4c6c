"""Track records on the command line: in `roundtable models`, the weights of the
record-weighted vote (resolved from the store before a debate starts), and
`--rule record-weighted` in an evaluation's report (built by
`headless.evaluations.report_for`).

The records come from every stored evaluation run (`roundtable eval`); a database
that cannot be read leaves the model list as it was, with a note why.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from roundtable.domain import ConfigError, DebateSpec, StorageError
from roundtable.domain.formatting import visible_controls

if TYPE_CHECKING:
    from roundtable.engine.evaluation.track_record import ModelRecord
    from roundtable.engine.evaluation.vote_rules import RuleComparison
    from roundtable.storage import Database


def comparison_to_dict(comparison: RuleComparison) -> dict[str, Any]:
    """The two rules' own test as JSON data (their rows are among the report's methods)."""
    test = comparison.record_vs_confidence
    return {
        "record_vs_confidence": {
            "record_only": test.first_only,
            "confidence_only": test.second_only,
            "pairs": test.pairs,
            "p_value": test.p_value,
            "verdict": test.verdict,
        },
        "summary": comparison.describe(),
    }


def read_records(
    database: Database, *, models: Collection[str] | None = None
) -> dict[str, ModelRecord]:
    """Every model's record (only those of `models`, when given), from the stored runs."""
    from roundtable.engine.evaluation.track_record import track_records
    from roundtable.storage.track_records import solo_answers

    return track_records(solo_answers(database, models=models))


def load_records(db: str | None) -> tuple[dict[str, ModelRecord], str]:
    """The records in the database at `db`, and "" or a note saying why there are none."""
    from roundtable.headless.stores import open_store

    try:
        database = open_store(db, must_exist=True)
    except ConfigError:  # no database there (not created for a look): no records yet
        return {}, ""
    except StorageError as exc:
        return {}, f"Track records unavailable: {exc}"
    try:
        return read_records(database), ""
    except StorageError as exc:
        return {}, f"Track records unavailable: {exc}"
    finally:
        database.close()


def record_cell(record: ModelRecord | None) -> Text:
    """The "Track record" column: the headline record, or a dash."""
    if record is None:
        return Text("—", style="dim")
    return Text(visible_controls(record.summary()))


def unlisted_table(records: dict[str, ModelRecord], listed: Collection[str]) -> Table | None:
    """Records of models not on offer now (a key removed, a server off), or None."""
    others = [record for model, record in records.items() if model not in listed]
    if not others:
        return None
    table = Table(
        title="Also measured (not on offer now)",
        title_justify="left",
        box=None,
        padding=(0, 2),
        header_style="bold",
    )
    table.add_column("Model")
    table.add_column("Track record")
    for record in others:
        table.add_row(Text(visible_controls(record.model)), record_cell(record))
    return table


def with_record_weights(
    spec: DebateSpec, database: Database, *, task: str | None = None
) -> DebateSpec:
    """`spec` deciding by track record: each seat's records resolved from the store now,
    so the engine counts with them and never reads the database.

    ConfigError when no seat's model has a record: the vote would be a plain majority
    in disguise, and the person should measure the models first.
    """
    from roundtable.engine.evaluation.track_record import record_weights

    records = read_records(database, models={seat.model for seat in spec.seats})
    weights = record_weights(spec.seats, records, task=task)
    if not weights.records:
        raise ConfigError(
            "No seat's model has a track record yet, so there is nothing to weigh the vote "
            "by. Measure them first, e.g. `roundtable eval arithmetic --limit 50` with the "
            "same --seat options, or leave out --rule record-weighted."
        )
    return replace(spec, record_weights=weights)
