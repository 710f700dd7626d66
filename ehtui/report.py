"""The report: the engine's findings for a scope, filtered as ``ehtui report`` asks.

Also the monthly data tracker's summary (§22.2): per rule and per practitioner,
counts by state and the on-time rate of each one-off milestone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select

from ehtui.models import Practitioner
from ehtui.rules import DEFAULT_TABLE, Finding, RuleTable, State, evaluate_store
from ehtui.rules.summary import Rate, milestone_rates


@dataclass(frozen=True)
class Report:
    as_of: datetime
    findings: list[Finding]
    rates: dict[str, Rate] = field(default_factory=dict)  # milestone → on-time rate
    rates_by_lead: dict[str | None, dict[str, Rate]] = field(default_factory=dict)


def names_of(engine: Engine) -> dict[str, str]:
    """Practitioner ref → name."""
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
    """The findings for a scope; ``with_rates`` adds the milestones' on-time rates."""
    found = evaluate_store(
        engine, as_of, hub=hub, practitioner=practitioner, history=include_late, table=table
    )
    if rules is not None:
        found = [f for f in found if f.rule in rules]
    if not include_late:
        found = [f for f in found if f.state is not State.LATE]
    if not with_rates:
        return Report(as_of, found)
    from ehtui.rules.load import load_from

    snap = load_from(engine, as_of, practitioner=practitioner, hub=hub, history=True)
    rates, by_lead = milestone_rates(snap.episodes, as_of, table)
    return Report(as_of, found, rates, by_lead)


def summary_rows(report: Report) -> tuple[dict[str, Counter[str]], dict[str | None, Counter[str]]]:
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    by_person: dict[str | None, Counter[str]] = defaultdict(Counter)
    for f in report.findings:
        by_rule[f.rule][str(f.state)] += 1
        by_person[f.practitioner][str(f.state)] += 1
    return by_rule, by_person
