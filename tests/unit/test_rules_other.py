"""Caps (§5), recording completeness (§6) and advice (§8), as tables of dates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from ehtui.rules import PractitionerSnap, RotaSnap, StoreSnap, evaluate
from ehtui.rules.routing import next_panel, next_transfer_meeting, step_up_route
from ehtui.rules.status import Level, eha_not_started, episode_status, upcoming
from tests.unit.builders import as_of, child, contact, d, episode, findings, states, taf

E = episode
NONE: list[Any] = []


def person(ref: str = "P1", role: str = "practitioner", fte: float = 1.0, **kw: Any) -> Any:
    base = {"name": f"Worker {ref}", "grade": "H", "hub": "West", "manager": None}
    return PractitionerSnap(
        ref,
        kw.pop("name", base["name"]),
        role,
        kw.pop("grade", "H"),
        kw.pop("hub", "West"),
        fte,
        kw.pop("manager", None),
    )


def caps(people: list[Any], held: dict[str, int], *, kind: str = "eha", **kw: Any) -> list[Any]:
    caseloads = {ref: tuple((kind, f"F{ref}-{i}") for i in range(n)) for ref, n in held.items()}
    snap = StoreSnap(practitioners=tuple(people), caseloads=caseloads, **kw)
    return [(f.rule, str(f.state), f.practitioner) for f in evaluate(snap, as_of("2026-03-01"))]


# ------------------------------------------------------------------------- caseload
@pytest.mark.parametrize(
    ("role", "fte", "families", "expected"),
    [
        ("practitioner", 1.0, 12, NONE),
        ("practitioner", 1.0, 13, [("CASELOAD-15", "advice", "P1")]),
        ("practitioner", 1.0, 15, [("CASELOAD-15", "advice", "P1")]),
        ("practitioner", 1.0, 16, [("CASELOAD-15", "over_limit", "P1")]),
        ("social_worker", 1.0, 16, [("CASELOAD-15", "over_limit", "P1")]),
        ("practitioner", 0.5, 7, [("CASELOAD-15", "advice", "P1")]),  # 6.5 advises
        ("practitioner", 0.5, 8, [("CASELOAD-15", "over_limit", "P1")]),  # 7.5 is the cap
        ("supporting_families_lead", 1.0, 4, NONE),
        ("supporting_families_lead", 0.5, 5, [("SF-LEAD-4", "over_limit", "P1")]),  # not pro rata
        ("team_manager", 1.0, 30, NONE),
    ],
)
def test_caseload_caps(role: str, fte: float, families: int, expected: Any) -> None:
    assert caps([person(role=role, fte=fte)], {"P1": families}) == expected


def test_advanced_practitioner_cap_and_supervision() -> None:
    ap = person("A1", "advanced_practitioner")
    team = [person("P1", manager="A1"), person("P2", manager="A1")]
    assert caps([ap, *team], {"A1": 10}) == []
    assert caps([ap, *team], {"A1": 11}) == [("CASELOAD-AP-10", "over_limit", "A1")]
    assert caps([ap, team[0]], {"A1": 5}) == [("AP-SUPERVISES-2", "advice", "A1")]


def test_a_family_is_counted_once_and_sf_counts_only_eha() -> None:
    p = person(role="supporting_families_lead")
    caseload = {
        "P1": (
            ("eha", "F1"),
            ("joint_work", "F1"),
            ("universal_plus", "F2"),
            ("eha", "F3"),
            ("eha", "F4"),
            ("step_down_eha", "F5"),
            ("eha", "F6"),
        )
    }
    found = evaluate(StoreSnap(practitioners=(p,), caseloads=caseload), as_of("2026-03-01"))
    assert [(f.rule, f.message) for f in found] == [
        (
            "SF-LEAD-4",
            "Worker P1 holds 5 families (5 episodes: EHA/LP 4, step-down EHA/LP 1); the cap is 4",
        )
    ]


def test_osr_three_a_week_counts_closed_cases_and_names_hub_and_week() -> None:
    week = [("West", datetime(2026, 9, 7 + i, 10)) for i in range(4)]  # Mon 7 Sep 2026: W37
    other = [("South", datetime(2026, 9, 7, 10))] * 3
    snap = StoreSnap(osr_allocations=tuple(week + other))
    found = evaluate(snap, as_of("2026-09-30"))
    assert [(f.rule, str(f.state), f.practitioner) for f in found] == [
        ("OSR-3-PER-WEEK", "over_limit", None)
    ]
    assert found[0].message.startswith("West 2026-W37")
    assert evaluate(snap, as_of("2026-09-08")) == []  # only two allocated by then


def test_osr_responder_grade() -> None:
    people = (person("P1", grade="H"), person("P2", grade=None, name="Sam Lee"))
    rota = (RotaSnap("West", "2026-W03", "P1"), RotaSnap("West", "2027-W10", "P2"))
    found = evaluate(StoreSnap(practitioners=people, rota=rota), as_of("2026-01-10"))
    assert [(f.rule, f.practitioner, f.record) for f in found] == [
        ("OSR-RESPONDER-GRADE", "P2", "West 2027-W10")
    ]
    assert "Sam Lee" in found[0].message


# -------------------------------------------------------------- recording completeness
@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        pytest.param(E(), "2026-03-01", NONE, id="complete record"),
        pytest.param(
            E(children=[child(ethnicity=None)]),
            "2026-01-14",
            NONE,
            id="due date allocation + 7 wd is Wed 14 Jan: nothing yet",
        ),
        pytest.param(
            E(children=[child(ethnicity=None)]),
            "2026-01-15",
            [("missing", "2026-01-14")],
            id="missing the day after",
        ),
        pytest.param(
            E(children=[child(school=None, dob=d("2023-01-01"))]),
            "2026-03-01",
            NONE,
            id="no school needed under 4",
        ),
        pytest.param(
            E(children=[child(school=None, dob=d("2021-01-01"))]),
            "2026-03-01",
            [("missing", "2026-01-14")],
            id="school needed at 4+ on the as-of date",
        ),
        pytest.param(
            E(children=[child(interpreter_needed=None)]),
            "2026-03-01",
            [("missing", "2026-01-14")],
            id="interpreter need unknown",
        ),
    ],
)
def test_demographics(ep: Any, when: str, expected: Any) -> None:
    assert states(ep, when, "DEMOGRAPHICS") == expected


def test_demographics_family_level_finding_has_no_child() -> None:
    from dataclasses import replace

    from tests.unit.builders import FAMILY

    ep = E(family=replace(FAMILY, phone=None, email=None, agencies=()))
    (f,) = findings(ep, "2026-03-01", "DEMOGRAPHICS")
    assert f.child is None
    assert f.message == "Family record lacks phone or email, involved agencies"


@pytest.mark.parametrize(
    ("rule", "ep", "when", "expected"),
    [
        ("FATHER-DETAILS", E(children=[child(father_recorded=False)]), "2026-06-01", NONE),
        (
            "FATHER-DETAILS",
            E(children=[child(father_recorded=False)], eha_completed="2026-02-02"),
            "2026-02-02",
            NONE,
        ),
        (
            "FATHER-DETAILS",
            E(children=[child(father_recorded=None)], eha_completed="2026-02-02"),
            "2026-02-03",
            [("missing", "2026-02-02")],
        ),
        (
            "ENGAGEMENT-CONFIRMED",
            E(engagement_confirmed=None, eha_completed="2026-02-02"),
            "2026-02-03",
            [("missing", "2026-02-02")],
        ),
        ("ENGAGEMENT-CONFIRMED", E(eha_completed="2026-02-02"), "2026-02-03", NONE),
        ("EHA-DOCUMENTS", E(doc_genogram=False, eha_completed="2026-02-02"), "2026-02-16", NONE),
        (
            "EHA-DOCUMENTS",
            E(doc_genogram=False, eha_completed="2026-02-02"),
            "2026-02-17",
            [("missing", "2026-02-16")],
        ),
        (
            "EHA-DOCUMENTS",
            E(doc_genogram=False, eha_completed="2026-02-02", tafs=[taf("2026-02-10")]),
            "2026-02-11",
            [("missing", "2026-02-10")],
        ),
        ("CLOSURE-REASON", E(closed="2026-03-01"), "2026-03-02", [("missing", "2026-03-01")]),
        (
            "CLOSURE-REASON",
            E(closed="2026-03-01", type="rhi"),
            "2026-03-02",
            [("missing", "2026-03-01")],
        ),
        ("CLOSURE-REASON", E(closed="2026-03-01", closure_reason="moved_away"), "2026-03-02", NONE),
    ],
    ids=[
        "father: nothing before EHA completion",
        "father: not on the completion day",
        "father: missing after completion",
        "engagement: missing after completion",
        "engagement: recorded",
        "documents: by the initial TAF's due date",
        "documents: missing after it",
        "documents: by the first TAF held",
        "closure reason missing",
        "closure reason: any type",
        "closure reason given",
    ],
)
def test_completeness(rule: str, ep: Any, when: str, expected: Any) -> None:
    assert states(ep, when, rule) == expected


# --------------------------------------------------------------------------- advice
@pytest.mark.parametrize(
    ("rule", "ep", "when", "expected"),
    [
        (
            "LP-TRANSFER-CONSIDER",
            E(tafs=[taf("2026-02-10"), taf("2026-05-01", "review")]),
            "2026-06-01",
            NONE,
        ),
        (
            "LP-TRANSFER-CONSIDER",
            E(tafs=[taf("2026-02-10"), taf("2026-05-01", "review"), taf("2026-07-20", "review")]),
            "2026-07-21",
            [("advice", None)],
        ),
        ("EHA-THRESHOLD", E(type="universal_plus"), "2026-01-10", NONE),
        ("RADAR-AT-REVIEW", E(tafs=[taf("2026-02-10", radar=False)]), "2026-02-11", NONE),
        (
            "RADAR-AT-REVIEW",
            E(tafs=[taf("2026-02-10"), taf("2026-05-01", "review", radar=False)]),
            "2026-05-02",
            [("advice", None)],
        ),
        (
            "UP-STEP-UP",
            E(type="universal_plus", extension_approved_until="2026-03-20"),
            "2026-03-15",
            NONE,
        ),
        (
            "UP-STEP-UP",
            E(type="universal_plus", extension_approved_until="2026-03-20"),
            "2026-03-16",
            [("advice", None)],
        ),
        ("UP-STEP-UP", E(type="universal_plus"), "2026-03-20", NONE),
    ],
    ids=[
        "LP transfer: one review is not enough",
        "LP transfer: after the 2nd review",
        "threshold: two agencies",
        "RADAR: an initial meeting needs none",
        "RADAR: a review without it",
        "UP step-up: before 12 weeks − 14 days",
        "UP step-up: from Mon 16 Mar",
        "UP step-up: only when extended",
    ],
)
def test_advice(rule: str, ep: Any, when: str, expected: Any) -> None:
    assert states(ep, when, rule) == expected


def test_eha_threshold_counts_the_family_agencies() -> None:
    from dataclasses import replace

    from tests.unit.builders import FAMILY

    ep = E(type="universal_plus", family=replace(FAMILY, agencies=("School", "GP", "CAMHS")))
    assert states(ep, "2026-01-10", "EHA-THRESHOLD") == [("advice", None)]


def weekly(start: str, n: int, every: int = 7) -> list[Any]:
    first = d(start)
    from datetime import timedelta

    return [contact((first + timedelta(days=every * i)).isoformat()) for i in range(n)]


@pytest.mark.parametrize(
    ("ep", "when", "expected"),
    [
        pytest.param(
            E(contacts=weekly("2026-01-06", 3)),
            "2026-02-01",
            NONE,
            id="open under 28 days: nothing",
        ),
        pytest.param(
            E(contacts=weekly("2026-01-06", 8, 3)),
            "2026-02-02",
            NONE,
            id="month 1 ends: 8 in 28 days meets the guide",
        ),
        pytest.param(
            E(contacts=weekly("2026-01-06", 5, 5)),
            "2026-02-02",
            [("advice", None)],
            id="month 1: 5 is below 8",
        ),
        pytest.param(
            E(contacts=weekly("2026-04-07", 2, 14)),
            "2026-04-30",
            NONE,
            id="month 4: one a month is enough",
        ),
        pytest.param(
            E(agreed_contacts_per_4_weeks=4, contacts=weekly("2026-04-07", 2, 14)),
            "2026-04-30",
            [("advice", None)],
            id="the plan's agreed frequency wins",
        ),
    ],
)
def test_contact_frequency(ep: Any, when: str, expected: Any) -> None:
    assert states(ep, when, "CONTACT-FREQUENCY") == expected


# ---------------------------------------------------------------- status and routing
def test_tray_status_levels() -> None:
    t = datetime(2026, 1, 30, 23, 59, 59)
    # Home visit due Wed 14 Jan; 12 working days overdue on Fri 30 Jan: critically overdue.
    status = episode_status(findings(E(contacts=[contact("2026-01-06")]), "2026-01-30"), t)
    assert status.level is Level.CRITICALLY_OVERDUE and status.symbol == "‼"
    assert status.next is not None and status.next.rule == "EHA-HOME-VISIT-7WD"
    t2 = datetime(2026, 1, 16, 23, 59, 59)
    status = episode_status(findings(E(contacts=[contact("2026-01-06")]), "2026-01-16"), t2)
    assert status.level is Level.OVERDUE
    status = episode_status(findings(E(), "2026-01-06"), datetime(2026, 1, 6, 23, 59))
    assert status.level is Level.DUE_SOON


def test_upcoming_lists_every_running_clock_even_when_on_track() -> None:
    found = upcoming(E(contacts=[contact("2026-01-06")]), as_of("2026-01-06"))
    assert [f.rule for f in found][:2] == ["EHA-HOME-VISIT-7WD", "VOC-4W"]
    assert found[0].due == d("2026-01-14")


def test_eha_not_started() -> None:
    assert not eha_not_started(E(engagement_confirmed=None), as_of("2026-01-14"))
    assert eha_not_started(E(engagement_confirmed=None), as_of("2026-01-15"))
    assert not eha_not_started(E(), as_of("2026-01-15"))


@pytest.mark.parametrize(
    ("team", "closed", "on", "destination"),
    [
        ("dats", "2026-01-01", "2026-02-12", "DATs"),  # exactly 6 weeks
        ("dats", "2026-01-01", "2026-02-13", "MASH"),
        ("i_and_p", "2025-11-30", "2026-02-28", "I&P"),
        ("i_and_p", "2025-11-27", "2026-02-28", "MASH"),
        (None, None, "2026-02-28", "MASH"),
    ],
)
def test_step_up_routing(team: str | None, closed: str | None, on: str, destination: str) -> None:
    assert step_up_route(team, d(closed) if closed else None, d(on)).destination == destination


def test_panel_and_transfer_meeting_dates() -> None:
    assert next_panel(datetime(2026, 11, 24, 9, 0)) == d("2026-11-24")  # Tuesday morning
    assert next_panel(datetime(2026, 11, 24, 13, 0)) == d("2026-12-01")
    before = next_transfer_meeting(datetime(2026, 11, 24, 11, 59))
    assert (before.meeting, before.cut_off) == (d("2026-11-25"), datetime(2026, 11, 24, 12, 0))
    after = next_transfer_meeting(datetime(2026, 11, 24, 12, 0))
    assert after.meeting == d("2026-12-02")
    assert "agenda closes Tue 1 Dec 2026 12:00" in after.describe()
