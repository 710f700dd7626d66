"""Building findings about an episode, with the protocol's words for each clock."""

from __future__ import annotations

from datetime import date, datetime

from ehtui.rules.clocks import Clock, as_day, fmt, lateness
from ehtui.rules.model import EpisodeSnap, Finding, State
from ehtui.rules.table import RuleSpec


def episode_finding(
    spec: RuleSpec,
    state: State,
    due: date | datetime | None,
    ep: EpisodeSnap,
    message: str,
    *,
    child: str | None = None,
    record: str | None = None,
) -> Finding:
    return Finding(
        rule=spec.id,
        state=state,
        due=due,
        episode=ep.ref,
        family=ep.family.ref,
        child=child,
        practitioner=ep.lead,
        record=record,
        section=spec.section,
        message=message,
    )


def clock_finding(
    spec: RuleSpec,
    clock: Clock,
    ep: EpisodeSnap,
    *,
    pending: str,
    done: str,
    child: str | None = None,
    record: str | None = None,
) -> Finding:
    """A finding for a clock, worded plainly.

    ``pending`` says what is not yet done ("No home visit yet"); ``done`` says
    what happened ("Home visit held").
    """
    if clock.state is State.LATE and clock.met is not None:
        unit = spec.due.unit if spec.due is not None else None
        how_late = lateness(clock.due, clock.met, unit) if unit is not None else "late"
        met = clock.met if isinstance(clock.due, datetime) else as_day(clock.met)
        message = f"{done} {fmt(met)}, {how_late} late (due {fmt(clock.due)})"
    elif clock.state is State.OVERDUE:
        message = f"{pending}: was due {fmt(clock.due)}"
    else:
        message = f"{pending}: due {fmt(clock.due)}"
    return episode_finding(spec, clock.state, clock.due, ep, message, child=child, record=record)
