"""The picture as it stood at the as-of moment (PROTOCOL_RULES.md §2).

Anything dated after the as-of moment is ignored: a contact, a meeting, a
closure, a note finalised later. Date-only values count from 00:00 of their
day. Undated facts (documents, father recorded, session counts, agencies) are
read as they are now.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from ehtui.rules.clocks import as_moment
from ehtui.rules.model import EpisodeSnap


def _day(value: date | None, as_of: datetime) -> date | None:
    return value if value is not None and as_moment(value) <= as_of else None


def _moment(value: datetime | None, as_of: datetime) -> datetime | None:
    return value if value is not None and value <= as_of else None


def as_of_view(ep: EpisodeSnap, as_of: datetime) -> EpisodeSnap | None:
    """``ep`` as it stood at ``as_of``; None when it had not been referred yet."""
    if as_moment(ep.referral_received) > as_of:
        return None
    contacts = tuple(
        c if c.recorded_at is None or c.recorded_at <= as_of else replace(c, recorded_at=None)
        for c in ep.contacts
        if c.at <= as_of
    )
    allocated = _moment(ep.allocated, as_of)
    return replace(
        ep,
        lead=ep.lead if allocated is not None else None,
        allocated=allocated,
        engagement_confirmed=_day(ep.engagement_confirmed, as_of),
        eha_completed=_day(ep.eha_completed, as_of),
        assessment_completed=_moment(ep.assessment_completed, as_of),
        stepdown_consultation=_day(ep.stepdown_consultation, as_of),
        stepdown_meeting=_day(ep.stepdown_meeting, as_of),
        qa_completed=_moment(ep.qa_completed, as_of),
        closed=_day(ep.closed, as_of),
        closure_reason=ep.closure_reason if _day(ep.closed, as_of) else None,
        contacts=contacts,
        voices=tuple(v for v in ep.voices if v.at <= as_of),
        tafs=tuple(t for t in ep.tafs if t.at <= as_of),
        oversights=tuple(o for o in ep.oversights if o.at <= as_of),
    )


def is_open(ep: EpisodeSnap) -> bool:
    """Open at the as-of moment (call on an :func:`as_of_view`)."""
    return ep.closed is None
