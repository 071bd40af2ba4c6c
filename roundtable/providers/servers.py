"""Asking a model server which models it serves, and saying what went wrong when it
cannot say.

Two kinds of server are asked:
- Ollama, natively: `GET /api/tags`; its models are seated as `ollama_chat/<name>`;
- any OpenAI-compatible server (LM Studio, vLLM, llama.cpp, a LiteLLM proxy):
  `GET /v1/models`, or `GET /models` under a base that already ends in `/v1`; its
  models are seated as `openai/<name>` with the server's `api_base` (or as
  `litellm_proxy/<name>` for the proxy named by LITELLM_PROXY_API_BASE).

Each probe returns a `ServerCheck`: the models, or in a few words why there are
none ("connection refused", "answered HTTP 500", "not an http:// address"). Whether
that is worth telling the user is the caller's choice: a default port with nothing
on it is normal, a server the user named that fails is not.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

ServerKind = Literal["ollama", "openai"]

#: What a server that wants a key answers a caller without one: a LiteLLM proxy
#: without a database says 500 to no key at all and 400 to a wrong one (1.106).
_KEY_STATUSES = (400, 401, 403, 500)


@dataclass(frozen=True, slots=True)
class ServerCheck:
    """What one server said when asked for its models."""

    url: str  # the address as given, normalised ("http://" added, no trailing "/")
    kind: ServerKind
    #: Who named it: "--server", a variable ("OLLAMA_HOST"), "Settings", or "default".
    via: str
    #: What it is, for people: "Ollama", "LM Studio", "LiteLLM proxy", "server".
    label: str = "server"
    #: The models' names as the server lists them (with the base they answered on).
    names: tuple[str, ...] = ()
    api_base: str | None = None
    #: Why it could not list its models, in a few words; None when it did.
    problem: str | None = None
    #: A server that is simply not there (refused, unknown host) rather than broken.
    absent: bool = False
    #: The HTTP status of an error answer (500), None for any other failure.
    status: int | None = None
    #: The request carried a key (`keys.server_key`).
    sent_key: bool = False
    #: The variable whose key goes to this server.
    key_var: str = "OPENAI_API_KEY"

    @property
    def ok(self) -> bool:
        return self.problem is None

    def explained(self) -> str:
        """What went wrong and what to check, for the terminal and the app alike
        ("" when the server listed its models)."""
        if self.problem is None:
            return ""
        if self.status is None:
            what = f"could not connect ({self.problem})" if self.absent else self.problem
            return f"{what} — is the server running? Is the address right?"
        if self.status == 404:
            usual = "" if self.url.endswith("/v1") else " (it usually ends in /v1)"
            return f"it {self.problem} — is this the server's API address{usual}?"
        if self.kind == "ollama" or self.status not in _KEY_STATUSES:
            return f"it {self.problem}."
        if self.sent_key:
            return f"it {self.problem}. Check the key sent to it ({self.key_var})."
        return (
            f"it {self.problem}. No key was sent: if it needs one, set {self.key_var} "
            "(sent to a server on this machine, or to the one its address variable names)."
        )

    @property
    def named(self) -> bool:
        """The user pointed at this server (an option, a variable, a setting)."""
        return self.via != "default"


def normalise_url(url: str) -> str:
    """`url` with a scheme and no trailing slash: "localhost:8080/" -> "http://localhost:8080"."""
    url = url.strip().rstrip("/")
    return url if "//" in url else f"http://{url}"


def url_problem(url: str) -> str | None:
    """Why `url` (normalised) is not an address a server can be asked at; None if it is."""
    if any(c.isspace() or not c.isprintable() for c in url):
        return "not an address (it contains spaces or control characters)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "not an address (its port is not a number)"
    if parts.scheme.lower() not in ("http", "https"):
        return "not an http:// or https:// address"
    if not parts.hostname:
        return "not an address (no host name)"
    return None


async def probe(
    client: Any,
    url: str,
    kind: ServerKind,
    *,
    via: str,
    label: str | None = None,
    headers: dict[str, str] | None = None,
    key_var: str = "OPENAI_API_KEY",
    timeout_s: float = 1.0,
) -> ServerCheck:
    """Ask the server at `url` for its models; never raises for the server's faults."""
    base = normalise_url(url)
    label = label or ("Ollama" if kind == "ollama" else "server")
    sent_key = bool(headers and headers.get("Authorization"))
    problem = url_problem(base)
    if problem is not None:
        return ServerCheck(base, kind, via, label, problem=problem, key_var=key_var)
    if kind == "ollama":
        candidates = [(base, f"{base}/api/tags")]
    elif base.endswith("/v1"):
        candidates = [(base, f"{base}/models")]
    else:
        candidates = [(f"{base}/v1", f"{base}/v1/models"), (base, f"{base}/models")]
    first: _Answer | None = None
    for api_base, address in candidates:
        answer = await _get_json(client, address, headers or {}, timeout_s)
        if answer.problem is None:
            names = _names(answer.data, kind)
            if names is not None:
                return ServerCheck(
                    base,
                    kind,
                    via,
                    label,
                    names=names,
                    api_base=api_base,
                    sent_key=sent_key,
                    key_var=key_var,
                )
            answer = _Answer(problem=f"{address} did not answer with a model list")
        first = first or answer
        if answer.absent:
            break  # the host is not there: another path on it will not be either
    assert first is not None
    return ServerCheck(
        base,
        kind,
        via,
        label,
        problem=first.problem,
        absent=first.absent,
        status=first.status,
        sent_key=sent_key,
        key_var=key_var,
    )


def _names(data: Any, kind: ServerKind) -> tuple[str, ...] | None:
    """The model names in a listing, or None when it is not one."""
    entries = data.get("models" if kind == "ollama" else "data") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return None
    name_field = "name" if kind == "ollama" else "id"
    names = (e.get(name_field) for e in entries if isinstance(e, dict))
    return tuple(name for name in names if isinstance(name, str) and name)


@dataclass(frozen=True, slots=True)
class _Answer:
    """One GET: its JSON, or why there is none."""

    data: Any = None
    problem: str | None = None
    absent: bool = False  # nothing there: refused, unknown host
    status: int | None = None  # the HTTP status of an error answer


async def _get_json(client: Any, url: str, headers: dict[str, str], timeout_s: float) -> _Answer:
    import httpx

    try:
        response = await client.get(url, headers=headers)
    except httpx.ConnectError as exc:
        return _Answer(problem=_connect_problem(exc), absent=True)
    except httpx.TimeoutException:
        return _Answer(problem=f"no answer within {timeout_s:g} s")
    except (httpx.HTTPError, OSError) as exc:
        return _Answer(problem=f"the connection failed ({type(exc).__name__})")
    status = response.status_code
    if status != 200:
        said = f"answered HTTP {status} {response.reason_phrase or ''}".rstrip()
        return _Answer(problem=said + _said(response), status=status)
    try:
        return _Answer(data=response.json())
    except ValueError:
        kind = response.headers.get("content-type", "").split(";")[0] or "something else"
        return _Answer(problem=f"{url} answered with {kind}, not JSON")


def _connect_problem(exc: BaseException) -> str:
    """ "connection refused" or "unknown host", read from the causes under httpx's error."""
    from roundtable.providers.exception_chain import cause_chain

    seen = list(cause_chain(exc))
    if any(isinstance(e, socket.gaierror) for e in seen):
        return "unknown host"
    if any(isinstance(e, ConnectionRefusedError) for e in seen):
        return "connection refused"
    text = " ".join(str(e) for e in seen).lower()
    if "name or service not known" in text or "nodename nor servname" in text:
        return "unknown host"
    return "could not connect"


def _said(response: Any) -> str:
    """The server's own words about an error, shortened: ' (it said: "...")' or ''."""
    from roundtable.providers.errors import scrub

    try:
        body = response.json()
    except ValueError:
        return ""
    inner = body.get("error", body) if isinstance(body, dict) else body
    message = inner.get("message") if isinstance(inner, dict) else inner
    if not isinstance(message, str) or not message.strip():
        return ""
    message = " ".join(message.split())
    if len(message) > 160:
        message = message[:159] + "…"
    return f' (it said: "{scrub(message)}")'
