"""litellm is loaded only when a call needs it, and then offline, quiet and with the demo seated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_providers_does_not_load_litellm():
    # A fresh interpreter: this test process has litellm loaded already.
    code = (
        "import sys, roundtable.providers as p; "
        "p.check_model_id('openai/gpt-4o', consult_litellm=False); "
        "print('litellm' in sys.modules, 'openai' in sys.modules, p.is_loaded())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "False"]


def test_loaded_litellm_is_offline_quiet_and_knows_the_demo_provider():
    from roundtable.providers import is_loaded, load_litellm

    litellm = load_litellm()

    assert load_litellm() is litellm  # configured once
    assert is_loaded()
    assert os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] == "True"
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert litellm.suppress_debug_info is True
    assert [item["provider"] for item in litellm.custom_provider_map].count("demo") == 1
    assert "demo" in litellm.provider_list


def test_a_dotenv_file_in_the_working_folder_is_not_loaded(tmp_path):
    # litellm's default mode reads `.env` from the current folder upwards into the
    # environment: a project's file would change which key or server a debate uses.
    (tmp_path / ".env").write_text(
        "OPENAI_API_KEY=sk-from-a-dotenv-file\nOPENAI_API_BASE=http://elsewhere\n",
        encoding="utf-8",
    )
    code = (
        "import os; from roundtable.providers import load_litellm; load_litellm(); "
        "print(os.environ.get('OPENAI_API_KEY', '-'), os.environ.get('OPENAI_API_BASE', '-'))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("OPENAI_API_KEY", "OPENAI_API_BASE", "LITELLM_MODE")
    }
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["-", "-"]
