"""A database holding one real evaluation run, made as a person makes one: with the
`roundtable eval` command on the simulated demo table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from roundtable.cli import app

#: Questions in the run: enough for rounds, baselines and a question list; quick.
QUESTIONS = 3


def make_eval_run(db: Path, *, limit: int = QUESTIONS, seed: int = 0) -> None:
    """`roundtable eval arithmetic --limit N --seed S --db DB`, in this process."""
    result = CliRunner().invoke(
        app,
        ["eval", "arithmetic", "--limit", str(limit), "--seed", str(seed), "--db", str(db)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def eval_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run, made once for the module (the demo seats take a few seconds)."""
    from tests.fakes.memory_keyring import MemoryKeyring

    folder = tmp_path_factory.mktemp("eval-run")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROUNDTABLE_DATA_DIR", str(folder / "data"))
        patch.setenv("ROUNDTABLE_DEMO_SPEED", "40")
        import keyring

        previous = keyring.get_keyring()
        keyring.set_keyring(MemoryKeyring())
        try:
            make_eval_run(folder / "runs.db")
        finally:
            keyring.set_keyring(previous)
    return folder / "runs.db"


@pytest.fixture
def eval_db(eval_db_template: Path, tmp_path: Path) -> Path:
    """A copy of the one-run database that this test may add to."""
    copy = tmp_path / "runs.db"
    shutil.copy(eval_db_template, copy)
    return copy
