"""The virtual clock: waits take their stated time on the loop's clock, and no real time."""

from __future__ import annotations

import asyncio

import pytest

from tests.helpers.clock import run_in_virtual_time


def test_a_long_sleep_passes_exactly_and_at_once():
    async def main() -> float:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.sleep(3600)
        return loop.time() - started

    assert run_in_virtual_time(main) == 3600  # and the run did not wait an hour for it


def test_concurrent_sleeps_overlap_and_wake_in_order():
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        woke.append((name, asyncio.get_running_loop().time()))

    async def main() -> None:
        async with asyncio.TaskGroup() as group:
            group.create_task(sleeper("slow", 0.3))
            group.create_task(sleeper("fast", 0.1))
            group.create_task(sleeper("mid", 0.2))

    run_in_virtual_time(main)
    assert woke == [("fast", pytest.approx(0.1)), ("mid", pytest.approx(0.2)), ("slow", 0.3)]


def test_timeouts_fire_on_the_virtual_clock():
    async def main() -> float:
        loop = asyncio.get_running_loop()
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(5):
                await asyncio.sleep(60)
        return loop.time()

    assert run_in_virtual_time(main) == pytest.approx(5)


def test_work_between_waits_takes_no_virtual_time():
    async def main() -> float:
        loop = asyncio.get_running_loop()
        sum(range(200_000))  # real CPU time, none on the loop's clock
        return loop.time()

    assert run_in_virtual_time(main) == 0


def test_a_thread_still_takes_its_real_time():
    """Without timers, the loop waits for real I/O (an executor's result) as usual."""

    async def main() -> str:
        return await asyncio.to_thread(lambda: "done")

    assert run_in_virtual_time(main) == "done"
