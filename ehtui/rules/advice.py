"""Advice (PROTOCOL_RULES.md §8): things to consider now, with no deadline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from ehtui.calendar import add, subtract
from ehtui.rules.clocks import as_day, fmt
from ehtui.rules.emit import episode_finding
from ehtui.rules.model import EpisodeSnap, Finding, State
from ehtui.rules.table import RuleTable


def lp_transfer_consider(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["LP-TRANSFER-CONSIDER"]
    if ep.type not in spec.types:
        return
    reviews = [m for m in ep.tafs if m.kind == "review"]
    nth = int(spec.limit or 2)
    if len(reviews) >= nth:
        held = reviews[nth - 1]
        message = (
            f"TAF review {nth} held {fmt(held.at.date())}: consider transferring the "
            "Lead Professional role to a community professional"
        )
        yield episode_finding(spec, State.ADVICE, None, ep, message, record=held.ref)


def eha_threshold(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["EHA-THRESHOLD"]
    if ep.type in spec.types and len(ep.family.agencies) >= (spec.limit or 3):
        message = f"{len(ep.family.agencies)} agencies involved: an EHA may be needed"
        yield episode_finding(spec, State.ADVICE, None, ep, message)


def up_step_up(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["UP-STEP-UP"]
    max_span = t["UP-12W-MAX"].due
    if ep.type not in spec.types or ep.allocated is None or max_span is None:
        return
    if ep.extension_approved_until is None:
        return
    limit = as_day(add(ep.allocated.date(), max_span))
    opens = as_day(subtract(limit, spec.warn)) if spec.warn is not None else limit
    if as_of.date() >= opens:
        message = (
            f"Extended Universal Plus reaches 12 weeks {fmt(limit)}: "
            "plan the step-up to an EHA and a TAF"
        )
        yield episode_finding(spec, State.ADVICE, None, ep, message)


def radar_at_review(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["RADAR-AT-REVIEW"]
    if ep.type not in spec.types:
        return
    for meeting in ep.tafs:
        if meeting.kind == "review" and not meeting.radar_completed:
            message = f"TAF review of {fmt(meeting.at.date())} recorded without RADAR feedback"
            yield episode_finding(spec, State.ADVICE, None, ep, message, record=meeting.ref)


def contact_frequency(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["CONTACT-FREQUENCY"]
    if ep.type not in spec.types or ep.allocated is None or spec.due is None:
        return
    window = timedelta(days=spec.due.amount)
    allocated = ep.allocated.date()
    today = as_of.date()
    if (today - allocated) < window:
        return
    since = as_of - window
    made = sum(1 for c in ep.contacts if c.outcome == "completed" and since < c.at <= as_of)
    if ep.agreed_contacts_per_4_weeks is not None:
        expected = ep.agreed_contacts_per_4_weeks
        basis = "the plan's agreed"
    else:
        months = relativedelta(today, allocated)
        month = months.years * 12 + months.months + 1
        guide = t.contact_guide
        expected = guide[min(month, len(guide)) - 1]
        basis = f"the phased guide's month-{month}"
    if made < expected:
        message = (
            f"{made} completed contact{'s' if made != 1 else ''} in the last 28 days; "
            f"{basis} minimum is {expected}"
        )
        yield episode_finding(spec, State.ADVICE, None, ep, message)


ADVICE_RULES = (lp_transfer_consider, eha_threshold, up_step_up, radar_at_review, contact_frequency)
