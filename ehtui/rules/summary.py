"""The monthly data tracker's numbers (§22.2): on-time rates of one-off milestones.

For each milestone (PROTOCOL_RULES.md §4 notes) and each episode whose clock
had started by the as-of moment (for RECORD-48H: each contact):

- *on time*: met by the due date;  *late*: met after it;
- *overdue*: not met and past due (an episode closed after its due date
  without meeting it counts here too: the breach happened while it was open);
- *not yet due*: not met and not yet due (left out of the rate);
- an episode closed on or before the due date without meeting it is left out
  altogether (the clock stopped before it ran out).

The on-time rate is met on time ÷ (met on time + met late): of the
milestones that were met, how many were met in time. Clocks still unmet past
their due date are not in it; they are counted beside it (``overdue``), so a
reader sees them and the rate is not flattered unseen. The engine decides
every state: the episode is evaluated as if still open with the warning
windows wide open, so an unmet clock always shows as due soon or overdue.
The rates are cumulative over every clock due by the as-of date; run the
report as of each month end for the month-on-month trend.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from ehtui.calendar import Span, Unit
from ehtui.rules.clocks import as_day
from ehtui.rules.model import EpisodeSnap, Finding, State
from ehtui.rules.table import DEFAULT_TABLE, RuleTable
from ehtui.rules.timescales import MILESTONE_RULES
from ehtui.rules.view import as_of_view

MILESTONES = (
    "EHA-CONTACT-2WD",
    "EHA-HOME-VISIT-7WD",
    "EHA-COMPLETE-6W",
    "TAF-INITIAL-10WD",
    "STEPDOWN-MEETING-10WD",
    "OOC-ASSESS-2W",
    "RHI-72H",
    "RHI-ATTEMPTS-3",
    "RECORD-48H",
)
_WIDE = Span(100_000, Unit.DAYS)


@dataclass
class Rate:
    """Counts of one milestone's clocks; ``rate`` is None when none was met yet."""

    on_time: int = 0
    late: int = 0
    overdue: int = 0
    not_yet_due: int = 0

    @property
    def met(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float | None:
        """Met on time ÷ (met on time + met late)."""
        return self.on_time / self.met if self.met else None

    def add(self, other: Rate) -> None:
        self.on_time += other.on_time
        self.late += other.late
        self.overdue += other.overdue
        self.not_yet_due += other.not_yet_due

    def to_json(self) -> dict[str, int | float | None]:
        return {
            "on_time": self.on_time,
            "late": self.late,
            "overdue": self.overdue,
            "not_yet_due": self.not_yet_due,
            "rate": None if self.rate is None else round(self.rate, 4),
        }


def _started(rule: str, ep: EpisodeSnap, table: RuleTable) -> int:
    """How many clocks of ``rule`` had started on ``ep`` (an as-of view)."""
    if ep.type not in table[rule].types:
        return 0
    if rule == "RECORD-48H":
        return len(ep.contacts)
    if rule == "STEPDOWN-MEETING-10WD":
        return int(ep.stepdown_consultation is not None)
    if ep.allocated is None:
        return 0
    if rule == "TAF-INITIAL-10WD":
        return int(ep.eha_completed is not None)
    return 1


def _wide(table: RuleTable) -> RuleTable:
    return table.with_overrides({rule: {"warn": _WIDE} for rule in MILESTONES})


def episode_rates(
    ep: EpisodeSnap, as_of: datetime, table: RuleTable = DEFAULT_TABLE
) -> dict[str, Rate]:
    """The milestones' counts for one episode as of ``as_of`` (only rules that started)."""
    return _episode_rates(ep, as_of, table, _wide(table))


def _episode_rates(
    ep: EpisodeSnap, as_of: datetime, table: RuleTable, wide: RuleTable
) -> dict[str, Rate]:
    view = as_of_view(ep, as_of)
    if view is None:
        return {}
    reopened = replace(view, closed=None)
    states, gone = clock_states(
        (f for rule in MILESTONE_RULES for f in rule(reopened, as_of, wide)), view.closed
    )
    out = {}
    for rule in MILESTONES:
        started = _started(rule, view, table) - gone[rule]
        if started > 0:
            out[rule] = rate_of(started, rule, states)
    return out


def clock_states(
    findings: Iterable[Finding], closed: date | None
) -> tuple[Counter[tuple[str, State]], Counter[str]]:
    """The states of the milestones' clocks, and the clocks a closure stopped before they
    ran out (those do not count as started)."""
    states: Counter[tuple[str, State]] = Counter()
    gone: Counter[str] = Counter()
    for f in findings:
        if f.rule not in MILESTONES:
            continue
        unmet = f.state in (State.OVERDUE, State.DUE_SOON)
        if unmet and closed is not None and f.due is not None and closed <= as_day(f.due):
            gone[f.rule] += 1
        else:
            states[(f.rule, f.state)] += 1
    return states, gone


def rate_of(started: int, rule: str, states: Counter[tuple[str, State]]) -> Rate:
    """One milestone's rate from the clocks started and their states."""
    late, overdue = states[(rule, State.LATE)], states[(rule, State.OVERDUE)]
    waiting = states[(rule, State.DUE_SOON)]
    return Rate(started - late - overdue - waiting, late, overdue, waiting)


def milestone_rates(
    episodes: Iterable[EpisodeSnap], as_of: datetime, table: RuleTable = DEFAULT_TABLE
) -> tuple[dict[str, Rate], dict[str | None, dict[str, Rate]]]:
    """Rates per milestone, overall and per lead practitioner (None: unallocated)."""
    wide = _wide(table)
    overall: dict[str, Rate] = defaultdict(Rate)
    by_lead: dict[str | None, dict[str, Rate]] = defaultdict(lambda: defaultdict(Rate))
    for ep in episodes:
        for rule, rate in _episode_rates(ep, as_of, table, wide).items():
            overall[rule].add(rate)
            by_lead[ep.lead][rule].add(rate)
    return dict(overall), {k: dict(v) for k, v in by_lead.items()}
