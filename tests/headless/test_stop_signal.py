"""SIGTERM handled as Ctrl+C only while a command runs; the handler before comes back."""

from __future__ import annotations

import signal

import pytest

from roundtable.headless.stop_signal import sigterm_as_ctrl_c, stopped_by_sigterm


def test_sigterm_inside_the_block_is_ctrl_c_and_the_old_handler_comes_back():
    before = signal.getsignal(signal.SIGTERM)
    with sigterm_as_ctrl_c():
        assert not stopped_by_sigterm()
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGTERM)

    assert stopped_by_sigterm()  # for the exit code (143) and the words
    assert signal.getsignal(signal.SIGTERM) is before
