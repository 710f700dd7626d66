"""What every form needs from the core: dates typed the way people type them, and
problems keyed by field.

A form's core module offers ``check_<form>(draft, ...) -> dict[str, str]`` (the
problems per field, in plain words; empty when valid) and a ``save_<form>``
that checks again and raises :class:`~ehtui.errors.InputError` with
``"field: words"`` lines, writing nothing. :func:`problems_by_field` turns those
lines back into a mapping, so the screen shows each message beside its field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from ehtui.calendar import MONTHS

DAY_WORDS = "a date such as 21/11/2026, 21 Nov, 2026-11-21, today or yesterday"
MOMENT_WORDS = "a date and time such as 21/11/2026 14:30, today 9:15, 14:30 or now"
_TIME = re.compile(r"^(\d{1,2})(?::|\.)?(\d{2})?\s*(am|pm)?$", re.IGNORECASE)


def problems_by_field(problems: Iterable[str]) -> dict[str, str]:
    """``["at: ... is in the future", ...]`` → ``{"at": "... is in the future"}``
    (a line without a field goes under ``""``; the first problem per field wins)."""
    found: dict[str, str] = {}
    for line in problems:
        field, sep, words = line.partition(": ")
        key, text = (field, words) if sep and " " not in field else ("", line)
        found.setdefault(key, text)
    return found


def problem_lines(problems: dict[str, str]) -> list[str]:
    """``{"at": "..."}`` → ``["at: ..."]`` for an InputError (a problem with no field
    stays as it is): the inverse of :func:`problems_by_field`."""
    return [f"{field}: {words}" if field else words for field, words in problems.items()]


def _year(text: str, today: date) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def parse_day(text: str, today: date) -> date:
    """A day as people type it: ``21/11/2026``, ``21/11/26``, ``21/11`` (this year),
    ``2026-11-21``, ``21 Nov 2026``, ``21 november``, ``today``, ``yesterday``,
    ``tomorrow``, ``-3`` (three days ago), ``+7`` (a week ahead).
    Raises ValueError with plain words otherwise."""
    words = text.strip().lower().replace(",", " ")
    if not words:
        raise ValueError("Enter " + DAY_WORDS + ".")
    if words in ("today", "t"):
        return today
    if words in ("yesterday", "y"):
        return today - timedelta(days=1)
    if words == "tomorrow":
        return today + timedelta(days=1)
    if re.fullmatch(r"[-+]\d{1,3}", words):
        return today + timedelta(days=int(words))
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", words):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?", words):
            year = _year(m[3], today) if m[3] else today.year
            return date(year, int(m[2]), int(m[1]))
        if m := re.fullmatch(r"(\d{1,2})\s+([a-z]+)(?:\s+(\d{2}|\d{4}))?", words):
            month = MONTHS.get(m[2])
            if month is not None:
                year = _year(m[3], today) if m[3] else today.year
                return date(year, month, int(m[1]))
    except ValueError:
        raise ValueError(f"{text.strip()} is not a real date.") from None
    raise ValueError(f"{text.strip()} is not a date: enter {DAY_WORDS}.")


def parse_time(text: str) -> time:
    """``14:30``, ``9:15``, ``0930``, ``2pm``, ``2:30pm``."""
    m = _TIME.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"{text.strip()} is not a time: enter one such as 14:30 or 9:15.")
    hour, minute = int(m[1]), int(m[2] or 0)
    if m[3]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text.strip()} is not a time.")
        hour = hour % 12 + (12 if m[3].lower() == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{text.strip()} is not a time of day.")
    return time(hour, minute)


def parse_moment(text: str, now: datetime) -> datetime:
    """A date and time as people type them: ``now``, ``14:30`` (today), ``today 9:15``,
    ``yesterday 16:00``, ``21/11/2026 14:30``, ``2026-11-21 14:30``, ``21 Nov 14:30``,
    a day alone (then 09:00 is not guessed: the time is required)."""
    words = text.strip()
    if not words:
        raise ValueError("Enter " + MOMENT_WORDS + ".")
    if words.lower() in ("now", "n"):
        return now.replace(second=0, microsecond=0)
    iso = re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})[T ](\d{1,2}:\d{2})(?::\d{2})?", words)
    if iso:
        day_text, time_text = iso[1], iso[2]
    else:
        parts = words.rsplit(" ", 1)
        if len(parts) == 1:
            if _TIME.fullmatch(words) and ("/" not in words and "-" not in words):
                return datetime.combine(now.date(), parse_time(words))
            raise ValueError(f"{words} has no time: enter {MOMENT_WORDS}.")
        day_text, time_text = parts
    day = parse_day(day_text, now.date())
    return datetime.combine(day, parse_time(time_text))


def parse_count(text: str, *, field_words: str, low: int = 0, high: int = 999) -> int | None:
    """A whole number typed in a box (blank: None)."""
    words = text.strip()
    if not words:
        return None
    if not re.fullmatch(r"\d+", words):
        raise ValueError(f"{field_words} is a whole number such as 4.")
    value = int(words)
    if not low <= value <= high:
        raise ValueError(f"{field_words} is between {low} and {high}.")
    return value


def parse_day_or_moment(text: str, now: datetime) -> date | datetime:
    """A day, or a day and a time, as people type them (:func:`parse_day`,
    :func:`parse_moment`): ``19/11/2026`` is a date, ``19/11 09:00``, ``today 14:30``
    and ``now`` are date-times. Raises ValueError with plain words otherwise."""
    words = text.strip()
    if not words:
        raise ValueError("Enter " + DAY_WORDS + ", with a time if it matters.")
    try:
        return parse_moment(words, now)
    except ValueError as moment_problem:
        try:
            return parse_day(words, now.date())
        except ValueError as day_problem:
            if "not a real date" in str(day_problem):
                raise
            if "has no time" in str(moment_problem) or " " not in words:
                raise ValueError(
                    f"{words} is not a date: enter {DAY_WORDS}, "
                    "or a date and time such as today 14:30."
                ) from None
            raise moment_problem from None
