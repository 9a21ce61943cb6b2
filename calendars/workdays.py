"""Working-day arithmetic over a calendar of working weekdays and non-working dates (holidays, exceptions).

Pure and fast: whole weeks are counted arithmetically and the non-working dates by bisection, so a count over years
costs the same as one over days. Durations, lags, slip and overdue-by all count working days through this.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

MONDAY_TO_FRIDAY = frozenset(range(5))


@dataclass(frozen=True)
class WorkingCalendar:
    """`weekdays` are the working ones (Monday = 0); `closed` are non-working dates; `opened` are working dates that
    fall on a non-working weekday (a Saturday shift)."""

    weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    closed: tuple[date, ...] = field(default=())
    opened: tuple[date, ...] = field(default=())

    def __post_init__(self):
        if not self.weekdays:
            raise ValueError("A calendar needs at least one working weekday.")
        closed = sorted(d for d in set(self.closed) if d.weekday() in self.weekdays)
        opened = sorted(d for d in set(self.opened) if d.weekday() not in self.weekdays)
        object.__setattr__(self, "closed", tuple(closed))
        object.__setattr__(self, "opened", tuple(opened))

    def is_working(self, day: date) -> bool:
        if day.weekday() in self.weekdays:
            return not _contains(self.closed, day)
        return _contains(self.opened, day)

    def working_days_in(self, first: date, last: date) -> int:
        """Working days from `first` to `last`, both included (0 when `last` is before `first`)."""
        if last < first:
            return 0
        weeks, extra = divmod((last - first).days + 1, 7)
        count = weeks * len(self.weekdays)
        count += sum((first.weekday() + i) % 7 in self.weekdays for i in range(extra))
        return count - _between(self.closed, first, last) + _between(self.opened, first, last)

    def working_days_between(self, start: date, end: date) -> int:
        """Signed working days from `start` to `end`: the working days after `start` up to and including `end`.

        Backwards it counts the working days from `end` up to the day before `start`, so that it inverts
        `add_working_days` both ways. This is how slip and overdue-by are counted: a finish moved from Friday to the
        next Monday slipped 1 day.
        """
        if end >= start:
            return self.working_days_in(start + timedelta(days=1), end)
        return -self.working_days_in(end, start - timedelta(days=1))

    def add_working_days(self, day: date, count: int) -> date:
        """The date `count` working days after `day` (before it when negative); 0 gives `day` itself."""
        step, remaining = (1, count) if count >= 0 else (-1, -count)
        while remaining >= 7:
            # A jump of whole weeks can hold at most one working day per calendar day, so it never overshoots.
            target = day + timedelta(days=step * 7 * (remaining // 7))
            remaining -= abs(self.working_days_between(day, target))
            day = target
        while remaining > 0:
            day += timedelta(days=step)
            remaining -= self.is_working(day)
        return day

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_working(day):
            day += timedelta(days=1)
        return day


def _contains(dates: tuple[date, ...], day: date) -> bool:
    i = bisect_left(dates, day)
    return i < len(dates) and dates[i] == day


def _between(dates: tuple[date, ...], first: date, last: date) -> int:
    return bisect_right(dates, last) - bisect_left(dates, first)
