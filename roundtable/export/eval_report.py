"""An evaluation report as one self-contained HTML page, under the debate export's rules.

Same page, styles and Content-Security-Policy as a debate export (`export.html`): no
script, nothing fetched, every value from the run escaped. The figures come from
`engine.evaluation.report.EvalReport`, the charts from `roundtable.charts`, so this
page, the terminal and the app show the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from roundtable.charts.eval_charts import eval_charts
from roundtable.domain.formatting import format_cost
from roundtable.engine.evaluation.report import EvalReport
from roundtable.engine.protocols import round_kind
from roundtable.export.chart_figures import charts_html
from roundtable.export.html import page


def eval_report_html(report: EvalReport) -> str:
    """The whole report page."""
    parts = [
        f"<h1>Is the table worth it? {escape(report.task_name)}</h1>",
        _summary(report),
    ]
    if report.asked:
        parts += [
            f"<p><strong>{escape(report.verdict())}</strong></p>",
            _charts(report),
            "<h2>Accuracy by round</h2>",
            _round_table(report),
            "<h2>The table against its baselines</h2>",
            _method_table(report),
            f"<p>{escape(report.flips.describe().capitalize())}.</p>",
            _sampling(report),
            "<h2>Stated confidence</h2>",
            _calibration(report),
            "<h2>Questions</h2>",
            _questions(report),
        ]
    return page(f"Evaluation {report.run_id[:8]} · {report.task_name}", "\n".join(parts))


def _summary(report: EvalReport) -> str:
    seats = ", ".join(f"{name} ({model})" for _, name, model in report.seats)
    lines = [
        f"Run <code>{escape(report.run_id[:8])}</code> · {escape(report.task_source)} · "
        f"{report.asked} of {report.total} questions · {escape(report.status.value)}",
        f"Table: {escape(report.protocol)} · {escape(seats)}",
        f"Spent: {report.usage.total_tokens:,} tokens · "
        f"{escape(format_cost(report.usage.cost_usd))} · {report.wall_s:.0f} s",
    ]
    if report.budget_usd is not None:
        lines.append(f"Budget: ${report.budget_usd:.2f}")
    html = "<p>" + "<br>".join(lines) + "</p>"
    if report.simulated:
        html += (
            "<blockquote><strong>Simulated seats:</strong> "
            f"{escape(', '.join(report.simulated))} answered through the offline demo "
            "provider. These figures show how the harness works, not how real models do."
            "</blockquote>"
        )
    if report.status_detail:
        html += f"<p><em>{escape(report.status_detail)}</em></p>"
    return html


def _charts(report: EvalReport) -> str:
    """The charts the app shows; a question's point leads to its row in the list below."""
    rows = {q.debate_id: f"#q-{q.item_id}" for q in report.questions if q.debate_id}
    return charts_html(eval_charts(report), link_href=rows.get)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, numeric_from: int = 1) -> str:
    """An HTML table; cells are escaped here, so callers pass plain text."""
    head = "".join(f"<th>{escape(title)}</th>" for title in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="text-align: right">{escape(cell)}</td>'
            if index >= numeric_from
            else f"<td>{escape(cell)}</td>"
            for index, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _round_table(report: EvalReport) -> str:
    headers = [
        "round",
        "the table",
        *(name for _, name, _ in report.seats),
        "agreement",
        "tokens",
        "cost",
        "time",
    ]
    rows = []
    for row in report.rounds:
        kind = round_kind(report.protocol, row.number, len(report.seats))
        rows.append(
            [
                f"{row.number} · {kind}" if kind else str(row.number),
                row.table.describe(),
                *(seat.accuracy.describe() for seat in row.seats),
                f"{100 * row.agreement:.0f} %",
                f"{row.usage.total_tokens:,}",
                format_cost(row.usage.cost_usd),
                f"{row.usage.latency_s:.1f} s",
            ]
        )
    return _table(headers, rows)


def _method_table(report: EvalReport) -> str:
    rows = [
        [
            method.label,
            method.accuracy.describe(),
            method.cost.describe(),
            f"{method.tokens:,}",
            "—" if method.versus_table is None else method.versus_table.verdict,
        ]
        for method in report.methods
    ]
    return _table(
        ["method", "accuracy (95 % interval)", "cost per correct", "tokens", "against the table"],
        rows,
        numeric_from=3,
    )


def _sampling(report: EvalReport) -> str:
    if report.sampling is None or report.best_seat is None:
        return ""
    return f"<p>{escape(report.sampling.describe(report.seat_name(report.best_seat)))}.</p>"


def _calibration(report: EvalReport) -> str:
    rows = [
        [
            seat.name,
            f"{seat.calibration.answers}",
            f"{seat.calibration.brier:.3f}",
            f"{seat.calibration.ece:.3f}",
        ]
        for seat in report.calibration
        if seat.calibration is not None
    ]
    if not rows:
        return "<p>No seat stated a confidence.</p>"
    explained = (
        "<p>Brier score: the mean squared gap between a stated confidence and being right "
        "(0 is perfect; always saying 50 % earns 0.25). ECE: the average gap between "
        "confidence and accuracy.</p>"
    )
    return explained + _table(["seat", "answers", "Brier", "ECE"], rows)


def _questions(report: EvalReport) -> str:
    head = "".join(
        f"<th>{title}</th>"
        for title in ("#", "question", "gold", "the table", "right", "debate", "cost")
    )
    rows = []
    for question in report.questions:
        mark = "✓" if question.correct else "✗"
        rows.append(
            f'<tr id="q-{escape(question.item_id)}">'
            f"<td>{question.position + 1}</td>"
            f"<td>{escape(_short(question.question))}</td>"
            f"<td>{escape(question.gold)}</td>"
            f"<td>{escape(question.answer or '—')}</td>"
            f"<td>{mark}</td>"
            f"<td><code>{escape(question.debate_id[:8])}</code></td>"
            f"<td>{escape(format_cost(question.cost_usd))}</td></tr>"
        )
    return (
        "<p>Open a question's debate with <code>roundtable show ID</code>, or in the app's "
        "Evaluations view.</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _short(text: str, limit: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
