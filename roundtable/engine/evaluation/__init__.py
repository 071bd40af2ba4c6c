"""The evaluation harness's pure foundation: task sources, scoring, statistics, sizing.

- `tasks`: the built-in arithmetic generator, task files (format detected by content)
  and the bundled samples; a malformed file is refused before any model is called.
- `task_formats`: the readers of each file format, line numbers in every error.
- `scoring`: a seat's or the table's answer checked against an item's gold answer.
- `stats`: Wilson intervals, McNemar's exact test, calibration, debate flips, cost per
  correct answer.
- `sizing`: how many self-consistency samples cost about as much as the table.
"""
