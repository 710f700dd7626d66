"""What the protocol engine reads and what it says.

Snapshots are plain frozen dataclasses built by :mod:`ehtui.rules.load` from a
few set-based queries; rules are pure functions from a snapshot and an as-of
moment to :class:`Finding` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class State(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    LATE = "late"
    MISSING = "missing"
    OVER_LIMIT = "over_limit"
    ADVICE = "advice"


# PROTOCOL_RULES.md §10: the report's order of states.
STATE_ORDER = {
    State.OVERDUE: 0,
    State.MISSING: 1,
    State.OVER_LIMIT: 2,
    State.DUE_SOON: 3,
    State.ADVICE: 4,
    State.LATE: 5,
}

FINDING_KEYS = (
    "rule",
    "state",
    "due",
    "episode",
    "family",
    "child",
    "practitioner",
    "record",
    "section",
    "message",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the protocol says about a case, a practitioner or a hub."""

    rule: str
    state: State
    due: date | datetime | None
    episode: str | None
    family: str | None
    child: str | None
    practitioner: str | None
    record: str | None
    section: str
    message: str

    def to_json(self) -> dict[str, Any]:
        """The ``ehtui report --format json`` object, keys in the INTERCHANGE order."""
        due = self.due.isoformat() if self.due is not None else None
        return {
            "rule": self.rule,
            "state": str(self.state),
            "due": due,
            "episode": self.episode,
            "family": self.family,
            "child": self.child,
            "practitioner": self.practitioner,
            "record": self.record,
            "section": self.section,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class ContactSnap:
    ref: str
    at: datetime
    recorded_at: datetime | None
    method: str
    outcome: str


@dataclass(frozen=True, slots=True)
class VoiceSnap:
    ref: str
    child: str
    at: datetime


@dataclass(frozen=True, slots=True)
class TafSnap:
    ref: str
    at: datetime
    kind: str
    radar_completed: bool
    plan_ratified_complete: bool


@dataclass(frozen=True, slots=True)
class OversightSnap:
    ref: str
    at: datetime
    kind: str


@dataclass(frozen=True, slots=True)
class ChildSnap:
    ref: str
    first_name: str
    dob: date | None
    ethnicity: str | None
    religion: str | None
    language: str | None
    interpreter_needed: bool | None
    school: str | None
    father_recorded: bool | None


@dataclass(frozen=True, slots=True)
class FamilySnap:
    ref: str
    name: str
    address: str | None
    phone: str | None
    email: str | None
    agencies: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EpisodeSnap:
    """An episode with everything the rules read about it.

    Lists are ordered by date-time. ``assessment_completed`` and
    ``qa_completed`` are date-times (a date alone means 00:00 of that day).
    """

    ref: str
    family: FamilySnap
    type: str
    disposal: str | None
    hub: str
    lead: str | None
    source: str
    referral_received: date
    allocated: datetime | None
    engagement_confirmed: date | None = None
    eha_completed: date | None = None
    assessment_completed: datetime | None = None
    stepdown_consultation: date | None = None
    stepdown_meeting: date | None = None
    extension_approved_until: date | None = None
    sessions_delivered: int | None = None
    doc_case_summary: bool = False
    doc_chronology: bool = False
    doc_genogram: bool = False
    qa_completed: datetime | None = None
    closed: date | None = None
    closure_reason: str | None = None
    agreed_contacts_per_4_weeks: int | None = None
    children: tuple[ChildSnap, ...] = ()
    contacts: tuple[ContactSnap, ...] = ()
    voices: tuple[VoiceSnap, ...] = ()
    tafs: tuple[TafSnap, ...] = ()
    oversights: tuple[OversightSnap, ...] = ()


@dataclass(frozen=True, slots=True)
class PractitionerSnap:
    ref: str
    name: str
    role: str
    grade: str | None
    hub: str
    fte: float
    manager: str | None


@dataclass(frozen=True, slots=True)
class RotaSnap:
    hub: str
    week: str
    practitioner: str


@dataclass(frozen=True, slots=True)
class StoreSnap:
    """Everything one evaluation reads: episodes in scope, practitioners, rota."""

    episodes: tuple[EpisodeSnap, ...] = ()
    practitioners: tuple[PractitionerSnap, ...] = ()
    rota: tuple[RotaSnap, ...] = ()
    # Every OSR case (joint_work from source osr): (hub, allocated) — closed or not.
    osr_allocations: tuple[tuple[str, datetime], ...] = ()
    # Practitioner ref → every open episode they lead: (episode type, family ref).
    caseloads: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # Whether caps and hub checks are to be evaluated at all.
    with_caps: bool = True
    # Whether closed episodes carry their detail (for their ``late`` history).
    history: bool = True
    # The practitioners whose caps are evaluated (None: everyone in ``practitioners``,
    # who are all there so that AP-SUPERVISES-2 can count who names an AP as manager).
    caps_for: frozenset[str] | None = None
