"""The data tracker: month boundaries, drift at each month end, on-time rates of the
milestones met in each month, attribution to hub and Lead Professional, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from ehtui.report import build_report
from ehtui.tracker import default_month, parse_month, tracker, tracker_csv
from tests.unit.builders import (
    add_rows,
    store_child,
    store_contact,
    store_episode,
    store_family,
    store_link,
    store_practitioner,
)

END_FEB = datetime(2026, 2, 28, 23, 59, 59)
MID_MARCH = datetime(2026, 3, 15, 23, 59, 59)


def eha(n: int, allocated: datetime, **changes: Any) -> list[Any]:
    fields = {
        "referral_received": allocated.date(),
        "allocated": allocated,
        "engagement_confirmed": allocated.date(),
        **changes,
    }
    return [
        store_family(f"F{n}", name=f"Family{n}"),
        store_child(f"C{n}", f"F{n}"),
        store_episode(f"E{n}", f"F{n}", **fields),
        store_link(f"E{n}", f"C{n}"),
    ]


def build(engine: Engine) -> None:
    rows: list[Any] = [
        store_practitioner("P1", name="Ben Osei"),
        store_practitioner("P2", name="Sam South", hub="South"),
    ]
    # allocated Mon 2 Feb: first contact due Wed 4 Feb
    rows += eha(1, datetime(2026, 2, 2, 9, 30))
    rows.append(store_contact("K1", "E1", "2026-02-04T10:00"))  # on time, in February
    rows += eha(3, datetime(2026, 2, 2, 9, 30))
    rows.append(store_contact("K3", "E3", "2026-02-10T10:00"))  # late, in February
    # allocated Thu 26 Feb: first contact due Mon 2 Mar
    rows += eha(2, datetime(2026, 2, 26, 9, 30))
    rows.append(store_contact("K2", "E2", "2026-03-01T00:00", recorded_at=datetime(2026, 3, 1, 1)))
    rows += eha(4, datetime(2026, 2, 26, 9, 30))
    rows.append(
        store_contact("K4", "E4", "2026-02-28T23:30", recorded_at=datetime(2026, 2, 28, 23, 45))
    )
    # Universal Plus allocated Mon 5 Jan: past its 6 weeks from Tue 17 Feb
    rows += eha(5, datetime(2026, 1, 5, 9, 30), type="universal_plus")
    # an EHA whose engagement was never confirmed: not started from 15 Jan
    rows += eha(6, datetime(2026, 1, 5, 9, 30), engagement_confirmed=None)
    # closed on 10 Feb: open at the end of January only
    rows += eha(
        7, datetime(2026, 1, 5, 9, 30), closed=date(2026, 2, 10), closure_reason="moved_away"
    )
    # unallocated (no lead): the hub's, nobody's
    rows += eha(8, datetime(2026, 1, 5, 9, 30), lead=None)
    # South
    rows += eha(9, datetime(2026, 2, 2, 9, 30), hub="South", lead="P2")
    add_rows(engine, *rows)


def line(t: Any, month: str, hub: str, practitioner: str | None = None) -> Any:
    return next(
        x for x in t.lines if (x.month, x.hub, x.practitioner) == (month, hub, practitioner)
    )


def test_default_month_is_last_month() -> None:
    assert default_month(datetime(2026, 3, 1, 0, 0, 1)) == "2026-02"
    assert default_month(datetime(2026, 1, 15, 12)) == "2025-12"
    assert parse_month("2026-02") == date(2026, 2, 1)
    for bad in ("2026-2", "26-02", "2026-13", "Feb 2026"):
        with pytest.raises(ValueError):
            parse_month(bad)


def test_rates_count_milestones_met_in_the_month(engine: Engine) -> None:
    build(engine)
    t = tracker(engine, MID_MARCH, month="2026-02", months=2)
    assert (t.month, t.months) == ("2026-02", ("2026-01", "2026-02"))
    feb = line(t, "2026-02", "West").rates["EHA-CONTACT-2WD"]
    # E1 on time, E3 late, E4 on time at 23:30 on the last day; E2 met on 1 Mar
    assert (feb.on_time, feb.late, feb.rate) == (2, 1, pytest.approx(2 / 3))
    assert feb.not_yet_due == 1  # E2, still open and not due at the end of February
    march = tracker(engine, MID_MARCH, month="2026-03", months=1)
    got = line(march, "2026-03", "West").rates["EHA-CONTACT-2WD"]
    assert (got.on_time, got.late) == (1, 0)  # E2, at 00:00 on 1 March
    jan = line(t, "2026-01", "West").rates.get("EHA-CONTACT-2WD")
    assert jan is None or (jan.on_time, jan.late) == (0, 0)


def test_months_add_up_to_the_summary_modules_cumulative_rates(engine: Engine) -> None:
    build(engine)
    t = tracker(engine, END_FEB, month="2026-02", months=3)  # Dec, Jan, Feb; nothing before
    summary = build_report(engine, END_FEB, hub="West", with_rates=True).rates
    for rule, rate in summary.items():
        on_time = sum(line(t, m, "West").rates.get(rule, _zero()).on_time for m in t.months)
        late = sum(line(t, m, "West").rates.get(rule, _zero()).late for m in t.months)
        assert (on_time, late) == (rate.on_time, rate.late), rule


def _zero() -> Any:
    from ehtui.rules.summary import Rate

    return Rate()


def test_drift_at_each_month_end(engine: Engine) -> None:
    build(engine)
    t = tracker(engine, MID_MARCH, month="2026-02", months=2)
    jan, feb = line(t, "2026-01", "West"), line(t, "2026-02", "West")
    assert (jan.open_episodes, feb.open_episodes) == (4, 7)  # E5-E8; then E1-E6, E8
    assert jan.drift["up_past_weeks"] == 0 and feb.drift["up_past_weeks"] == 1  # E5
    assert jan.drift["eha_not_started"] == 1 and feb.drift["eha_not_started"] == 1  # E6
    assert t.series("up_past_weeks", hub="West") == [0, 1]
    assert t.series("open", hub="West", practitioner="P1") == [3, 6]  # not E8 (no lead)


def test_practitioner_and_hub_lines(engine: Engine) -> None:
    build(engine)
    t = tracker(engine, MID_MARCH, month="2026-02", months=1)
    assert [(x.hub, x.practitioner, x.name) for x in t.for_month()] == [
        ("South", None, "South hub"),
        ("South", "P2", "Sam South"),
        ("West", None, "West hub"),
        ("West", "P1", "Ben Osei"),
    ]
    west_only = tracker(engine, MID_MARCH, month="2026-02", months=1, hub="West")
    assert {x.hub for x in west_only.lines} == {"West"}
    assert line(west_only, "2026-02", "West", "P1").rates == line(t, "2026-02", "West", "P1").rates


def test_csv(engine: Engine) -> None:
    build(engine)
    t = tracker(engine, MID_MARCH, month="2026-02", months=2, hub="West")
    rows = list(csv.DictReader(io.StringIO(tracker_csv(t))))
    assert [(r["month"], r["practitioner"]) for r in rows] == [
        ("2026-01", ""),
        ("2026-01", "P1"),
        ("2026-02", ""),
        ("2026-02", "P1"),
    ]
    feb = rows[2]
    assert (feb["name"], feb["open_episodes"], feb["up_past_weeks"]) == ("West hub", "7", "1")
    assert (feb["EHA-CONTACT-2WD on_time"], feb["EHA-CONTACT-2WD late"]) == ("2", "1")
    assert feb["EHA-CONTACT-2WD rate"] == "0.6667"
    assert feb["RHI-72H rate"] == ""  # nothing met: no rate


def test_bad_months_argument(engine: Engine) -> None:
    with pytest.raises(ValueError, match="months"):
        tracker(engine, MID_MARCH, months=0)


# The demo service: a year of casework, every milestone and drift measure exercised.
DEMO_ANCHOR = date(2026, 11, 20)
DEMO_AS_OF = datetime(2026, 11, 20, 23, 59, 59)


@pytest.fixture
def demo_engine(engine: Engine) -> Engine:
    from ehtui.demo import generate

    generate(engine, "small", 1, DEMO_ANCHOR, progress=False)
    return engine


def test_the_trend_equals_each_month_computed_alone(demo_engine: Engine) -> None:
    """Each month of a 6-month trend (Mar-Oct 2026 here: months 2026-05 to 2026-10) has
    the same lines, every count and rate, as that month computed on its own."""
    t = tracker(demo_engine, DEMO_AS_OF, months=6)
    assert t.months == ("2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10")
    for month in t.months:
        alone = tracker(demo_engine, DEMO_AS_OF, month=month, months=1)
        assert alone.for_month(month) == t.for_month(month), month
    assert sum(x.open_episodes for x in t.for_month() if x.practitioner is None) > 0
    assert any(x.rates.get("RECORD-48H") for x in t.for_month())


def test_the_figures_are_the_summary_engines_at_each_month_end(demo_engine: Engine) -> None:
    """The tracker counts each month's milestones from its fresh notes and one as-of view;
    its figures are those of the plain method: the summary engine's cumulative counts
    (:func:`episode_rates`) at each month end, differenced, and the drift rules on the
    as-of view, for every hub and Lead Professional over 12 months (Nov 2025-Oct 2026)."""
    t = tracker(demo_engine, DEMO_AS_OF, months=12)
    got = {
        (x.month, x.hub, x.practitioner): (x.open_episodes, x.drift, x.rates)
        for x in t.lines
        if x.practitioner is None or x.open_episodes or x.rates
    }
    expected = _month_by_month(demo_engine, t.months)
    assert got.keys() == expected.keys()
    for key, figures in expected.items():
        assert got[key] == figures, key
    assert sum(n for n, _, _ in expected.values()) > 0


def _month_by_month(engine: Engine, months: tuple[str, ...]) -> dict[Any, Any]:
    """The plain method: every episode, every month end, the engine's own functions."""
    from collections import defaultdict

    from ehtui.rules.load import load_from
    from ehtui.rules.summary import MILESTONES, Rate, episode_rates
    from ehtui.rules.table import DEFAULT_TABLE
    from ehtui.rules.view import as_of_view
    from ehtui.tracker import DRIFT, _drift, _month_end, _previous

    firsts = [parse_month(m) for m in months]
    ends = [_month_end(f) for f in [_previous(firsts[0]), *firsts]]
    snap = load_from(engine, ends[-1], history=True)
    opened: dict[Any, int] = defaultdict(int)
    drift: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rates: dict[Any, dict[str, Rate]] = defaultdict(lambda: defaultdict(Rate))
    for ep in snap.episodes:
        for n in range(1, len(ends)):
            view = as_of_view(ep, ends[n])
            if view is None:
                continue
            now, was = episode_rates(ep, ends[n]), episode_rates(ep, ends[n - 1])
            is_open = view.closed is None
            keys = [(months[n - 1], ep.hub, None)]
            if view.lead:
                keys.append((months[n - 1], ep.hub, view.lead))
            found = _drift(view, ends[n], DEFAULT_TABLE) if is_open else set()
            for key in keys:
                for rule, rate in now.items():
                    before = was.get(rule, Rate())
                    moved = Rate(rate.on_time - before.on_time, rate.late - before.late)
                    if is_open:
                        moved.overdue, moved.not_yet_due = rate.overdue, rate.not_yet_due
                    rates[key][rule].add(moved)
                if is_open:
                    opened[key] += 1
                    drift[key]["_any"] += bool(found)
                    for measure in found:
                        drift[key][measure] += 1
    out: dict[Any, Any] = {}
    hubs = {k[1] for k in (*opened, *rates)}
    for key in {*opened, *rates, *((m, h, None) for m in months for h in hubs)}:
        kept = {
            rule: r
            for rule in MILESTONES
            if (r := rates[key].get(rule)) is not None
            and (r.on_time or r.late or r.overdue or r.not_yet_due)
        }
        if key[2] is None or opened[key] or kept:
            counts = drift[key]
            out[key] = (opened[key], {m: counts[m] for m in DRIFT} | {"_any": counts["_any"]}, kept)
    return out
