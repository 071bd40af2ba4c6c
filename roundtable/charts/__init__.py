"""Charts of debates and evaluation runs, drawn once for the app and the HTML exports.

- `values`: a chart as a pure value (points, intervals, tooltips, links, a caption);
- `debate_charts`, `eval_charts`: those values computed from stored results;
- `figures` (with `marks`): a chart value drawn as a matplotlib Figure, the only
  drawing code; the app shows that Figure on matplotlib's Qt canvas;
- `svg`: the same Figure as inline SVG for the HTML exports;
- `palette`: colours and shapes, and the seat colours the whole app uses.

No Qt here (import-linter forbids it), and matplotlib is imported only when a chart
is drawn: importing this package costs the app nothing at start-up.
"""
