"""The validations of PROTOCOL_RULES.md §7: refuse the action, say why, save nothing.

Each check is a small pure function returning ``None`` when the input is
acceptable, or one plain-words message that starts with the field it is about
(``"at: Fri 1 Jan 2027 10:00 is in the future"``). Callers pass the field name
they want named: a form passes its field's name, the import passes the JSON
path (``episodes[3].contacts[0].at``).

The import of history from another system applies only the date-sanity checks
(:func:`event_in_future`, :func:`event_before_referral`, :func:`dob_in_future`);
the checks of a person's judgement at the time (age limits, post-18 routes,
closing a plan as completed) belong to the forms and the closure flow.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol

from ehtui.calendar import age_on, format_day
from ehtui.vocab import EHA_TYPES, ClosureReason, EpisodeType, Post18Route, Source

POST18_ROUTES = ", ".join(route.label for route in Post18Route)


def describe(moment: date | datetime) -> str:
    """'Wed 14 Jan 2026' or 'Wed 14 Jan 2026 10:00'."""
    if isinstance(moment, datetime):
        return f"{format_day(moment.date())} {moment:%H:%M}"
    return format_day(moment)


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def event_in_future(at: date | datetime, now: datetime, *, field: str = "at") -> str | None:
    """A recorded event (contact, voice of the child, TAF meeting, oversight, a milestone)
    cannot be dated after now. A date alone is in the future when its day is after today."""
    future = at > now if isinstance(at, datetime) else at > now.date()
    return f"{field}: {describe(at)} is in the future" if future else None


def event_before_referral(
    at: date | datetime, referral_received: date, *, field: str = "at"
) -> str | None:
    """A contact, voice-of-child record, TAF meeting or oversight record cannot be dated
    before the episode's referral date (any time on the referral day is fine)."""
    if _day(at) < referral_received:
        return (
            f"{field}: {describe(at)} is before the episode's referral "
            f"({format_day(referral_received)})"
        )
    return None


def event_date(
    at: date | datetime, *, referral_received: date | None, now: datetime, field: str = "at"
) -> str | None:
    """Both event checks: not in the future, not before the referral."""
    problem = event_in_future(at, now, field=field)
    if problem is None and referral_received is not None:
        problem = event_before_referral(at, referral_received, field=field)
    return problem


def dob_in_future(dob: date | None, today: date, *, field: str = "dob") -> str | None:
    """A date of birth cannot be in the future."""
    if dob is not None and dob > today:
        return f"{field}: {format_day(dob)} is in the future"
    return None


def child_under_19(dob: date | None, referral_received: date, *, field: str = "dob") -> str | None:
    """A child in a new referral must be under 19 on the referral date (§23.1)."""
    if dob is None:
        return None
    age = age_on(dob, referral_received)
    if age >= 19:
        return (
            f"{field}: the young person is {age} on the referral date "
            f"({format_day(referral_received)}); Early Help works with children under 19"
        )
    return None


def post18_route_needed(
    dob: date | None,
    referral_received: date,
    route: str | None,
    *,
    field: str = "post18_route",
) -> str | None:
    """A young person aged 18 on the referral date needs one of the post-18 routes (§23.1);
    otherwise the answer is "refer to Adult Services"."""
    if dob is None or age_on(dob, referral_received) != 18:
        return None
    if route is None:
        return (
            f"{field}: the young person is 18 on the referral date; name a post-18 route "
            f"({POST18_ROUTES}), otherwise refer to Adult Services"
        )
    if route not in Post18Route.values():
        return f"{field}: {route!r} is not a post-18 route ({POST18_ROUTES})"
    return None


def rhi_child_under_18(
    dob: date | None, referral_received: date, *, field: str = "dob"
) -> str | None:
    """A Return Home Interview is for a child under 18 (§19.2)."""
    if dob is None:
        return None
    age = age_on(dob, referral_received)
    if age >= 18:
        return (
            f"{field}: a Return Home Interview is for a child under 18; "
            f"this young person is {age} on the referral date"
        )
    return None


class TafMeetingLike(Protocol):
    @property
    def at(self) -> datetime: ...

    @property
    def plan_ratified_complete(self) -> bool: ...


def plan_completed_needs_ratification(
    episode_type: str,
    closure_reason: str | None,
    taf_meetings: Iterable[TafMeetingLike],
    *,
    closed: date | None = None,
    field: str = "closure_reason",
) -> str | None:
    """Closing an EHA as "plan completed" needs the latest TAF meeting (held on or before
    the closure date, when one is given) to have ratified the plan as achieved (§7.3-7.4):
    an earlier ratification followed by a meeting that found further need does not count."""
    if closure_reason != ClosureReason.PLAN_COMPLETED or episode_type not in EHA_TYPES:
        return None
    # Meetings at the same moment keep their given (recorded) order: the later one counts.
    held = sorted(
        (m for m in taf_meetings if closed is None or m.at.date() <= closed), key=lambda m: m.at
    )
    latest = held[-1] if held else None
    if latest is not None and latest.plan_ratified_complete:
        return None
    if latest is not None and any(m.plan_ratified_complete for m in held):
        return (
            f'{field}: closing as "{ClosureReason.PLAN_COMPLETED.label}" needs the latest TAF '
            f"meeting to ratify the plan as achieved; the TAF of {describe(latest.at)} did not"
        )
    return (
        f'{field}: closing as "{ClosureReason.PLAN_COMPLETED.label}" needs a TAF meeting '
        "that ratified the plan as achieved"
    )


def osr_request_form_needed(
    episode_type: str,
    source: str,
    osr_request_form: date | None,
    *,
    field: str = "osr_request_form",
) -> str | None:
    """An OSR joint-work case records the date the 0-19 Request Form was sent
    (OSR §2.4, §4.5)."""
    if episode_type == EpisodeType.JOINT_WORK and source == Source.OSR and osr_request_form is None:
        return f"{field}: an OSR joint-work case needs the date the 0-19 Request Form was sent"
    return None
