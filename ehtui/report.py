"""The report: the engine's findings for a scope, filtered as ``ehtui report`` asks.

Also the monthly data tracker's summary (§22.2): per rule and per practitioner,
counts by state and the on-time rate of each one-off milestone. The screens
can build the same :class:`Report` (no Textual here).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select

from ehtui.models import Practitioner
from ehtui.rules import DEFAULT_TABLE, Finding, RuleTable, State, evaluate
from ehtui.rules.load import load_from
from ehtui.rules.summary import Rate, milestone_rates


@dataclass(frozen=True)
class Report:
    as_of: datetime
    findings: list[Finding]
    rates: dict[str, Rate] = field(default_factory=dict)  # milestone → on-time rate
    rates_by_lead: dict[str | None, dict[str, Rate]] = field(default_factory=dict)


def names_of(engine: Engine) -> dict[str, str]:
    """Practitioner ref → name (soft-deleted practitioners too: old findings name them)."""
    table = Practitioner.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return {r.ref: r.name for r in conn.execute(select(table.c.ref, table.c.name))}


def build_report(
    engine: Engine,
    as_of: datetime,
    *,
    hub: str | None = None,
    practitioner: str | None = None,
    rules: set[str] | None = None,
    include_late: bool = False,
    table: RuleTable = DEFAULT_TABLE,
    with_rates: bool = False,
) -> Report:
    """The findings for a scope, sorted per §10, from one load of the store.

    ``rules`` keeps only those rule IDs; ``include_late`` keeps ``late``
    findings (and loads the detail of closed episodes for them);
    ``with_rates`` adds the milestones' on-time rates (needs that detail too).
    """
    history = include_late or with_rates
    snap = load_from(engine, as_of, practitioner=practitioner, hub=hub, history=history)
    found = evaluate(snap, as_of, table)
    if rules is not None:
        found = [f for f in found if f.rule in rules]
    if not include_late:
        found = [f for f in found if f.state is not State.LATE]
    if not with_rates:
        return Report(as_of, found)
    rates, by_lead = milestone_rates(snap.episodes, as_of, table)
    if rules is not None:
        rates = {rule: rate for rule, rate in rates.items() if rule in rules}
        by_lead = {
            lead: {rule: rate for rule, rate in lead_rates.items() if rule in rules}
            for lead, lead_rates in by_lead.items()
        }
    return Report(as_of, found, rates, by_lead)


def summary_rows(report: Report) -> tuple[dict[str, Counter[str]], dict[str | None, Counter[str]]]:
    """Counts of findings by state: per rule ID, and per practitioner ref (None: none)."""
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    by_person: dict[str | None, Counter[str]] = defaultdict(Counter)
    for f in report.findings:
        by_rule[f.rule][str(f.state)] += 1
        by_person[f.practitioner][str(f.state)] += 1
    return by_rule, by_person
