"""Recording completeness (PROTOCOL_RULES.md §6): state ``missing``.

``due`` is the date from which the item is required; the finding shows once
the as-of date is past it (§10), the same moment a timescale turns overdue.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from ehtui.calendar import add, age_on
from ehtui.rules.clocks import fmt
from ehtui.rules.emit import episode_finding
from ehtui.rules.model import ChildSnap, EpisodeSnap, Finding, State
from ehtui.rules.table import RuleTable


def _required(due: date | None, as_of: datetime) -> bool:
    return due is not None and as_of.date() > due


def missing_child_fields(child: ChildSnap, on: date, school_from_age: int = 4) -> list[str]:
    """The §6.2/§24.2 demographics a child's record lacks (also used by the case view)."""
    missing = []
    if child.dob is None:
        missing.append("date of birth")
    if not child.ethnicity:
        missing.append("ethnicity")
    if not child.religion:
        missing.append("religion")
    if not child.language:
        missing.append("first language")
    if child.interpreter_needed is None:
        missing.append("interpreter needed")
    if not child.school and child.dob is not None and age_on(child.dob, on) >= school_from_age:
        missing.append("school")
    return missing


def missing_family_fields(ep: EpisodeSnap) -> list[str]:
    missing = []
    if not ep.family.address:
        missing.append("address")
    if not ep.family.phone and not ep.family.email:
        missing.append("phone or email")
    if not ep.family.agencies:
        missing.append("involved agencies")
    return missing


def demographics(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["DEMOGRAPHICS"]
    if ep.type not in spec.types or ep.allocated is None or spec.due is None:
        return
    due = add(ep.allocated.date(), spec.due)
    assert isinstance(due, date)
    if not _required(due, as_of):
        return
    school_age = int(spec.limit or 4)
    for child in ep.children:
        gaps = missing_child_fields(child, as_of.date(), school_age)
        if gaps:
            message = f"{child.first_name}'s record lacks {', '.join(gaps)}"
            yield episode_finding(spec, State.MISSING, due, ep, message, child=child.ref)
    gaps = missing_family_fields(ep)
    if gaps:
        message = f"Family record lacks {', '.join(gaps)}"
        yield episode_finding(spec, State.MISSING, due, ep, message)


def father_details(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["FATHER-DETAILS"]
    if ep.type not in spec.types or not _required(ep.eha_completed, as_of):
        return
    for child in ep.children:
        if child.father_recorded is not True:
            message = f"Father's details for {child.first_name} not recorded, nor why not"
            yield episode_finding(
                spec, State.MISSING, ep.eha_completed, ep, message, child=child.ref
            )


def engagement_confirmed(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["ENGAGEMENT-CONFIRMED"]
    if ep.type not in spec.types or not _required(ep.eha_completed, as_of):
        return
    if ep.engagement_confirmed is None:
        message = "Family's engagement and consent to information sharing not recorded"
        yield episode_finding(spec, State.MISSING, ep.eha_completed, ep, message)


def eha_documents(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    """Required by the initial TAF: the first TAF's date, or while none is held, its due date."""
    spec = t["EHA-DOCUMENTS"]
    if ep.type not in spec.types:
        return
    if ep.tafs:
        due: date | None = ep.tafs[0].at.date()
    elif ep.eha_completed is not None and t["TAF-INITIAL-10WD"].due is not None:
        taf_due = add(ep.eha_completed, t["TAF-INITIAL-10WD"].due)
        due = taf_due if isinstance(taf_due, date) else None
    else:
        due = None
    if not _required(due, as_of):
        return
    gaps = [
        name
        for name, present in (
            ("case summary", ep.doc_case_summary),
            ("chronology", ep.doc_chronology),
            ("genogram", ep.doc_genogram),
        )
        if not present
    ]
    if gaps:
        message = f"No {', '.join(gaps)} on the file (needed by the initial TAF)"
        yield episode_finding(spec, State.MISSING, due, ep, message)


def closure_reason(ep: EpisodeSnap, as_of: datetime, t: RuleTable) -> Iterator[Finding]:
    spec = t["CLOSURE-REASON"]
    if ep.closed is not None and ep.closure_reason is None and _required(ep.closed, as_of):
        message = f"Episode closed {fmt(ep.closed)} without a closure reason"
        yield episode_finding(spec, State.MISSING, ep.closed, ep, message)


COMPLETENESS_RULES = (demographics, father_details, engagement_confirmed, eha_documents)
