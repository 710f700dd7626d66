"""Timescale rules (PROTOCOL_RULES.md §4), as tables of dates.

Unless a row says otherwise the episode is an EHA allocated Mon 5 Jan 2026
09:30 (tests/unit/builders.py). Each row: what happened, the as-of date, and
the findings expected for the rule: [(state, due)].
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.builders import contact, episode, findings, oversight, states, taf, voice

E = episode
NONE: list[Any] = []


def case(id: str, ep: Any, when: str, expected: list[tuple[str, str | None]]) -> Any:
    return pytest.param(ep, when, expected, id=id)


def check(rule: str, ep: Any, when: str, expected: list[tuple[str, str | None]]) -> None:
    assert states(ep, when, rule) == expected


# ---------------------------------------------------------------- EHA-CONTACT-2WD
# Allocated Mon 5 Jan → due Wed 7 Jan (2 working days); warning from Tue 6 Jan.
@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("met on time", E(contacts=[contact("2026-01-06")]), "2026-01-20", NONE),
        case(
            "met late",
            E(contacts=[contact("2026-01-08")]),
            "2026-01-20",
            [("late", "2026-01-07")],
        ),
        case("before the window", E(), "2026-01-05", NONE),
        case("inside the window", E(), "2026-01-06", [("due_soon", "2026-01-07")]),
        case("on the due date", E(), "2026-01-07", [("due_soon", "2026-01-07")]),
        case("the day after", E(), "2026-01-08", [("overdue", "2026-01-07")]),
        case(
            "partner agency contact does not count",
            E(contacts=[contact("2026-01-06", method="partner_agency")]),
            "2026-01-08",
            [("overdue", "2026-01-07")],
        ),
        case(
            "an attempt does not count",
            E(contacts=[contact("2026-01-06", outcome="no_answer")]),
            "2026-01-08",
            [("overdue", "2026-01-07")],
        ),
        case(
            "a contact after the as-of date is ignored",
            E(contacts=[contact("2026-01-09")]),
            "2026-01-08",
            [("overdue", "2026-01-07")],
        ),
        case(
            "Christmas: allocated Thu 24 Dec → due Wed 30 Dec",
            E(allocated="2026-12-24T09:00", referral_received="2026-12-23"),
            "2026-12-30",
            [("due_soon", "2026-12-30")],
        ),
        case(
            "Christmas: overdue on Thu 31 Dec",
            E(allocated="2026-12-24T09:00", referral_received="2026-12-23"),
            "2026-12-31",
            [("overdue", "2026-12-30")],
        ),
        case(
            "Good Friday: allocated Fri 3 Apr → due Wed 8 Apr",
            E(allocated="2026-04-03T09:00", referral_received="2026-04-01"),
            "2026-04-08",
            [("due_soon", "2026-04-08")],
        ),
        case("not allocated: no clock", E(allocated=None, lead=None), "2026-03-01", NONE),
        case(
            "step-down EHA too",
            E(type="step_down_eha"),
            "2026-01-08",
            [("overdue", "2026-01-07")],
        ),
        case("not for Universal Plus", E(type="universal_plus"), "2026-01-08", NONE),
    ],
)
def test_eha_contact_2wd(ep: Any, when: str, expected: Any) -> None:
    check("EHA-CONTACT-2WD", ep, when, expected)


# ------------------------------------------------------------- EHA-HOME-VISIT-7WD
# Allocated Mon 5 Jan → due Wed 14 Jan (7 working days); warning from Mon 12 Jan.
@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("met on time", E(contacts=[contact("2026-01-13", "home_visit")]), "2026-02-01", NONE),
        case(
            "met late",
            E(contacts=[contact("2026-01-16", "home_visit")]),
            "2026-02-01",
            [("late", "2026-01-14")],
        ),
        case("before the window", E(), "2026-01-09", NONE),
        case("inside the window", E(), "2026-01-12", [("due_soon", "2026-01-14")]),
        case("on the due date", E(), "2026-01-14", [("due_soon", "2026-01-14")]),
        case("the day after", E(), "2026-01-15", [("overdue", "2026-01-14")]),
        case(
            "a telephone call is not a home visit",
            E(contacts=[contact("2026-01-06")]),
            "2026-01-15",
            [("overdue", "2026-01-14")],
        ),
        case(
            "a visit with no answer is not a visit",
            E(contacts=[contact("2026-01-13", "home_visit", outcome="no_answer")]),
            "2026-01-15",
            [("overdue", "2026-01-14")],
        ),
        case(
            "Easter: allocated Good Friday 3 Apr → due Wed 15 Apr",
            E(allocated="2026-04-03T09:00", referral_received="2026-04-01"),
            "2026-04-16",
            [("overdue", "2026-04-15")],
        ),
    ],
)
def test_eha_home_visit_7wd(ep: Any, when: str, expected: Any) -> None:
    check("EHA-HOME-VISIT-7WD", ep, when, expected)


def test_home_visit_messages_are_plain_words() -> None:
    (overdue,) = findings(E(), "2026-01-15", "EHA-HOME-VISIT-7WD")
    assert overdue.message == "No home visit yet: was due Wed 14 Jan 2026"
    assert overdue.section == "§6.1"
    assert (overdue.episode, overdue.family, overdue.practitioner) == ("E1", "F1", "P1")
    (late,) = findings(
        E(contacts=[contact("2026-01-16", "home_visit", ref="K9")]),
        "2026-02-01",
        "EHA-HOME-VISIT-7WD",
    )
    assert late.message == (
        "Home visit held Fri 16 Jan 2026, 2 working days late (due Wed 14 Jan 2026)"
    )
    assert late.record == "K9"


# ---------------------------------------------------------------- EHA-COMPLETE-6W
# Allocated 5 Jan → due Mon 16 Feb (6 weeks); warning 7 days, from Mon 9 Feb.
@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("met on time", E(eha_completed="2026-02-10"), "2026-03-01", NONE),
        case("met late", E(eha_completed="2026-02-18"), "2026-03-01", [("late", "2026-02-16")]),
        case("before the window", E(), "2026-02-08", NONE),
        case("inside the window", E(), "2026-02-09", [("due_soon", "2026-02-16")]),
        case("on the due date", E(), "2026-02-16", [("due_soon", "2026-02-16")]),
        case("the day after", E(), "2026-02-17", [("overdue", "2026-02-16")]),
        case(
            "completion recorded after the as-of date is ignored",
            E(eha_completed="2026-02-18"),
            "2026-02-17",
            [("overdue", "2026-02-16")],
        ),
    ],
)
def test_eha_complete_6w(ep: Any, when: str, expected: Any) -> None:
    check("EHA-COMPLETE-6W", ep, when, expected)


# --------------------------------------------------------------- TAF-INITIAL-10WD
# EHA completed Mon 2 Feb → due Mon 16 Feb (10 working days); warning from Wed 11 Feb.
DONE = {"eha_completed": "2026-02-02"}


@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("met on time", E(**DONE, tafs=[taf("2026-02-13")]), "2026-03-01", NONE),
        case(
            "met late",
            E(**DONE, tafs=[taf("2026-02-18")]),
            "2026-03-01",
            [("late", "2026-02-16")],
        ),
        case("before the window", E(**DONE), "2026-02-10", NONE),
        case("inside the window", E(**DONE), "2026-02-11", [("due_soon", "2026-02-16")]),
        case("on the due date", E(**DONE), "2026-02-16", [("due_soon", "2026-02-16")]),
        case("the day after", E(**DONE), "2026-02-17", [("overdue", "2026-02-16")]),
        case("no EHA completed: no clock", E(), "2026-06-01", NONE),
        case(
            "a first meeting of kind review still counts",
            E(**DONE, tafs=[taf("2026-02-13", kind="review")]),
            "2026-03-01",
            NONE,
        ),
    ],
)
def test_taf_initial_10wd(ep: Any, when: str, expected: Any) -> None:
    check("TAF-INITIAL-10WD", ep, when, expected)


# ----------------------------------------------------------------- TAF-REVIEW-12W
# Initial TAF Tue 10 Feb → review due Tue 5 May (12 weeks); warning 14 days, from 21 Apr.
INITIAL = taf("2026-02-10", ref="T1")


@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("no TAF yet: no review clock", E(**DONE), "2026-06-01", NONE),
        case(
            "met on time",
            E(**DONE, tafs=[INITIAL, taf("2026-05-01", "review")]),
            "2026-05-10",
            NONE,
        ),
        case(
            "met late, and the next clock runs from the late review",
            E(**DONE, tafs=[INITIAL, taf("2026-05-08", "review")]),
            "2026-07-20",
            [("due_soon", "2026-07-31"), ("late", "2026-05-05")],
        ),
        case("before the window", E(**DONE, tafs=[INITIAL]), "2026-04-20", NONE),
        case(
            "inside the window",
            E(**DONE, tafs=[INITIAL]),
            "2026-04-21",
            [("due_soon", "2026-05-05")],
        ),
        case(
            "on the due date", E(**DONE, tafs=[INITIAL]), "2026-05-05", [("due_soon", "2026-05-05")]
        ),
        case("the day after", E(**DONE, tafs=[INITIAL]), "2026-05-06", [("overdue", "2026-05-05")]),
    ],
)
def test_taf_review_12w(ep: Any, when: str, expected: Any) -> None:
    check("TAF-REVIEW-12W", ep, when, expected)


# -------------------------------------------------------------------------- VOC-4W
# Allocated 5 Jan → first record per child due Mon 2 Feb; warning from Mon 26 Jan.
@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("met on time", E(voices=[voice("2026-01-28")]), "2026-02-10", NONE),
        case(
            "met late",
            E(voices=[voice("2026-02-04")]),
            "2026-02-10",
            [("late", "2026-02-02")],
        ),
        case("before the window", E(), "2026-01-25", NONE),
        case("inside the window", E(), "2026-01-26", [("due_soon", "2026-02-02")]),
        case("on the due date", E(), "2026-02-02", [("due_soon", "2026-02-02")]),
        case("the day after", E(), "2026-02-03", [("overdue", "2026-02-02")]),
        case(
            "every 4 weeks: the next is due 4 weeks after the last",
            E(voices=[voice("2026-01-28")]),
            "2026-02-25",
            [("due_soon", "2026-02-25")],
        ),
    ],
)
def test_voc_4w(ep: Any, when: str, expected: Any) -> None:
    check("VOC-4W", ep, when, expected)


def test_voc_4w_is_per_child() -> None:
    from tests.unit.builders import child

    amara = child("C2", "Amara")
    ep = E(children=[child(), amara], voices=[voice("2026-01-20", "C1")])
    found = findings(ep, "2026-02-03", "VOC-4W")
    assert [(f.child, str(f.state)) for f in found] == [("C2", "overdue")]
    assert "Amara" in found[0].message


# ------------------------------------------------------------ SUPERVISION-MONTHLY
# Allocated 5 Jan → due Thu 5 Feb (1 month); warning 7 days, from Thu 29 Jan.
@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("met on time", E(oversights=[oversight("2026-02-02")]), "2026-02-20", NONE),
        case(
            "met late",
            E(oversights=[oversight("2026-02-09")]),
            "2026-02-20",
            [("late", "2026-02-05")],
        ),
        case(
            "group supervision counts",
            E(oversights=[oversight("2026-02-02", "group_supervision")]),
            "2026-02-20",
            NONE,
        ),
        case(
            "a desk discussion is not supervision",
            E(oversights=[oversight("2026-02-02", "desk_discussion")]),
            "2026-02-06",
            [("overdue", "2026-02-05")],
        ),
        case("before the window", E(), "2026-01-28", NONE),
        case("inside the window", E(), "2026-01-29", [("due_soon", "2026-02-05")]),
        case("on the due date", E(), "2026-02-05", [("due_soon", "2026-02-05")]),
        case("the day after", E(), "2026-02-06", [("overdue", "2026-02-05")]),
        case(
            "month end: allocated 31 Jan → due 28 Feb",
            E(allocated="2026-01-31T09:00", referral_received="2026-01-30"),
            "2026-03-01",
            [("overdue", "2026-02-28")],
        ),
    ],
)
def test_supervision_monthly(ep: Any, when: str, expected: Any) -> None:
    check("SUPERVISION-MONTHLY", ep, when, expected)


# ---------------------------------------------------------------------- RECORD-48H
# Contact Tue 6 Jan 10:00 → note due Thu 8 Jan 10:00; warning 12 hours, from Wed 22:00.
def note(recorded: str | bool | None) -> Any:
    return E(contacts=[contact("2026-01-06T10:00", recorded_at=recorded, ref="K1")])


@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("finalised on time", note("2026-01-08T09:00"), "2026-01-20", NONE),
        case(
            "finalised late",
            note("2026-01-08T12:00"),
            "2026-01-20",
            [("late", "2026-01-08T10:00:00")],
        ),
        case("before the window", note(None), "2026-01-07T21:59", NONE),
        case(
            "inside the window",
            note(None),
            "2026-01-07T22:00",
            [("due_soon", "2026-01-08T10:00:00")],
        ),
        case(
            "at the due time", note(None), "2026-01-08T10:00", [("due_soon", "2026-01-08T10:00:00")]
        ),
        case(
            "a minute after", note(None), "2026-01-08T10:01", [("overdue", "2026-01-08T10:00:00")]
        ),
        case(
            "finalised after the as-of moment counts as a draft then",
            note("2026-01-09T12:00"),
            "2026-01-08T12:00",
            [("overdue", "2026-01-08T10:00:00")],
        ),
        case(
            "applies to every episode type",
            E(type="rhi", contacts=[contact("2026-01-06T10:00", recorded_at=None)]),
            "2026-01-09",
            [("overdue", "2026-01-08T10:00:00")],
        ),
    ],
)
def test_record_48h(ep: Any, when: str, expected: Any) -> None:
    check("RECORD-48H", ep, when, expected)


def test_record_48h_names_the_contact() -> None:
    (f,) = findings(note(None), "2026-01-09", "RECORD-48H")
    assert f.record == "K1"
    assert f.due is not None and f.to_json()["due"] == "2026-01-08T10:00:00"


# ------------------------------------------------------------------- EHA-DRIFT-12M
# Allocated 5 Jan 2026 → close by 5 Jan 2027; warning 1 month, from 5 Dec 2026.
@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("before the window", E(), "2026-12-04", NONE),
        case("inside the window", E(), "2026-12-05", [("due_soon", "2027-01-05")]),
        case("on the due date", E(), "2027-01-05", [("due_soon", "2027-01-05")]),
        case("the day after", E(), "2027-01-06", [("overdue", "2027-01-05")]),
        case(
            "closed late: no late state",
            E(closed="2027-02-01", closure_reason="plan_completed"),
            "2027-03-01",
            NONE,
        ),
    ],
)
def test_eha_drift_12m(ep: Any, when: str, expected: Any) -> None:
    check("EHA-DRIFT-12M", ep, when, expected)


# ------------------------------------------------------------ STEPDOWN-MEETING-10WD
# Consultation Mon 5 Jan → meeting due Mon 19 Jan (10 working days); warning from Wed 14 Jan.
SD = {"type": "step_down_eha", "source": "step_down_csc", "stepdown_consultation": "2026-01-05"}


@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("met on time", E(**SD, stepdown_meeting="2026-01-16"), "2026-02-01", NONE),
        case(
            "met late",
            E(**SD, stepdown_meeting="2026-01-21"),
            "2026-02-01",
            [("late", "2026-01-19")],
        ),
        case("before the window", E(**SD), "2026-01-13", NONE),
        case("inside the window", E(**SD), "2026-01-14", [("due_soon", "2026-01-19")]),
        case("on the due date", E(**SD), "2026-01-19", [("due_soon", "2026-01-19")]),
        case("the day after", E(**SD), "2026-01-20", [("overdue", "2026-01-19")]),
        case("not for an ordinary EHA", E(stepdown_consultation="2026-01-05"), "2026-01-20", NONE),
    ],
)
def test_stepdown_meeting_10wd(ep: Any, when: str, expected: Any) -> None:
    check("STEPDOWN-MEETING-10WD", ep, when, expected)


# ---------------------------------------------------------------------- STEPDOWN-6M
# Allocated 5 Jan → close by 5 Jul (6 months); warning 1 month, from 5 Jun.
@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("before the window", E(**SD), "2026-06-04", NONE),
        case("inside the window", E(**SD), "2026-06-05", [("due_soon", "2026-07-05")]),
        case("on the due date", E(**SD), "2026-07-05", [("due_soon", "2026-07-05")]),
        case("the day after", E(**SD), "2026-07-06", [("overdue", "2026-07-05")]),
        case(
            "an approved extension moves the date",
            E(**SD, extension_approved_until="2026-09-30"),
            "2026-07-06",
            NONE,
        ),
        case(
            "past the extension",
            E(**SD, extension_approved_until="2026-09-30"),
            "2026-10-01",
            [("overdue", "2026-09-30")],
        ),
        case(
            "closed in time",
            E(**SD, closed="2026-06-30", closure_reason="plan_completed"),
            "2026-07-06",
            NONE,
        ),
    ],
)
def test_stepdown_6m(ep: Any, when: str, expected: Any) -> None:
    check("STEPDOWN-6M", ep, when, expected)


# ------------------------------------------------------------- UP-6W and UP-12W-MAX
# Universal Plus allocated 5 Jan → 6 weeks: Mon 16 Feb (warn 7 days);
# 12 weeks: Mon 30 Mar (warn 14 days).
UP = {"type": "universal_plus", "source": "universal_plus_form"}


@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("before the window", E(**UP), "2026-02-08", NONE),
        case("inside the window", E(**UP), "2026-02-09", [("due_soon", "2026-02-16")]),
        case("on the due date", E(**UP), "2026-02-16", [("due_soon", "2026-02-16")]),
        case("the day after", E(**UP), "2026-02-17", [("overdue", "2026-02-16")]),
        case(
            "an extension moves the date",
            E(**UP, extension_approved_until="2026-03-09"),
            "2026-02-17",
            NONE,
        ),
        case(
            "an extension is capped at 12 weeks",
            E(**UP, extension_approved_until="2026-06-01"),
            "2026-03-31",
            [("overdue", "2026-03-30")],
        ),
        case(
            "closed in time",
            E(**UP, closed="2026-02-10", closure_reason="stepped_down_universal"),
            "2026-03-01",
            NONE,
        ),
    ],
)
def test_up_6w(ep: Any, when: str, expected: Any) -> None:
    check("UP-6W", ep, when, expected)


@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case(
            "before the window", E(**UP, extension_approved_until="2026-03-30"), "2026-03-15", NONE
        ),
        case("inside the window", E(**UP), "2026-03-16", [("due_soon", "2026-03-30")]),
        case("on the due date", E(**UP), "2026-03-30", [("due_soon", "2026-03-30")]),
        case(
            "the day after, whatever was approved",
            E(**UP, extension_approved_until="2026-06-01"),
            "2026-03-31",
            [("overdue", "2026-03-30")],
        ),
    ],
)
def test_up_12w_max(ep: Any, when: str, expected: Any) -> None:
    check("UP-12W-MAX", ep, when, expected)


# ------------------------------------------------------- session caps (over_limit)
@pytest.mark.parametrize(
    ("rule", "kind", "delivered", "extension", "expected"),
    [
        ("JOINT-6-SESSIONS", "joint_work", 6, None, NONE),
        ("JOINT-6-SESSIONS", "joint_work", 7, None, [("over_limit", None)]),
        ("JOINT-6-SESSIONS", "joint_work", 7, "2026-03-01", NONE),
        ("JOINT-6-SESSIONS", "joint_work", 12, "2026-03-01", NONE),
        ("JOINT-6-SESSIONS", "joint_work", 13, "2026-03-01", [("over_limit", None)]),
        ("UP-SESSIONS-6", "universal_plus", 6, None, NONE),
        ("UP-SESSIONS-6", "universal_plus", 7, None, [("over_limit", None)]),
        ("UP-SESSIONS-6", "universal_plus", 9, "2026-03-01", NONE),
        ("UP-SESSIONS-6", "universal_plus", 13, "2026-03-01", [("over_limit", None)]),
    ],
)
def test_session_caps(
    rule: str, kind: str, delivered: int, extension: str | None, expected: Any
) -> None:
    ep = E(type=kind, sessions_delivered=delivered, extension_approved_until=extension)
    check(rule, ep, "2026-01-20", expected)


# ------------------------------------------------------------------- OOC-ASSESS-2W
# Out-of-court allocated 5 Jan → assessment due Mon 19 Jan (2 weeks); warn 3 days, from Fri 16.
OOC = {"type": "out_of_court", "source": "police", "disposal": "triage"}


@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("met on time", E(**OOC, assessment_completed="2026-01-15"), "2026-02-01", NONE),
        case(
            "met late",
            E(**OOC, assessment_completed="2026-01-21"),
            "2026-02-01",
            [("late", "2026-01-19")],
        ),
        case("before the window", E(**OOC), "2026-01-15", NONE),
        case("inside the window", E(**OOC), "2026-01-16", [("due_soon", "2026-01-19")]),
        case("on the due date", E(**OOC), "2026-01-19", [("due_soon", "2026-01-19")]),
        case("the day after", E(**OOC), "2026-01-20", [("overdue", "2026-01-19")]),
    ],
)
def test_ooc_assess_2w(ep: Any, when: str, expected: Any) -> None:
    check("OOC-ASSESS-2W", ep, when, expected)


# ------------------------------------------------------------- OOC-INTERVENTION-3M
# Assessment Thu 15 Jan → close by Wed 15 Apr (3 months); warning 14 days, from 1 Apr.
ASSESSED = {**OOC, "assessment_completed": "2026-01-15"}


@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case("before the window", E(**ASSESSED), "2026-03-31", NONE),
        case("inside the window", E(**ASSESSED), "2026-04-01", [("due_soon", "2026-04-15")]),
        case("on the due date", E(**ASSESSED), "2026-04-15", [("due_soon", "2026-04-15")]),
        case("the day after", E(**ASSESSED), "2026-04-16", [("overdue", "2026-04-15")]),
        case(
            "not for Turning Point",
            E(**{**ASSESSED, "disposal": "turning_point"}),
            "2026-04-16",
            NONE,
        ),
        case(
            "closed: no late state",
            E(**ASSESSED, closed="2026-05-01", closure_reason="plan_completed"),
            "2026-06-01",
            NONE,
        ),
    ],
)
def test_ooc_intervention_3m(ep: Any, when: str, expected: Any) -> None:
    check("OOC-INTERVENTION-3M", ep, when, expected)


@pytest.mark.parametrize(
    ("disposal", "dna", "expected"),
    [
        ("youth_conditional_caution", 2, [("advice", None)]),
        ("youth_conditional_caution", 1, NONE),
        ("youth_caution", 3, NONE),
    ],
)
def test_ycc_breach(disposal: str, dna: int, expected: Any) -> None:
    contacts = [contact(f"2026-01-{7 + i:02d}", outcome="did_not_attend") for i in range(dna)]
    ep = E(**{**OOC, "disposal": disposal}, contacts=contacts)
    check("YCC-BREACH", ep, "2026-01-20", expected)


# ------------------------------------------------------------ RHI-72H, RHI-ATTEMPTS-3
# Allocated Mon 5 Jan 09:30 → due Thu 8 Jan 09:30 (72 hours); warning 12 hours, from Wed 21:30.
RHI = {"type": "rhi", "source": "police"}
DUE = "2026-01-08T09:30:00"


@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case(
            "interview and QA on time",
            E(**RHI, assessment_completed="2026-01-07T10:00", qa_completed="2026-01-08T09:00"),
            "2026-01-20",
            NONE,
        ),
        case(
            "QA late",
            E(**RHI, assessment_completed="2026-01-07T10:00", qa_completed="2026-01-08T11:00"),
            "2026-01-20",
            [("late", DUE)],
        ),
        case(
            "QA given as a date alone counts from 00:00",
            E(**RHI, assessment_completed="2026-01-07T10:00", qa_completed="2026-01-08"),
            "2026-01-20",
            NONE,
        ),
        case("before the window", E(**RHI), "2026-01-07T21:29", NONE),
        case("inside the window", E(**RHI), "2026-01-07T21:30", [("due_soon", DUE)]),
        case("at the due time", E(**RHI), "2026-01-08T09:30", [("due_soon", DUE)]),
        case(
            "after it, interview held but no QA",
            E(**RHI, assessment_completed="2026-01-07T10:00"),
            "2026-01-08T09:31",
            [("overdue", DUE)],
        ),
    ],
)
def test_rhi_72h(ep: Any, when: str, expected: Any) -> None:
    check("RHI-72H", ep, when, expected)


def attempts(n: int) -> list[Any]:
    return [contact(f"2026-01-0{6 + i}T08:00", outcome="no_answer") for i in range(n)]


@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        case(
            "interview within 72 hours",
            E(**RHI, assessment_completed="2026-01-07T10:00"),
            "2026-01-20",
            NONE,
        ),
        case("three attempts within 72 hours", E(**RHI, contacts=attempts(3)), "2026-01-20", NONE),
        case(
            "two attempts, no interview, before 72 hours",
            E(**RHI, contacts=attempts(2)),
            "2026-01-08T09:00",
            NONE,
        ),
        case(
            "two attempts, no interview, after 72 hours",
            E(**RHI, contacts=attempts(2)),
            "2026-01-09",
            [("overdue", DUE)],
        ),
        case(
            "two attempts then a late interview",
            E(**RHI, contacts=attempts(2), assessment_completed="2026-01-12T10:00"),
            "2026-01-20",
            [("late", DUE)],
        ),
    ],
)
def test_rhi_attempts_3(ep: Any, when: str, expected: Any) -> None:
    check("RHI-ATTEMPTS-3", ep, when, expected)


# --------------------------------------------------------------- closed episodes
def test_a_closed_episode_keeps_only_its_late_history() -> None:
    ep = E(
        contacts=[contact("2026-01-08"), contact("2026-01-16", "home_visit")],
        closed="2026-02-01",
        closure_reason="disengaged",
    )
    found = findings(ep, "2026-06-01")
    # Unmet clocks (voice of the child, supervision, EHA completion) say nothing
    # once it is closed; the two milestones met late stay as compliance history.
    assert [(f.rule, str(f.state)) for f in found] == [
        ("EHA-CONTACT-2WD", "late"),
        ("EHA-HOME-VISIT-7WD", "late"),
    ]


def test_a_closure_after_the_as_of_date_leaves_the_episode_open_then() -> None:
    ep = E(closed="2026-03-01", closure_reason="disengaged")
    assert states(ep, "2026-01-15", "EHA-HOME-VISIT-7WD") == [("overdue", "2026-01-14")]
    assert states(ep, "2026-03-02", "EHA-HOME-VISIT-7WD") == []


def test_an_episode_referred_after_the_as_of_date_is_not_there() -> None:
    assert findings(E(referral_received="2026-02-01"), "2026-01-31") == []


# ------------------------------------------------------------------- more edge cases
# Each row: rule, the episode, the as-of date, the expected [(state, due)].
@pytest.mark.parametrize(
    ("rule", "ep", "when", "expected"),
    [
        pytest.param(
            "TAF-INITIAL-10WD",
            E(eha_completed="2026-12-18"),
            "2027-01-06",
            [("due_soon", "2027-01-06")],
            id="TAF: EHA done Fri 18 Dec 2026, 10 wd over Christmas and New Year → Wed 6 Jan",
        ),
        pytest.param(
            "TAF-INITIAL-10WD",
            E(eha_completed="2026-12-18"),
            "2027-01-07",
            [("overdue", "2027-01-06")],
            id="TAF: overdue on Thu 7 Jan 2027",
        ),
        pytest.param(
            "TAF-INITIAL-10WD",
            E(eha_completed="2026-12-18"),
            "2026-12-31",
            [("due_soon", "2027-01-06")],
            id="TAF: warning 3 wd back over New Year's Day, from Thu 31 Dec",
        ),
        pytest.param(
            "TAF-INITIAL-10WD",
            E(eha_completed="2026-12-18"),
            "2026-12-30",
            NONE,
            id="TAF: not yet on Wed 30 Dec",
        ),
        pytest.param(
            "EHA-HOME-VISIT-7WD",
            E(contacts=[contact("2026-01-14T18:00", "home_visit")]),
            "2026-01-20",
            NONE,
            id="home visit: any time on the due date is on time",
        ),
        pytest.param(
            "EHA-CONTACT-2WD",
            E(allocated="2026-12-24T09:00", referral_received="2026-12-23"),
            "2026-12-29",
            [("due_soon", "2026-12-30")],
            id="Christmas: warning 1 wd back over the bank holidays: Tue 29 Dec",
        ),
        pytest.param(
            "EHA-CONTACT-2WD",
            E(allocated="2026-12-24T09:00", referral_received="2026-12-23"),
            "2026-12-28",
            NONE,
            id="Christmas: nothing on the Boxing Day holiday (Mon 28 Dec)",
        ),
        pytest.param(
            "VOC-4W",
            E(voices=[voice("2026-02-04")]),
            "2026-02-03",
            [("overdue", "2026-02-02")],
            id="voice: a record after the as-of date is ignored",
        ),
        pytest.param(
            "VOC-4W",
            E(voices=[voice("2026-01-03")]),
            "2026-02-03",
            [("overdue", "2026-02-02")],
            id="voice: a record before allocation does not start the clock early",
        ),
        pytest.param(
            "VOC-4W",
            E(voices=[voice("2026-01-28"), voice("2026-03-04")]),
            "2026-03-10",
            [("late", "2026-02-25")],
            id="voice: each interval met late is a late finding",
        ),
        pytest.param(
            "SUPERVISION-MONTHLY",
            E(oversights=[oversight("2026-02-02"), oversight("2026-03-02")]),
            "2026-03-27",
            [("due_soon", "2026-04-02")],
            id="supervision: the clock runs from the latest record",
        ),
        pytest.param(
            "SUPERVISION-MONTHLY",
            E(oversights=[oversight("2026-01-02")]),
            "2026-02-06",
            [("overdue", "2026-02-05")],
            id="supervision: a record before allocation does not count",
        ),
        pytest.param(
            "EHA-DRIFT-12M",
            E(closed="2026-12-20", closure_reason="plan_completed"),
            "2027-02-01",
            NONE,
            id="drift: closed in time",
        ),
        pytest.param(
            "STEPDOWN-6M",
            E(**SD, allocated="2026-08-31T09:00", referral_received="2026-08-28"),
            "2027-03-01",
            [("overdue", "2027-02-28")],
            id="step-down: month end, 31 Aug + 6 months = 28 Feb",
        ),
        pytest.param(
            "STEPDOWN-6M",
            E(**SD, allocated="2026-08-31T09:00", referral_received="2026-08-28"),
            "2027-01-28",
            [("due_soon", "2027-02-28")],
            id="step-down: warning 1 month back from 28 Feb: 28 Jan",
        ),
        pytest.param(
            "UP-12W-MAX",
            E(**UP, closed="2026-03-20", closure_reason="stepped_up_eha"),
            "2026-04-01",
            NONE,
            id="UP 12 weeks: stepped up in time",
        ),
        pytest.param(
            "UP-6W",
            E(**UP, extension_approved_until="2026-03-09"),
            "2026-03-02",
            [("due_soon", "2026-03-09")],
            id="UP 6 weeks: the warning runs back from the extension's end",
        ),
        pytest.param(
            "OOC-ASSESS-2W",
            E(**OOC, assessment_completed="2026-01-21"),
            "2026-01-20",
            [("overdue", "2026-01-19")],
            id="OOC: an assessment after the as-of date is ignored",
        ),
        pytest.param(
            "OOC-INTERVENTION-3M",
            E(**OOC),
            "2026-09-01",
            NONE,
            id="OOC: no 3-month clock before the assessment",
        ),
        pytest.param(
            "RHI-72H",
            E(**RHI, assessment_completed="2026-01-07T10:00", qa_completed="2026-01-08T09:00"),
            "2026-01-08T08:00",
            [("due_soon", DUE)],
            id="RHI: a QA recorded after the as-of moment is not there yet",
        ),
        pytest.param(
            "RHI-ATTEMPTS-3",
            E(**RHI, contacts=[*attempts(2), contact("2026-01-08T10:00", outcome="no_answer")]),
            "2026-01-09",
            [("overdue", DUE)],
            id="RHI attempts: a third attempt after 72 hours does not count",
        ),
        pytest.param(
            "RHI-ATTEMPTS-3",
            E(**RHI, contacts=[*attempts(2), contact("2026-01-08T09:30", outcome="completed")]),
            "2026-01-09",
            NONE,
            id="RHI attempts: an attempt exactly at 72 hours counts, any outcome",
        ),
        pytest.param(
            "RHI-ATTEMPTS-3",
            E(**RHI, contacts=attempts(2)),
            "2026-01-08T09:30",
            NONE,
            id="RHI attempts: no warning window, nothing at the due time",
        ),
        pytest.param(
            "YCC-BREACH",
            E(
                type="out_of_court",
                disposal="youth_conditional_caution",
                contacts=[
                    contact("2026-01-07", outcome="did_not_attend"),
                    contact("2026-01-12", outcome="did_not_attend"),
                ],
            ),
            "2026-01-10",
            NONE,
            id="YCC: a missed appointment after the as-of date is ignored",
        ),
        pytest.param(
            "JOINT-6-SESSIONS",
            E(
                type="joint_work",
                sessions_delivered=9,
                closed="2026-01-15",
                closure_reason="plan_completed",
            ),
            "2026-01-20",
            NONE,
            id="sessions: a closed episode is not over a cap",
        ),
        pytest.param(
            "RECORD-48H",
            E(
                type="universal_plus",
                contacts=[contact("2026-01-06T10:00", recorded_at="2026-01-09T10:00")],
                closed="2026-01-20",
                closure_reason="stepped_down_universal",
            ),
            "2026-02-01",
            [("late", "2026-01-08T10:00:00")],
            id="notes: a closed episode keeps its late note",
        ),
        pytest.param(
            "RECORD-48H",
            E(
                contacts=[contact("2026-01-06T10:00", recorded_at=None)],
                closed="2026-01-20",
                closure_reason="disengaged",
            ),
            "2026-02-01",
            NONE,
            id="notes: a closed episode's draft note is not overdue",
        ),
        pytest.param(
            "RECORD-48H",
            E(allocated=None, lead=None, contacts=[contact("2026-01-06T10:00", recorded_at=None)]),
            "2026-01-09",
            [("overdue", "2026-01-08T10:00:00")],
            id="notes: runs on unallocated episodes too (not an allocation clock)",
        ),
        pytest.param(
            "EHA-COMPLETE-6W",
            E(allocated="2026-02-01T09:00", referral_received="2026-01-30"),
            "2026-02-01",
            NONE,
            id="an allocation clock only starts at allocation",
        ),
        pytest.param(
            "EHA-COMPLETE-6W",
            E(allocated="2026-02-01T09:00", referral_received="2026-01-30"),
            "2026-01-31",
            NONE,
            id="allocated after the as-of date: no clock yet",
        ),
    ],
)
def test_edge_cases(rule: str, ep: Any, when: str, expected: Any) -> None:
    check(rule, ep, when, expected)


def test_late_messages_say_when_and_how_late() -> None:
    (f,) = findings(E(voices=[voice("2026-02-04", ref="V7")]), "2026-02-10", "VOC-4W")
    assert f.message == (
        "Voice of the child heard for Tolu Wed 4 Feb 2026, 2 days late (due Mon 2 Feb 2026)"
    )
    assert (f.child, f.record) == ("C1", "V7")
    (n,) = findings(note("2026-01-08T12:00"), "2026-01-20", "RECORD-48H")
    assert n.message == (
        "Contact note finalised Thu 8 Jan 2026 12:00, 2 hours late (due Thu 8 Jan 2026 10:00)"
    )
    (soon,) = findings(E(), "2026-01-12", "EHA-HOME-VISIT-7WD")
    assert soon.message == "No home visit yet: due Wed 14 Jan 2026"


def test_a_closure_on_the_as_of_day_counts_as_closed_then() -> None:
    ep = E(closed="2026-01-15", closure_reason="moved_away")
    assert states(ep, "2026-01-15T08:00", "EHA-HOME-VISIT-7WD") == []
    assert states(ep, "2026-01-14", "EHA-HOME-VISIT-7WD") == [("due_soon", "2026-01-14")]
