"""An evaluation report as plain JSON data: what `--json` and the MCP server return."""

from __future__ import annotations

import dataclasses
from typing import Any

from roundtable.engine.evaluation.report import EvalReport


def report_to_dict(report: EvalReport) -> dict[str, Any]:
    """The report as plain JSON data (`--json`), every figure as the terminal shows it,
    plus each interval's share and each method's cost per correct answer in USD."""
    data: dict[str, Any] = dataclasses.asdict(report)
    data["verdict"] = report.verdict()
    data["throughput_questions_per_s"] = report.throughput
    for method, shown in zip(report.methods, data["methods"], strict=True):
        shown["accuracy"]["estimate"] = method.accuracy.estimate
        shown["cost"]["usd_per_correct"] = method.cost.usd
        if method.versus_table is not None:
            shown["versus_table"]["verdict"] = method.versus_table.verdict
    for row, shown in zip(report.rounds, data["rounds"], strict=True):
        shown["table"]["estimate"] = row.table.estimate
        shown["majority"]["estimate"] = row.majority.estimate
    if report.sampling is not None:
        data["sampling"]["expected_tokens"] = report.sampling.expected_tokens
    return data
