"""What the tests share: build a debate's events, record what a consumer is given, stand
in for the engine, and run asyncio code on a virtual clock.

- `events`: `EventBuilder` (the one way to write events by hand, numbered and timed
  as the engine would), and the values they carry (`answer`, `usage`);
- `debates`: two whole debates built with it, one per kind of test that needs a story
  (`finished_debate` for storage and export, `bat_and_ball_debate` for the views);
- `sinks`: `RecordingSink`, a consumer of the stream (a sink or a view) that remembers;
- `engine`: `FakeEngine`, the engine client's stand-in for the window;
- `clock`: `run_in_virtual_time`, an event loop whose clock only moves when every task
  waits, so timing is asserted exactly and costs no wall-clock time.

Each has its tests beside it (`tests/helpers/test_*.py`): a helper that lies makes
every test that uses it lie.
"""
