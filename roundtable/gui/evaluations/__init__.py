"""The Evaluations view: stored evaluation runs and, for the one chosen, its report.

`view.EvaluationsView` is the page; `report_view.ReportView` one run's report (verdict,
charts, tables, questions); `reading.RunReader` reads runs off the GUI thread;
`report_text` holds every word and number shown, from `EvalReport`, as the terminal
prints them.
"""
