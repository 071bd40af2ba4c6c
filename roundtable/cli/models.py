"""`roundtable models`: the models you can seat, where each was found, and what every
server asked said.

Models come from `providers.discover`: cloud providers with a key, Ollama (where
OLLAMA_HOST says, else 127.0.0.1:11434), LM Studio, the servers OPENAI_API_BASE and
LITELLM_PROXY_API_BASE name (or the team gateway set in the app: its models with the
prices its /model/info gives), each `--server URL`, and the demo models. A server the
user named (an option or a variable) that cannot be asked is said on stderr and the
command exits 1, after the list of everything else; a `--server` that is not an
address is refused before anything is asked (exit 2). A default port with nothing on
it is normal and only shown as "not running".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rich.console import Console
from rich.table import Table
from rich.text import Text

from roundtable.cli.exits import EXIT_FAILED, EXIT_OK, print_error
from roundtable.domain import ConfigError
from roundtable.domain.formatting import visible_controls

if TYPE_CHECKING:
    from roundtable.engine.evaluation.track_record import ModelRecord
    from roundtable.providers import ModelInfo, ServerCheck

out = Console(highlight=False)

#: How long each server may take to list its models. Local servers answer in
#: milliseconds; this bounds one on the network that says nothing.
LIST_TIMEOUT_S = 2.0

HOW_MODELS_ARE_FOUND = (
    "How models are found: cloud providers by their key (e.g. OPENAI_API_KEY, or the "
    "app's Settings › Providers); Ollama where OLLAMA_HOST says, else 127.0.0.1:11434; "
    "LM Studio on 127.0.0.1:1234; any other server by --server URL or OPENAI_API_BASE; "
    "a team's LiteLLM proxy by LITELLM_PROXY_API_BASE or the app's Settings › Team gateway."
)


def models_command(*, servers: Sequence[str], db: str | None = None, as_json: bool = False) -> int:
    """List the models; return 1 when a server the user named could not be asked."""
    from roundtable.cli import track_records
    from roundtable.providers import discover
    from roundtable.providers.servers import normalise_url, url_problem

    for url in servers:
        problem = url_problem(normalise_url(url))
        if problem is not None:
            raise ConfigError(
                f"--server {url!r} is {problem}: give the server's base URL, "
                "e.g. http://127.0.0.1:8080/v1."
            )
    found = discover(servers, timeout_s=LIST_TIMEOUT_S, servers_via="--server")
    records, note = track_records.load_records(db)
    if as_json:
        print(json.dumps(models_json(found.models, found.servers, records), indent=2))
    else:
        _print_models(found.models, records, note)
        _print_servers(found.servers)
    for check in found.failed:
        print_error(failure_message(check))
    return EXIT_FAILED if found.failed else EXIT_OK


def failure_message(check: ServerCheck) -> str:
    """What went wrong with a server the user named, and what to check."""
    who = "the server" if check.label == "server" else check.label
    where = f"{who} at {check.url} ({_via_words(check.via)})"
    return f"Could not list the models of {where}: {check.explained()}"


def found_at(info: ModelInfo) -> str:
    """Where a model was found, for people: "127.0.0.1:11500 (OLLAMA_HOST)", "keyring"."""
    if info.source == "demo":
        return "built in, simulated"
    if info.source == "configured":
        return f"key: {info.found_via}" if info.found_via else "no key set"
    where = urlsplit(info.api_base or "").netloc or info.api_base or "?"
    return f"{where} ({_via_words(info.found_via)})"


def models_json(
    models: Sequence[ModelInfo],
    servers: Sequence[ServerCheck],
    records: dict[str, ModelRecord],
) -> dict[str, Any]:
    """`roundtable models --json`: each model with where it was found and its record,
    each server asked, and the records of models not on offer now."""
    from roundtable.engine.evaluation.track_record import record_to_dict

    listed = {info.id for info in models}
    return {
        "models": [
            {
                "id": info.id,
                "label": info.label,
                "provider": info.provider,
                "source": str(info.source),
                "found_via": info.found_via or None,
                "needs_key": info.needs_key,
                "key_present": info.key_present,
                "api_base": info.api_base,
                # What the server says the model costs (a team gateway), USD per M tokens.
                "price": (
                    {"in_per_mtok": info.price.in_per_mtok, "out_per_mtok": info.price.out_per_mtok}
                    if info.price is not None
                    else None
                ),
                "track_record": (record_to_dict(records[info.id]) if info.id in records else None),
            }
            for info in models
        ],
        "servers": [
            {
                "url": check.url,
                "label": check.label,
                "kind": check.kind,
                "via": check.via,
                "ok": check.ok,
                "models": len(check.names),
                "problem": check.problem,
            }
            for check in servers
        ],
        "unlisted_track_records": [
            record_to_dict(record) for model, record in records.items() if model not in listed
        ],
    }


def _print_models(models: Sequence[ModelInfo], records: dict[str, ModelRecord], note: str) -> None:
    from roundtable.cli import track_records

    table = Table(box=None, padding=(0, 2), header_style="bold")
    table.add_column("Model", no_wrap=True, overflow="fold")  # an id is copied whole
    table.add_column("Found", overflow="fold")
    table.add_column("Key", no_wrap=True)
    priced = any(info.price is not None for info in models)
    if priced:  # a team gateway gave its prices
        table.add_column("Price in / out per M", no_wrap=True)
    if records:  # no column of dashes before the first evaluation run
        table.add_column("Track record", min_width=20)
    for info in models:
        key = "set" if info.key_present else ("missing" if info.needs_key else "not needed")
        # A server names its own models: shown as text, never read as markup or obeyed.
        cells = [Text(visible_controls(cell)) for cell in (info.id, found_at(info), key)]
        if priced:
            price = info.price
            cells.append(
                Text(f"${price.in_per_mtok:.2f} / ${price.out_per_mtok:.2f}" if price else "—")
            )
        if records:
            cells.append(track_records.record_cell(records.get(info.id)))
        table.add_row(*cells)
    out.print(table)
    others = track_records.unlisted_table(records, {info.id for info in models})
    if others is not None:
        out.print(others)
    if note:
        out.print(Text(note, style="yellow"))


def _print_servers(servers: Sequence[ServerCheck]) -> None:
    """One line per server asked: found, not running, or what went wrong."""
    if not servers:
        return
    out.print()
    out.print(Text("Servers asked", style="bold"))
    for check in servers:
        line = Text("  ")
        if check.ok:
            count = len(check.names)
            line.append("✓ ", style="green")
            state = Text(f"{count} model{'s' if count != 1 else ''}", style="green")
        elif check.absent and not check.named:
            line.append("· ", style="dim")
            state = Text("not running", style="dim")
        else:
            line.append("✗ ", style="red")
            state = Text(visible_controls(check.problem or ""), style="red")
        line.append(f"{check.label} at {check.url} ({_via_words(check.via)}): ")
        line.append_text(state)
        out.print(line)
    out.print(Text(HOW_MODELS_ARE_FOUND, style="dim"))


def _via_words(via: str) -> str:
    return "default address" if via == "default" else via
