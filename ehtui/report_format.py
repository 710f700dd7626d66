"""Writing a :class:`~ehtui.report.Report` as JSON, CSV, an aligned table or a summary."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

from ehtui.report import Report, summary_rows
from ehtui.rules import Finding
from ehtui.rules.model import FINDING_KEYS, STATE_ORDER, State
from ehtui.rules.summary import MILESTONES
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
    doc = {
        "as_of": report.as_of.isoformat(timespec="seconds"),
        "findings": [f.to_json() for f in report.findings],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def as_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FINDING_KEYS)
    for f in report.findings:
        row = f.to_json()
        writer.writerow(["" if row[k] is None else row[k] for k in FINDING_KEYS])
    return out.getvalue()


def _group_name(ref: str | None, people: dict[str, str]) -> str:
    if ref is None:
        return "Hub and unallocated"
    return f"{safe_text(people.get(ref, ref))} ({ref})"


def as_table(report: Report, people: dict[str, str]) -> str:
    """Grouped by practitioner, then by severity; one aligned line per finding."""
    lines = [
        f"Protocol report as of {report.as_of:%a %d %b %Y %H:%M}: "
        f"{len(report.findings)} finding{'s' if len(report.findings) != 1 else ''}"
    ]
    groups: dict[str | None, list[Finding]] = defaultdict(list)
    for f in report.findings:
        groups[f.practitioner].append(f)
    order = sorted(groups, key=lambda r: (r is None, people.get(r or "", r or "")))
    for ref in order:
        items = sorted(groups[ref], key=lambda f: STATE_ORDER[f.state])
        lines += ["", _group_name(ref, people), "─" * 78]
        rule_w = max(len(f.rule) for f in items)
        for f in items:
            due = "" if f.due is None else f.due.isoformat().replace("T", " ")[:16]
            where = f.episode or f.record or ""
            lines.append(
                f"  {STATE_WORDS[f.state]:<14} {f.rule:<{rule_w}}  {due:<16}  "
                f"{where:<9} {safe_text(f.message)}"
            )
    return "\n".join(lines) + "\n"


def summary(report: Report, people: dict[str, str], fmt: str) -> str:
    by_rule, by_person = summary_rows(report)
    states = [str(s) for s in STATE_ORDER]
    if fmt == "json":
        doc = {
            "as_of": report.as_of.isoformat(timespec="seconds"),
            "by_rule": {rule: dict(c) for rule, c in sorted(by_rule.items())},
            "by_practitioner": {
                (ref or ""): dict(c)
                for ref, c in sorted(by_person.items(), key=lambda x: x[0] or "")
            },
            "on_time": {
                rule: {
                    "on_time": r.on_time,
                    "late": r.late,
                    "overdue": r.overdue,
                    "rate": None if r.rate is None else round(r.rate, 4),
                }
                for rule, r in report.rates.items()
            },
        }
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["kind", "key", *states, "on_time", "late_met", "overdue_unmet", "rate"])
        for rule, c in sorted(by_rule.items()):
            r = report.rates.get(rule)
            extra = (
                ["", "", "", ""]
                if r is None
                else [r.on_time, r.late, r.overdue, "" if r.rate is None else f"{r.rate:.3f}"]
            )
            writer.writerow(["rule", rule, *(c.get(s, 0) for s in states), *extra])
        for ref, c in sorted(by_person.items(), key=lambda x: x[0] or ""):
            writer.writerow(
                ["practitioner", ref or "", *(c.get(s, 0) for s in states), "", "", "", ""]
            )
        return out.getvalue()
    head = f"{'':<24}" + "".join(f"{s:>11}" for s in states)
    lines = [f"Summary as of {report.as_of:%a %d %b %Y}", "", "By rule", head]
    for rule, c in sorted(by_rule.items()):
        lines.append(f"{rule:<24}" + "".join(f"{c.get(s, 0):>11}" for s in states))
    lines += ["", "By practitioner", head]
    for ref, c in sorted(by_person.items(), key=lambda x: people.get(x[0] or "", "~")):
        name = safe_text(people.get(ref, "Hub level"))[:23] if ref else "Hub level"
        lines.append(f"{name:<24}" + "".join(f"{c.get(s, 0):>11}" for s in states))
    lines += ["", "On-time rate of each milestone (met on time / due by the as-of date)"]
    for rule in MILESTONES:
        r = report.rates.get(rule)
        if r is None or r.rate is None:
            continue
        bar = "█" * round(r.rate * 20)
        lines.append(
            f"{rule:<24}{r.rate:>7.1%}  {bar:<20}  "
            f"{r.on_time} on time, {r.late} late, {r.overdue} overdue"
        )
    return "\n".join(lines) + "\n"
