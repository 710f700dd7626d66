"""Working days and the protocol's clocks (PROTOCOL_RULES.md §1).

- A working day is Monday to Friday, not a bank holiday of England and Wales.
- N working days after E: E's own date is day 0 whatever kind of day it is;
  the first working day after it is day 1; the Nth is the due date.
- N days / weeks: calendar arithmetic. N months / years: ``relativedelta``
  (31 Jan + 1 month = 28/29 Feb). N hours: clock time from E's date-time.

Everything is naive local time (Europe/London).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from dateutil.relativedelta import relativedelta


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"
    HOURS = "hours"


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays of ``year`` (``holidays``' GB/ENG list)."""
    from ehtui.bank_holidays import england_bank_holidays

    return england_bank_holidays(year)


def is_bank_holiday(day: date) -> bool:
    return day in bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, n: int) -> date:
    """The Nth working day after ``start`` (n > 0), or before it (n < 0).

    ``add_working_days(d, 0)`` is ``d`` itself, whatever kind of day it is.
    """
    step = 1 if n >= 0 else -1
    day = start
    remaining = abs(n)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after ``start`` up to and including ``end``.

    The inverse of :func:`add_working_days`: for n >= 0,
    ``working_days_between(d, add_working_days(d, n)) == n``. Negative when
    ``end`` is before ``start``.
    """
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


@dataclass(frozen=True, slots=True)
class Span:
    """An amount of one unit: "7 working days", "6 weeks", "72 hours"."""

    amount: int
    unit: Unit

    def __str__(self) -> str:
        word = self.unit.value.replace("_", " ")
        if self.amount == 1:
            word = word.removesuffix("s")
        return f"{self.amount} {word}"


def add(start: date | datetime, span: Span) -> date | datetime:
    """``start`` moved forward by ``span`` (backward when the amount is negative).

    Hour spans need (and return) a date-time; the others work on the date of
    ``start`` and return a date.
    """
    if span.unit is Unit.HOURS:
        if not isinstance(start, datetime):
            start = datetime.combine(start, datetime.min.time())
        return start + timedelta(hours=span.amount)
    day = start.date() if isinstance(start, datetime) else start
    match span.unit:
        case Unit.WORKING_DAYS:
            return add_working_days(day, span.amount)
        case Unit.DAYS:
            return day + timedelta(days=span.amount)
        case Unit.WEEKS:
            return day + timedelta(weeks=span.amount)
        case Unit.MONTHS:
            return day + relativedelta(months=span.amount)
        case Unit.YEARS:
            return day + relativedelta(years=span.amount)
    raise ValueError(f"unknown unit {span.unit!r}")


def subtract(when: date | datetime, span: Span) -> date | datetime:
    return add(when, Span(-span.amount, span.unit))


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, datetime.max.time()).replace(microsecond=0)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def iso_week(day: date) -> str:
    """ISO week label, "2026-W03"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def next_weekday(after: date, weekday: int, *, include_today: bool = False) -> date:
    """The next date falling on ``weekday`` (Monday 0) after (or on) ``after``."""
    delta = (weekday - after.weekday()) % 7
    if delta == 0 and not include_today:
        delta = 7
    return after + timedelta(days=delta)


def age_on(dob: date, day: date) -> int:
    """Whole years of age on ``day``: ``relativedelta(day, dob).years`` without its
    cost (negative before ``dob``; a 29 February birthday comes round on 28 February
    in other years)."""
    years = day.year - dob.year
    then = _in_year(dob, day.year)  # dob moved by ``years`` whole years
    if day >= dob:
        return years - (then > day)
    return years + (then < day)


def _in_year(day: date, year: int) -> date:
    """``day`` in ``year``, 29 February becoming the 28th outside leap years."""
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(day: date) -> str:
    """'Wed 14 Jan 2026': the way the screens and messages write a date (in English
    whatever the locale)."""
    return f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


# Month names as people type them ("nov", "November", "sept"): month numbers.
MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        )
    )
    for name in names
}
