"""Caps and caseload (PROTOCOL_RULES.md §5): practitioner and hub level.

Limits are per 1.0 FTE and not rounded (0.5 FTE breaches at 8 families);
``over_limit`` replaces ``advice`` for the same practitioner and rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from ehtui.calendar import iso_week
from ehtui.rules.model import Finding, PractitionerSnap, RotaSnap, State
from ehtui.rules.table import EHA, RuleSpec, RuleTable

FRONTLINE = frozenset({"practitioner", "social_worker"})


def _practitioner_finding(
    spec: RuleSpec, state: State, p: PractitionerSnap, message: str, record: str | None = None
) -> Finding:
    return Finding(spec.id, state, None, None, None, None, p.ref, record, spec.section, message)


@dataclass(frozen=True, slots=True)
class Load:
    """A practitioner's open families held as lead against their cap."""

    families: int
    cap: float | None
    advice_at: float | None
    rule: str | None


def families_held(caseload: Iterable[tuple[str, str]], types: frozenset[str] | None = None) -> int:
    """Distinct families among (episode type, family ref) pairs, optionally by type."""
    return len({family for kind, family in caseload if types is None or kind in types})


def load_of(p: PractitionerSnap, caseload: Iterable[tuple[str, str]], t: RuleTable) -> Load:
    """The cap that applies to ``p`` (pro rata FTE) and the families counted for it."""
    pairs = list(caseload)
    if p.role in FRONTLINE:
        spec = t["CASELOAD-15"]
        advice = spec.advice_at * p.fte if spec.advice_at is not None else None
        return Load(families_held(pairs), (spec.limit or 15) * p.fte, advice, spec.id)
    if p.role == "advanced_practitioner":
        spec = t["CASELOAD-AP-10"]
        return Load(families_held(pairs), (spec.limit or 10) * p.fte, None, spec.id)
    if p.role == "supporting_families_lead":
        spec = t["SF-LEAD-4"]
        return Load(families_held(pairs, spec.types or EHA), spec.limit or 4, None, spec.id)
    return Load(families_held(pairs), None, None, None)


def caseload_findings(
    practitioners: Iterable[PractitionerSnap],
    caseloads: dict[str, tuple[tuple[str, str], ...]],
    t: RuleTable,
) -> Iterator[Finding]:
    people = list(practitioners)
    supervised = Counter(p.manager for p in people if p.manager)
    for p in people:
        load = load_of(p, caseloads.get(p.ref, ()), t)
        if load.rule is not None and load.cap is not None:
            spec = t[load.rule]
            fte = "" if p.fte == 1 else f" ({p.fte:g} FTE)"
            if load.families > load.cap:
                message = f"{p.name} holds {load.families} families; the cap is {load.cap:g}{fte}"
                yield _practitioner_finding(spec, State.OVER_LIMIT, p, message)
            elif load.advice_at is not None and load.families >= load.advice_at:
                message = (
                    f"{p.name} holds {load.families} families, near the cap of {load.cap:g}{fte}"
                )
                yield _practitioner_finding(spec, State.ADVICE, p, message)
        if p.role == "advanced_practitioner":
            spec = t["AP-SUPERVISES-2"]
            n = supervised.get(p.ref, 0)
            if n < (spec.limit or 2):
                message = (
                    f"{p.name} line-manages {n} practitioner{'s' if n != 1 else ''}; "
                    f"an Advanced Practitioner supervises at least {spec.limit or 2:g}"
                )
                yield _practitioner_finding(spec, State.ADVICE, p, message)


def osr_week_findings(
    allocations: Iterable[tuple[str, datetime]], as_of: datetime, t: RuleTable
) -> Iterator[Finding]:
    """OSR-3-PER-WEEK: every OSR case allocated in a hub's ISO week, up to the as-of week."""
    spec = t["OSR-3-PER-WEEK"]
    limit = spec.limit or 3
    counts = Counter((hub, iso_week(at.date())) for hub, at in allocations if at <= as_of)
    for (hub, week), n in sorted(counts.items()):
        if n > limit:
            message = f"{hub} {week}: {n} OSR cases accepted; the limit is {limit:g} a week"
            yield Finding(
                spec.id, State.OVER_LIMIT, None, None, None, None, None, None, spec.section, message
            )


def rota_findings(
    rota: Iterable[RotaSnap], practitioners: dict[str, PractitionerSnap], t: RuleTable
) -> Iterator[Finding]:
    """OSR-RESPONDER-GRADE: every rota entry, past or planned, needs an H or I grade."""
    spec = t["OSR-RESPONDER-GRADE"]
    for entry in rota:
        p = practitioners.get(entry.practitioner)
        grade = p.grade if p else None
        if grade not in ("H", "I"):
            name = p.name if p else entry.practitioner
            shown = f"grade {grade}" if grade else "no grade"
            message = (
                f"{entry.hub} {entry.week}: lead responder {name} has {shown}; "
                "the OSR lead responder must be H or I grade"
            )
            yield Finding(
                spec.id,
                State.OVER_LIMIT,
                None,
                None,
                None,
                None,
                entry.practitioner,
                f"{entry.hub} {entry.week}",
                spec.section,
                message,
            )
