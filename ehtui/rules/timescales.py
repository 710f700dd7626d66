"""Timescale rules (PROTOCOL_RULES.md §4): one function per rule ID.

Each takes an episode as it stood at the as-of moment (:func:`as_of_view`),
the as-of moment and the rule table, and yields findings. Closed episodes are
filtered to their ``late`` findings by the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime

from ehtui.calendar import Span, Unit, add
from ehtui.rules.clocks import Clock, as_moment, evaluate, fmt, pending_state
from ehtui.rules.emit import clock_finding, episode_finding
from ehtui.rules.model import EpisodeSnap, Finding, State
from ehtui.rules.table import RuleSpec, RuleTable
from ehtui.vocab import SUPERVISION_KINDS

Rule = Callable[[EpisodeSnap, datetime, RuleTable], Iterator[Finding]]


def _span(spec: RuleSpec) -> Span:
    assert spec.due is not None, spec.id
    return spec.due


def _one_off(
    spec: RuleSpec,
    ep: EpisodeSnap,
    start: date | datetime | None,
    met: date | datetime | None,
    as_of: datetime,
    *,
    pending: str,
    done: str,
    record: str | None = None,
    late_counts: bool = True,
) -> Iterator[Finding]:
    if start is None or ep.type not in spec.types:
        return
    clock = evaluate(start, _span(spec), spec.warn, met, as_of, late_counts=late_counts)
    if clock is not None:
        yield clock_finding(spec, clock, ep, pending=pending, done=done, record=record)


def _chain(
    spec: RuleSpec,
    ep: EpisodeSnap,
    start: date | datetime,
    events: Sequence[tuple[datetime, str]],
    as_of: datetime,
    *,
    pending: str,
    done: str,
    child: str | None = None,
) -> Iterator[Finding]:
    """A repeating interval: each event meets the clock running from the one before.

    The clock runs from ``start`` (allocation, or the first TAF), then from each
    event after it; an event dated before ``start`` meets nothing and restarts
    nothing (the clock never runs from before it started).
    """
    span = _span(spec)
    for at, ref in events:
        if at < start:
            continue
        clock = evaluate(start, span, spec.warn, at, as_of)
        if clock is not None:
            yield clock_finding(
                spec, clock, ep, pending=pending, done=done, child=child, record=ref
            )
        start = at
    clock = evaluate(start, span, spec.warn, None, as_of)
    if clock is not None:
        yield clock_finding(spec, clock, ep, pending=pending, done=done, child=child)


def eha_contact_2wd(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    first = next(
        (c for c in ep.contacts if c.outcome == "completed" and c.method != "partner_agency"),
        None,
    )
    yield from _one_off(
        t["EHA-CONTACT-2WD"],
        ep,
        ep.allocated,
        first.at if first else None,
        as_of,
        pending="No contact with the family yet",
        done="First contact with the family",
        record=first.ref if first else None,
    )


def eha_home_visit_7wd(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    first = next(
        (c for c in ep.contacts if c.outcome == "completed" and c.method == "home_visit"), None
    )
    yield from _one_off(
        t["EHA-HOME-VISIT-7WD"],
        ep,
        ep.allocated,
        first.at if first else None,
        as_of,
        pending="No home visit yet",
        done="Home visit held",
        record=first.ref if first else None,
    )


def eha_complete_6w(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    yield from _one_off(
        t["EHA-COMPLETE-6W"],
        ep,
        ep.allocated,
        ep.eha_completed,
        as_of,
        pending="EHA not completed yet",
        done="EHA completed",
    )


def taf_initial_10wd(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    first = ep.tafs[0] if ep.tafs else None
    yield from _one_off(
        t["TAF-INITIAL-10WD"],
        ep,
        ep.eha_completed,
        first.at if first else None,
        as_of,
        pending="No initial TAF meeting yet",
        done="Initial TAF held",
        record=first.ref if first else None,
    )


def taf_review_12w(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["TAF-REVIEW-12W"]
    if ep.type not in spec.types or not ep.tafs:
        return
    first, rest = ep.tafs[0], ep.tafs[1:]
    yield from _chain(
        spec,
        ep,
        first.at,
        [(m.at, m.ref) for m in rest],
        as_of,
        pending="No TAF review yet",
        done="TAF review held",
    )


def voc_4w(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["VOC-4W"]
    if ep.type not in spec.types or ep.allocated is None:
        return
    for child in ep.children:
        records = [(v.at, v.ref) for v in ep.voices if v.child == child.ref]
        yield from _chain(
            spec,
            ep,
            ep.allocated,
            records,
            as_of,
            pending=f"Voice of the child not heard for {child.first_name}",
            done=f"Voice of the child heard for {child.first_name}",
            child=child.ref,
        )


def supervision_monthly(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["SUPERVISION-MONTHLY"]
    if ep.type not in spec.types or ep.allocated is None:
        return
    records = [(o.at, o.ref) for o in ep.oversights if o.kind in SUPERVISION_KINDS]
    yield from _chain(
        spec,
        ep,
        ep.allocated,
        records,
        as_of,
        pending="No supervision recorded",
        done="Supervision recorded",
    )


def record_48h(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["RECORD-48H"]
    if ep.type not in spec.types:
        return
    for c in ep.contacts:
        clock = evaluate(c.at, _span(spec), spec.warn, c.recorded_at, as_of)
        if clock is not None:
            yield clock_finding(
                spec,
                clock,
                ep,
                pending=f"Contact note of {fmt(c.at)} still a draft",
                done="Contact note finalised",
                record=c.ref,
            )


def _closing_clock(
    spec: RuleSpec, ep: EpisodeSnap, due: date, as_of: datetime, pending: str
) -> Iterator[Finding]:
    """Duration limits met by closing: overdue or due soon while open, never late."""
    if ep.closed is not None:
        return
    state = pending_state(due, spec.warn, as_of)
    if state is not None:
        yield episode_finding(spec, state, due, ep, f"{pending}: close by {fmt(due)}")


def eha_drift_12m(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["EHA-DRIFT-12M"]
    if ep.type in spec.types and ep.allocated is not None:
        due = add(ep.allocated.date(), _span(spec))
        yield from _closing_clock(spec, ep, due, as_of, "EHA open for nearly a year or more")


def stepdown_meeting_10wd(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    yield from _one_off(
        t["STEPDOWN-MEETING-10WD"],
        ep,
        ep.stepdown_consultation,
        ep.stepdown_meeting,
        as_of,
        pending="No step-down meeting yet",
        done="Step-down meeting held",
    )


def stepdown_6m(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["STEPDOWN-6M"]
    if ep.type not in spec.types or ep.allocated is None:
        return
    due = ep.extension_approved_until or add(ep.allocated.date(), _span(spec))
    yield from _closing_clock(spec, ep, due, as_of, "Step-down EHA open for 6 months")


def up_6w(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["UP-6W"]
    if ep.type not in spec.types or ep.allocated is None:
        return
    cap = add(ep.allocated.date(), _span(t["UP-12W-MAX"]))
    due = add(ep.allocated.date(), _span(spec))
    if ep.extension_approved_until is not None:
        due = min(ep.extension_approved_until, cap)
    yield from _closing_clock(spec, ep, due, as_of, "Universal Plus work past its weeks")


def up_12w_max(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["UP-12W-MAX"]
    if ep.type in spec.types and ep.allocated is not None:
        due = add(ep.allocated.date(), _span(spec))
        yield from _closing_clock(
            spec, ep, due, as_of, "Universal Plus must step up to an EHA at 12 weeks"
        )


def ooc_assess_2w(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    yield from _one_off(
        t["OOC-ASSESS-2W"],
        ep,
        ep.allocated,
        ep.assessment_completed,
        as_of,
        pending="Out-of-court assessment not completed",
        done="Out-of-court assessment completed",
    )


def ooc_intervention_3m(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["OOC-INTERVENTION-3M"]
    if ep.type not in spec.types or ep.disposal == "turning_point":
        return
    if ep.assessment_completed is None:
        return
    due = add(ep.assessment_completed.date(), _span(spec))
    yield from _closing_clock(spec, ep, due, as_of, "Out-of-court intervention past 3 months")


def rhi_72h(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    both = (
        max(ep.assessment_completed, ep.qa_completed)
        if ep.assessment_completed is not None and ep.qa_completed is not None
        else None
    )
    pending = (
        "Manager's QA of the Return Home Interview not recorded"
        if ep.assessment_completed is not None
        else "Return Home Interview not held"
    )
    yield from _one_off(
        t["RHI-72H"],
        ep,
        ep.allocated,
        both,
        as_of,
        pending=pending,
        done="Return Home Interview and QA completed",
    )


def rhi_attempts_3(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["RHI-ATTEMPTS-3"]
    if ep.type not in spec.types or ep.allocated is None:
        return
    due = as_moment(add(ep.allocated, _span(spec)))
    interview = ep.assessment_completed
    if interview is not None and interview <= due:
        return
    attempts = sum(1 for c in ep.contacts if ep.allocated <= c.at <= due)
    if attempts >= (spec.limit or 3):
        return
    if as_of <= due:
        # No warning window in the protocol; one set in the settings is honoured.
        if pending_state(due, spec.warn, as_of) is State.DUE_SOON:
            tried = f"{attempts} contact attempt{'s' if attempts != 1 else ''}"
            message = f"Return Home Interview not held, {tried} so far: due {fmt(due)}"
            yield episode_finding(spec, State.DUE_SOON, due, ep, message)
        return
    tried = f"{attempts} contact attempt{'s' if attempts != 1 else ''}"
    if interview is not None:
        clock = Clock(State.LATE, due, interview)
        message = (
            f"Return Home Interview held {fmt(interview)} after {tried} in 72 hours "
            f"(due {fmt(due)})"
        )
        yield episode_finding(spec, clock.state, due, ep, message)
    else:
        message = f"Return Home Interview not held and only {tried} by {fmt(due)}"
        yield episode_finding(spec, State.OVERDUE, due, ep, message)


def _sessions_cap(spec: RuleSpec, ep: EpisodeSnap) -> Iterator[Finding]:
    if ep.type not in spec.types or ep.sessions_delivered is None:
        return
    limit = spec.limit or 6
    hard = spec.extended_limit or 12
    delivered = ep.sessions_delivered
    if delivered > hard or (delivered > limit and ep.extension_approved_until is None):
        allowed = hard if ep.extension_approved_until is not None else limit
        extension = "" if ep.extension_approved_until is not None else " without an extension"
        message = f"{delivered} sessions delivered{extension} (limit {allowed:g})"
        yield episode_finding(spec, State.OVER_LIMIT, None, ep, message)


def joint_6_sessions(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    if ep.closed is None:
        yield from _sessions_cap(t["JOINT-6-SESSIONS"], ep)


def up_sessions_6(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    if ep.closed is None:
        yield from _sessions_cap(t["UP-SESSIONS-6"], ep)


def ycc_breach(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["YCC-BREACH"]
    if ep.type not in spec.types or ep.disposal != "youth_conditional_caution":
        return
    dna = sum(1 for c in ep.contacts if c.outcome == "did_not_attend")
    if ep.closed is None and dna >= (spec.limit or 2):
        message = f"{dna} appointments not attended: consider a breach statement"
        yield episode_finding(spec, State.ADVICE, None, ep, message)


TIMESCALE_RULES: tuple[Rule, ...] = (
    eha_contact_2wd,
    eha_home_visit_7wd,
    eha_complete_6w,
    taf_initial_10wd,
    taf_review_12w,
    voc_4w,
    supervision_monthly,
    record_48h,
    eha_drift_12m,
    stepdown_meeting_10wd,
    stepdown_6m,
    up_6w,
    up_12w_max,
    joint_6_sessions,
    ooc_assess_2w,
    ooc_intervention_3m,
    ycc_breach,
    rhi_72h,
    rhi_attempts_3,
    up_sessions_6,
)

# The one-off milestones (§4 notes) whose on-time rates the data tracker shows.
MILESTONE_RULES: tuple[Rule, ...] = (
    eha_contact_2wd,
    eha_home_visit_7wd,
    eha_complete_6w,
    taf_initial_10wd,
    stepdown_meeting_10wd,
    ooc_assess_2w,
    rhi_72h,
    rhi_attempts_3,
    record_48h,
)

__all__ = ["MILESTONE_RULES", "TIMESCALE_RULES", "Rule", "Unit"]
