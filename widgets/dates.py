"""Dates as the protocol writes them: 'Wed 14 Jan 2026', with the time where it matters."""

from __future__ import annotations

from datetime import date, datetime

from ehtui.calendar import format_day


def when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{format_day(value.date())} {value:%H:%M}"
    return format_day(value)
