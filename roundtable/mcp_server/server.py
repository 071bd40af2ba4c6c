"""The MCP server: Roundtable's tools, described for the model that calls them.

Built on the official SDK's `MCPServer`. The tools are thin: each calls one function
of `asking`, `stored` or `evals` and passes its result through `guard` (Roundtable's
errors as tool errors with the CLI's message; nothing key-like in a result).

No `from __future__ import annotations` here: the SDK reads the tools' parameter
types at run time to write their JSON schemas.
"""

import importlib.metadata
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from roundtable.domain import ConfigError
from roundtable.mcp_server import asking, evals, stored
from roundtable.mcp_server.guard import guarded

INSTRUCTIONS = """\
Roundtable seats several language models at a round table: they answer a question,
read each other's answers, critique and revise, and the table votes. Use ask_table
for a question worth several opinions (arithmetic, facts, judgement calls); it returns
the final answer, whether the table agreed, the vote and where the seats disagreed.
Every debate is stored: list_debates and show_debate read them back. start_eval
measures whether the table beats its single models on a question set; eval_results
reads the report."""

Seats = Annotated[
    list[asking.SeatChoice | str] | None,
    Field(
        description="The seats, in order: model ids as litellm spells them "
        '("openai/gpt-4o", "anthropic/claude-sonnet-4-5", "ollama/llama3.1"), or '
        '"NAME=MODEL", or objects {model, name, api_base} for a model on a server of '
        'your own. "demo/ada", "demo/basil", "demo/cyra" are offline simulated models. '
        "Give seats or panel.",
    ),
]
Panel = Annotated[
    str | None,
    Field(description="The name of a table saved in Roundtable (or a panel file's path)."),
]
Protocol = Annotated[
    str | None,
    Field(
        description="roundtable (default: answer, critique, revise, confidence-weighted "
        "vote), debate, council, mixture or moderated."
    ),
]
Rounds = Annotated[int | None, Field(description="Rounds at most (default 3).")]
Budget = Annotated[
    float | None,
    Field(
        description="US dollars the debate may cost at most; a round that would cross "
        "it is not started."
    ),
]

#: For a client that asks its person before a tool acts: these only read the database.
_READS = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
#: These call the seated models (and spend on their keys) and store what they say.
_CALLS_MODELS = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=True)


def build_server(db: str | None) -> MCPServer[None]:
    """The server over the database at `db` (None: the default, as for the CLI)."""
    sittings = evals.Sittings()
    server: MCPServer[None] = MCPServer(
        name="roundtable",
        title="Roundtable",
        instructions=INSTRUCTIONS,
        version=importlib.metadata.version("roundtable"),
        lifespan=sittings.lifespan,
        log_level="WARNING",
    )

    @server.tool(title="Ask the round table", annotations=_CALLS_MODELS)
    async def ask_table(
        question: Annotated[str, Field(description="The question (Markdown allowed).")],
        ctx: Context,
        *,
        seats: Seats = None,
        panel: Panel = None,
        protocol: Protocol = None,
        rounds: Rounds = None,
        budget_usd: Budget = None,
    ) -> dict[str, Any]:
        """Ask several models one question; they debate it in rounds and vote.

        Returns the final answer, whether the table agreed, the vote, where the seats
        disagreed, the cost in USD and the debate id (for show_debate; the debate
        also opens in the Roundtable app). Progress is reported after each round.
        `simulated` names seats that are offline demo models: say so when you pass
        their answer on, it is not a real model's.
        """
        question_asked = asking.Question(
            text=question,
            seats=tuple(seats or ()),
            panel=panel,
            protocol=protocol,
            rounds=rounds,
            budget_usd=budget_usd,
        )

        async def report(done: float, total: float, message: str) -> None:
            await ctx.report_progress(done, total, message)

        return await guarded(lambda: asking.ask(question_asked, db, report))

    @server.tool(title="List or search stored debates", annotations=_READS)
    async def list_debates(
        search: Annotated[
            str | None,
            Field(description="Words to find in questions and answers; none: the newest."),
        ] = None,
        limit: Annotated[int, Field(ge=1, le=stored.MOST)] = 20,
    ) -> dict[str, Any]:
        """Stored debates, newest first (or best match first), with their final answers."""
        return await guarded(_off_loop(lambda: stored.list_or_search(db, search, limit)))

    @server.tool(title="Show a stored debate", annotations=_READS)
    async def show_debate(
        debate_id: Annotated[str, Field(description="A debate id, or its first characters.")],
    ) -> dict[str, Any]:
        """One stored debate: each round's answers and confidences, the vote, the
        final answer, tokens and cost."""
        return await guarded(_off_loop(lambda: stored.show(db, debate_id)))

    @server.tool(title="Start an evaluation run", annotations=_CALLS_MODELS)
    async def start_eval(
        task: Annotated[
            str,
            Field(
                description="A built-in task (arithmetic, gsm8k-sample, …) or a question "
                "file's path (.jsonl, .csv)."
            ),
        ],
        *,
        seats: Seats = None,
        panel: Panel = None,
        protocol: Protocol = None,
        rounds: Rounds = None,
        limit: Annotated[int | None, Field(ge=1, description="Ask only this many.")] = None,
        seed: int = 0,
        concurrency: Annotated[int, Field(ge=1, le=64)] = 4,
        budget_usd: Budget = None,
        baselines: Annotated[
            str, Field(description='Comma-separated: seats, majority, self-consistency, or "none".')
        ] = "seats,majority",
    ) -> dict[str, Any]:
        """Start measuring whether the table beats its single models on a question
        set; returns the run id at once (the run goes on in the background) for
        eval_results. The same settings again resume an unfinished run."""

        def start() -> dict[str, Any]:
            if not seats and not panel:
                raise ConfigError(asking.NO_TABLE)
            request = evals.eval_request(
                task,
                seats=[_seat_option(seat) for seat in seats or ()],
                panel=panel,
                protocol=protocol,
                rounds=rounds,
                limit=limit,
                seed=seed,
                concurrency=concurrency,
                budget_usd=budget_usd,
                baselines=baselines,
                db=db,
            )
            return evals.start(request, sittings)

        return await guarded(_now(start))

    @server.tool(title="Read an evaluation run's results", annotations=_READS)
    async def eval_results(
        run_id: Annotated[str, Field(description="A run id, or its first characters.")],
        questions: Annotated[bool, Field(description="Also every question's row.")] = False,
    ) -> dict[str, Any]:
        """An evaluation run's report so far: status, questions asked, the table's and
        each baseline's accuracy with intervals, rounds, cost."""
        return await guarded(_off_loop(lambda: evals.results(db, run_id, with_questions=questions)))

    return server


def _seat_option(seat: asking.SeatChoice | str) -> str:
    """A seat as `roundtable eval --seat` takes it."""
    if isinstance(seat, str):
        return seat
    if seat.api_base:
        raise ConfigError(
            "an evaluation's seats take no api_base; save the table with its servers in "
            "Roundtable and give its name as panel"
        )
    return f"{seat.name}={seat.model}" if seat.name else seat.model


Work = Callable[[], dict[str, Any]]


def _now(work: Work) -> Callable[[], Awaitable[dict[str, Any]]]:
    """Quick work on the event loop (it starts a task there), as an awaitable."""

    async def run() -> dict[str, Any]:
        return work()

    return run


def _off_loop(work: Work) -> Callable[[], Awaitable[dict[str, Any]]]:
    """A read of the database on a worker thread (its connection opened, used and
    closed there), so a long search does not hold up a debate streaming meanwhile."""

    async def run() -> dict[str, Any]:
        return await anyio.to_thread.run_sync(work)

    return run


Transport = Literal["stdio", "streamable-http"]


def serve(db: str | None, *, transport: Transport = "stdio", port: int = 8765) -> None:
    """Serve until the client leaves (stdio) or the process is stopped (HTTP, bound
    to 127.0.0.1 only: the tools spend the person's keys).

    Stopped with Ctrl+C or SIGTERM, KeyboardInterrupt is raised once the debates in
    progress are stored as cancelled; `unfinished_debates` names them."""
    server = build_server(db)
    if transport != "stdio":
        server.run("streamable-http", host="127.0.0.1", port=port)
        return
    try:
        server.run("stdio")
    except* BrokenPipeError:
        # The client went away without a word (it crashed, or was killed) while a
        # reply was on its way: a normal end for a server. A debate it had asked
        # for was cancelled and stored, resumable.
        pass


def unfinished_debates() -> list[str]:
    """The debates a stopped server left cancelled and resumable (`asking`)."""
    return asking.unfinished_debates()
