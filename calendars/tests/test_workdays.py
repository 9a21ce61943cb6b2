"""Working-day arithmetic, checked against a day-by-day count."""

import datetime
import random

import pytest

from calendars.workdays import WorkingCalendar

D = datetime.date
DAY = datetime.timedelta(days=1)
# Christmas 2026 is a Friday, Boxing Day a Saturday (not a working weekday: ignored), 1 Jan 2027 a Friday.
UK = WorkingCalendar(closed=(D(2026, 12, 25), D(2026, 12, 26), D(2027, 1, 1)), opened=(D(2026, 12, 19),))


def slow_count(cal, first, last):
    return sum(cal.is_working(first + DAY * i) for i in range((last - first).days + 1))


def test_weekends_holidays_and_an_opened_saturday():
    assert not UK.is_working(D(2026, 12, 25))
    assert not UK.is_working(D(2026, 12, 20))  # Sunday
    assert UK.is_working(D(2026, 12, 19))  # the opened Saturday
    assert UK.working_days_in(D(2026, 12, 21), D(2027, 1, 3)) == 8  # two weeks less two Fridays off
    assert UK.working_days_between(D(2026, 12, 24), D(2026, 12, 28)) == 1  # Thursday → Monday, over Christmas
    assert UK.working_days_between(D(2026, 12, 28), D(2026, 12, 24)) == -1
    assert UK.add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 28)
    assert UK.add_working_days(D(2026, 12, 28), -1) == D(2026, 12, 24)
    assert UK.next_working_day(D(2026, 12, 25)) == D(2026, 12, 28)


def test_counts_and_offsets_agree_with_walking_day_by_day():
    rng = random.Random(7)
    for _ in range(300):
        first = D(2026, 1, 1) + DAY * rng.randrange(700)
        last = first + DAY * rng.randrange(-20, 400)
        assert UK.working_days_in(first, last) == (slow_count(UK, first, last) if last >= first else 0)
        count = rng.randrange(-300, 300)
        moved = UK.add_working_days(first, count)
        assert UK.working_days_between(first, moved) == count
        assert count == 0 or UK.is_working(moved)


def test_a_calendar_needs_a_working_weekday():
    with pytest.raises(ValueError, match="working weekday"):
        WorkingCalendar(weekdays=frozenset())
