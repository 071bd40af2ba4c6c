"""Exports show what the protocols record: ranks, the chair, decisions, disputes, flags."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from roundtable.domain import ConsensusRule, Event
from roundtable.engine.protocols.ranking import anonymise
from roundtable.export import export_debate
from roundtable.storage import Database, load_debate, load_events, open_database
from tests.engine.protocol_kit import run, spec_for
from tests.engine.scripted import ScriptedGateway, answer_text, reply
from tests.helpers.events import record

IDS = ["ada", "bob", "cy"]


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    database = open_database(tmp_path / "export.db")
    yield database
    database.close()


def exported(db: Database, events: list[Event], fmt: str) -> str:
    record(db, events)
    debate_id = events[0].debate_id
    return export_debate(load_debate(db, debate_id), load_events(db, debate_id), fmt)


async def council_events() -> list[Event]:
    gateway = ScriptedGateway()
    for seat in IDS:
        gateway.enqueue(seat, reply(answer_text("41" if seat == "bob" else "42", 0.8)))
    for seat in IDS:
        letter = {s: label for label, s in anonymise(IDS, seat, 7).order}
        ranking = "\n".join(
            f"{n}. Response {letter[s]}" for n, s in enumerate(["cy", "ada", "bob"], 1)
        )
        gateway.enqueue(seat, reply(answer_text("42", 0.9, f"FINAL RANKING:\n{ranking}")))
    gateway.enqueue("cy", reply(answer_text("42", 0.95, "The council's synthesis.")))
    return await run(spec_for("council", chair="elected"), gateway)


async def test_a_council_export_shows_the_rank_table_the_reviews_and_the_chair(db) -> None:
    md = exported(db, await council_events(), "md")

    assert "**Chair:** elected" in md
    table = "| Seat | Average rank (1 = best) |\n| --- | ---: |\n"
    assert table + "| Cy | 1.00 |\n| Ada | 2.00 |\n| Bob | 3.00 |" in md
    assert "| Reviewer | Ranking, best first |" in md
    assert "| Ada | Cy > Ada > Bob |" in md
    assert "**Ranked:** Cy > Ada > Bob" in md  # on each review itself
    assert "**Decision:** Synthesis by the chair Cy (elected: best average rank 1.00)" in md
    assert "The council's synthesis." in md
    assert md.index("## Round 3") < md.index("The council's synthesis.")


async def test_the_html_export_carries_the_same_tables(db) -> None:
    page = exported(db, await council_events(), "html")
    assert "Average rank (1 = best)</th>" in page
    assert "<td>Cy &gt; Ada &gt; Bob</td>" in page
    assert "Synthesis by the chair Cy" in page


async def test_judged_rounds_show_the_decision_the_disputes_and_the_capitulations(db) -> None:
    essay = "Use PostgreSQL because the team knows it and it scales for years to come here"
    judged = "Agreement: 0.6\nDisputed:\n- <script>which database</script>\nCommon position: none"
    agreed = "Agreement: 0.9\nDisputed: none\nCommon position: Use PostgreSQL"
    gateway = ScriptedGateway()
    # Ada answers, then judges each round (no judge named: the first seat judges).
    turn = reply(answer_text(essay, 0.8))
    gateway.enqueue("ada", turn, reply(judged), turn, reply(agreed))
    gateway.enqueue("bob", reply(answer_text(essay + " too", 0.8)), turn)
    gateway.enqueue(
        "cy", reply(answer_text("Use SQLite", 0.6)), reply(answer_text(essay, 0.8, "Fine."))
    )
    spec = spec_for("debate", max_rounds=2, consensus=ConsensusRule(0.8))

    events = await run(spec, gateway)
    md = exported(db, events, "md")

    assert "**Decision:** agreement 60% (judged by Ada)" in md
    assert "**Still disputed:**\n\n- &lt;script>which database&lt;/script>" in md
    assert "*Capitulation: switched to the majority's answer without a new argument.*" in md
    page = exported_again = export_debate(
        load_debate(db, events[0].debate_id), load_events(db, events[0].debate_id), "html"
    )
    assert "<script" not in exported_again
    assert "Capitulation" in page
    archive = json.loads(
        export_debate(
            load_debate(db, events[0].debate_id), load_events(db, events[0].debate_id), "json"
        )
    )
    logged = [e for e in archive["events"] if e["type"] == "RoundFinished"]
    assert logged[0]["disputed"] == ["<script>which database</script>"]
