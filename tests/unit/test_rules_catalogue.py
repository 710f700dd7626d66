"""Every rule ID of PROTOCOL_RULES.md fires, with its section, its state and its due.

One scenario per rule ID: a hand-built snapshot in which the rule (and the
protocol) says something. The table of scenarios must name every rule ID the
engine knows, so a rule can neither be forgotten nor silently stop firing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest

from ehtui.calendar import format_day
from ehtui.rules import (
    RULE_IDS,
    EpisodeSnap,
    PractitionerSnap,
    RotaSnap,
    StoreSnap,
    evaluate,
)
from ehtui.rules.table import DEFAULT_TABLE
from tests.unit.builders import FAMILY, as_of, child, contact, episode, taf

# The first section each rule's row cites (PROTOCOL_RULES.md §4-§8; §10 "section").
SECTIONS = {
    "EHA-CONTACT-2WD": "§6.1",
    "EHA-HOME-VISIT-7WD": "§6.1",
    "EHA-COMPLETE-6W": "§6.1",
    "TAF-INITIAL-10WD": "§5.8",
    "TAF-REVIEW-12W": "§7.3",
    "VOC-4W": "§7.2",
    "SUPERVISION-MONTHLY": "§26.1",
    "RECORD-48H": "§24.1",
    "EHA-DRIFT-12M": "§22.2",
    "STEPDOWN-MEETING-10WD": "§13.1",
    "STEPDOWN-6M": "§14.2",
    "UP-6W": "§21.2",
    "UP-12W-MAX": "§21.4",
    "JOINT-6-SESSIONS": "§16.3",
    "OOC-ASSESS-2W": "§18.4",
    "OOC-INTERVENTION-3M": "§18.4",
    "YCC-BREACH": "§18.6",
    "RHI-72H": "§19.3",
    "RHI-ATTEMPTS-3": "§19.4",
    "UP-SESSIONS-6": "§15.1",
    "CASELOAD-15": "§25.2",
    "CASELOAD-AP-10": "§25.4",
    "AP-SUPERVISES-2": "§25.4",
    "SF-LEAD-4": "§20.3",
    "OSR-3-PER-WEEK": "OSR §2.4",
    "OSR-RESPONDER-GRADE": "OSR §4.3",
    "DEMOGRAPHICS": "§6.2",
    "FATHER-DETAILS": "§24.2",
    "ENGAGEMENT-CONFIRMED": "§6.1",
    "EHA-DOCUMENTS": "§24.1",
    "CLOSURE-REASON": "§12.7",
    "LP-TRANSFER-CONSIDER": "§6.4",
    "EHA-THRESHOLD": "§5.1",
    "UP-STEP-UP": "§21.4",
    "RADAR-AT-REVIEW": "§27.2",
    "CONTACT-FREQUENCY": "§9.2",
}


def person(ref: str, role: str = "practitioner", **kw: Any) -> PractitionerSnap:
    return PractitionerSnap(
        ref,
        kw.get("name", f"Worker {ref}"),
        role,
        kw.get("grade", "H"),
        kw.get("hub", "West"),
        kw.get("fte", 1.0),
        kw.get("manager"),
    )


def one(ep: EpisodeSnap) -> StoreSnap:
    return StoreSnap(episodes=(ep,), with_caps=False)


def held(ref: str, n: int, kind: str = "eha") -> dict[str, tuple[tuple[str, str], ...]]:
    return {ref: tuple((kind, f"F{i}") for i in range(n))}


UP = {"type": "universal_plus", "source": "universal_plus_form"}
OOC = {"type": "out_of_court", "source": "police", "disposal": "triage"}
RHI = {"type": "rhi", "source": "police"}
SD = {"type": "step_down_eha", "source": "step_down_csc"}

# rule → (snapshot, as-of, expected state, expected due as ISO text or None)
SCENARIOS: dict[str, tuple[StoreSnap, str, str, str | None]] = {
    "EHA-CONTACT-2WD": (one(episode()), "2026-01-08", "overdue", "2026-01-07"),
    "EHA-HOME-VISIT-7WD": (one(episode()), "2026-01-15", "overdue", "2026-01-14"),
    "EHA-COMPLETE-6W": (one(episode()), "2026-02-17", "overdue", "2026-02-16"),
    "TAF-INITIAL-10WD": (
        one(episode(eha_completed="2026-02-02")),
        "2026-02-17",
        "overdue",
        "2026-02-16",
    ),
    "TAF-REVIEW-12W": (
        one(episode(tafs=[taf("2026-02-10")])),
        "2026-05-06",
        "overdue",
        "2026-05-05",
    ),
    "VOC-4W": (one(episode()), "2026-02-03", "overdue", "2026-02-02"),
    "SUPERVISION-MONTHLY": (one(episode()), "2026-02-06", "overdue", "2026-02-05"),
    "RECORD-48H": (
        one(episode(contacts=[contact("2026-01-06T10:00", recorded_at=None)])),
        "2026-01-09",
        "overdue",
        "2026-01-08T10:00:00",
    ),
    "EHA-DRIFT-12M": (one(episode()), "2027-01-06", "overdue", "2027-01-05"),
    "STEPDOWN-MEETING-10WD": (
        one(episode(**SD, stepdown_consultation="2026-01-05")),
        "2026-01-20",
        "overdue",
        "2026-01-19",
    ),
    "STEPDOWN-6M": (one(episode(**SD)), "2026-07-06", "overdue", "2026-07-05"),
    "UP-6W": (one(episode(**UP)), "2026-02-17", "overdue", "2026-02-16"),
    "UP-12W-MAX": (one(episode(**UP)), "2026-03-31", "overdue", "2026-03-30"),
    "JOINT-6-SESSIONS": (
        one(episode(type="joint_work", source="osr", sessions_delivered=7)),
        "2026-01-20",
        "over_limit",
        None,
    ),
    "OOC-ASSESS-2W": (one(episode(**OOC)), "2026-01-20", "overdue", "2026-01-19"),
    "OOC-INTERVENTION-3M": (
        one(episode(**OOC, assessment_completed="2026-01-15")),
        "2026-04-16",
        "overdue",
        "2026-04-15",
    ),
    "YCC-BREACH": (
        one(
            episode(
                **{**OOC, "disposal": "youth_conditional_caution"},
                contacts=[
                    contact("2026-01-07", outcome="did_not_attend"),
                    contact("2026-01-09", outcome="did_not_attend"),
                ],
            )
        ),
        "2026-01-10",
        "advice",
        None,
    ),
    "RHI-72H": (one(episode(**RHI)), "2026-01-09", "overdue", "2026-01-08T09:30:00"),
    "RHI-ATTEMPTS-3": (one(episode(**RHI)), "2026-01-09", "overdue", "2026-01-08T09:30:00"),
    "UP-SESSIONS-6": (one(episode(**UP, sessions_delivered=7)), "2026-01-20", "over_limit", None),
    "CASELOAD-15": (
        StoreSnap(practitioners=(person("P1"),), caseloads=held("P1", 16)),
        "2026-03-01",
        "over_limit",
        None,
    ),
    "CASELOAD-AP-10": (
        StoreSnap(
            practitioners=(
                person("A1", "advanced_practitioner"),
                person("P1", manager="A1"),
                person("P2", manager="A1"),
            ),
            caseloads=held("A1", 11),
        ),
        "2026-03-01",
        "over_limit",
        None,
    ),
    "AP-SUPERVISES-2": (
        StoreSnap(practitioners=(person("A1", "advanced_practitioner"),)),
        "2026-03-01",
        "advice",
        None,
    ),
    "SF-LEAD-4": (
        StoreSnap(
            practitioners=(person("P1", "supporting_families_lead"),), caseloads=held("P1", 5)
        ),
        "2026-03-01",
        "over_limit",
        None,
    ),
    "OSR-3-PER-WEEK": (
        StoreSnap(osr_allocations=tuple(("West", datetime(2026, 9, 7 + i, 10)) for i in range(4))),
        "2026-09-30",
        "over_limit",
        None,
    ),
    "OSR-RESPONDER-GRADE": (
        StoreSnap(
            practitioners=(person("P1", grade=None),), rota=(RotaSnap("West", "2026-W03", "P1"),)
        ),
        "2026-01-10",
        "over_limit",
        None,
    ),
    "DEMOGRAPHICS": (
        one(episode(children=[child(religion=None)])),
        "2026-01-15",
        "missing",
        "2026-01-14",
    ),
    "FATHER-DETAILS": (
        one(episode(children=[child(father_recorded=None)], eha_completed="2026-02-02")),
        "2026-02-03",
        "missing",
        "2026-02-02",
    ),
    "ENGAGEMENT-CONFIRMED": (
        one(episode(engagement_confirmed=None, eha_completed="2026-02-02")),
        "2026-02-03",
        "missing",
        "2026-02-02",
    ),
    "EHA-DOCUMENTS": (
        one(episode(doc_chronology=False, eha_completed="2026-02-02")),
        "2026-02-17",
        "missing",
        "2026-02-16",
    ),
    "CLOSURE-REASON": (one(episode(closed="2026-03-01")), "2026-03-02", "missing", "2026-03-01"),
    "LP-TRANSFER-CONSIDER": (
        one(
            episode(
                tafs=[taf("2026-02-10"), taf("2026-05-01", "review"), taf("2026-07-20", "review")]
            )
        ),
        "2026-07-21",
        "advice",
        None,
    ),
    "EHA-THRESHOLD": (
        one(episode(**UP, family=replace(FAMILY, agencies=("School", "GP", "CAMHS")))),
        "2026-01-10",
        "advice",
        None,
    ),
    "UP-STEP-UP": (
        one(episode(**UP, extension_approved_until="2026-03-27")),
        "2026-03-16",
        "advice",
        None,
    ),
    "RADAR-AT-REVIEW": (
        one(episode(tafs=[taf("2026-02-10"), taf("2026-05-01", "review", radar=False)])),
        "2026-05-02",
        "advice",
        None,
    ),
    "CONTACT-FREQUENCY": (one(episode()), "2026-02-02", "advice", None),
}


def test_the_scenarios_name_every_rule_id() -> None:
    assert set(SCENARIOS) == set(RULE_IDS) == set(SECTIONS)
    assert len(RULE_IDS) == len(set(RULE_IDS)) == 36


def test_the_table_cites_each_rules_first_section() -> None:
    assert {rule: DEFAULT_TABLE[rule].section for rule in RULE_IDS} == SECTIONS


@pytest.mark.parametrize("rule", RULE_IDS)
def test_every_rule_fires(rule: str) -> None:
    snap, when, state, due = SCENARIOS[rule]
    found = [f for f in evaluate(snap, as_of(when)) if f.rule == rule]
    assert found, f"{rule} said nothing"
    f = found[0]
    assert str(f.state) == state
    assert f.to_json()["due"] == due
    assert f.section == SECTIONS[rule]
    # §10: due is null exactly for over_limit and advice.
    assert (f.due is None) == (state in ("over_limit", "advice"))
    assert f.message and "\n" not in f.message
    if isinstance(f.due, date) and state == "overdue":
        day = f.due.date() if isinstance(f.due, datetime) else f.due
        assert format_day(day) in f.message  # dates in the messages' own words


@pytest.mark.parametrize("rule", [r for r in RULE_IDS if SCENARIOS[r][0].episodes])
def test_episode_findings_name_episode_family_and_lead(rule: str) -> None:
    snap, when, _, _ = SCENARIOS[rule]
    (f, *_) = [f for f in evaluate(snap, as_of(when)) if f.rule == rule]
    assert (f.episode, f.family, f.practitioner) == ("E1", "F1", "P1")


@pytest.mark.parametrize("rule", [r for r in RULE_IDS if SCENARIOS[r][0].episodes])
def test_a_closed_episode_says_only_late_and_closure_reason(rule: str) -> None:
    """The same facts, the episode closed (with a reason) the day before the as-of date."""
    snap, when, _, _ = SCENARIOS[rule]
    (ep,) = snap.episodes
    day = as_of(when).date()
    closed = replace(ep, closed=date.fromordinal(day.toordinal() - 1), closure_reason="moved_away")
    found = evaluate(one(closed), as_of(when))
    assert all(str(f.state) == "late" for f in found), [(f.rule, f.state) for f in found]
