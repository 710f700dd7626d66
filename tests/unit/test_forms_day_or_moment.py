"""A date or a date and time typed in one box (Return Home Interview, out-of-court
assessment): a date stays a date, a time makes it a date-time, bad input says why."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ehtui.forms import parse_day_or_moment

NOW = datetime(2026, 11, 20, 15, 0)  # Fri 20 Nov 2026


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("today 14:30", datetime(2026, 11, 20, 14, 30)),
        ("19/11 09:00", datetime(2026, 11, 19, 9, 0)),
        ("19/11/2026 9:15", datetime(2026, 11, 19, 9, 15)),
        ("2026-11-19T10:00", datetime(2026, 11, 19, 10, 0)),
        ("21 Nov 2026 14:30", datetime(2026, 11, 21, 14, 30)),
        ("14:30", datetime(2026, 11, 20, 14, 30)),
        ("now", datetime(2026, 11, 20, 15, 0)),
        ("19/11", date(2026, 11, 19)),
        ("yesterday", date(2026, 11, 19)),
        ("21 Nov", date(2026, 11, 21)),
    ],
)
def test_a_date_or_a_date_and_time(typed: str, meant: date) -> None:
    assert parse_day_or_moment(typed, NOW) == meant
    assert type(parse_day_or_moment(typed, NOW)) is type(meant)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Enter a date"),
        ("someday", "someday is not a date"),
        ("31/02/2026", "31/02/2026 is not a real date"),
        ("19/11 25:00", "25:00 is not a time of day"),
    ],
)
def test_bad_input_says_why(typed: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_day_or_moment(typed, NOW)
