"""When the app restarts a dead engine, and what it tells the user (no process needed)."""

from __future__ import annotations

from roundtable.gui.live.restart_policy import Crash, RestartPolicy


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def crash(interrupted: int = 0, last_words: str = "") -> Crash:
    return Crash(how="exit code 3", last_words=last_words, interrupted=interrupted)


def test_an_engine_that_dies_again_and_again_is_given_up_on_saying_how_to_find_out_why():
    clock = Clock()
    policy = RestartPolicy(max_restarts=2, window_s=60, clock=clock)
    assert policy.after(crash())[0] is True
    clock.now = 10
    assert policy.after(crash())[0] is True
    clock.now = 20
    restart, message = policy.after(crash())
    assert restart is False
    assert "stopped 3 times within 60 seconds" in message
    assert "roundtable run" in message


def test_deaths_far_apart_are_each_restarted():
    clock = Clock()
    policy = RestartPolicy(max_restarts=1, window_s=60, clock=clock)
    for minute in range(5):
        clock.now = minute * 61
        restart, message = policy.after(crash())
        assert restart is True
        assert message.endswith("Restarting the engine…")


def test_the_message_names_the_last_words_and_the_interrupted_debates():
    _, one = RestartPolicy().after(crash(interrupted=1, last_words="disk full"))
    assert one.startswith("The debate engine stopped unexpectedly (exit code 3).")
    assert "Its last message: disk full" in one
    assert "The running debate was interrupted" in one
    _, two = RestartPolicy().after(crash(interrupted=2))
    assert "2 running debates were interrupted" in two
    assert "last message" not in two


def test_reset_forgets_past_deaths():
    policy = RestartPolicy(max_restarts=1, window_s=60, clock=Clock())
    policy.after(crash())
    policy.reset()
    assert policy.after(crash())[0] is True
