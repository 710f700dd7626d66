"""The One Service Response rota (one-service-response-protocol.txt).

Each hub names one 0-19 practitioner, H or I grade, as the lead responder for
the week after the DATs duty week (OSR §2.3, §4.3); at most three OSR cases a
hub a week are accepted (OSR §2.4). :func:`osr_rota` shows, per hub and ISO
week, the lead responder and the OSR cases accepted out of the limit, with the
engine's findings (OSR-3-PER-WEEK, OSR-RESPONDER-GRADE); :func:`assign_responder`
names a responder (refusing a grade other than H or I) in one audited action.

Who names the responder: the OSR protocol has each hub identify its lead
responder (§4.3), and the Hub Team Manager decides when the work goes to another
practitioner (§4.4; all work is allocated by the line manager). So only a Hub
Team Manager of that hub may name or change it (:func:`may_name_responder`).

An OSR case is a ``joint_work`` episode from source ``osr``; it counts in the
ISO week of its allocation, closed or not, as the engine counts it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from ehtui.calendar import iso_week
from ehtui.models import Episode, Family, OsrRota, Practitioner
from ehtui.rules import Finding, PractitionerSnap, RotaSnap, sort_findings
from ehtui.rules.caps import osr_week_findings, rota_findings
from ehtui.rules.engine import _table_of
from ehtui.rules.load import day, moment
from ehtui.vocab import Hub, Role, label

EP = Episode.__table__  # type: ignore[attr-defined]
FAM = Family.__table__  # type: ignore[attr-defined]
PRA = Practitioner.__table__  # type: ignore[attr-defined]
ROTA = OsrRota.__table__  # type: ignore[attr-defined]
OSR_RULES = frozenset({"OSR-3-PER-WEEK", "OSR-RESPONDER-GRADE"})
RESPONDER_GRADES = ("H", "I")
RESPONDER_NAMED_BY = Role.TEAM_MANAGER  # of the hub (OSR §4.3-4.4)
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, slots=True)
class OsrCase:
    episode: str
    family: str
    family_name: str
    allocated: datetime
    lead: str | None
    lead_name: str | None
    is_open: bool


@dataclass(frozen=True, slots=True)
class OsrWeek:
    """One hub's ISO week: its lead responder, the OSR cases accepted, the findings."""

    hub: str
    week: str  # "2026-W03"
    monday: date
    responder: str | None
    responder_name: str | None
    responder_grade: str | None
    cases: tuple[OsrCase, ...]
    limit: float
    findings: tuple[Finding, ...]

    @property
    def accepted(self) -> int:
        return len(self.cases)

    @property
    def over(self) -> bool:
        return self.accepted > self.limit

    @property
    def grade_ok(self) -> bool | None:
        """True for an H or I grade responder, False otherwise, None when nobody is named."""
        if self.responder is None:
            return None
        return self.responder_grade in RESPONDER_GRADES

    @property
    def accepted_text(self) -> str:
        return f"{self.accepted} of {self.limit:g}"


@dataclass(frozen=True, slots=True)
class OsrRotaView:
    as_of: datetime
    weeks: tuple[OsrWeek, ...]  # by hub (protocol order), then week
    findings: tuple[Finding, ...]  # every OSR finding for the hubs shown, any week, §10 order


def week_monday(week: str) -> date | None:
    """The Monday of an ISO week label ("2026-W03"), or None when it is not one."""
    match = _WEEK.match(week)
    if match is None:
        return None
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        return None


def _practitioners(conn: Any) -> dict[str, PractitionerSnap]:
    return {
        r.ref: PractitionerSnap(r.ref, r.name, r.role, r.grade, r.hub, r.fte, r.manager)
        for r in conn.execute(
            select(
                PRA.c.ref, PRA.c.name, PRA.c.role, PRA.c.grade, PRA.c.hub, PRA.c.fte, PRA.c.manager
            ).where(PRA.c.deleted_at.is_(None))
        )
    }


def osr_rota(
    engine: Engine,
    as_of: datetime,
    *,
    hub: str | None = None,
    weeks_before: int = 8,
    weeks_after: int = 4,
    settings: Any = None,
) -> OsrRotaView:
    """Per hub (one, or all three) and ISO week, from ``weeks_before`` weeks before the
    as-of week to ``weeks_after`` weeks after it: the lead responder and the OSR cases
    accepted. ``findings`` are the engine's OSR findings for those hubs (every week)."""
    table = _table_of(settings)
    hubs = [hub] if hub is not None else list(Hub.values())
    this_monday = as_of.date() - timedelta(days=as_of.weekday())
    mondays = [this_monday + timedelta(weeks=n) for n in range(-weeks_before, weeks_after + 1)]
    alive = select(FAM.c.ref).where(FAM.c.deleted_at.is_(None))
    with engine.connect() as conn:
        people = _practitioners(conn)
        rota = [
            RotaSnap(*r)
            for r in conn.execute(
                select(ROTA.c.hub, ROTA.c.week, ROTA.c.practitioner)
                .where(ROTA.c.hub.in_(hubs))
                .order_by(ROTA.c.seq)
            )
        ]
        osr = conn.execute(
            select(
                EP.c.ref,
                EP.c.family,
                FAM.c.name,
                EP.c.hub,
                EP.c.allocated,
                EP.c.lead,
                EP.c.closed,
            )
            .join(FAM, FAM.c.ref == EP.c.family)
            .where(
                EP.c.deleted_at.is_(None),
                EP.c.family.in_(alive),
                EP.c.type == "joint_work",
                EP.c.source == "osr",
                EP.c.allocated.is_not(None),
                EP.c.hub.in_(hubs),
            )
            .order_by(EP.c.allocated, EP.c.ref)
        ).all()
    cases: dict[tuple[str, str], list[OsrCase]] = defaultdict(list)
    allocations = []
    for ref, family, name, ep_hub, allocated, lead, closed in osr:
        at = moment(allocated)
        if at is None or at > as_of:
            continue
        allocations.append((ep_hub, at))
        closed_on = day(closed)
        lead_name = people[lead].name if lead in people else None
        cases[(ep_hub, iso_week(at.date()))].append(
            OsrCase(
                ref,
                family,
                name,
                at,
                lead,
                lead_name,
                closed_on is None or closed_on > as_of.date(),
            )
        )
    found = sort_findings(
        [*osr_week_findings(allocations, as_of, table), *rota_findings(rota, people, table)]
    )
    limit = table["OSR-3-PER-WEEK"].limit or 3
    named = {(r.hub, r.week): r.practitioner for r in rota}
    weeks = []
    for h in hubs:
        for monday in mondays:
            week = iso_week(monday)
            who = named.get((h, week))
            person = people.get(who or "")
            weeks.append(
                OsrWeek(
                    hub=h,
                    week=week,
                    monday=monday,
                    responder=who,
                    responder_name=person.name if person else who,
                    responder_grade=person.grade if person else None,
                    cases=tuple(cases.get((h, week), ())),
                    limit=limit,
                    findings=tuple(f for f in found if f.message.startswith(f"{h} {week}:")),
                )
            )
    return OsrRotaView(as_of, tuple(weeks), tuple(found))


@dataclass(frozen=True, slots=True)
class Assignment:
    hub: str
    week: str
    practitioner: str
    name: str
    grade: str
    replaced: str | None  # who was named before, if anyone


def may_name_responder(
    user: PractitionerSnap | None, hub: str, ref: str | None = None
) -> str | None:
    """None when ``user`` may name ``hub``'s OSR lead responder (a Hub Team Manager of
    that hub), else the refusal, naming the field (``user``; ``ref``: the user's ref
    when no practitioner has it)."""
    if user is not None and user.role == RESPONDER_NAMED_BY and user.hub == hub:
        return None
    if user is not None:
        who = f"{user.name} ({user.ref}) is {label(Role, user.role)}, {user.hub} hub"
    elif ref:
        who = f"no practitioner with ref {ref!r}"
    else:
        who = "nobody is signed in"
    return (
        f"user: {who}; only the {hub} Hub Team Manager names its OSR lead responder (OSR §4.3-4.4)"
    )


def assign_responder(
    engine: Engine, user: str | None, hub: str, week: str, practitioner: str
) -> Assignment:
    """Name ``practitioner`` as ``hub``'s OSR lead responder for ISO ``week``, replacing
    whoever was named. Refuses, saving nothing, with a message naming the field: an
    unknown hub, a week that is not an ISO week, an unknown practitioner, a grade
    other than H or I (OSR §4.3), a practitioner of another hub ("each Hub will
    identify a 0-19 Practitioner", OSR §4.3), or a ``user`` who is not that hub's
    Hub Team Manager (:func:`may_name_responder`)."""
    from ehtui.db import lock_numbering
    from ehtui.errors import InputError
    from ehtui.unit_of_work import write

    problems = []
    if hub not in Hub.values():
        problems.append(f"hub: {hub!r} is not a hub ({', '.join(Hub.values())})")
    if not isinstance(week, str) or week_monday(week) is None:
        problems.append(f"week: {week!r} is not an ISO week (such as 2026-W03)")
    with engine.connect() as conn:
        people = _practitioners(conn)
    person = people.get(practitioner)
    if person is None:
        problems.append(f"practitioner: no practitioner with ref {practitioner!r}")
    elif person.grade not in RESPONDER_GRADES:
        shown = f"grade {person.grade}" if person.grade else "no grade"
        problems.append(
            f"practitioner: {person.name} ({person.ref}) has {shown}; "
            "the OSR lead responder must be H or I grade (OSR §4.3)"
        )
    elif person.hub != hub:
        problems.append(
            f"practitioner: {person.name} ({person.ref}) is in the {person.hub} hub; "
            f"the {hub} hub's lead responder is one of its own 0-19 practitioners (OSR §4.3)"
        )
    if hub in Hub.values():
        refused = may_name_responder(people.get(user or ""), hub, user)
        if refused is not None:
            problems.append(refused)
    if problems:
        raise InputError(problems)
    assert person is not None and person.grade is not None
    with write(engine, user) as s:
        entry = s.get(OsrRota, (hub, week))
        replaced = entry.practitioner if entry is not None else None
        if entry is None:
            lock_numbering(s.connection(), "osr_rota")
            seq = s.execute(select(func.coalesce(func.max(ROTA.c.seq), 0))).scalar() or 0
            s.add(OsrRota(hub=hub, week=week, practitioner=practitioner, seq=seq + 1))
        elif entry.practitioner != practitioner:
            entry.practitioner = practitioner
            s.add(entry)
    return Assignment(hub, week, practitioner, person.name, person.grade, replaced)
