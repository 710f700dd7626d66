"""The work-tray words (PROTOCOL_RULES.md §10) for one episode's findings.

- *critically overdue*: overdue by more than 10 working days (configurable);
- *overdue*, *due soon*, *on track*;
- *EHA not started*: an eha/step_down_eha whose engagement is not confirmed
  by allocation + 7 working days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ehtui.calendar import Span, Unit, add, working_days_between
from ehtui.levels import Level
from ehtui.rules.clocks import as_day
from ehtui.rules.engine import evaluate_episode, sort_findings
from ehtui.rules.model import EpisodeSnap, Finding, State
from ehtui.rules.table import DEFAULT_TABLE, EHA, RuleTable

ACTIONABLE = frozenset({State.OVERDUE, State.MISSING, State.OVER_LIMIT, State.DUE_SOON})


@dataclass(frozen=True, slots=True)
class Status:
    """The work-tray words for one episode.

    ``level``: critically overdue, overdue, due soon or on track;
    ``overdue``: how many findings are overdue, missing or over a limit;
    ``due_soon``: how many are due soon; ``next``: the most pressing of them
    (first in the §10 order), or None when nothing needs doing.
    """

    level: Level
    overdue: int
    due_soon: int
    next: Finding | None  # the most pressing finding, or None

    @property
    def symbol(self) -> str:
        return self.level.symbol

    @property
    def label(self) -> str:
        return self.level.label

    @property
    def next_rule(self) -> str | None:
        """The rule ID of the next thing due, or None."""
        return self.next.rule if self.next is not None else None

    @property
    def next_due(self) -> date | datetime | None:
        """The date (or, for hour rules, date-time) of the next thing due, or None."""
        return self.next.due if self.next is not None else None


def _overdue_working_days(due: date | datetime | None, as_of: datetime) -> int:
    if due is None:
        return 0
    return working_days_between(as_day(due), as_of.date())


def _table(settings: Any) -> RuleTable:
    if settings is None:
        return DEFAULT_TABLE
    if isinstance(settings, RuleTable):
        return settings
    return settings.table


def episode_status(findings: Iterable[Finding], as_of: datetime, settings: Any = None) -> Status:
    """The tray level of one episode from its findings (any order).

    ``settings`` is a :class:`~ehtui.settings.Settings`, a :class:`RuleTable`
    or None (the defaults); it gives the critically-overdue threshold.

    - *critically overdue*: an ``overdue`` finding whose due date is more than
      ``critically_overdue_working_days`` (10) working days before the as-of date;
    - *overdue*: any ``overdue``, ``missing`` or (session cap) ``over_limit`` finding;
    - *due soon*: any ``due_soon`` finding; otherwise *on track*.

    ``late`` and ``advice`` findings never change the level.
    """
    table = _table(settings)
    ordered = sort_findings(f for f in findings if f.state in ACTIONABLE)
    overdue = [f for f in ordered if f.state in (State.OVERDUE, State.MISSING, State.OVER_LIMIT)]
    due_soon = [f for f in ordered if f.state is State.DUE_SOON]
    critical = any(
        f.state is State.OVERDUE
        and _overdue_working_days(f.due, as_of) > table.critically_overdue_working_days
        for f in overdue
    )
    if critical:
        level = Level.CRITICALLY_OVERDUE
    elif overdue:
        level = Level.OVERDUE
    elif due_soon:
        level = Level.DUE_SOON
    else:
        level = Level.ON_TRACK
    return Status(level, len(overdue), len(due_soon), ordered[0] if ordered else None)


_FOREVER = Span(100_000, Unit.DAYS)


def upcoming(ep: EpisodeSnap, as_of: datetime, table: RuleTable = DEFAULT_TABLE) -> list[Finding]:
    """Every clock still running on ``ep``, each as a ``due_soon`` or ``overdue`` finding.

    The same rules with every warning window opened wide, so a case that is on
    track still shows its next date ("No home visit yet: due Wed 14 Jan 2026").
    Sorted per §10, so the first is the per-episode "next thing due".
    """
    wide = table.with_overrides(
        {rid: {"warn": _FOREVER} for rid, spec in table.rules.items() if spec.due is not None}
    )
    return sort_findings(
        f for f in evaluate_episode(ep, as_of, wide) if f.state in (State.DUE_SOON, State.OVERDUE)
    )


def next_due(ep: EpisodeSnap, as_of: datetime, settings: Any = None) -> Finding | None:
    """The per-episode "next thing due": the most pressing running clock, or None."""
    running = upcoming(ep, as_of, _table(settings))
    return running[0] if running else None


def eha_not_started(ep: EpisodeSnap, as_of: datetime, table: RuleTable = DEFAULT_TABLE) -> bool:
    """§10: True for an open eha/step_down_eha whose engagement is not confirmed
    by allocation + 7 working days (configurable) as of ``as_of``."""
    if ep.type not in EHA or ep.allocated is None or (ep.closed and ep.closed <= as_of.date()):
        return False
    by = add(ep.allocated.date(), Span(table.eha_not_started_working_days, Unit.WORKING_DAYS))
    confirmed = ep.engagement_confirmed
    return as_of.date() > as_day(by) and (confirmed is None or confirmed > as_of.date())


__all__ = ["Level", "Status", "eha_not_started", "episode_status", "next_due", "upcoming"]
