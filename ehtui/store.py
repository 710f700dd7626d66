"""The queries the screens need, returning plain frozen objects.

Every number a screen shows comes from the protocol engine (:mod:`ehtui.rules`);
this module only gathers and shapes. Run these in a worker thread, never on
the event loop.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from ehtui.calendar import add, age_on
from ehtui.diary import Planned, planned_for
from ehtui.levels import Level
from ehtui.models import Contact, Episode, Family, Member, Practitioner
from ehtui.rules import DEFAULT_TABLE, Finding, RuleTable, State, evaluate
from ehtui.rules.clocks import as_moment
from ehtui.rules.completeness import missing_child_fields, missing_family_fields
from ehtui.rules.load import load_from
from ehtui.rules.model import EpisodeSnap
from ehtui.rules.routing import (
    Route,
    TransferMeeting,
    next_panel,
    next_transfer_meeting,
    step_up_route,
)
from ehtui.rules.status import episode_status, upcoming
from ehtui.tray_rows import (
    Person,
    TrayLoad,
    TrayRow,
    sort_tray,
)
from ehtui.vocab import EpisodeType, Hub, Role, label

PRA = Practitioner.__table__  # type: ignore[attr-defined]
EP = Episode.__table__  # type: ignore[attr-defined]
FAM = Family.__table__  # type: ignore[attr-defined]
MEM = Member.__table__  # type: ignore[attr-defined]
CON = Contact.__table__  # type: ignore[attr-defined]


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


# ------------------------------------------------------------------- welcome checks
@dataclass(frozen=True, slots=True)
class MeDraft:
    """The welcome screen's "create me" form, as typed."""

    name: str
    role: Any
    hub: Any
    fte: str


def check_me(draft: MeDraft) -> dict[str, str]:
    """Problems per field ("name", "role", "hub", "fte"), in plain words; empty when valid."""
    problems: dict[str, str] = {}
    name = draft.name.strip()
    if not name:
        problems["name"] = "Enter your name."
    elif len(name) > 120:
        problems["name"] = "Keep the name under 120 characters."
    elif any(not ch.isprintable() for ch in name):
        problems["name"] = "The name has a control character in it."
    if draft.role not in Role.values():
        problems["role"] = "Choose your role."
    if draft.hub not in Hub.values():
        problems["hub"] = "Choose your hub."
    try:
        value = float(draft.fte)
    except ValueError:
        problems["fte"] = "FTE is a number such as 1 or 0.6."
    else:
        if not 0 < value <= 1:
            problems["fte"] = "FTE is more than 0 and at most 1 (e.g. 0.6)."
    return problems


def create_me(engine: Engine, draft: MeDraft) -> Person:
    """Write a new practitioner from a valid draft (one audited transaction).

    Raises :class:`~ehtui.errors.InputError` naming each field when the draft
    is not valid; nothing is written then.
    """
    from ehtui.errors import InputError
    from ehtui.refs import new_ref
    from ehtui.unit_of_work import write

    problems = check_me(draft)
    if problems:
        raise InputError([f"{field}: {words}" for field, words in problems.items()])
    ref = new_ref("practitioner")
    person = Person(
        ref, draft.name.strip(), str(draft.role), None, str(draft.hub), float(draft.fte), None
    )
    with write(engine, ref) as s:
        s.add(
            Practitioner(
                ref=ref, name=person.name, role=person.role, hub=person.hub, fte=person.fte
            )
        )
    return person


def _postcode(address: str | None) -> str:
    if not address or "," not in address:
        return ""
    return address.rsplit(",", 1)[1].strip()


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
        type_label=label(EpisodeType, ep.type),
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
    snap = load_from(engine, as_of, practitioner=lead, hub=hub, include_closed=False)
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
    found = evaluate(replace(snap, episodes=tuple(snap_eps), with_caps=False), as_of, table)
    by_episode: dict[str, list[Finding]] = defaultdict(list)
    for f in found:
        if f.episode:
            by_episode[f.episode].append(f)
    rows = [tray_row(e, by_episode[e.ref], as_of, names, table) for e in snap_eps]
    return sort_tray(rows)


def tray_for(
    engine: Engine,
    as_of: datetime,
    me: Person,
    tab: str,
    team: tuple[Person, ...] = (),
    table: RuleTable = DEFAULT_TABLE,
) -> TrayLoad:
    """The rows of one tray tab (see :func:`tray_tabs`)."""
    if tab == "hub":
        name = f"{me.hub} hub tray (unallocated)"
        rows = tray(engine, as_of, hub=me.hub, unallocated=True, table=table)
    elif tab == "up":
        name = f"{me.hub} Universal Plus tray"
        rows = tray(engine, as_of, hub=me.hub, types=frozenset({"universal_plus"}), table=table)
    elif tab.startswith("p-"):
        ref = tab.removeprefix("p-")
        person = next((p for p in team if p.ref == ref), None)
        name = f"{person.name if person else ref}'s tray"
        rows = tray(engine, as_of, lead=ref, table=table)
    else:
        name, rows = "Work tray", tray(engine, as_of, lead=me.ref, table=table)
    return TrayLoad(tab, name, tuple(rows))


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
class VoiceLine:
    """One child's voice of the child: the last record and the engine's next due date."""

    child: str
    name: str
    last: datetime | None
    due: date | datetime | None
    state: str | None  # the running clock's state (overdue, due_soon), None if not running


@dataclass(frozen=True, slots=True)
class Checklist:
    """The §6.2/§24.2 demographics checklist: what each child's and the family's record lacks."""

    children: tuple[tuple[str, tuple[str, ...]], ...]  # (first name, missing items)
    family: tuple[str, ...]
    documents: tuple[tuple[str, bool], ...]  # (document, on the file)
    required_from: date | None  # allocation + 7 working days: gaps are findings after it


@dataclass(frozen=True, slots=True)
class Meetings:
    """The fixed meetings that apply now (§5.4, §12.8) and where a step-up would go."""

    panel: date
    transfer: TransferMeeting
    route: Route


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
    findings: tuple[Finding, ...]  # this episode's, in the §10 order
    running: tuple[Finding, ...]
    timeline: tuple[Event, ...]
    contacts: tuple[ContactLine, ...]
    status: Level
    voices: tuple[VoiceLine, ...]
    checklist: Checklist
    meetings: Meetings
    planned: tuple[Planned, ...] = ()  # the diary's appointments still to come


def case_view(
    engine: Engine, episode: str, as_of: datetime, table: RuleTable = DEFAULT_TABLE
) -> CaseView | None:
    """Everything the case view shows about one episode, with the engine's findings."""
    snap = load_from(engine, as_of, episodes=[episode], history=True)
    if not snap.episodes:
        return None
    ep = snap.episodes[0]
    found = [f for f in evaluate(snap, as_of, table) if f.episode == ep.ref]
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
        lead = None
        if ep.lead:
            row = conn.execute(
                select(
                    PRA.c.ref,
                    PRA.c.name,
                    PRA.c.role,
                    PRA.c.grade,
                    PRA.c.hub,
                    PRA.c.fte,
                    PRA.c.manager,
                ).where(PRA.c.ref == ep.lead)
            ).first()
            lead = Person(*row) if row else None
    return CaseView(
        episode=ep,
        family_name=fam.name,
        address=fam.address,
        phone=fam.phone,
        email=fam.email,
        agencies=tuple(fam.agencies or ()),
        members=members,
        lead=lead,
        findings=tuple(found),
        running=tuple(running),
        timeline=timeline(ep, found, running, table),
        contacts=contacts,
        status=episode_status(found, as_of, table).level,
        voices=voice_lines(ep, found, running),
        checklist=checklist(ep, as_of, table),
        meetings=Meetings(
            next_panel(as_of),
            next_transfer_meeting(as_of),
            step_up_route(fam.last_csc_closure_team, fam.last_csc_closure_date, as_of.date()),
        ),
        planned=planned_for(engine, ep.ref, as_of),
    )


def voice_lines(
    ep: EpisodeSnap, found: list[Finding], running: list[Finding]
) -> tuple[VoiceLine, ...]:
    """Per child in the episode: the last voice-of-the-child record, the next due date
    (from the engine's running VOC-4W clock) and its state ("running" when neither
    due soon nor overdue)."""
    clocks = {f.child: f for f in running if f.rule == "VOC-4W"}
    real = {
        f.child: str(f.state)
        for f in found
        if f.rule == "VOC-4W" and f.state in (State.OVERDUE, State.DUE_SOON)
    }
    lines = []
    for child in ep.children:
        heard = [v.at for v in ep.voices if v.child == child.ref]
        clock = clocks.get(child.ref)
        lines.append(
            VoiceLine(
                child.ref,
                child.first_name,
                max(heard) if heard else None,
                clock.due if clock else None,
                real.get(child.ref, "running") if clock else None,
            )
        )
    return tuple(lines)


def checklist(ep: EpisodeSnap, as_of: datetime, table: RuleTable = DEFAULT_TABLE) -> Checklist:
    """What the DEMOGRAPHICS rule looks for, item by item (the engine's own field checks)."""
    spec = table["DEMOGRAPHICS"]
    school_age = int(spec.limit or 4)
    required = None
    if ep.allocated is not None and spec.due is not None:
        due = add(ep.allocated.date(), spec.due)
        required = due if isinstance(due, date) and not isinstance(due, datetime) else None
    return Checklist(
        children=tuple(
            (c.first_name, tuple(missing_child_fields(c, as_of.date(), school_age)))
            for c in ep.children
        ),
        family=tuple(missing_family_fields(ep)),
        documents=(
            ("case summary", ep.doc_case_summary),
            ("chronology", ep.doc_chronology),
            ("genogram", ep.doc_genogram),
        ),
        required_from=required,
    )


# The clocks shown on the milestone timeline (labelled with the rule table's titles);
# voice of the child, supervision and note recording have their own panels.
MILESTONE_RULES = (
    "EHA-CONTACT-2WD",
    "EHA-HOME-VISIT-7WD",
    "EHA-COMPLETE-6W",
    "TAF-INITIAL-10WD",
    "TAF-REVIEW-12W",
    "STEPDOWN-MEETING-10WD",
    "OOC-ASSESS-2W",
    "RHI-72H",
    "RHI-ATTEMPTS-3",
    "UP-6W",
    "UP-12W-MAX",
    "STEPDOWN-6M",
    "OOC-INTERVENTION-3M",
    "EHA-DRIFT-12M",
    "SUPERVISION-MONTHLY",
)


def timeline(
    ep: EpisodeSnap, found: list[Finding], running: list[Finding], table: RuleTable = DEFAULT_TABLE
) -> tuple[Event, ...]:
    """What happened (dates from the record), in date order, then each clock still
    running with the engine's due date and state. A milestone met after its due date
    is "late" when the engine found it so."""
    late = {(f.rule, f.record) for f in found if f.state is State.LATE}
    late_rules = {rule for rule, _ in late}
    applies = {rule for rule in MILESTONE_RULES if ep.type in table[rule].types}
    done: list[Event] = [Event("Referral received", ep.referral_received, "done")]
    if ep.allocated:
        done.append(Event("Allocated", ep.allocated, "done"))
    completed = [c for c in ep.contacts if c.outcome == "completed"]
    first = next((c for c in completed if c.method != "partner_agency"), None)
    visit = next((c for c in completed if c.method == "home_visit"), None)
    for words, rule, when in (
        ("First contact with the family", "EHA-CONTACT-2WD", first.at if first else None),
        ("Home visit", "EHA-HOME-VISIT-7WD", visit.at if visit else None),
        ("EHA completed", "EHA-COMPLETE-6W", ep.eha_completed),
        ("Step-down meeting", "STEPDOWN-MEETING-10WD", ep.stepdown_meeting),
        ("Assessment completed", "OOC-ASSESS-2W", ep.assessment_completed),
        ("Return Home Interview QA", "RHI-72H", ep.qa_completed),
    ):
        if when is not None and rule in applies:
            done.append(Event(words, when, "late" if rule in late_rules else "done", rule))
    for i, m in enumerate(ep.tafs):
        rule = "TAF-INITIAL-10WD" if i == 0 else "TAF-REVIEW-12W"
        words = "Initial TAF meeting" if i == 0 else f"TAF review {i}"
        done.append(Event(words, m.at, "late" if (rule, m.ref) in late else "done", rule))
    if ep.closed:
        done.append(Event("Closed", ep.closed, "done"))
    done.sort(key=lambda e: as_moment(e.when) if e.when is not None else datetime.max)
    # ``running`` has every warning window opened wide: the real state comes from ``found``.
    real = {
        (f.rule, f.due): str(f.state) for f in found if f.state in (State.OVERDUE, State.DUE_SOON)
    }
    clocks = [
        Event(f"{table[f.rule].title}: due", f.due, real.get((f.rule, f.due), "running"), f.rule)
        for f in running
        if f.rule in MILESTONE_RULES
    ]
    return (*done, *clocks)


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
    return [
        CaseName(r.ref, r.name, ", ".join(kids[r.family]), label(EpisodeType, r.type)) for r in rows
    ]
