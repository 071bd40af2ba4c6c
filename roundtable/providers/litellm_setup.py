"""The one place litellm is imported, configured for offline, quiet use.

Importing litellm costs about 3 s and 170 MB (docs/notes.md), so nothing imports
it at module level: callers ask `load_litellm()` when they are about to make a call.
Before the import we set `LITELLM_LOCAL_MODEL_COST_MAP` (else litellm fetches its
price map over the network, 9 s when the network does not answer) and
`HF_HUB_OFFLINE` (else `token_counter` may try to download a tokenizer), and
`LITELLM_MODE` to production: in its default "DEV" mode litellm loads a `.env` file
found from the current folder upwards into the environment, so a file the user keeps
for another project would silently change which keys and servers a debate uses.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import os
import sys
import threading
from types import ModuleType
from typing import Any

_lock = threading.Lock()
#: Holds the configured module under "litellm" once loaded.
_loaded: dict[str, ModuleType] = {}

#: Modules litellm imports lazily during its first call (~0.6 s, mostly the OpenAI
#: SDK's resources). Importing them here moves that cost to start-up, so the
#: first turn of the first debate is not the slow one and does not trip a timeout.
_PREWARM = (
    "openai.resources.chat",
    "litellm.proxy._types",
    "litellm._service_logger",
    "litellm.llms.litellm_proxy",
)

_LITELLM_LOGGERS = ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy")


def is_loaded() -> bool:
    """True once litellm has been imported (by us or anybody else) in this process."""
    return bool(_loaded) or "litellm" in sys.modules


def load_litellm() -> ModuleType:
    """Return the litellm module, importing and configuring it on the first call.

    Thread-safe: the engine imports it on a worker thread so its event loop keeps
    running during the 3 s import.
    """
    module = _loaded.get("litellm")
    if module is not None:
        return module
    with _lock:
        if "litellm" not in _loaded:
            _loaded["litellm"] = _import_configured()
        return _loaded["litellm"]


def _import_configured() -> ModuleType:
    # The import makes about 2,700 modules' objects and no garbage: with the collector
    # on, it walked them again and again (load_litellm 2.9 -> 2.6 s of CPU without it,
    # benchmarks/cli_startup.py). Off for the import only, whatever thread asks.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _import_and_prewarm()
    finally:
        # Every object there is now lives as long as the process: out of the
        # collector's sight, a full collection no longer walks litellm's 170 MB, which
        # was half the garbage collection's cost while a long reply streamed
        # (benchmarks/chunk_cost.py).
        gc.freeze()
        # litellm keeps every chunk of a stream until it ends (to log the whole
        # reply), so each collection walks more of them as a reply grows: collecting
        # the young less often took a 12,500-chunk reply's collections from 56 middle
        # and 5 full passes to 3 and 1, and its CPU down by about a tenth.
        gc.set_threshold(10_000, 10, 10)
        if was_enabled:
            gc.enable()


def _import_and_prewarm() -> ModuleType:
    # Forced, not defaulted: a debate must never wait on a download it did not ask for.
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    os.environ["HF_HUB_OFFLINE"] = "1"
    # Keys come from the keyring or the environment the user started us in, never
    # from a `.env` file in whatever folder the command was run from.
    os.environ["LITELLM_MODE"] = "PRODUCTION"
    import litellm

    litellm.suppress_debug_info = True  # else it prints provider lists to stdout
    # Prompts and answers stay out of any log litellm might write.
    litellm.turn_off_message_logging = True
    from roundtable.providers.redaction import RedactingLogFilter

    for name in _LITELLM_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.ERROR)
        for handler in logger.handlers:  # its own filter knows key shapes, not our keys
            handler.addFilter(RedactingLogFilter())
    _register_demo_provider(litellm)
    import openai

    from roundtable.providers import fast_chunks, lenient_sse

    lenient_sse.install(openai)  # a stray non-UTF-8 byte must not end a reply
    fast_chunks.install(openai)  # the SDK's own chunk parsing was 40% of a chunk's cost
    for module in _PREWARM:
        # A litellm release that moved one of these is only slower, not broken.
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    return litellm


def _register_demo_provider(litellm: Any) -> None:
    """Seat the offline demo models on the same litellm path as real ones."""
    from roundtable.providers.demo.provider import make_demo_handler

    others = [item for item in litellm.custom_provider_map if item.get("provider") != "demo"]
    litellm.custom_provider_map = [
        *others,
        {"provider": "demo", "custom_handler": make_demo_handler()},
    ]
    # litellm adds custom providers to its provider list only at the start of a
    # call; doing it now lets token counting and provider lookups know "demo" too.
    litellm.utils.custom_llm_setup()
