"""The one Markdown dialect: a converter per caller, the same reading of model text."""

from __future__ import annotations

from roundtable.export.markdown_dialect import convert, new_converter


def _boxed(code: str, background: str) -> str:
    return f"<box bg='{background}'>{code}</box>"


def test_single_newlines_are_line_breaks_and_fences_are_boxed():
    md = new_converter(code_style="default", code_box=_boxed, raw_html=False)
    html = convert(md, "Final answer: 5\nConfidence: 0.9\n\n```python\nx = 1\n```")
    assert "Final answer: 5<br>\nConfidence: 0.9" in html
    assert "<box bg='#f8f8f8'>" in html
    assert "<pre>" not in html  # the box replaces the fenced block


def test_raw_html_is_text_only_when_refused():
    refused = new_converter(code_style="default", code_box=_boxed, raw_html=False)
    kept = new_converter(code_style="default", code_box=_boxed, raw_html=True)
    assert "&lt;b&gt;" in convert(refused, "a <b>bold</b> claim")
    assert "<b>bold</b>" in convert(kept, "a <b>bold</b> claim")


def test_a_converter_starts_clean_for_each_text():
    md = new_converter(code_style="default", code_box=_boxed, raw_html=False)
    convert(md, "[a]: https://example.org\n\nsee [a]")
    # The reference defined in the first text must not resolve in the second.
    assert "href" not in convert(md, "see [a]")
