"""The monthly data tracker's numbers (§22.2): on-time rates of one-off milestones.

For each milestone (PROTOCOL_RULES.md §4 notes) and each episode whose clock
had started by the as-of moment (for RECORD-48H: each contact):

- *met on time*: met, not late;  *late*: met after the due date;
- *overdue*: not met and past due (a closed episode that never met it counts);
- *not yet due*: not met, not yet due (left out of the rate).

The on-time rate is met on time ÷ (met on time + late + overdue). The engine
decides every state: the episode is evaluated "reopened" with the warning
windows wide open, so an unmet clock always shows as due soon or overdue.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from ehtui.calendar import Span, Unit
from ehtui.rules.engine import evaluate_episode
from ehtui.rules.model import EpisodeSnap, State
from ehtui.rules.table import DEFAULT_TABLE, RuleTable
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
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    not_yet_due: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    def add(self, other: Rate) -> None:
        self.on_time += other.on_time
        self.late += other.late
        self.overdue += other.overdue
        self.not_yet_due += other.not_yet_due


def _started(rule: str, ep: EpisodeSnap, table: RuleTable) -> int:
    if ep.type not in table[rule].types or ep.allocated is None:
        return 0
    if rule == "RECORD-48H":
        return len(ep.contacts)
    start = {
        "TAF-INITIAL-10WD": ep.eha_completed,
        "STEPDOWN-MEETING-10WD": ep.stepdown_consultation,
    }.get(rule, ep.allocated)
    return int(start is not None)


def episode_rates(
    ep: EpisodeSnap, as_of: datetime, table: RuleTable = DEFAULT_TABLE
) -> dict[str, Rate]:
    view = as_of_view(ep, as_of)
    if view is None:
        return {}
    wide = table.with_overrides({rule: {"warn": _WIDE} for rule in MILESTONES})
    states = Counter(
        (f.rule, f.state)
        for f in evaluate_episode(replace(view, closed=None), as_of, wide)
        if f.rule in MILESTONES
    )
    out = {}
    for rule in MILESTONES:
        started = _started(rule, view, table)
        if not started:
            continue
        late, overdue = states[(rule, State.LATE)], states[(rule, State.OVERDUE)]
        waiting = states[(rule, State.DUE_SOON)]
        out[rule] = Rate(started - late - overdue - waiting, late, overdue, waiting)
    return out


def milestone_rates(
    episodes: Iterable[EpisodeSnap], as_of: datetime, table: RuleTable = DEFAULT_TABLE
) -> tuple[dict[str, Rate], dict[str | None, dict[str, Rate]]]:
    """Rates per milestone, overall and per lead practitioner."""
    overall: dict[str, Rate] = defaultdict(Rate)
    by_lead: dict[str | None, dict[str, Rate]] = defaultdict(lambda: defaultdict(Rate))
    for ep in episodes:
        for rule, rate in episode_rates(ep, as_of, table).items():
            overall[rule].add(rate)
            by_lead[ep.lead][rule].add(rate)
    return dict(overall), {k: dict(v) for k, v in by_lead.items()}
