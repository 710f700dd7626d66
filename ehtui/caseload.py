"""Caseload and the supervision walk, for team managers, APs and EHA coordinators.

:func:`caseload`: each practitioner in my team (everyone whose ``manager`` is
me, directly or down the line) or in my hub, with the families they hold as
lead against their cap (PROTOCOL_RULES.md §5: 15, an AP 10, × FTE; a
Supporting Families lead 4 families on EHAs), the episodes behind them by the
§25.2 kinds of work, how many cases are overdue or due soon, the date of their
last supervision and the load against the cap. The numbers and the caps are
the protocol engine's (:mod:`ehtui.rules.caps`); nothing is re-derived here.

:func:`supervision_walk`: a practitioner's open episodes, worst first, each
with its findings, every running clock and the last supervision decision;
:func:`record_walk_decision` records a decision in place (one audited
oversight record); :func:`walk_summary_text` is the sitting's summary for the
supervision record.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select

from ehtui.calendar import format_day
from ehtui.models import Episode, Family, Oversight
from ehtui.rules import Finding, Level, State, episode_status, evaluate, upcoming
from ehtui.rules.caps import KIND_WORDS, load_of
from ehtui.rules.engine import _table_of
from ehtui.rules.load import load_from, moment
from ehtui.safe_text import safe_text
from ehtui.store import Person, TrayRow, people, sort_tray, tray_row
from ehtui.vocab import SUPERVISION_KINDS, EpisodeType, OversightKind, label

EP = Episode.__table__  # type: ignore[attr-defined]
FAM = Family.__table__  # type: ignore[attr-defined]
OVS = Oversight.__table__  # type: ignore[attr-defined]
SUPERVISION = tuple(str(k) for k in SUPERVISION_KINDS)
OVERDUE_LEVELS = frozenset({Level.CRITICALLY_OVERDUE, Level.OVERDUE})


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One practitioner's load as of the as-of moment.

    ``families``: distinct families held as lead on open episodes, as the cap
    counts them (a Supporting Families lead: on eha/step_down_eha only);
    ``cap``: the limit × FTE (None for a role without one); ``state``: the
    engine's cap finding for them (``over_limit``, ``advice``) or None;
    ``kinds``: open episodes held by §25.2 kind of work, in the protocol's order;
    ``*_cases``: open episodes by their tray level; ``*_findings``: their findings.
    """

    person: Person
    families: int
    cap: float | None
    rule: str | None
    state: State | None
    kinds: tuple[tuple[str, int], ...]
    episodes: int
    critical_cases: int
    overdue_cases: int
    due_soon_cases: int
    overdue_findings: int
    due_soon_findings: int
    last_supervision: datetime | None
    findings: tuple[Finding, ...]  # about the practitioner (caps), §10 order

    @property
    def load(self) -> float | None:
        """Families ÷ cap, for the bar (may exceed 1); None without a cap."""
        if not self.cap:
            return None
        return self.families / self.cap

    @property
    def kinds_text(self) -> str:
        return ", ".join(f"{kind} {n}" for kind, n in self.kinds) or "no open episodes"


@dataclass(frozen=True, slots=True)
class Caseload:
    as_of: datetime
    me: Person | None
    scope: str  # "team" or "hub"
    hub: str | None
    rows: tuple[CaseloadRow, ...]


def team_of(me: str, everyone: dict[str, Person]) -> list[Person]:
    """Everyone whose manager is ``me``, directly or down the line (cycle-safe),
    nearest first, then by name."""
    reports: dict[str, list[Person]] = defaultdict(list)
    for p in everyone.values():
        if p.manager:
            reports[p.manager].append(p)
    seen = {me}
    out: list[Person] = []
    level = [me]
    while level:
        below = sorted(
            (p for ref in level for p in reports.get(ref, ()) if p.ref not in seen),
            key=lambda p: (p.name, p.ref),
        )
        for p in below:
            seen.add(p.ref)
        out.extend(below)
        level = [p.ref for p in below]
    return out


def _open_episodes(as_of: datetime) -> Any:
    alive = select(FAM.c.ref).where(FAM.c.deleted_at.is_(None))
    return and_(
        EP.c.deleted_at.is_(None),
        EP.c.family.in_(alive),
        EP.c.allocated <= as_of,
        or_(EP.c.closed.is_(None), EP.c.closed > as_of.date()),
    )


def last_supervisions(engine: Engine, leads: Iterable[str], as_of: datetime) -> dict[str, datetime]:
    """Per practitioner: the latest supervision or group supervision recorded by
    ``as_of`` on any episode they lead (open or closed)."""
    refs = sorted(set(leads))
    if not refs:
        return {}
    query = (
        select(EP.c.lead, func.max(OVS.c.at))
        .join(EP, EP.c.ref == OVS.c.episode)
        .where(
            EP.c.lead.in_(refs),
            EP.c.deleted_at.is_(None),
            OVS.c.deleted_at.is_(None),
            OVS.c.kind.in_(SUPERVISION),
            OVS.c.at <= as_of,
        )
        .group_by(EP.c.lead)
    )
    with engine.connect() as conn:
        return {lead: moment(at) for lead, at in conn.execute(query) if at is not None}  # type: ignore[misc]


def caseload(
    engine: Engine,
    me: str | None,
    as_of: datetime,
    *,
    scope: str = "team",
    hub: str | None = None,
    settings: Any = None,
) -> Caseload:
    """The caseload table for ``me``: ``scope`` "team" (my reports, transitively, and
    me when I hold cases or have a cap) or "hub" (everyone in ``hub``, default mine)."""
    table = _table_of(settings)
    everyone = people(engine)
    person = everyone.get(me or "")
    if scope == "hub":
        hub = hub or (person.hub if person else None)
        chosen = sorted(
            (p for p in everyone.values() if p.hub == hub), key=lambda p: (p.name, p.ref)
        )
    elif scope == "team":
        chosen = team_of(me, everyone) if me else []
    else:
        raise ValueError(f"scope: {scope!r} is not 'team' or 'hub'")
    refs = {p.ref for p in chosen}
    with engine.connect() as conn:
        episode_refs = [
            r
            for (r,) in conn.execute(
                select(EP.c.ref).where(
                    _open_episodes(as_of), EP.c.lead.in_(sorted(refs | {me or ""}))
                )
            )
        ]
    snap = load_from(engine, as_of, episodes=episode_refs, include_closed=False, history=False)
    if scope == "team" and person is not None:
        holds = bool(snap.caseloads.get(person.ref))
        has_cap = load_of(_snap_of(snap, person.ref), (), table).rule is not None
        if holds or has_cap:
            chosen = [person, *chosen]
            refs.add(person.ref)
    found = evaluate(replace(snap, caps_for=frozenset(refs)), as_of, table)
    by_episode: dict[str, list[Finding]] = defaultdict(list)
    about: dict[str, list[Finding]] = defaultdict(list)
    for f in found:
        if f.episode is not None:
            by_episode[f.episode].append(f)
        elif f.practitioner is not None:
            about[f.practitioner].append(f)
    levels: dict[str, list[Level]] = defaultdict(list)
    finding_counts: dict[str, Counter[str]] = defaultdict(Counter)
    for ep in snap.episodes:
        if ep.lead is None:
            continue
        status = episode_status(by_episode[ep.ref], as_of, table)
        levels[ep.lead].append(status.level)
        finding_counts[ep.lead]["overdue"] += status.overdue
        finding_counts[ep.lead]["due_soon"] += status.due_soon
    supervised = last_supervisions(engine, refs, as_of)
    order = list(KIND_WORDS)
    rows = []
    for p in chosen:
        held = snap.caseloads.get(p.ref, ())
        load = load_of(_snap_of(snap, p.ref), held, table)
        kinds = Counter(kind for kind, _family in held)
        ranked = sorted(kinds, key=lambda k: (order.index(k) if k in order else len(order), k))
        cap_finding = next((f for f in about[p.ref] if f.rule == load.rule), None)
        lv = levels.get(p.ref, [])
        rows.append(
            CaseloadRow(
                person=p,
                families=load.families,
                cap=load.cap,
                rule=load.rule,
                state=cap_finding.state if cap_finding else None,
                kinds=tuple((KIND_WORDS.get(k, k), kinds[k]) for k in ranked),
                episodes=len(held),
                critical_cases=sum(1 for x in lv if x is Level.CRITICALLY_OVERDUE),
                overdue_cases=sum(1 for x in lv if x in OVERDUE_LEVELS),
                due_soon_cases=sum(1 for x in lv if x is Level.DUE_SOON),
                overdue_findings=finding_counts[p.ref]["overdue"],
                due_soon_findings=finding_counts[p.ref]["due_soon"],
                last_supervision=supervised.get(p.ref),
                findings=tuple(about[p.ref]),
            )
        )
    return Caseload(as_of, person, scope, hub if scope == "hub" else None, tuple(rows))


def _snap_of(snap: Any, ref: str) -> Any:
    return next(p for p in snap.practitioners if p.ref == ref)


# ----------------------------------------------------------------- supervision walk
@dataclass(frozen=True, slots=True)
class SupervisionNote:
    """A supervision decision on the file."""

    ref: str
    at: datetime
    kind: str
    kind_label: str
    decision: str
    by: str | None
    by_name: str | None


@dataclass(frozen=True, slots=True)
class WalkCase:
    """One case of the walk: its tray row, its findings (§10 order), every clock
    still running (each as a due soon / overdue finding with its due date) and
    the last supervision decision."""

    row: TrayRow
    findings: tuple[Finding, ...]
    clocks: tuple[Finding, ...]
    last_decision: SupervisionNote | None

    @property
    def episode(self) -> str:
        return self.row.episode


def last_decisions(
    engine: Engine, episodes: Sequence[str], as_of: datetime
) -> dict[str, SupervisionNote]:
    """Per episode: its latest supervision or group supervision record by ``as_of``."""
    if not episodes:
        return {}
    names = {ref: p.name for ref, p in people(engine).items()}
    out: dict[str, SupervisionNote] = {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(OVS.c.episode, OVS.c.ref, OVS.c.at, OVS.c.kind, OVS.c.decision, OVS.c.by)
            .where(
                OVS.c.episode.in_(list(episodes)),
                OVS.c.deleted_at.is_(None),
                OVS.c.kind.in_(SUPERVISION),
                OVS.c.at <= as_of,
            )
            .order_by(OVS.c.at, OVS.c.seq)
        )
        for episode, ref, at, kind, decision, by in rows:
            out[episode] = SupervisionNote(
                ref,
                moment(at),  # type: ignore[arg-type]
                kind,
                label(OversightKind, kind),
                decision or "",
                by,
                names.get(by or ""),
            )
    return out


def supervision_walk(
    engine: Engine, practitioner: str, as_of: datetime, settings: Any = None
) -> list[WalkCase]:
    """``practitioner``'s open episodes as of ``as_of``, worst first (the work-tray order:
    critically overdue, overdue, due soon, on track; then the next due date)."""
    table = _table_of(settings)
    snap = load_from(engine, as_of, practitioner=practitioner, include_closed=False, history=False)
    names = {p.ref: p.name for p in snap.practitioners}
    episodes = [e for e in snap.episodes if e.closed is None or e.closed > as_of.date()]
    found = evaluate(replace(snap, episodes=tuple(episodes), with_caps=False), as_of, table)
    by_episode: dict[str, list[Finding]] = defaultdict(list)
    for f in found:
        if f.episode:
            by_episode[f.episode].append(f)
    notes = last_decisions(engine, [e.ref for e in episodes], as_of)
    cases = {}
    for ep in episodes:
        row = tray_row(ep, by_episode[ep.ref], as_of, names, table)
        cases[ep.ref] = WalkCase(
            row, tuple(by_episode[ep.ref]), tuple(upcoming(ep, as_of, table)), notes.get(ep.ref)
        )
    return [cases[row.episode] for row in sort_tray([c.row for c in cases.values()])]


@dataclass(frozen=True, slots=True)
class WalkDecision:
    """A decision recorded during a walk (the oversight record written)."""

    ref: str
    episode: str
    family_name: str
    type_label: str
    at: datetime
    kind: str
    decision: str
    by: str | None


def record_walk_decision(
    engine: Engine,
    user: str | None,
    episode: str,
    decision: str,
    at: datetime,
    *,
    kind: str = "supervision",
    now: datetime | None = None,
) -> WalkDecision:
    """Record the supervision decision for ``episode`` (an oversight record by ``user``)
    in one audited transaction. Refuses, saving nothing, with a message naming the
    field: an empty decision, a kind that is not supervision or group supervision,
    an unknown episode, a date in the future or before the referral."""
    from ehtui.errors import InputError
    from ehtui.refs import new_ref
    from ehtui.unit_of_work import write
    from ehtui.validation import event_date

    problems = []
    text = decision.strip() if isinstance(decision, str) else ""
    if not text:
        problems.append("decision: write the decision made in supervision")
    if kind not in SUPERVISION:
        words = " or ".join(label(OversightKind, k) for k in sorted(SUPERVISION))
        problems.append(f"kind: {kind!r} is not {words}")
    with engine.connect() as conn:
        row = conn.execute(
            select(EP.c.referral_received, EP.c.type, FAM.c.name)
            .join(FAM, FAM.c.ref == EP.c.family)
            .where(EP.c.ref == episode, EP.c.deleted_at.is_(None))
        ).first()
    if row is None:
        problems.append(f"episode: no episode with ref {episode!r}")
    else:
        referral = moment(row.referral_received)
        problem = event_date(
            at,
            referral_received=referral.date() if referral else None,
            now=now or datetime.now(),
            field="at",
        )
        if problem:
            problems.append(problem)
    if problems:
        raise InputError(problems)
    assert row is not None
    ref = new_ref("oversight")
    with write(engine, user) as s:
        s.add(Oversight(ref=ref, episode=episode, at=at, kind=kind, by=user, decision=text))
    try:
        type_label = EpisodeType(row.type).label
    except ValueError:
        type_label = row.type
    return WalkDecision(ref, episode, row.name, type_label, at, kind, text, user)


def walk_summary_text(
    decisions: Sequence[WalkDecision],
    *,
    practitioner: str | None = None,
    supervisor: str | None = None,
) -> str:
    """The sitting's decisions as plain text for the supervision record."""
    if not decisions:
        return "No supervision decisions were recorded in this sitting.\n"
    first = min(d.at for d in decisions)
    head = "Supervision"
    if practitioner:
        head += f" of {safe_text(practitioner)}"
    if supervisor:
        head += f" by {safe_text(supervisor)}"
    lines = [f"{head}, {format_day(first.date())}", f"{len(decisions)} case(s) discussed:", ""]
    for n, d in enumerate(decisions, 1):
        lines.append(
            f"{n}. {safe_text(d.family_name)} family, {d.type_label} {safe_text(d.episode)} "
            f"({label(OversightKind, d.kind)}, {d.at:%H:%M})"
        )
        for text_line in safe_text(d.decision, multiline=True).splitlines() or [""]:
            lines.append(f"   {text_line}")
    return "\n".join(lines) + "\n"
