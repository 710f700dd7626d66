"""How a store exercises each rule: findings by state, and cases that are on time.

Used by the demo's tests and benchmark to show that every rule of
PROTOCOL_RULES.md has something to say (at least one finding) and something
that is fine (at least one case it applies to without a finding).

"On time" means, per rule:

- the nine one-off milestones: clocks met by their due date (the tracker's
  count, :func:`ehtui.rules.summary.milestone_rates`);
- other episode rules: open episodes of the rule's types (closed ones for
  CLOSURE-REASON; for VOC-4W each child of them) with no finding of that rule;
- practitioner caps: practitioners of the rule's roles with no finding;
- OSR-3-PER-WEEK: hub-weeks with an OSR case and no finding;
  OSR-RESPONDER-GRADE: rota entries with no finding.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from ehtui.calendar import iso_week
from ehtui.rules import DEFAULT_TABLE, RULE_IDS, EpisodeSnap, Finding, StoreSnap, evaluate
from ehtui.rules.load import load_from
from ehtui.rules.summary import MILESTONES, milestone_rates
from ehtui.rules.view import as_of_view

ROLES = {
    "CASELOAD-15": ("practitioner", "social_worker"),
    "CASELOAD-AP-10": ("advanced_practitioner",),
    "AP-SUPERVISES-2": ("advanced_practitioner",),
    "SF-LEAD-4": ("supporting_families_lead",),
}


@dataclass
class Coverage:
    """One rule: its findings by state, and how many cases it finds nothing wrong with."""

    states: Counter[str] = field(default_factory=Counter)
    on_time: int = 0

    @property
    def findings(self) -> int:
        return sum(self.states.values())


def rule_coverage(engine: Engine, as_of: datetime) -> dict[str, Coverage]:
    """Every rule ID → its :class:`Coverage` over the whole store as of ``as_of``."""
    snap = load_from(engine, as_of, history=True)
    found = evaluate(snap, as_of, DEFAULT_TABLE)
    out = {rule: Coverage() for rule in RULE_IDS}
    flagged: dict[str, set[object]] = {rule: set() for rule in RULE_IDS}
    for f in found:
        out[f.rule].states[str(f.state)] += 1
        flagged[f.rule].add(_subject(f))
    rates, _ = milestone_rates(snap.episodes, as_of)
    for rule in MILESTONES:
        if rule in rates:
            out[rule].on_time = rates[rule].on_time
    views = [v for ep in snap.episodes if (v := as_of_view(ep, as_of)) is not None]
    for rule in RULE_IDS:
        if rule in MILESTONES:
            continue
        subjects = _subjects(rule, views, snap, as_of)
        out[rule].on_time = len(subjects - flagged[rule])
    return out


def _subject(f: Finding) -> object:
    if f.rule == "VOC-4W":
        return (f.episode, f.child)
    if f.rule == "OSR-3-PER-WEEK":
        return f.message.split(":")[0]  # "West 2026-W37"
    if f.rule == "OSR-RESPONDER-GRADE":
        return f.message.split(":")[0]
    if f.rule in ROLES:
        return f.practitioner
    return f.episode


def _subjects(rule: str, views: list[EpisodeSnap], snap: StoreSnap, as_of: datetime) -> set[object]:
    if rule in ROLES:
        roles = ROLES[rule]
        return {p.ref for p in snap.practitioners if p.role in roles}
    if rule == "OSR-3-PER-WEEK":
        return {f"{hub} {iso_week(at.date())}" for hub, at in snap.osr_allocations if at <= as_of}
    if rule == "OSR-RESPONDER-GRADE":
        return {f"{r.hub} {r.week}" for r in snap.rota}
    types = DEFAULT_TABLE[rule].types
    if rule == "CLOSURE-REASON":
        return {v.ref for v in views if v.closed is not None}
    live = [v for v in views if v.closed is None and v.allocated is not None]
    live = [v for v in live if not types or v.type in types]
    if rule == "VOC-4W":
        return {(v.ref, c.ref) for v in live for c in v.children}
    if rule == "YCC-BREACH":
        return {v.ref for v in live if v.disposal == "youth_conditional_caution"}
    if rule == "OOC-INTERVENTION-3M":
        return {v.ref for v in live if v.disposal != "turning_point" and v.assessment_completed}
    if rule in ("TAF-REVIEW-12W", "RADAR-AT-REVIEW", "LP-TRANSFER-CONSIDER"):
        return {v.ref for v in live if v.tafs}
    if rule in ("FATHER-DETAILS", "ENGAGEMENT-CONFIRMED", "EHA-DOCUMENTS"):
        return {v.ref for v in live if v.eha_completed is not None}
    if rule == "UP-STEP-UP":
        return {v.ref for v in live if v.extension_approved_until is not None}
    return {v.ref for v in live}
