"""The engine: every rule over a snapshot, as of a moment, sorted per §10."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ehtui.rules.advice import ADVICE_RULES
from ehtui.rules.caps import caseload_findings, osr_week_findings, rota_findings
from ehtui.rules.completeness import COMPLETENESS_RULES, closure_reason
from ehtui.rules.model import STATE_ORDER, EpisodeSnap, Finding, State, StoreSnap
from ehtui.rules.table import DEFAULT_TABLE, RuleTable
from ehtui.rules.timescales import TIMESCALE_RULES
from ehtui.rules.view import as_of_view

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from ehtui.sql import Runner

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
        found.extend(caseload_findings(snap.practitioners, snap.caseloads, table, snap.caps_for))
        found.extend(osr_week_findings(snap.osr_allocations, as_of, table))
        people = {p.ref: p for p in snap.practitioners}
        found.extend(rota_findings(snap.rota, people, table))
    return sort_findings(found)


def evaluate_store(
    source: Engine | Connection | Runner,
    as_of: datetime,
    *,
    practitioner: str | None = None,
    hub: str | None = None,
    episodes: Collection[str] | None = None,
    include_closed: bool = True,
    include_late: bool = True,
    settings: Any = None,
    table: RuleTable | None = None,
    history: bool | None = None,
) -> list[Finding]:
    """Load a scope from the store with a few set-based queries and evaluate it.

    Returns every :class:`Finding` of the scope as of ``as_of``, sorted per
    PROTOCOL_RULES.md §10 (:func:`sort_findings`).

    Scope (combine freely; none of them means the whole store):

    - ``practitioner``: episodes they lead, and the findings about them (caps);
    - ``hub``: the hub's episodes, its practitioners' caps, its OSR weeks and rota;
    - ``episodes``: those episodes (the case view), with the caseload caps of
      their Lead Professionals (counted over all of each lead's open episodes),
      but no hub-level findings.

    ``include_closed``: episodes closed by ``as_of`` give their ``late`` history
    and CLOSURE-REASON; False leaves closed episodes out altogether.
    ``include_late``: False drops every ``late`` finding, and then the detail of
    closed episodes is not even loaded (the fast path of ``ehtui report``).
    ``settings``: a :class:`~ehtui.settings.Settings` or a :class:`RuleTable`
    (``table`` is the older name of the same thing); the defaults otherwise.
    ``history`` is the older name of ``include_late``.
    """
    from ehtui.rules.load import load_from

    if history is not None:
        include_late = history
    rules = _table_of(settings if settings is not None else table)
    snap = load_from(
        source,
        as_of,
        practitioner=practitioner,
        hub=hub,
        episodes=episodes,
        history=include_late,
        include_closed=include_closed,
    )
    found = evaluate(snap, as_of, rules)
    if not include_late:
        found = [f for f in found if f.state is not State.LATE]
    return found


def _table_of(settings: Any) -> RuleTable:
    """The rule table of a Settings object, a RuleTable itself, or the defaults."""
    if settings is None:
        return DEFAULT_TABLE
    if isinstance(settings, RuleTable):
        return settings
    table = getattr(settings, "table", None)
    if isinstance(table, RuleTable):
        return table
    raise TypeError(f"settings: expected Settings or RuleTable, not {type(settings).__name__}")


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
    """A new list in the report order of PROTOCOL_RULES.md §10 (see :func:`sort_key`)."""
    return sorted(findings, key=sort_key)
