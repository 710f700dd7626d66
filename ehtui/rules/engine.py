"""The engine: every rule over a snapshot, as of a moment, sorted per §10."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from ehtui.rules.advice import ADVICE_RULES
from ehtui.rules.caps import caseload_findings, osr_week_findings, rota_findings
from ehtui.rules.completeness import COMPLETENESS_RULES, closure_reason
from ehtui.rules.model import STATE_ORDER, EpisodeSnap, Finding, State, StoreSnap
from ehtui.rules.table import DEFAULT_TABLE, RuleTable
from ehtui.rules.timescales import TIMESCALE_RULES
from ehtui.rules.view import as_of_view

EPISODE_RULES = (*TIMESCALE_RULES, *COMPLETENESS_RULES, *ADVICE_RULES)


def evaluate_episode(
    ep: EpisodeSnap, as_of: datetime, table: RuleTable, *, history: bool = True
) -> list[Finding]:
    """Every episode rule; a closed episode keeps its ``late`` findings and CLOSURE-REASON.

    Without ``history`` a closed episode gives only CLOSURE-REASON.
    """
    if not history and ep.closed is not None and ep.closed <= as_of.date():
        # Closed by then, no history wanted: only its closure reason can be said.
        return list(closure_reason(ep, as_of, table))
    view = as_of_view(ep, as_of)
    if view is None:
        return []
    found: list[Finding] = []
    if view.closed is None:
        for rule in EPISODE_RULES:
            found.extend(rule(view, as_of, table))
        return found
    if history:
        for rule in TIMESCALE_RULES:
            found.extend(f for f in rule(view, as_of, table) if f.state is State.LATE)
    found.extend(closure_reason(view, as_of, table))
    return found


def evaluate(snap: StoreSnap, as_of: datetime, table: RuleTable = DEFAULT_TABLE) -> list[Finding]:
    """Every rule of PROTOCOL_RULES.md over ``snap`` as of ``as_of``, sorted per §10."""
    found: list[Finding] = []
    for ep in snap.episodes:
        found.extend(evaluate_episode(ep, as_of, table, history=snap.history))
    if snap.with_caps:
        found.extend(caseload_findings(snap.practitioners, snap.caseloads, table))
        found.extend(osr_week_findings(snap.osr_allocations, as_of, table))
        people = {p.ref: p for p in snap.practitioners}
        found.extend(rota_findings(snap.rota, people, table))
    return sort_findings(found)


def evaluate_store(
    source: Engine | Connection,
    as_of: datetime,
    *,
    practitioner: str | None = None,
    hub: str | None = None,
    episodes: Collection[str] | None = None,
    history: bool = False,
    table: RuleTable | None = None,
) -> list[Finding]:
    """Load the scope from the store and evaluate it.

    Scope: one practitioner's episodes (as lead), a hub's, a set of episodes
    (the case view: no caps), or with none of them the whole store. Findings
    about practitioners and hubs are kept to the scope. ``history`` loads the
    detail of closed episodes so their ``late`` findings show.
    """
    from ehtui.rules.load import load_from

    snap = load_from(
        source, as_of, practitioner=practitioner, hub=hub, episodes=episodes, history=history
    )
    found = evaluate(snap, as_of, table or DEFAULT_TABLE)
    if practitioner is None and hub is None:
        return found
    hubs = {p.ref: p.hub for p in snap.practitioners}
    return [f for f in found if _in_scope(f, practitioner, hub, hubs)]


def _in_scope(f: Finding, practitioner: str | None, hub: str | None, hubs: dict[str, str]) -> bool:
    if f.episode is not None:
        return True  # already loaded by scope
    if f.rule == "OSR-3-PER-WEEK":
        return practitioner is None and (hub is None or f.message.startswith(f"{hub} "))
    if practitioner is not None and f.practitioner != practitioner:
        return False
    return (
        hub is None
        or hubs.get(f.practitioner or "") == hub
        or (f.record is not None and f.record.startswith(f"{hub} "))
    )


def _due_key(due: date | datetime | None) -> tuple[int, datetime]:
    if due is None:
        return (1, datetime.max)
    if isinstance(due, datetime):
        return (0, due)
    return (0, datetime.combine(due, datetime.min.time()))


def _ref_key(ref: str | None) -> tuple[int, str]:
    return (1, "") if ref is None else (0, ref)


def sort_key(f: Finding) -> tuple[Any, ...]:
    """§10: state, due (nulls last), rule, then episode, family, child, practitioner, record."""
    return (
        STATE_ORDER[f.state],
        _due_key(f.due),
        f.rule,
        _ref_key(f.episode),
        _ref_key(f.family),
        _ref_key(f.child),
        _ref_key(f.practitioner),
        _ref_key(f.record),
    )


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=sort_key)
