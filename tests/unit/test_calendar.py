"""Working days and clocks (PROTOCOL_RULES.md §1), with the worked examples there."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehtui.calendar import (
    Span,
    Unit,
    add,
    add_working_days,
    age_on,
    format_day,
    is_working_day,
    iso_week,
    next_weekday,
    subtract,
    working_days_between,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # The worked examples of PROTOCOL_RULES.md §1.
        ("2026-12-24", 2, "2026-12-30"),  # Thu before Christmas: 25 Fri, 28 Mon (Boxing Day obs.)
        ("2026-04-03", 2, "2026-04-08"),  # Good Friday; Easter Monday 6 Apr is skipped
        ("2026-01-05", 7, "2026-01-14"),  # a plain fortnight
        # Christmas and New Year.
        ("2025-12-24", 1, "2025-12-29"),  # 25 Thu, 26 Fri are bank holidays
        ("2025-12-31", 1, "2026-01-02"),  # 1 Jan is a bank holiday
        ("2027-12-24", 1, "2027-12-29"),  # 25 Sat, 26 Sun; 27 and 28 observed
        ("2026-12-31", 1, "2027-01-04"),  # 1 Jan 2027 Fri, then the weekend
        # Easter.
        ("2025-04-17", 1, "2025-04-22"),  # Maundy Thu → Good Fri 18, Easter Mon 21 skipped
        ("2027-03-25", 2, "2027-03-31"),  # Good Friday 26 Mar 2027, Easter Monday 29 Mar
        # Day 0 is E's own date whatever kind of day it is.
        ("2026-01-03", 1, "2026-01-05"),  # allocated on a Saturday
        ("2026-12-25", 1, "2026-12-29"),  # allocated on Christmas Day
        ("2026-01-05", 0, "2026-01-05"),
        # Month ends.
        ("2026-01-30", 1, "2026-02-02"),
        ("2026-08-28", 1, "2026-09-01"),  # Late Summer bank holiday 31 Aug 2026
    ],
)
def test_add_working_days(start: str, n: int, due: str) -> None:
    assert add_working_days(D(start), n) == D(due)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-12-25", False),
        ("2026-12-28", False),  # Boxing Day observed
        ("2026-05-04", False),  # Early May bank holiday
        ("2026-05-25", False),  # Spring bank holiday
        ("2026-01-10", False),  # Saturday
        ("2026-01-12", True),
        ("2027-12-27", False),  # Christmas observed
        ("2027-12-28", False),  # Boxing Day observed
    ],
)
def test_is_working_day(day: str, working: bool) -> None:
    assert is_working_day(D(day)) is working


@pytest.mark.parametrize(
    ("start", "span", "due"),
    [
        ("2026-01-05", Span(6, Unit.WEEKS), "2026-02-16"),
        ("2026-01-05", Span(14, Unit.DAYS), "2026-01-19"),
        ("2026-01-31", Span(1, Unit.MONTHS), "2026-02-28"),
        ("2028-01-31", Span(1, Unit.MONTHS), "2028-02-29"),
        ("2026-08-31", Span(6, Unit.MONTHS), "2027-02-28"),
        ("2026-03-31", Span(3, Unit.MONTHS), "2026-06-30"),
        ("2024-02-29", Span(1, Unit.YEARS), "2025-02-28"),
        ("2026-12-24", Span(2, Unit.WORKING_DAYS), "2026-12-30"),
    ],
)
def test_calendar_spans(start: str, span: Span, due: str) -> None:
    assert add(D(start), span) == D(due)


def test_hours_are_clock_time() -> None:
    at = datetime(2026, 12, 24, 16, 30)
    assert add(at, Span(72, Unit.HOURS)) == datetime(2026, 12, 27, 16, 30)
    assert add(at, Span(48, Unit.HOURS)) == datetime(2026, 12, 26, 16, 30)
    # A date-only start counts from midnight.
    assert add(date(2026, 1, 1), Span(12, Unit.HOURS)) == datetime(2026, 1, 1, 12, 0)


def test_warning_windows_count_back_in_their_own_unit() -> None:
    # due Wed 30 Dec 2026: one working day back is Tue 29 Dec; two skip the
    # Christmas bank holidays (Mon 28, Fri 25) and the weekend to Thu 24 Dec.
    assert subtract(D("2026-12-30"), Span(1, Unit.WORKING_DAYS)) == D("2026-12-29")
    assert subtract(D("2026-12-30"), Span(2, Unit.WORKING_DAYS)) == D("2026-12-24")
    assert subtract(D("2026-03-31"), Span(1, Unit.MONTHS)) == D("2026-02-28")


def test_helpers() -> None:
    assert iso_week(D("2026-01-15")) == "2026-W03"
    assert iso_week(D("2027-01-01")) == "2026-W53"
    assert next_weekday(D("2026-11-22"), 1) == D("2026-11-24")  # next Tuesday from a Sunday
    assert next_weekday(D("2026-11-24"), 1) == D("2026-12-01")
    assert next_weekday(D("2026-11-24"), 1, include_today=True) == D("2026-11-24")
    assert age_on(D("2008-03-01"), D("2026-02-28")) == 17
    assert age_on(D("2008-03-01"), D("2026-03-01")) == 18
    assert format_day(D("2026-01-14")) == "Wed 14 Jan 2026"


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))


@given(start=days, n=st.integers(min_value=1, max_value=60))
def test_a_due_date_is_always_a_working_day(start: date, n: int) -> None:
    due = add_working_days(start, n)
    assert is_working_day(due)
    assert due.weekday() < 5


@given(start=days, n=st.integers(min_value=0, max_value=60))
def test_adding_then_counting_back_gives_n(start: date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n)) == n


@given(start=days, n=st.integers(min_value=1, max_value=40))
def test_no_working_day_is_skipped(start: date, n: int) -> None:
    due = add_working_days(start, n)
    between = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(is_working_day(d) for d in between) == n


@given(due=days, n=st.integers(min_value=1, max_value=20))
def test_counting_back_then_forward_returns_to_a_working_day(due: date, n: int) -> None:
    if not is_working_day(due):
        return
    assert add_working_days(add_working_days(due, -n), n) == due


def test_a_leap_day_birthday_comes_round_on_28_february() -> None:
    born = D("2016-02-29")
    assert age_on(born, D("2017-02-27")) == 0
    assert age_on(born, D("2017-02-28")) == 1
    assert age_on(born, D("2020-02-28")) == 3
    assert age_on(born, D("2020-02-29")) == 4
    assert age_on(born, D("2016-02-28")) == 0  # the day before birth: not yet a year short


@given(
    dob=st.dates(min_value=date(1950, 1, 1), max_value=date(2040, 12, 31)),
    day=st.dates(min_value=date(1950, 1, 1), max_value=date(2040, 12, 31)),
)
def test_age_is_whole_years_as_relativedelta_counts_them(dob: date, day: date) -> None:
    from dateutil.relativedelta import relativedelta

    assert age_on(dob, day) == relativedelta(day, dob).years
