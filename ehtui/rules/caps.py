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
# The practitioner-level rules a case view shows for its Lead Professional.
CASELOAD_RULES = frozenset({"CASELOAD-15", "CASELOAD-AP-10", "AP-SUPERVISES-2", "SF-LEAD-4"})
# §25.2: the kinds of work that add up to the caseload, in the protocol's order.
KIND_WORDS = {
    "eha": "EHA/LP",
    "step_down_eha": "step-down EHA/LP",
    "joint_work": "LCS 0-19 requests",
    "universal_plus": "Universal Plus",
    "out_of_court": "out-of-court work",
    "rhi": "Return Home Interviews",
}


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


def breakdown(caseload: Iterable[tuple[str, str]], types: frozenset[str] | None = None) -> str:
    """The open episodes held, by kind of work (§25.2): "12 episodes: EHA/LP 9, …".

    The cap counts families (a family once); this shows the work behind them.
    """
    by_kind: Counter[str] = Counter(
        kind for kind, _family in caseload if types is None or kind in types
    )
    order = list(KIND_WORDS)
    kinds = sorted(by_kind, key=lambda k: (order.index(k) if k in order else len(order), k))
    total = sum(by_kind.values())
    parts = ", ".join(f"{KIND_WORDS.get(k, k)} {by_kind[k]}" for k in kinds)
    return f"{total} episode{'s' if total != 1 else ''}: {parts}" if total else "no episodes"


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
    caps_for: frozenset[str] | None = None,
) -> Iterator[Finding]:
    """CASELOAD-15, CASELOAD-AP-10, SF-LEAD-4 and AP-SUPERVISES-2.

    ``practitioners`` must be everyone (an AP's team is counted among them);
    ``caps_for`` limits the findings to those refs (None: everyone).
    """
    people = list(practitioners)
    supervised = Counter(p.manager for p in people if p.manager)
    for p in people:
        if caps_for is not None and p.ref not in caps_for:
            continue
        load = load_of(p, caseloads.get(p.ref, ()), t)
        if load.rule is not None and load.cap is not None:
            spec = t[load.rule]
            fte = "" if p.fte == 1 else f" ({p.fte:g} FTE)"
            kinds = breakdown(caseloads.get(p.ref, ()), spec.types or None)
            held = f"{p.name} holds {load.families} families ({kinds})"
            if load.families > load.cap:
                message = f"{held}; the cap is {load.cap:g}{fte}"
                yield _practitioner_finding(spec, State.OVER_LIMIT, p, message)
            elif load.advice_at is not None and load.families >= load.advice_at:
                message = f"{held}, near the cap of {load.cap:g}{fte}"
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
