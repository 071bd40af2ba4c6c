"""A real LiteLLM proxy on loopback, for the slow tests and `benchmarks/proxy_overhead.py`.

The proxy (`litellm[proxy]`) lives in its own virtual environment, `.venv-proxy`, which
`make test` builds from `constraints-proxy.txt` (the same litellm as ours): its
dependencies cannot share our venv (it pins rich < 14, we pin rich 15).
ROUNDTABLE_LITELLM_PROXY names another `litellm` command.

    with LiteLLMProxy(models, master_key="sk-...") as proxy:
        proxy.url  # http://127.0.0.1:<port>

`models` is the config's `model_list` (LiteLLM's own format); the config is written
as JSON, which YAML reads as it is. The proxy has no database: its budgets are
per-model (`litellm_params.max_budget` + `budget_duration`, enforced in memory).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
PROXY_ENV = "ROUNDTABLE_LITELLM_PROXY"
#: A cold start on a loaded two-core machine was measured at ~35 s (the import alone
#: ~20 s); this allows for worse, and a proxy that dies is noticed at once anyway.
START_TIMEOUT_S = 180.0


def proxy_command() -> Path | None:
    """The `litellm` command of the proxy's venv, or None when it is not built."""
    named = os.environ.get(PROXY_ENV)
    path = Path(named) if named else ROOT / ".venv-proxy" / "bin" / "litellm"
    return path if path.is_file() else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiteLLMProxy:
    """`litellm --config` on 127.0.0.1, started on enter and stopped on exit."""

    def __init__(
        self,
        models: list[dict[str, Any]],
        *,
        master_key: str,
        router_settings: dict[str, Any] | None = None,
    ) -> None:
        command = proxy_command()
        if command is None:
            raise FileNotFoundError(
                "No LiteLLM proxy: run `make proxy-venv` (or set ROUNDTABLE_LITELLM_PROXY)."
            )
        self.command = command
        self.master_key = master_key
        self.port = free_port()
        self.config: dict[str, Any] = {
            "model_list": models,
            "general_settings": {"master_key": master_key},
            "litellm_settings": {"drop_params": True},
            # One try per request: a refusal reaches the client as the proxy said it.
            "router_settings": {"num_retries": 0, **(router_settings or {})},
        }
        self._folder = tempfile.TemporaryDirectory(prefix="roundtable-proxy-")
        self._process: subprocess.Popen[bytes] | None = None
        self.started_in_s = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> str:
        """What the proxy printed (for a failing test's message)."""
        path = Path(self._folder.name) / "proxy.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def __enter__(self) -> LiteLLMProxy:
        folder = Path(self._folder.name)
        config = folder / "config.yaml"
        config.write_text(json.dumps(self.config, indent=1), encoding="utf-8")
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("LITELLM_PROXY_", "OPENAI_", "DATABASE_URL"))
        }
        env |= {
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            "NO_DOCS": "True",
            "DISABLE_ADMIN_UI": "True",
        }
        started = time.perf_counter()
        with (folder / "proxy.log").open("wb") as log:
            self._process = subprocess.Popen(
                [str(self.command), "--config", str(config), "--host", "127.0.0.1",
                 "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=folder,
            )  # fmt: skip
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self.started_in_s = time.perf_counter() - started
        return self

    def _wait_until_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        with httpx.Client(trust_env=False, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self._process.poll() is not None:
                    raise RuntimeError(f"The LiteLLM proxy exited at start:\n{self.log[-3000:]}")
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{self.url}/health/liveliness").status_code == 200:
                        return
                time.sleep(0.2)
        raise TimeoutError(f"The LiteLLM proxy did not start in {START_TIMEOUT_S:g} s")

    def __exit__(self, *_exc: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._folder.cleanup()

    def post_chat(self, model: str, *, key: str | None = None) -> httpx.Response:
        """One plain (not streamed) chat request, as any client of the team would send."""
        with httpx.Client(trust_env=False, timeout=60.0) as client:
            return client.post(
                f"{self.url}/v1/chat/completions",
                headers={"Authorization": f"Bearer {key or self.master_key}"},
                json={"model": model, "messages": [{"role": "user", "content": "hi"}]},
            )
