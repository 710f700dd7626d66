"""SQLModel tables: the model of record for everything in the ehtui/1 interchange.

Every case record is keyed by its ``ref`` (the identifier in the system it came
from, or one ehtui minted). Besides the interchange fields each case table has:

- ``seq``: insertion order, so exports list records in a stable order that
  survives an import → export round trip;
- ``version``: the optimistic-concurrency counter (bumped on every update);
- ``deleted_at`` / ``deleted_reason``: soft delete. Case records are never
  hard-deleted.

Enumerated columns hold the interchange strings of :mod:`ehtui.vocab`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def when(*, index: bool = False, nullable: bool = True) -> Any:
    """A naive local date-time column (Europe/London, stored without zone)."""
    return Field(default=None, sa_type=DateTime, index=index, nullable=nullable)


def json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class CaseRecord(SQLModel):
    """Columns every case table carries besides its interchange fields."""

    seq: int = Field(default=0, index=True)
    version: int = Field(default=1)
    deleted_at: datetime | None = when()
    deleted_reason: str | None = None


class Practitioner(CaseRecord, table=True):
    ref: str = Field(primary_key=True)
    name: str
    role: str
    grade: str | None = None
    hub: str
    fte: float = 1.0
    manager: str | None = Field(default=None, foreign_key="practitioner.ref")
    phone: str | None = None


class OsrRota(SQLModel, table=True):
    __tablename__ = "osr_rota"

    hub: str = Field(primary_key=True)
    week: str = Field(primary_key=True)  # ISO week, "2026-W03"
    practitioner: str = Field(foreign_key="practitioner.ref", index=True)
    seq: int = Field(default=0, index=True)
    version: int = Field(default=1)


class Family(CaseRecord, table=True):
    ref: str = Field(primary_key=True)
    name: str
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    agencies: list[str] = json_list()
    last_csc_closure_team: str | None = None
    last_csc_closure_date: date | None = None


class Member(CaseRecord, table=True):
    ref: str = Field(primary_key=True)
    family: str = Field(foreign_key="family.ref", index=True)
    relationship: str
    first_name: str
    last_name: str
    dob: date | None = None
    gender: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    language: str | None = None
    interpreter_needed: bool | None = None
    school: str | None = None
    father_recorded: bool | None = None
    post18_route: str | None = None
    phone: str | None = None


class Episode(CaseRecord, table=True):
    __table_args__ = (Index("ix_episode_open_lead", "closed", "lead"),)

    ref: str = Field(primary_key=True)
    family: str = Field(foreign_key="family.ref", index=True)
    type: str = Field(index=True)
    disposal: str | None = None
    hub: str = Field(index=True)
    lead: str | None = Field(default=None, foreign_key="practitioner.ref", index=True)
    source: str
    referral_received: date
    allocated: datetime | None = when()
    engagement_confirmed: date | None = None
    eha_completed: date | None = None
    # A date ("YYYY-MM-DD") or a date-time ("YYYY-MM-DDTHH:MM:SS"), as given.
    assessment_completed: str | None = None
    stepdown_consultation: date | None = None
    stepdown_meeting: date | None = None
    extension_approved_until: date | None = None
    sessions_planned: int | None = None
    sessions_delivered: int | None = None
    doc_case_summary: bool = False
    doc_chronology: bool = False
    doc_genogram: bool = False
    qa_completed: str | None = None  # date or date-time, as assessment_completed
    closed: date | None = None
    closure_reason: str | None = None
    agreed_contacts_per_4_weeks: int | None = None
    osr_request_form: date | None = None


class EpisodeChild(SQLModel, table=True):
    __tablename__ = "episode_child"

    episode: str = Field(foreign_key="episode.ref", primary_key=True)
    child: str = Field(foreign_key="member.ref", primary_key=True, index=True)
    position: int = 0


class Contact(CaseRecord, table=True):
    ref: str = Field(primary_key=True)
    episode: str = Field(foreign_key="episode.ref", index=True)
    at: datetime = when(nullable=False)
    recorded_at: datetime | None = when()
    method: str
    outcome: str
    children_seen: list[str] = json_list()
    children_seen_alone: list[str] = json_list()
    note: str = ""


class VoiceOfChild(CaseRecord, table=True):
    __tablename__ = "voice_of_child"

    ref: str = Field(primary_key=True)
    episode: str = Field(foreign_key="episode.ref", index=True)
    child: str = Field(foreign_key="member.ref", index=True)
    at: datetime = when(nullable=False)
    method: str
    words: str = ""
    analysis: str | None = None
    prompts: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class TafMeeting(CaseRecord, table=True):
    __tablename__ = "taf_meeting"

    ref: str = Field(primary_key=True)
    episode: str = Field(foreign_key="episode.ref", index=True)
    at: datetime = when(nullable=False)
    kind: str
    agencies: list[str] = json_list()
    radar_completed: bool = False
    radar_feedback: str | None = None  # what the family said, when RADAR was gathered (§27)
    plan_ratified_complete: bool = False
    note: str | None = None
    decision: str | None = None
    agreed_contacts_per_4_weeks: int | None = None
    actions: list[dict[str, Any]] = json_list()


class Oversight(CaseRecord, table=True):
    ref: str = Field(primary_key=True)
    episode: str = Field(foreign_key="episode.ref", index=True)
    at: datetime = when(nullable=False)
    kind: str
    by: str | None = Field(default=None, foreign_key="practitioner.ref")
    decision: str = ""


class Appointment(CaseRecord, table=True):
    """Something planned: a home visit, the next TAF, supervision, an agenda item."""

    ref: str = Field(primary_key=True)
    episode: str | None = Field(default=None, foreign_key="episode.ref", index=True)
    practitioner: str | None = Field(default=None, foreign_key="practitioner.ref", index=True)
    at: datetime = when(index=True, nullable=False)
    kind: str
    note: str | None = None
    outcome: str | None = None  # null while planned; "kept" / "did_not_attend" / "cancelled"
    contact: str | None = None  # the contact it became, when kept


class FormDraft(SQLModel, table=True):
    """A half-typed form, saved as you type; never exported, never a finding."""

    __tablename__ = "form_draft"
    __table_args__ = (UniqueConstraint("form", "target", "user"),)

    id: int | None = Field(default=None, primary_key=True)
    form: str
    target: str  # the record the form is about (an episode ref, say)
    user: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = when(nullable=False)


class AuditEntry(SQLModel, table=True):
    """Append-only: who changed what, when, with old and new values."""

    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = when(index=True, nullable=False)
    user: str | None = None
    action: str  # insert | update | delete | restore | import | demo | access | merge
    table: str
    record: str | None = Field(default=None, index=True)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reason: str | None = None


class Meta(SQLModel, table=True):
    """Store-wide facts: the demo's suggested user, its anchor date."""

    key: str = Field(primary_key=True)
    value: str


CASE_TABLES: tuple[type[CaseRecord], ...] = (
    Practitioner,
    Family,
    Member,
    Episode,
    Contact,
    VoiceOfChild,
    TafMeeting,
    Oversight,
    Appointment,
)
