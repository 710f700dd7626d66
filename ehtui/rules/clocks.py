"""Evaluating one clock: due date, warning window, met on time, late, overdue.

PROTOCOL_RULES.md §2 and §10: date rules compare dates (as-of date > due date
is overdue); hour rules compare date-times. ``due_soon`` when the as-of date
is on or after (due − warn), counted back in the window's own unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from ehtui.calendar import Span, Unit, add, format_day, subtract, working_days_between
from ehtui.rules.model import State


@dataclass(frozen=True, slots=True)
class Clock:
    """The outcome of one clock that needs saying (no outcome when met on time)."""

    state: State
    due: date | datetime
    met: date | datetime | None = None


_DUE: dict[tuple[date, int, Unit], date | datetime] = {}


def due_of(start: date | datetime, span: Span) -> date | datetime:
    """``start`` + ``span`` (:func:`ehtui.calendar.add`); day spans are memoised by date."""
    unit = span.unit
    if unit is Unit.HOURS:
        moment = start if isinstance(start, datetime) else as_moment(start)
        return moment + timedelta(hours=span.amount)
    day = start.date() if isinstance(start, datetime) else start
    key = (day, span.amount, unit)
    due = _DUE.get(key)
    if due is None:
        if len(_DUE) > 200_000:  # a long-running app: keep the memo bounded
            _DUE.clear()
        due = _DUE[key] = add(day, span)
    return due


def as_day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def as_moment(value: date | datetime) -> datetime:
    """A date alone happens at 00:00 of its day (§10)."""
    return value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time())


def pending_state(due: date | datetime, warn: Span | None, as_of: datetime) -> State | None:
    """Not met: overdue, due soon, or nothing yet."""
    if isinstance(due, datetime):
        if as_of > due:
            return State.OVERDUE
        if warn is not None and as_of >= as_moment(subtract(due, warn)):
            return State.DUE_SOON
        return None
    today = as_of.date()
    if today > due:
        return State.OVERDUE
    if warn is not None and today >= _warn_from(due, warn):
        return State.DUE_SOON
    return None


@lru_cache(maxsize=65536)
def _warn_from(due: date, warn: Span) -> date:
    """The first day of the warning window (counted back in the window's own unit)."""
    return as_day(subtract(due, warn))


def met_late(due: date | datetime, met: date | datetime) -> bool:
    if isinstance(due, datetime):
        return as_moment(met) > due
    return as_day(met) > due


def evaluate(
    start: date | datetime,
    span: Span,
    warn: Span | None,
    met: date | datetime | None,
    as_of: datetime,
    *,
    late_counts: bool = True,
) -> Clock | None:
    """One clock from ``start``: ``met`` is when it was met (already ≤ as-of) or None.

    Returns None when nothing needs saying (met on time, or not yet in its
    warning window), else a :class:`Clock` (late, overdue or due soon).
    """
    due = due_of(start, span)
    if met is not None:
        if not late_counts:
            return None
        if isinstance(due, datetime):
            late = (met if isinstance(met, datetime) else as_moment(met)) > due
        else:
            late = (met.date() if isinstance(met, datetime) else met) > due
        return Clock(State.LATE, due, met) if late else None
    state = pending_state(due, warn, as_of)
    return Clock(state, due) if state is not None else None


def fmt(value: date | datetime) -> str:
    """'Wed 14 Jan 2026', with the time for date-times ('Wed 14 Jan 2026 16:30')."""
    if isinstance(value, datetime):
        return f"{_day_words(value.date())} {value:%H:%M}"
    return _day_words(value)


@lru_cache(maxsize=65536)
def _day_words(day: date) -> str:
    return format_day(day)


def lateness(due: date | datetime, met: date | datetime, unit: Unit) -> str:
    """How late, in the rule's own unit: '2 working days', '3 days', '5 hours'."""
    if isinstance(due, datetime):
        hours = int((as_moment(met) - due).total_seconds() // 3600) or 1
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if unit is Unit.WORKING_DAYS:
        n = working_days_between(due, as_day(met))
        word = "working day"
    else:
        n = (as_day(met) - due).days
        word = "day"
    n = max(n, 1)
    return f"{n} {word}{'s' if n != 1 else ''}"
