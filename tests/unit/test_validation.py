"""The §7 validations of PROTOCOL_RULES.md, each with explicit dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ehtui import validation as v

NOW = datetime(2026, 3, 1, 23, 59, 59)
REFERRAL = date(2026, 1, 2)


@dataclass
class Meeting:
    at: datetime
    plan_ratified_complete: bool


# -- events: not in the future, not before the referral ----------------------


def test_event_in_the_future() -> None:
    assert v.event_in_future(datetime(2026, 3, 1, 23, 59, 59), NOW) is None
    assert (
        v.event_in_future(datetime(2026, 3, 2, 0, 0), NOW)
        == "at: Mon 2 Mar 2026 00:00 is in the future"
    )
    # a date alone is "in the future" only from tomorrow
    early = datetime(2026, 3, 1, 8, 0)
    assert v.event_in_future(date(2026, 3, 1), early) is None
    assert v.event_in_future(date(2026, 3, 2), NOW, field="closed") == (
        "closed: Mon 2 Mar 2026 is in the future"
    )


def test_event_before_the_referral() -> None:
    assert v.event_before_referral(datetime(2026, 1, 2, 0, 0), REFERRAL) is None
    assert v.event_before_referral(datetime(2026, 1, 1, 23, 59), REFERRAL, field="contact") == (
        "contact: Thu 1 Jan 2026 23:59 is before the episode's referral (Fri 2 Jan 2026)"
    )


def test_event_date_applies_both() -> None:
    assert v.event_date(datetime(2026, 2, 1, 10, 0), referral_received=REFERRAL, now=NOW) is None
    future = v.event_date(datetime(2026, 4, 1, 10, 0), referral_received=REFERRAL, now=NOW)
    assert future is not None and "in the future" in future
    early = v.event_date(datetime(2025, 12, 1, 10, 0), referral_received=REFERRAL, now=NOW)
    assert early is not None and "before the episode's referral" in early
    assert v.event_date(datetime(2025, 12, 1, 10, 0), referral_received=None, now=NOW) is None


# -- people --------------------------------------------------------------------


def test_dob_in_the_future() -> None:
    assert v.dob_in_future(date(2026, 3, 1), date(2026, 3, 1)) is None
    assert v.dob_in_future(None, date(2026, 3, 1)) is None
    assert (
        v.dob_in_future(date(2026, 3, 2), date(2026, 3, 1))
        == "dob: Mon 2 Mar 2026 is in the future"
    )


def test_child_must_be_under_19_on_the_referral_date() -> None:
    # 19th birthday on 3 Jan 2026: still 18 on the referral date (2 Jan)
    assert v.child_under_19(date(2007, 1, 3), REFERRAL) is None
    message = v.child_under_19(date(2007, 1, 2), REFERRAL)
    assert message == (
        "dob: the young person is 19 on the referral date (Fri 2 Jan 2026); "
        "Early Help works with children under 19"
    )
    assert v.child_under_19(None, REFERRAL) is None


def test_at_18_a_post18_route_is_needed() -> None:
    eighteen = date(2007, 6, 1)  # 18 on 2 Jan 2026
    seventeen = date(2008, 1, 3)  # 18 tomorrow
    assert v.post18_route_needed(seventeen, REFERRAL, None) is None
    message = v.post18_route_needed(eighteen, REFERRAL, None)
    assert message is not None
    assert message.startswith("post18_route: the young person is 18 on the referral date")
    assert message.endswith("otherwise refer to Adult Services")
    assert "Child looked after" in message
    assert v.post18_route_needed(eighteen, REFERRAL, "looked_after") is None
    assert v.post18_route_needed(eighteen, REFERRAL, "closed_within_3_months") is None
    bad = v.post18_route_needed(eighteen, REFERRAL, "university")
    assert bad is not None and bad.startswith("post18_route: 'university' is not a post-18 route")
    # 19 or over: the under-19 check speaks, not this one
    assert v.post18_route_needed(date(2006, 1, 1), REFERRAL, None) is None


def test_return_home_interview_is_for_a_child_under_18() -> None:
    assert v.rhi_child_under_18(date(2008, 1, 3), REFERRAL) is None  # 17, 18 tomorrow
    assert v.rhi_child_under_18(date(2008, 1, 2), REFERRAL) == (
        "dob: a Return Home Interview is for a child under 18; "
        "this young person is 18 on the referral date"
    )
    assert v.rhi_child_under_18(None, REFERRAL) is None


# -- closure and OSR ---------------------------------------------------------------


def test_plan_completed_needs_a_ratifying_taf() -> None:
    ratified = Meeting(datetime(2026, 2, 20, 10, 0), True)
    not_ratified = Meeting(datetime(2026, 2, 20, 10, 0), False)
    message = v.plan_completed_needs_ratification("eha", "plan_completed", [not_ratified])
    assert message == (
        'closure_reason: closing as "Plan completed" needs a TAF meeting '
        "that ratified the plan as achieved"
    )
    assert v.plan_completed_needs_ratification("eha", "plan_completed", []) == message
    assert v.plan_completed_needs_ratification("eha", "plan_completed", [ratified]) is None
    assert (
        v.plan_completed_needs_ratification("step_down_eha", "plan_completed", [ratified]) is None
    )
    # the ratifying meeting must come on or before the closure
    assert (
        v.plan_completed_needs_ratification(
            "eha", "plan_completed", [ratified], closed=date(2026, 2, 19)
        )
        == message
    )
    assert (
        v.plan_completed_needs_ratification(
            "eha", "plan_completed", [ratified], closed=date(2026, 2, 20)
        )
        is None
    )
    # other reasons and non-EHA episodes need no TAF
    assert v.plan_completed_needs_ratification("eha", "disengaged", []) is None
    assert v.plan_completed_needs_ratification("universal_plus", "plan_completed", []) is None


def test_osr_joint_work_records_the_request_form_date() -> None:
    assert v.osr_request_form_needed("joint_work", "osr", None) == (
        "osr_request_form: an OSR joint-work case needs the date the 0-19 Request Form was sent"
    )
    assert v.osr_request_form_needed("joint_work", "osr", date(2026, 1, 9)) is None
    assert v.osr_request_form_needed("joint_work", "mash", None) is None
    assert v.osr_request_form_needed("eha", "osr", None) is None
