"""Writing a :class:`~ehtui.report.Report` as JSON, CSV, an aligned table or a summary."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

from ehtui.report import Report, summary_rows
from ehtui.rules import Finding
from ehtui.rules.model import FINDING_KEYS, STATE_ORDER, State
from ehtui.rules.summary import MILESTONES, Rate
from ehtui.safe_text import safe_text

STATE_WORDS = {
    State.OVERDUE: "Overdue",
    State.MISSING: "Missing",
    State.OVER_LIMIT: "Over limit",
    State.DUE_SOON: "Due soon",
    State.ADVICE: "Advice",
    State.LATE: "Late (history)",
}


def as_json(report: Report) -> str:
    """``{"as_of": ..., "findings": [...]}``, one finding a line.

    Each finding is encoded on its own (json's C encoder; ``indent`` would
    force the pure-Python one, several times slower on a borough report).
    """
    as_of = json.dumps(report.as_of.isoformat(timespec="seconds"))
    if not report.findings:
        return f'{{"as_of": {as_of}, "findings": []}}\n'
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    body = ",\n  ".join(dumps(f.to_json()) for f in report.findings)
    return f'{{"as_of": {as_of},\n "findings": [\n  {body}\n ]}}\n'


def as_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FINDING_KEYS)
    for f in report.findings:
        row = f.to_json()
        writer.writerow(["" if row[k] is None else row[k] for k in FINDING_KEYS])
    return out.getvalue()


UNALLOCATED = "Unallocated"  # a case's finding with no Lead Professional
HUB_LEVEL = "Hub-level"  # a finding about a hub's week, no case, no practitioner


def _group_of(f: Finding) -> str:
    """The table's group: the practitioner's ref, or Unallocated / Hub-level."""
    if f.practitioner is not None:
        return f.practitioner
    if f.episode is None and f.family is None and f.child is None:
        return HUB_LEVEL
    return UNALLOCATED


def _group_name(key: str, people: dict[str, str]) -> str:
    if key in (UNALLOCATED, HUB_LEVEL) and key not in people:
        return key
    return f"{safe_text(people.get(key, key))} ({safe_text(key)})"


def _group_order(key: str, people: dict[str, str]) -> tuple[int, str]:
    if key not in people:
        return ({UNALLOCATED: 1, HUB_LEVEL: 2}.get(key, 0), key)
    return (0, people[key].casefold())


def as_table(report: Report, people: dict[str, str]) -> str:
    """Grouped by practitioner (by name; then Unallocated, then Hub-level), then by severity.

    One aligned line per finding; within a severity the §10 order holds.
    """
    lines = [
        f"Protocol report as of {report.as_of:%a %d %b %Y %H:%M}: "
        f"{len(report.findings)} finding{'s' if len(report.findings) != 1 else ''}"
    ]
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        groups[_group_of(f)].append(f)
    for key in sorted(groups, key=lambda k: _group_order(k, people)):
        items = sorted(groups[key], key=lambda f: STATE_ORDER[f.state])
        lines += ["", _group_name(key, people), "─" * 78]
        rule_w = max(len(f.rule) for f in items)
        wheres = [safe_text(f.episode or f.record or f.family or "") for f in items]
        where_w = max(len(w) for w in wheres)
        for f, where in zip(items, wheres, strict=True):
            due = "" if f.due is None else f.due.isoformat().replace("T", " ")[:16]
            lines.append(
                f"  {STATE_WORDS[f.state]:<14} {f.rule:<{rule_w}}  {due:<16}  "
                f"{where:<{where_w}}  {safe_text(f.message)}"
            )
    return "\n".join(lines) + "\n"


def _counts(c: dict[str, int], states: list[str]) -> dict[str, int]:
    return {s: c.get(s, 0) for s in states}


def _combined(rates: dict[str, Rate]) -> Rate:
    total = Rate()
    for rate in rates.values():
        total.add(rate)
    return total


def _rate_cells(r: Rate | None) -> list[object]:
    if r is None:
        return ["", "", "", "", ""]
    return [r.on_time, r.late, r.overdue, r.not_yet_due, "" if r.rate is None else f"{r.rate:.4f}"]


SUMMARY_CSV_HEADER = (
    "practitioner",
    "rule",
    *(str(s) for s in STATE_ORDER),
    "on_time",
    "met_late",
    "unmet_overdue",
    "not_yet_due",
    "rate",
)


def summary(report: Report, people: dict[str, str], fmt: str) -> str:
    """Per rule and per practitioner: counts by state; each milestone's on-time rate.

    ``json``: ``by_rule``, ``by_practitioner`` (counts by state), ``on_time``
    and ``on_time_by_practitioner`` (each milestone's counts and rate).
    ``csv``: one row per rule (practitioner empty), one per practitioner
    (rule empty: their counts over every rule) and one per practitioner and
    milestone (their on-time rate), under :data:`SUMMARY_CSV_HEADER`.
    """
    by_rule, by_person = summary_rows(report)
    states = [str(s) for s in STATE_ORDER]
    if fmt == "json":
        doc = {
            "as_of": report.as_of.isoformat(timespec="seconds"),
            "by_rule": {rule: _counts(c, states) for rule, c in sorted(by_rule.items())},
            "by_practitioner": {
                (ref or ""): _counts(c, states)
                for ref, c in sorted(by_person.items(), key=lambda x: x[0] or "")
            },
            "on_time": {
                rule: report.rates[rule].to_json() for rule in MILESTONES if rule in report.rates
            },
            "on_time_by_practitioner": {
                (ref or ""): {rule: rates[rule].to_json() for rule in MILESTONES if rule in rates}
                for ref, rates in sorted(report.rates_by_lead.items(), key=lambda x: x[0] or "")
            },
        }
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(SUMMARY_CSV_HEADER)
        for rule in sorted(set(by_rule) | set(report.rates)):
            c: dict[str, int] = by_rule.get(rule, {})
            writer.writerow(
                ["", rule, *(c.get(s, 0) for s in states), *_rate_cells(report.rates.get(rule))]
            )
        persons = sorted(set(by_person) | set(report.rates_by_lead), key=lambda r: r or "")
        for ref in persons:
            counts: dict[str, int] = by_person.get(ref, {})
            writer.writerow(
                [ref or "", "", *(counts.get(s, 0) for s in states), *_rate_cells(None)]
            )
            rates = report.rates_by_lead.get(ref, {})
            for rule in MILESTONES:
                if rule in rates:
                    writer.writerow(
                        [ref or "", rule, *([""] * len(states)), *_rate_cells(rates[rule])]
                    )
        return out.getvalue()
    head = f"{'':<26}" + "".join(
        f"{STATE_WORDS[State(s)].removesuffix(' (history)'):>11}" for s in states
    )
    lines = [f"Summary as of {report.as_of:%a %d %b %Y %H:%M}", "", "By rule", head]
    for rule, c in sorted(by_rule.items()):
        lines.append(f"{rule:<26}" + "".join(f"{c.get(s, 0):>11}" for s in states))
    lines += ["", "By practitioner", head + f"{'on time':>10}"]
    persons = sorted(
        set(by_person) | set(report.rates_by_lead),
        key=lambda r: (r is None, people.get(r or "", r or "")),
    )
    for ref in persons:
        mine: dict[str, int] = by_person.get(ref, {})
        name = safe_text(people.get(ref, ref))[:25] if ref else "Unallocated / Hub-level"
        rate = _combined(report.rates_by_lead.get(ref, {})).rate
        shown = "" if rate is None else f"{rate:.0%}"
        cells = "".join(f"{mine.get(s, 0):>11}" for s in states)
        lines.append(f"{name:<26}{cells}{shown:>10}")
    lines += ["", "On-time rate of each milestone (met on time ÷ met, on time or late)"]
    for rule in MILESTONES:
        r = report.rates.get(rule)
        if r is None:
            continue
        pct = "—" if r.rate is None else f"{r.rate:.1%}"
        bar = "" if r.rate is None else "█" * round(r.rate * 20)
        lines.append(
            f"{rule:<26}{pct:>7}  {bar:<20}  "
            f"{r.on_time} on time, {r.late} late, {r.overdue} overdue, "
            f"{r.not_yet_due} not yet due"
        )
    return "\n".join(lines) + "\n"
