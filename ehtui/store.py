"""The queries the screens need, returning plain frozen objects.

Every number a screen shows comes from the protocol engine (:mod:`ehtui.rules`);
this module only gathers and shapes. Run these in a worker thread, never on
the event loop.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from ehtui.calendar import age_on
from ehtui.models import Contact, Episode, Family, Member, Practitioner
from ehtui.rules import DEFAULT_TABLE, Finding, RuleTable, State, evaluate
from ehtui.rules.load import load_from
from ehtui.rules.model import EpisodeSnap
from ehtui.rules.status import Level, episode_status, upcoming
from ehtui.vocab import EpisodeType, Role

PRA = Practitioner.__table__  # type: ignore[attr-defined]
EP = Episode.__table__  # type: ignore[attr-defined]
FAM = Family.__table__  # type: ignore[attr-defined]
MEM = Member.__table__  # type: ignore[attr-defined]
CON = Contact.__table__  # type: ignore[attr-defined]

MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.ADVANCED_PRACTITIONER, Role.EHA_COORDINATOR})


@dataclass(frozen=True, slots=True)
class Person:
    ref: str
    name: str
    role: str
    grade: str | None
    hub: str
    fte: float
    manager: str | None

    @property
    def role_label(self) -> str:
        try:
            return Role(self.role).label
        except ValueError:
            return self.role

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES


@dataclass(frozen=True, slots=True)
class StoreInfo:
    empty: bool
    me: Person | None
    team: tuple[Person, ...]  # practitioners whose manager is me (for managers)


def people(engine: Engine) -> dict[str, Person]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                PRA.c.ref, PRA.c.name, PRA.c.role, PRA.c.grade, PRA.c.hub, PRA.c.fte, PRA.c.manager
            )
            .where(PRA.c.deleted_at.is_(None))
            .order_by(PRA.c.name)
        )
        return {r.ref: Person(*r) for r in rows}


def store_info(engine: Engine, me: str | None) -> StoreInfo:
    everyone = people(engine)
    person = everyone.get(me or "")
    team = tuple(p for p in everyone.values() if person and p.manager == person.ref)
    return StoreInfo(not everyone, person, team)


@dataclass(frozen=True, slots=True)
class TrayRow:
    """One open episode on a work tray."""

    episode: str
    family: str
    family_name: str
    postcode: str
    children: str  # "Tolu (10), Amara (7)"
    child_names: str
    type: str
    type_label: str
    lead: str | None
    lead_name: str
    hub: str
    days_open: int | None
    level: Level
    overdue: int
    due_soon: int
    next_rule: str | None
    next_due: date | datetime | None
    next_message: str

    @property
    def search_text(self) -> str:
        return " ".join(
            (
                self.family_name,
                self.child_names,
                self.episode,
                self.family,
                self.postcode,
                self.postcode.replace(" ", ""),
                self.lead_name,
            )
        ).lower()


def _postcode(address: str | None) -> str:
    if not address or "," not in address:
        return ""
    return address.rsplit(",", 1)[1].strip()


def _type_label(kind: str) -> str:
    try:
        return EpisodeType(kind).label
    except ValueError:
        return kind


def tray_row(
    ep: EpisodeSnap,
    found: list[Finding],
    as_of: datetime,
    names: dict[str, str],
    table: RuleTable = DEFAULT_TABLE,
) -> TrayRow:
    status = episode_status(found, as_of, table)
    nxt = status.next
    if nxt is None:
        pending = upcoming(ep, as_of, table)
        nxt = pending[0] if pending else None
    kids = [(c.first_name, age_on(c.dob, as_of.date()) if c.dob else None) for c in ep.children]
    return TrayRow(
        episode=ep.ref,
        family=ep.family.ref,
        family_name=ep.family.name,
        postcode=_postcode(ep.family.address),
        children=", ".join(f"{n} ({a})" if a is not None else n for n, a in kids),
        child_names=" ".join(n for n, _ in kids),
        type=ep.type,
        type_label=_type_label(ep.type),
        lead=ep.lead,
        lead_name=names.get(ep.lead or "", "Unallocated"),
        hub=ep.hub,
        days_open=(as_of.date() - ep.allocated.date()).days if ep.allocated else None,
        level=status.level,
        overdue=status.overdue,
        due_soon=status.due_soon,
        next_rule=nxt.rule if nxt else None,
        next_due=nxt.due if nxt else None,
        next_message=nxt.message if nxt else "Nothing running",
    )


def tray(
    engine: Engine,
    as_of: datetime,
    *,
    lead: str | None = None,
    hub: str | None = None,
    unallocated: bool = False,
    types: frozenset[str] | None = None,
    table: RuleTable = DEFAULT_TABLE,
) -> list[TrayRow]:
    """Open episodes (held by ``lead``, or a hub's group tray), worst first."""
    snap = load_from(engine, as_of, practitioner=lead, hub=hub)
    names = {p.ref: p.name for p in snap.practitioners}
    if not names:
        names = {ref: p.name for ref, p in people(engine).items()}
    snap_eps = [
        e
        for e in snap.episodes
        if (e.closed is None or e.closed > as_of.date())
        and (not unallocated or e.lead is None)
        and (types is None or e.type in types)
    ]
    found = evaluate(type(snap)(episodes=tuple(snap_eps), with_caps=False), as_of, table)
    by_episode: dict[str, list[Finding]] = defaultdict(list)
    for f in found:
        if f.episode:
            by_episode[f.episode].append(f)
    rows = [tray_row(e, by_episode[e.ref], as_of, names, table) for e in snap_eps]
    return sort_tray(rows)


def sort_tray(rows: list[TrayRow]) -> list[TrayRow]:
    far = datetime.max

    def key(r: TrayRow) -> tuple[Any, ...]:
        due = r.next_due
        moment = (
            far
            if due is None
            else due
            if isinstance(due, datetime)
            else datetime.combine(due, datetime.min.time())
        )
        return (r.level.rank, moment, r.family_name, r.episode)

    return sorted(rows, key=key)


# ----------------------------------------------------------------------- case view
@dataclass(frozen=True, slots=True)
class MemberLine:
    ref: str
    name: str
    relationship: str
    age: int | None
    dob: date | None
    school: str | None
    language: str | None
    interpreter_needed: bool | None
    ethnicity: str | None
    religion: str | None
    in_episode: bool


@dataclass(frozen=True, slots=True)
class ContactLine:
    ref: str
    at: datetime
    method: str
    outcome: str
    note: str
    draft: bool


@dataclass(frozen=True, slots=True)
class Event:
    """A milestone on the timeline: something that happened, or a clock still running."""

    label: str
    when: date | datetime | None
    state: str  # "done", "late", "overdue", "due_soon", "running", "missing"
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class CaseView:
    episode: EpisodeSnap
    family_name: str
    address: str | None
    phone: str | None
    email: str | None
    agencies: tuple[str, ...]
    members: tuple[MemberLine, ...]
    lead: Person | None
    findings: tuple[Finding, ...]
    running: tuple[Finding, ...]
    timeline: tuple[Event, ...]
    contacts: tuple[ContactLine, ...]
    status: Level
    last_csc_closure: tuple[str | None, date | None]


def case_view(
    engine: Engine, episode: str, as_of: datetime, table: RuleTable = DEFAULT_TABLE
) -> CaseView | None:
    snap = load_from(engine, as_of, episodes=[episode], history=True)
    if not snap.episodes:
        return None
    ep = snap.episodes[0]
    found = evaluate(snap, as_of, table)
    running = upcoming(ep, as_of, table)
    with engine.connect() as conn:
        fam = conn.execute(select(FAM).where(FAM.c.ref == ep.family.ref)).one()
        in_episode = {c.ref for c in ep.children}
        members = tuple(
            MemberLine(
                m.ref,
                f"{m.first_name} {m.last_name}",
                m.relationship,
                age_on(m.dob, as_of.date()) if m.dob else None,
                m.dob,
                m.school,
                m.language,
                m.interpreter_needed,
                m.ethnicity,
                m.religion,
                m.ref in in_episode,
            )
            for m in conn.execute(
                select(MEM)
                .where(MEM.c.family == ep.family.ref, MEM.c.deleted_at.is_(None))
                .order_by(MEM.c.seq)
            )
        )
        contacts = tuple(
            ContactLine(c.ref, c.at, c.method, c.outcome, c.note or "", c.recorded_at is None)
            for c in conn.execute(
                select(
                    CON.c.ref, CON.c.at, CON.c.method, CON.c.outcome, CON.c.note, CON.c.recorded_at
                )
                .where(CON.c.episode == episode, CON.c.deleted_at.is_(None), CON.c.at <= as_of)
                .order_by(CON.c.at.desc())
                .limit(12)
            )
        )
    everyone = people(engine)
    status = episode_status([f for f in found if f.episode == ep.ref], as_of, table).level
    return CaseView(
        episode=ep,
        family_name=fam.name,
        address=fam.address,
        phone=fam.phone,
        email=fam.email,
        agencies=tuple(fam.agencies or ()),
        members=members,
        lead=everyone.get(ep.lead or ""),
        findings=tuple(found),
        running=tuple(running),
        timeline=timeline(ep, found, running),
        contacts=contacts,
        status=status,
        last_csc_closure=(fam.last_csc_closure_team, fam.last_csc_closure_date),
    )


MILESTONE_LABELS = {
    "EHA-CONTACT-2WD": "First contact",
    "EHA-HOME-VISIT-7WD": "Home visit",
    "EHA-COMPLETE-6W": "EHA completed",
    "TAF-INITIAL-10WD": "Initial TAF",
    "TAF-REVIEW-12W": "TAF review",
    "STEPDOWN-MEETING-10WD": "Step-down meeting",
    "OOC-ASSESS-2W": "Out-of-court assessment",
    "RHI-72H": "Return Home Interview and QA",
    "RHI-ATTEMPTS-3": "RHI attempts",
    "UP-6W": "Universal Plus weeks",
    "UP-12W-MAX": "Universal Plus 12-week limit",
    "STEPDOWN-6M": "Step-down 6 months",
    "OOC-INTERVENTION-3M": "Out-of-court intervention",
    "EHA-DRIFT-12M": "Open under a year",
}


def timeline(ep: EpisodeSnap, found: list[Finding], running: list[Finding]) -> tuple[Event, ...]:
    """What happened (dates from the record) and each clock's state (from the engine)."""
    events: list[Event] = [Event("Referral received", ep.referral_received, "done")]
    if ep.allocated:
        events.append(Event("Allocated", ep.allocated, "done"))
    first = next(
        (c for c in ep.contacts if c.outcome == "completed" and c.method != "partner_agency"), None
    )
    visit = next(
        (c for c in ep.contacts if c.outcome == "completed" and c.method == "home_visit"), None
    )
    late = {f.rule for f in found if f.state is State.LATE}
    for label, rule, when in (
        ("First contact", "EHA-CONTACT-2WD", first.at if first else None),
        ("Home visit", "EHA-HOME-VISIT-7WD", visit.at if visit else None),
        ("EHA completed", "EHA-COMPLETE-6W", ep.eha_completed),
        ("Step-down meeting", "STEPDOWN-MEETING-10WD", ep.stepdown_meeting),
        ("Assessment completed", "OOC-ASSESS-2W", ep.assessment_completed),
    ):
        if when is not None:
            events.append(Event(label, when, "late" if rule in late else "done", rule))
    for i, m in enumerate(ep.tafs):
        label = "Initial TAF" if i == 0 else f"TAF review {i}"
        events.append(
            Event(label, m.at, "done", "TAF-INITIAL-10WD" if i == 0 else "TAF-REVIEW-12W")
        )
    if ep.closed:
        events.append(Event("Closed", ep.closed, "done"))
    real = {f.rule: str(f.state) for f in found if f.state in (State.OVERDUE, State.DUE_SOON)}
    for f in running:
        if f.rule in MILESTONE_LABELS:
            state = real.get(f.rule, "running")
            events.append(Event(f"{MILESTONE_LABELS[f.rule]} due", f.due, state, f.rule))
    return tuple(events)


@dataclass(frozen=True, slots=True)
class CaseName:
    episode: str
    family_name: str
    children: str
    type_label: str

    @property
    def title(self) -> str:
        return f"{self.family_name} family ({self.children}) · {self.type_label} {self.episode}"


def case_names(engine: Engine) -> list[CaseName]:
    """Every open episode with its family and children's names, for "Open case…"."""
    kids: dict[str, list[str]] = defaultdict(list)
    with engine.connect() as conn:
        for r in conn.execute(
            select(MEM.c.family, MEM.c.first_name)
            .where(MEM.c.relationship == "child", MEM.c.deleted_at.is_(None))
            .order_by(MEM.c.seq)
        ):
            kids[r.family].append(r.first_name)
        rows = conn.execute(
            select(EP.c.ref, EP.c.family, EP.c.type, FAM.c.name)
            .join(FAM, FAM.c.ref == EP.c.family)
            .where(EP.c.closed.is_(None), EP.c.deleted_at.is_(None))
            .order_by(FAM.c.name, EP.c.ref)
        ).all()
    return [CaseName(r.ref, r.name, ", ".join(kids[r.family]), _type_label(r.type)) for r in rows]
