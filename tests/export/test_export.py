"""Exports of a stored debate: what a reader of each file sees, and what it cannot do."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator

import pytest

from roundtable.domain import ConfigError, DebateCancelled, DebateStarted, Event, TurnFinished
from roundtable.export import EXPORT_FORMATS, export_debate
from roundtable.export.markdown import nest_model_text
from roundtable.storage import (
    ARCHIVE_FORMAT,
    Database,
    DebateRecord,
    events_from_archive,
    load_debate,
    load_events,
    open_database,
)
from tests.helpers.debates import finished_debate
from tests.helpers.events import record, without_deltas

HOSTILE_TEXT = """Here is my answer, with a few surprises.

<script>alert("owned")</script>

<img src="http://tracker.example/pixel.png">

![chart](http://tracker.example/chart.png) and ![ok](data:image/png;base64,iVBORw0KGgo=)

[click me](javascript:alert(1)) or [the source](https://en.wikipedia.org/wiki/Order_of_operations)

<a href="javascript:alert(2)" onclick="alert(3)">raw link</a>

```python
print(17 * 23)
```

Final answer: 281 (confidence 0.9)"""


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    database = open_database(tmp_path / "export.db")
    yield database
    database.close()


def _stored(db: Database, events: list[Event]) -> tuple[DebateRecord, list[Event]]:
    record(db, events)
    debate_id = events[0].debate_id
    return load_debate(db, debate_id), load_events(db, debate_id)


def _with_bea_text(events: list[Event], text: str) -> list[Event]:
    """The same debate, with Bea's round-0 text replaced (as a hostile model would)."""
    changed = []
    for event in events:
        if isinstance(event, TurnFinished) and (event.round, event.seat_id) == (0, "bea"):
            fields = {name: getattr(event, name) for name in event.__dataclass_fields__}
            event = TurnFinished(**{**fields, "text": text})  # noqa: PLW2901
        changed.append(event)
    return changed


def test_every_format_is_offered_and_others_are_refused(db: Database):
    stored, events = _stored(db, finished_debate())
    assert EXPORT_FORMATS == ("md", "html", "json")
    with pytest.raises(ConfigError, match="md, html, json"):
        export_debate(stored, events, "pdf")


def test_markdown_tells_the_whole_debate(db: Database):
    stored, events = _stored(db, finished_debate())
    md = export_debate(stored, events, "md")
    assert md.startswith("# What is 12+17\\*23+4-9\\*14?")
    assert "> What is 12+17\\*23+4-9\\*14?" in md  # the question, literally
    assert "**Final answer:** 281" in md
    assert "confidence-weighted vote (ReConcile): 281 has 1.8 of 1.8" in md
    assert "| Ada | `demo/ada` | 490 tokens · free | **simulated demo model**" in md
    assert "| Cy | `openai/mystery-7b` | 155 tokens · cost unknown |" in md
    assert md.index("## Round 1") < md.index("## Round 2") < md.index("## Result")
    assert "**Agreement:** 67%" in md
    # Each round's total: unknown while an unpriced seat took part, then known.
    assert "**Leading answer:** 281 · **Round total:** 480 tokens · cost unknown" in md
    assert "**Round total:** 665 tokens · $0.0034" in md
    assert "**Answer:** 280 · confidence 50%" in md
    assert "$0.0021" in md  # Bea's known price
    assert "Incomplete: the stream was cut" in md
    assert "**Failed** (rate\\_limit): Cy: rate limited" in md
    # Cy's price is unknown: the totals say so rather than pretend it was free.
    assert "**Cost:** unknown" in md
    assert "cost unknown" in md
    assert "**Tokens:** 1,145" in md


def test_markdown_of_a_cancelled_debate_has_no_final_answer(db: Database):
    events = finished_debate("cancelled")[:-3]
    last = events[-1]
    events.append(DebateCancelled(debate_id="cancelled", seq=last.seq + 1, at=last.at))
    stored, logged = _stored(db, events)
    md = export_debate(stored, logged, "md")
    assert "No final answer: the debate was cancelled" in md
    assert "**Cancelled:** stopped by the user" in md
    assert "**Final answer:**" not in md


def test_model_headings_stay_below_the_turn_and_fences_are_closed():
    nested = nest_model_text("# Big\n\n```\n# not a heading\n")
    assert nested.splitlines() == ["#### Big", "", "```", "# not a heading", "```"]


def test_html_is_self_contained_and_locked_down(db: Database):
    stored, events = _stored(db, finished_debate())
    page = export_debate(stored, events, "html")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    assert "default-src 'none'; style-src 'unsafe-inline'; img-src data:" in csp.group(1)
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.split("<main>")[0])
    assert "@media (prefers-color-scheme: dark)" in page
    assert "<title>What is 12+17*23+4-9*14?" in page
    assert "<td><strong>simulated demo model</strong>" in page
    assert "<blockquote>\n<p>What is 12+17*23+4-9*14?" in page  # no stray emphasis
    assert "<h2>Round 1</h2>" in page
    assert "<strong>Final answer:</strong> 281" in page


def test_html_sanitises_hostile_model_text(db: Database):
    stored, events = _stored(db, _with_bea_text(finished_debate(), HOSTILE_TEXT))
    page = export_debate(stored, events, "html")
    main = page.split("<main>", 1)[1]

    assert "<script" not in page.lower()
    assert 'alert("owned")' not in page  # a script's content goes with it
    assert 'src="http' not in page
    assert "tracker.example" not in page
    assert "javascript:" not in page
    assert "onclick" not in page
    assert 'href="https://en.wikipedia.org/wiki/Order_of_operations"' in main
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in main
    assert "Here is my answer, with a few surprises." in main
    assert "[image not shown: chart]" in main  # the reader learns something was there
    assert "<h2>Round 1</h2>" in main  # the rest of the debate still renders
    assert re.search(r'<span style="color: ?#', main)  # code is coloured inline


def test_a_turn_cannot_break_the_page_around_it(db: Database):
    unclosed = "<div>\n\nStarts a block and <b>bold text that never ends\n\n# A big heading"
    stored, events = _stored(db, _with_bea_text(finished_debate(), unclosed))
    page = export_debate(stored, events, "html")
    assert "<h2>Round 1</h2>" in page
    assert "<h3>Cy</h3>" in page  # the turn after Bea's is still a turn
    after_bea = page.split("<h3>Cy</h3>", 1)[1]
    assert "<b>" not in after_bea  # the bold did not leak
    assert "<h1>" not in page.split("<h1>", 1)[1]  # only the title is a top heading


def test_json_is_the_archive_and_round_trips(db: Database):
    original = finished_debate()
    stored, events = _stored(db, original)
    document = json.loads(export_debate(stored, events, "json"))
    assert (document["format"], document["version"]) == (ARCHIVE_FORMAT, 1)
    assert document["debate"]["result"]["final_answer"] == "281"
    assert document["debate"]["result"]["cost_usd"] is None  # unknown, not 0
    assert [s["simulated"] for s in document["debate"]["seats"]] == [True, False, False]
    assert events_from_archive(document) == without_deltas(original)


def test_demo_seats_are_labelled_simulated_in_every_format(db: Database):
    stored, events = _stored(db, finished_debate())
    for fmt in EXPORT_FORMATS:
        assert "simulated" in export_debate(stored, events, fmt), fmt


def test_html_keeps_the_line_breaks_of_an_answer(db: Database):
    # Models write "Final answer" and "Confidence" on lines of their own; a page that
    # ran them together into one sentence would misquote the model.
    answer = "Precedence first: 17*23 = 391.\nFinal answer: 281\nConfidence: 0.9"
    stored, events = _stored(db, _with_bea_text(finished_debate(), answer))
    page = export_debate(stored, events, "html")
    assert re.search(r"Final answer: 281<br ?/?>\s*Confidence: 0\.9", page)


def test_html_colours_code_with_the_app_dialect_and_no_guessing(db: Database):
    code = "```python\nprint(17 * 23)\n```\n\n```\nplain = 1\n```"
    stored, events = _stored(db, _with_bea_text(finished_debate(), code))
    main = export_debate(stored, events, "html").split("<main>", 1)[1]
    assert re.search(r'<span style="color: ?#[0-9a-f]+[^"]*">print</span>', main)
    assert "plain = 1" in main  # an unnamed language is shown as it is, not guessed


def test_the_round_count_is_the_protocols_not_max_rounds(db: Database):
    # A council runs three stages whatever max_rounds says; "2 of 5" promised rounds
    # that could never come.
    events = finished_debate()
    started = events[0]
    assert isinstance(started, DebateStarted)
    council = dataclasses.replace(started.spec, protocol="council", max_rounds=5)
    stored, events = _stored(db, [dataclasses.replace(started, spec=council), *events[1:]])
    assert "**Rounds:** 2 of 3" in export_debate(stored, events, "md")


def test_a_seat_priced_by_the_user_and_the_budget_are_in_the_export(db: Database):
    stored, events = _stored(db, finished_debate())
    spec = stored.spec
    bea = dataclasses.replace(spec.seat("bea"), price_in_per_mtok=0.2, price_out_per_mtok=0.6)
    seats = tuple(bea if seat.id == "bea" else seat for seat in spec.seats)
    priced = dataclasses.replace(stored, spec=dataclasses.replace(spec, seats=seats, budget_usd=2))

    md = export_debate(priced, events, "md")

    assert "your price: $0.20 / $0.60 per M tokens in / out" in md
    assert "**Budget:** $2.00" in md


def test_markdown_and_html_hold_no_raw_escape_sequence(db: Database):
    # Retitle the terminal, clear it, and a hyperlink, as a hostile model might write.
    hostile = "Six.\x1b]0;owned\x07 \x1b[2J\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\ 42"
    stored, events = _stored(db, _with_bea_text(finished_debate(), hostile))
    for fmt in ("md", "html"):
        text = export_debate(stored, events, fmt)
        assert "\x1b" not in text
        assert "\x07" not in text
        assert "␛]0;owned␇" in text  # shown, so a reader sees what the model sent
    # The archive keeps the text exactly (JSON escapes it), so an import gives it back.
    assert "\\u001b]0;owned\\u0007" in export_debate(stored, events, "json")
