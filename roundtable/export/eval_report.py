"""An evaluation report as one self-contained HTML page, under the debate export's rules.

Same page, styles and Content-Security-Policy as a debate export (`export.html`): no
script, nothing fetched, every value from the run escaped. The figures come from
`engine.evaluation.report.EvalReport`, the charts from `roundtable.charts`, so this
page, the terminal and the app show the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from roundtable.charts.eval_charts import eval_charts
from roundtable.domain.formatting import format_cost
from roundtable.engine.evaluation.report import EvalReport
from roundtable.engine.evaluation.report_text import (
    TextTable,
    flips_line,
    methods_table,
    paired_tests,
    rounds_table,
    sampling_lines,
    simulated_banner,
    spent_line,
    table_line,
)
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
            _table(rounds_table(report)),
            _table(methods_table(report)),
            _lines(paired_tests(report)),
            _lines([flips_line(report), *sampling_lines(report)]),
            "<h2>Stated confidence</h2>",
            _calibration(report),
            "<h2>Questions</h2>",
            _questions(report),
        ]
    title = f"Evaluation {report.run_id[:8]} · {report.task_name}"
    return page(title, "\n".join(parts), wide=True)


def _summary(report: EvalReport) -> str:
    lines = [
        f"Run <code>{escape(report.run_id[:8])}</code> · {escape(report.task_source)} · "
        f"{report.asked} of {report.total} questions · {escape(report.status.value)}",
        escape(table_line(report)),
        escape(spent_line(report)),
    ]
    if report.budget_usd is not None:
        lines.append(f"Budget: ${report.budget_usd:.2f}")
    html = "<p>" + "<br>".join(lines) + "</p>"
    if report.simulated:
        html += f"<blockquote>{escape(simulated_banner(report))}</blockquote>"
    if report.status_detail:
        html += f"<p><em>{escape(report.status_detail)}</em></p>"
    return html


def _charts(report: EvalReport) -> str:
    """The charts the app shows; a question's point leads to its row in the list below."""
    rows = {q.debate_id: f"#q-{q.item_id}" for q in report.questions if q.debate_id}
    return charts_html(eval_charts(report), link_href=rows.get)


def _table(text: TextTable) -> str:
    """A report table under its title; a cell's tooltip, when it has one, is its title."""
    head = "".join(
        f'<th class="number">{escape(title)}</th>'
        if index >= text.numeric_from
        else f"<th>{escape(title)}</th>"
        for index, title in enumerate(text.headers)
    )
    body = []
    for row_index, row in enumerate(text.rows):
        tips = text.tooltips[row_index] if text.tooltips else ()
        cells = []
        for index, cell in enumerate(row):
            attributes = ' class="number"' if index >= text.numeric_from else ""
            if index < len(tips) and tips[index]:
                attributes += f' title="{escape(tips[index], quote=True)}"'
            cells.append(f"<td{attributes}>{escape(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<h2>{escape(text.title)}</h2>"
        f'<table class="report"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _lines(lines: Sequence[str]) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def _calibration(report: EvalReport) -> str:
    rows = [
        (
            seat.name,
            f"{seat.calibration.answers}",
            f"{seat.calibration.brier:.3f}",
            f"{seat.calibration.ece:.3f}",
        )
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
    table = TextTable("", ("seat", "answers", "Brier", "ECE"), tuple(rows))
    return explained + _table(table).removeprefix("<h2></h2>")


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
