"""The plain words for a model's calibration, at and around their thresholds."""

from __future__ import annotations

import pytest

from roundtable.engine.evaluation.stats import calibration
from roundtable.engine.evaluation.track_record import calibration_label


def _answers(confidence: float, right: int, wrong: int) -> list[tuple[float | None, bool]]:
    return [(confidence, True)] * right + [(confidence, False)] * wrong


@pytest.mark.parametrize(
    ("outcomes", "label"),
    [
        # ECE 0: saying 0.8 and being right 8 times in 10.
        (_answers(0.8, 8, 2), "well calibrated"),
        # ECE 0.05, below 0.1.
        (_answers(0.85, 9, 1), "well calibrated"),
        # Confidence 0.9, accuracy 0.8: ECE and the gap are exactly 0.1.
        (_answers(0.9, 8, 2), "overconfident"),
        # Confidence 0.6, accuracy 0.8: 0.2 under.
        (_answers(0.6, 8, 2), "underconfident"),
        # Confidence 0.7, accuracy 0.8: exactly 0.1 under.
        (_answers(0.7, 8, 2), "underconfident"),
        # Too unsure at 0.55 (all right), too sure at 0.95 (half right): the means agree
        # (0.75 and 0.75) but ECE is 0.45.
        (_answers(0.55, 10, 0) + _answers(0.95, 5, 5), "unevenly calibrated"),
        # Nine answers with a confidence are too few, whatever they say.
        (_answers(0.9, 1, 8) + [(None, True)] * 5, "too few to judge calibration"),
    ],
)
def test_calibration_labels(outcomes: list[tuple[float | None, bool]], label: str) -> None:
    assert calibration_label(calibration(outcomes)) == label


def test_no_stated_confidence_is_said_so() -> None:
    assert calibration_label(calibration([(None, True), (None, False)])) == "no confidence stated"
    assert calibration_label(None) == "no confidence stated"
