"""The suite's clock: every test runs at a moment the suite chooses, never at the machine's.

Two layers:

- *The suite's day.* `pytest --today 2032-01-15` (or `BRIDGES_TEST_TODAY=2032-01-15`) runs the
  whole process as if the calendar said that day: the clock is moved there at start-up and
  ticks on from the machine's time of day. Without it, the suite's day is the machine's.
- *Each test's moment.* Every test starts frozen at `anchor()`: 10:00 in Paris (where the
  fixtures' Alice lives) on the Monday of the suite's week. Fixtures and tests take their
  dates from the `clock` fixture (`clock.at(days, hour, minute)`, `clock.start`), so a test
  means the same thing whatever the day it runs on. A test that needs time to pass on its own
  (a live server, worker processes) is marked `ticking`: it starts at the same moment and
  the clock runs.

Other processes a test starts (Celery workers, sweeps) are put on the same clock with
`command()`, which starts them through this module.
"""

from __future__ import annotations

import datetime
import os
import runpy
import sys
import time
import zoneinfo

import time_machine

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = datetime.UTC
ENV = "BRIDGES_TEST_TODAY"
# Seconds to add to the machine's clock to reach the suite's: shared with child processes.
OFFSET_ENV = "BRIDGES_TEST_CLOCK_OFFSET"

_suite_day: datetime.date | None = None
_suite_traveller = None


def real_time() -> float:
    """The machine's clock, whatever travel is under way."""
    hatch = time_machine.escape_hatch
    return hatch.time.time() if hatch.is_travelling() else time.time()


def start_suite(today: str | None) -> datetime.date:
    """Moves the whole process to `today` (YYYY-MM-DD), ticking; None keeps the machine's day."""
    global _suite_day, _suite_traveller
    real_now = datetime.datetime.now(UTC)
    if today:
        try:
            day = datetime.date.fromisoformat(today)
        except ValueError:
            raise ValueError(f"--today needs a date as YYYY-MM-DD, not {today!r}") from None
        moment = datetime.datetime.combine(day, real_now.timetz())
        _suite_traveller = time_machine.travel(moment, tick=True)
        _suite_traveller.start()
        os.environ[OFFSET_ENV] = str((moment - real_now).total_seconds())
        _suite_day = day
    else:
        _suite_day = real_now.astimezone(PARIS).date()
    return _suite_day


def stop_suite() -> None:
    global _suite_traveller
    if _suite_traveller is not None:
        _suite_traveller.stop()
        _suite_traveller = None


def suite_day() -> datetime.date:
    if _suite_day is None:
        return datetime.datetime.now(UTC).astimezone(PARIS).date()
    return _suite_day


def anchor(day: datetime.date | None = None) -> datetime.datetime:
    """10:00 in Paris on the Monday of `day`'s week (the suite's day by default)."""
    day = day or suite_day()
    monday = day - datetime.timedelta(days=day.weekday())
    return datetime.datetime.combine(monday, datetime.time(10, 0), tzinfo=PARIS)


class Clock:
    """The running test's clock, frozen at `start` unless the test is marked `ticking`."""

    def __init__(self, traveller, start: datetime.datetime, ticking: bool):
        self._traveller = traveller
        self.start = start
        self.ticking = ticking

    def now(self) -> datetime.datetime:
        return datetime.datetime.now(UTC)

    def move_to(self, when: datetime.datetime) -> None:
        self._traveller.move_to(when, tick=self.ticking)

    def shift(self, delta: datetime.timedelta | None = None, **parts) -> None:
        """Moves the clock on by `delta` (or by timedelta(**parts))."""
        self._traveller.shift(delta if delta is not None else datetime.timedelta(**parts))

    def day(self, days: int = 0) -> datetime.date:
        """The date `days` after the start's, in Paris."""
        return self.start.astimezone(PARIS).date() + datetime.timedelta(days=days)

    def at(
        self, days: int = 0, hour: int = 10, minute: int = 0, tz: datetime.tzinfo = PARIS
    ) -> datetime.datetime:
        """`hour:minute`, local time in `tz`, `days` after the start's date."""
        return datetime.datetime.combine(self.day(days), datetime.time(hour, minute), tzinfo=tz)

    def next_weekday(self, weekday: int, after_days: int = 0) -> datetime.date:
        """The first date on or after `after_days` from the start that is `weekday` (Mon=0)."""
        day = self.day(after_days)
        return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)

    def next_date(self, month: int, day: int) -> datetime.date:
        """The first `day` of `month` after the start's date (a June date, a January date…),
        for checks that depend on the season (summer time), not on the year."""
        start = self.day()
        for year in (start.year, start.year + 1):
            candidate = datetime.date(year, month, day)
            if candidate > start:
                return candidate
        raise AssertionError("unreachable")

    def iso(self, days: int = 0, hour: int = 10, minute: int = 0) -> str:
        """As a datetime-local input would send it: `YYYY-MM-DDTHH:MM`."""
        return self.at(days, hour, minute).strftime("%Y-%m-%dT%H:%M")


def iso_in(days: int, hour: int = 10) -> str:
    """`YYYY-MM-DDTHH:MM`, `days` after the suite's moment: for module-level form data."""
    return (anchor() + datetime.timedelta(days=days)).replace(hour=hour).strftime("%Y-%m-%dT%H:%M")


def next_transition(after: datetime.datetime, tz: datetime.tzinfo, forward: bool) -> datetime.date:
    """The first date after `after` on which `tz` puts its clocks forward (or back)."""
    day = after.astimezone(tz).date()
    for _ in range(400):
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=tz)
        eve = noon - datetime.timedelta(days=1)
        change = noon.utcoffset() - eve.utcoffset()
        if (change > datetime.timedelta(0)) if forward else (change < datetime.timedelta(0)):
            return day
        day += datetime.timedelta(days=1)
    raise LookupError(f"{tz} changes no clocks within a year of {after:%Y-%m-%d}")


def command(*args: str) -> list[str]:
    """A Python command line (`-m module …`, `-c code` or `script.py …`) on the suite's clock."""
    return [sys.executable, "-m", "tests.clock", *args]


def _run_on_suite_clock(argv: list[str]) -> None:
    offset = float(os.environ.get(OFFSET_ENV, "0"))
    if offset:
        time_machine.travel(time.time() + offset, tick=True).start()
    if argv[:1] == ["-m"]:
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    elif argv[:1] == ["-c"]:
        sys.argv = ["-c", *argv[2:]]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
    elif argv and argv[0].endswith(".py"):
        sys.argv = argv
        sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))
        runpy.run_path(argv[0], run_name="__main__")
    else:
        raise SystemExit("usage: python -m tests.clock (-m module | -c code | script.py) [args...]")


if __name__ == "__main__":
    _run_on_suite_clock(sys.argv[1:])
