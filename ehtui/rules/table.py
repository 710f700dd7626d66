"""The protocol's numbers, in one table (PROTOCOL_RULES.md §4-§8, §10).

Each rule ID maps to its clock (``due``), warning window (``warn``), limits,
the episode types it applies to and the section it cites first. A settings
file may override the numbers (see :mod:`ehtui.settings`); IDs never change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ehtui.calendar import Span, Unit

WD, D, W, M, H = Unit.WORKING_DAYS, Unit.DAYS, Unit.WEEKS, Unit.MONTHS, Unit.HOURS
EHA = frozenset({"eha", "step_down_eha"})


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    section: str
    types: frozenset[str] = frozenset()
    due: Span | None = None
    warn: Span | None = None
    # Caps: the limit (and, for CASELOAD-15, the advice threshold) per 1.0 FTE.
    limit: float | None = None
    advice_at: float | None = None
    extended_limit: float | None = None
    title: str = ""


def _s(amount: int, unit: Unit) -> Span:
    return Span(amount, unit)


DEFAULT_RULES: tuple[RuleSpec, ...] = (
    # §4 timescales
    RuleSpec("EHA-CONTACT-2WD", "§6.1", EHA, _s(2, WD), _s(1, WD), title="First contact"),
    RuleSpec("EHA-HOME-VISIT-7WD", "§6.1", EHA, _s(7, WD), _s(2, WD), title="Home visit"),
    RuleSpec("EHA-COMPLETE-6W", "§6.1", EHA, _s(6, W), _s(7, D), title="EHA completed"),
    RuleSpec("TAF-INITIAL-10WD", "§5.8", EHA, _s(10, WD), _s(3, WD), title="Initial TAF"),
    RuleSpec("TAF-REVIEW-12W", "§7.3", EHA, _s(12, W), _s(14, D), title="TAF review"),
    RuleSpec("VOC-4W", "§7.2", EHA, _s(4, W), _s(7, D), title="Voice of the child"),
    RuleSpec("SUPERVISION-MONTHLY", "§26.1", EHA, _s(1, M), _s(7, D), title="Supervision"),
    RuleSpec(
        "RECORD-48H",
        "§24.1",
        frozenset({"eha", "step_down_eha", "universal_plus", "joint_work", "out_of_court", "rhi"}),
        _s(48, H),
        _s(12, H),
        title="Contact note finalised",
    ),
    RuleSpec("EHA-DRIFT-12M", "§22.2", EHA, _s(12, M), _s(1, M), title="Open under a year"),
    RuleSpec(
        "STEPDOWN-MEETING-10WD",
        "§13.1",
        frozenset({"step_down_eha"}),
        _s(10, WD),
        _s(3, WD),
        title="Step-down meeting",
    ),
    RuleSpec(
        "STEPDOWN-6M",
        "§14.2",
        frozenset({"step_down_eha"}),
        _s(6, M),
        _s(1, M),
        title="Step-down closed within 6 months",
    ),
    RuleSpec(
        "UP-6W",
        "§21.2",
        frozenset({"universal_plus"}),
        _s(6, W),
        _s(7, D),
        title="Universal Plus within 6 weeks",
    ),
    RuleSpec(
        "UP-12W-MAX",
        "§21.4",
        frozenset({"universal_plus"}),
        _s(12, W),
        _s(14, D),
        title="Universal Plus within 12 weeks",
    ),
    RuleSpec(
        "JOINT-6-SESSIONS",
        "§16.3",
        frozenset({"joint_work"}),
        limit=6,
        extended_limit=12,
        title="Joint-work sessions",
    ),
    RuleSpec(
        "OOC-ASSESS-2W",
        "§18.4",
        frozenset({"out_of_court"}),
        _s(2, W),
        _s(3, D),
        title="Out-of-court assessment",
    ),
    RuleSpec(
        "OOC-INTERVENTION-3M",
        "§18.4",
        frozenset({"out_of_court"}),
        _s(3, M),
        _s(14, D),
        title="Out-of-court intervention within 3 months",
    ),
    RuleSpec(
        "YCC-BREACH",
        "§18.6",
        frozenset({"out_of_court"}),
        limit=2,
        title="Youth Conditional Caution attendance",
    ),
    RuleSpec("RHI-72H", "§19.3", frozenset({"rhi"}), _s(72, H), _s(12, H), title="RHI and QA"),
    RuleSpec(
        "RHI-ATTEMPTS-3",
        "§19.4",
        frozenset({"rhi"}),
        _s(72, H),
        None,
        limit=3,
        title="RHI attempts",
    ),
    RuleSpec(
        "UP-SESSIONS-6",
        "§15.1",
        frozenset({"universal_plus"}),
        limit=6,
        extended_limit=12,
        title="Universal Plus sessions",
    ),
    # §5 caps and caseload
    RuleSpec("CASELOAD-15", "§25.2", limit=15, advice_at=13, title="Caseload"),
    RuleSpec("CASELOAD-AP-10", "§25.4", limit=10, title="Advanced Practitioner caseload"),
    RuleSpec("AP-SUPERVISES-2", "§25.4", limit=2, title="Advanced Practitioner supervises"),
    RuleSpec("SF-LEAD-4", "§20.3", EHA, limit=4, title="Supporting Families LP families"),
    RuleSpec("OSR-3-PER-WEEK", "OSR §2.4", limit=3, title="OSR cases a week"),
    RuleSpec("OSR-RESPONDER-GRADE", "OSR §4.3", title="OSR responder grade"),
    # §6 recording completeness
    RuleSpec("DEMOGRAPHICS", "§6.2", EHA, _s(7, WD), limit=4, title="Demographics"),
    RuleSpec("FATHER-DETAILS", "§24.2", EHA, title="Father's details"),
    RuleSpec("ENGAGEMENT-CONFIRMED", "§6.1", EHA, title="Engagement confirmed"),
    RuleSpec("EHA-DOCUMENTS", "§24.1", EHA, title="Case summary, chronology, genogram"),
    RuleSpec("CLOSURE-REASON", "§12.7", title="Closure reason"),
    # §8 advice
    RuleSpec("LP-TRANSFER-CONSIDER", "§6.4", EHA, limit=2, title="Consider LP transfer"),
    RuleSpec(
        "EHA-THRESHOLD",
        "§5.1",
        frozenset({"universal_plus"}),
        limit=3,
        title="EHA threshold",
    ),
    RuleSpec(
        "UP-STEP-UP",
        "§21.4",
        frozenset({"universal_plus"}),
        warn=_s(14, D),
        title="Plan the step-up to an EHA",
    ),
    RuleSpec("RADAR-AT-REVIEW", "§27.2", EHA, title="RADAR feedback at review"),
    RuleSpec("CONTACT-FREQUENCY", "§9.2", EHA, _s(28, D), title="Contact frequency"),
)

RULE_IDS: tuple[str, ...] = tuple(r.id for r in DEFAULT_RULES)

# §9.2 phased guide: minimum completed contacts in 28 days, by month from allocation.
DEFAULT_CONTACT_GUIDE: tuple[int, ...] = (8, 4, 2, 1)


@dataclass(frozen=True)
class RuleTable:
    """The numbers in force: the defaults with any settings overrides applied."""

    rules: dict[str, RuleSpec] = field(default_factory=lambda: {r.id: r for r in DEFAULT_RULES})
    contact_guide: tuple[int, ...] = DEFAULT_CONTACT_GUIDE
    critically_overdue_working_days: int = 10
    eha_not_started_working_days: int = 7

    def __getitem__(self, rule_id: str) -> RuleSpec:
        return self.rules[rule_id]

    def with_overrides(self, overrides: dict[str, dict[str, Any]]) -> RuleTable:
        """A copy with rule fields replaced: ``{"UP-6W": {"due": Span(8, WEEKS)}}``."""
        rules = dict(self.rules)
        for rule_id, changes in overrides.items():
            rules[rule_id] = replace(rules[rule_id], **changes)
        return replace(self, rules=rules)


DEFAULT_TABLE = RuleTable()
