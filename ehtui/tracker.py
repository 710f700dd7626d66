"""The monthly data tracker (§22.2): drift and on-time rates by hub and practitioner.

For a month (default: last month, relative to the as-of date) and the months
before it (the trend), each computed as of that month's last moment
(23:59:59 of its last day), per hub and per Lead Professional:

- **drifting work** (episodes open at the month end): *EHA not started*
  (engagement not confirmed by allocation + 7 working days, §10), *TAF reviews
  overdue* (TAF-REVIEW-12W), *EHA open approaching a year* (EHA-DRIFT-12M due
  soon) and *over a year* (overdue), *Universal Plus past its weeks* (UP-6W or
  UP-12W-MAX overdue), *step-down past 6 months* (STEPDOWN-6M overdue);
- **on-time rates** of each one-off milestone (:mod:`ehtui.rules.summary`):
  of the milestones *met during the month*, how many on time (the difference
  of the cumulative counts at this month end and the last), with the clocks
  still unmet past due at the month end beside them.

Every state is the protocol engine's; the store is read once (as of the last
month end) and each month is the engine's as-of view of it, so a re-run later
gives the same figures. Episodes are attributed to their current Lead
Professional and hub (the store keeps no history of reallocations).

For speed (a hub's month with its 6-month trend in under a second on the borough
store: ``benchmarks/tracker_borough.py``): each episode's facts are loaded once
for every month, with only what these rules read (:func:`_load`); each month end
makes one as-of view, shared by the rates and the drift; the one-off milestones
are differenced month on month, and RECORD-48H, the bulk (a clock a contact), is
evaluated on the month's fresh notes only (those not finalised by the month
before), since a note finalised earlier counts the same at both month ends. The
tests prove the figures equal the plain month-by-month method's.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from ehtui.calendar import end_of_day
from ehtui.rules.clocks import as_moment
from ehtui.rules.engine import _table_of
from ehtui.rules.load import (
    EPISODE_COLUMNS,
    LIVE_EPISODE,
    SELECT_EPISODES,
    contacts_of,
    episode_snap,
    moment,
    tafs_of,
)
from ehtui.rules.model import EpisodeSnap, Finding, State
from ehtui.rules.status import eha_not_started
from ehtui.rules.summary import MILESTONES, Rate, _started, _wide, clock_states, rate_of
from ehtui.rules.table import RuleTable
from ehtui.rules.timescales import (
    MILESTONE_RULES,
    eha_drift_12m,
    record_48h,
    stepdown_6m,
    taf_review_12w,
    up_6w,
    up_12w_max,
)
from ehtui.rules.view import as_of_view
from ehtui.sql import AlchemyRunner

# The drift measures, in the order shown, with their words.
DRIFT: dict[str, str] = {
    "eha_not_started": "EHA not started",
    "reviews_overdue": "TAF reviews overdue",
    "eha_near_year": "EHA open approaching a year",
    "eha_over_year": "EHA open over a year",
    "up_past_weeks": "Universal Plus past its weeks",
    "stepdown_past_6m": "Step-down past 6 months",
}
RuleFn = Callable[[EpisodeSnap, datetime, RuleTable], Iterable[Finding]]
# measure → (rules, the state that counts)
_DRIFT_RULES: dict[str, tuple[tuple[RuleFn, ...], State]] = {
    "reviews_overdue": ((taf_review_12w,), State.OVERDUE),
    "eha_near_year": ((eha_drift_12m,), State.DUE_SOON),
    "eha_over_year": ((eha_drift_12m,), State.OVERDUE),
    "up_past_weeks": ((up_6w, up_12w_max), State.OVERDUE),
    "stepdown_past_6m": ((stepdown_6m,), State.OVERDUE),
}
MAX_MONTHS = 24
_CLOSED = EPISODE_COLUMNS.index("closed")  # in an episode row


@dataclass(frozen=True)
class TrackerLine:
    """One hub (``practitioner`` None: the whole hub, unallocated work included) or
    one Lead Professional, for one month."""

    month: str  # "2026-10"
    hub: str
    practitioner: str | None
    name: str
    open_episodes: int
    drift: dict[str, int]
    rates: dict[str, Rate]  # milestone → met in the month (on time, late), unmet overdue

    @property
    def drifting(self) -> int:
        """Open episodes drifting in any way (each counted once)."""
        return self.drift.get("_any", 0)

    def rate(self, milestone: str) -> float | None:
        r = self.rates.get(milestone)
        return r.rate if r is not None else None


@dataclass(frozen=True)
class Tracker:
    as_of: datetime
    month: str
    months: tuple[str, ...]  # the trend, oldest first, ending with ``month``
    hub: str | None
    lines: tuple[TrackerLine, ...] = field(default=())

    def for_month(self, month: str | None = None) -> list[TrackerLine]:
        """The lines of ``month`` (default: the month reported): each hub, then its people."""
        wanted = month or self.month
        return [line for line in self.lines if line.month == wanted]

    def series(
        self, measure: str, *, hub: str, practitioner: str | None = None
    ) -> list[float | None]:
        """A measure month by month (oldest first): a drift key, "drifting", "open",
        or a milestone rule ID (its on-time rate, None when nothing was met)."""
        index = {(x.month, x.hub, x.practitioner): x for x in self.lines}
        out: list[float | None] = []
        for month in self.months:
            line = index.get((month, hub, practitioner))
            if line is None:
                out.append(None if measure in MILESTONES else 0)
            elif measure == "drifting":
                out.append(line.drifting)
            elif measure == "open":
                out.append(line.open_episodes)
            elif measure in MILESTONES:
                out.append(line.rate(measure))
            else:
                out.append(line.drift.get(measure, 0))
        return out


def month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(text: str) -> date:
    """The first day of "YYYY-MM"; ValueError otherwise."""
    year, _, month = text.partition("-")
    if len(year) != 4 or len(month) != 2 or not (year + month).isdigit():
        raise ValueError(f"{text!r} is not a month (YYYY-MM)")
    return date(int(year), int(month), 1)


def default_month(as_of: datetime) -> str:
    """Last month, relative to the as-of date."""
    return month_label(as_of.date().replace(day=1) - timedelta(days=1))


def _month_end(first: date) -> datetime:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return end_of_day(following - timedelta(days=1))


def _previous(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _drift(view: EpisodeSnap, at: datetime, table: RuleTable) -> set[str]:
    found = set()
    if eha_not_started(view, at, table):
        found.add("eha_not_started")
    states: dict[RuleFn, set[State]] = {}  # each rule run once (EHA-DRIFT-12M serves two)
    for measure, (rules, state) in _DRIFT_RULES.items():
        for rule in rules:
            if rule not in states:
                states[rule] = {f.state for f in rule(view, at, table)}
            if state in states[rule]:
                found.add(measure)
                break
    return found


RECORD_48H = "RECORD-48H"
# the summary's milestone rules, RECORD-48H apart (it runs on a month's fresh notes only)
_ONCE_RULES = tuple(rule for rule in MILESTONE_RULES if rule is not record_48h)


def _once_rates(
    view: EpisodeSnap, at: datetime, table: RuleTable, wide: RuleTable
) -> dict[str, Rate]:
    """:func:`ehtui.rules.summary.episode_rates` of an as-of view, but for RECORD-48H:
    the one-off milestones' cumulative counts at ``at``."""
    reopened = view if view.closed is None else replace(view, closed=None)
    states, gone = clock_states(
        (f for rule in _ONCE_RULES for f in rule(reopened, at, wide)), view.closed
    )
    out = {}
    for rule in MILESTONES:
        if rule == RECORD_48H:
            continue
        started = _started(rule, view, table) - gone[rule]
        if started > 0:
            out[rule] = rate_of(started, rule, states)
    return out


def _notes_rates(
    view: EpisodeSnap, since: datetime, at: datetime, table: RuleTable, wide: RuleTable
) -> Rate | None:
    """RECORD-48H for the month from ``since`` to ``at``: the notes finalised in it (on
    time, late) and those unfinalised at ``at`` (overdue, not yet due). A note finalised
    by ``since`` counted the same at both month ends, so it moves nothing and is not
    evaluated: only the month's fresh notes are. None when no clock had started (as
    :func:`ehtui.rules.summary.episode_rates` leaves the rule out)."""
    if view.type not in table[RECORD_48H].types or not view.contacts:
        return None
    fresh = tuple(
        c for c in view.contacts if c.recorded_at is None or c.recorded_at > since or c.at > since
    )
    settled = len(view.contacts) - len(fresh)
    if not fresh:
        return Rate()  # counted as before: nothing moved
    reopened = replace(view, closed=None, contacts=fresh)
    states, gone = clock_states(record_48h(reopened, at, wide), view.closed)
    started = len(fresh) - gone[RECORD_48H]
    if settled + started <= 0:
        return None
    return rate_of(started, RECORD_48H, states)


def _settled(ep: EpisodeSnap, others: datetime | None) -> datetime:
    """The moment after which nothing about ``ep`` can change: its latest dated fact,
    for a closed episode (``others``: its latest voice of the child or oversight,
    which the tracker does not load); never, for an open one."""
    if ep.closed is None:
        return datetime.max
    moments = [as_moment(ep.closed), as_moment(ep.referral_received)]
    for value in (
        ep.allocated,
        ep.engagement_confirmed,
        ep.eha_completed,
        ep.assessment_completed,
        ep.stepdown_consultation,
        ep.stepdown_meeting,
        ep.qa_completed,
    ):
        if value is not None:
            moments.append(as_moment(value))
    for c in ep.contacts:
        moments.append(c.at)
        if c.recorded_at is not None:
            moments.append(c.recorded_at)
    moments.extend(m.at for m in ep.tafs)
    if others is not None:
        moments.append(others)
    return max(moments)


def _load(
    engine: Any, hub: str | None, start: datetime, end: datetime
) -> list[tuple[EpisodeSnap, datetime]]:
    """The episodes whose figures can move after ``start`` (referred by ``end``, and open
    at ``start`` or with anything dated after it: a closure, a note finalised late),
    each with the moment it settled (:func:`_settled`).

    Only what the tracker's rules read is loaded (the episode, its contacts and TAF
    meetings), with one query a table and no query per episode; the voices of the child
    and oversight only as the latest date of a closed episode's. The tests prove the
    figures equal those from the full snapshot (:func:`ehtui.rules.load.load_from`)."""
    params: dict[str, Any] = {"start": start, "end": end.date(), "start_day": start.date()}
    late_notes = (  # an episode's own contacts, by its index
        "EXISTS (SELECT 1 FROM contact WHERE contact.episode = episode.ref"
        " AND (contact.recorded_at > :start OR contact.at > :start)"
        " AND contact.deleted_at IS NULL)"
    )
    where = (
        f"{LIVE_EPISODE} AND episode.referral_received <= :end"
        f" AND (episode.closed IS NULL OR episode.closed >= :start_day OR {late_notes})"
    )
    if hub is not None:
        where += " AND episode.hub = :hub"
        params["hub"] = hub
    others: dict[str, datetime] = {}
    with engine.connect() as conn:
        run = AlchemyRunner(conn)
        rows = run.rows(f"{SELECT_EPISODES} WHERE {where} ORDER BY episode.seq", **params)
        refs = {"refs": [r[0] for r in rows]}
        closed = [r[0] for r in rows if r[_CLOSED] is not None]
        contacts = contacts_of(run, ":refs", refs)
        tafs = tafs_of(run, ":refs", refs)
        for table in ("voice_of_child", "oversight"):
            for episode, at in run.rows(
                f"SELECT episode, at FROM {table} WHERE episode IN :closed AND deleted_at IS NULL",
                closed=closed,
            ):
                when = moment(at)
                if when is not None and (episode not in others or when > others[episode]):
                    others[episode] = when
    empty: tuple[Any, ...] = ()
    out = []
    for r in rows:
        ep = episode_snap(
            r,
            {},  # the family's ref alone: no figure reads its details
            empty,
            tuple(contacts.get(r[0], empty)),
            empty,
            tuple(tafs.get(r[0], empty)),
            empty,
        )
        out.append((ep, _settled(ep, others.get(ep.ref))))
    return out


def tracker(
    engine: Any,
    as_of: datetime,
    *,
    month: str | None = None,
    hub: str | None = None,
    months: int = 6,
    settings: Any = None,
) -> Tracker:
    """The tracker for ``month`` ("YYYY-MM", default last month) and the ``months``
    months up to it (the trend), for one hub or all. A month not yet ended is
    computed as of ``as_of``."""
    table = _table_of(settings)
    first = parse_month(month) if month else parse_month(default_month(as_of))
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"months: {months} is not between 1 and {MAX_MONTHS}")
    firsts = [first]
    for _ in range(months):
        firsts.insert(0, _previous(firsts[0]))
    ends = [min(_month_end(f), as_of) for f in firsts]
    loaded = _load(engine, hub, ends[0], ends[-1])
    names = _names(engine)
    # (month index, hub, lead or None) → counts
    drift: dict[tuple[int, str, str | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rates: dict[tuple[int, str, str | None], dict[str, Rate]] = defaultdict(
        lambda: defaultdict(Rate)
    )
    wide = _wide(table)  # the summary's wide-open warning windows, made once
    for ep, settled in loaded:
        before: dict[str, Rate] = {}
        for n, at in enumerate(ends):
            if as_moment(ep.referral_received) > at:
                continue
            if n and settled <= ends[n - 1]:
                break  # nothing about it changes any more
            view = as_of_view(ep, at)  # once a month end, for the rates and the drift
            if view is None:
                continue
            now = _once_rates(view, at, table, wide)
            if n == 0:
                before = now
                continue
            is_open = view.closed is None
            lead = view.lead
            keys: list[tuple[int, str, str | None]] = [(n, ep.hub, None)]
            if lead:
                keys.append((n, ep.hub, lead))
            moves: list[tuple[str, Rate]] = []
            for rule, rate in now.items():
                was = before.get(rule, Rate())
                moved = Rate(rate.on_time - was.on_time, rate.late - was.late)
                if is_open:
                    moved.overdue, moved.not_yet_due = rate.overdue, rate.not_yet_due
                moves.append((rule, moved))
            notes = _notes_rates(view, ends[n - 1], at, table, wide)
            if notes is not None:
                moves.append((RECORD_48H, notes if is_open else Rate(notes.on_time, notes.late)))
            for rule, moved in moves:
                for key in keys:
                    rates[key][rule].add(moved)
            before = now
            if not is_open:
                continue
            found = _drift(view, at, table)
            for key in keys:
                counts = drift[key]
                counts["_open"] += 1
                counts["_any"] += bool(found)
                for measure in found:
                    counts[measure] += 1
    lines: list[TrackerLine] = []
    hubs = {k[1] for k in (*drift, *rates)} | ({hub} if hub is not None else set())
    every_month = {(n, h, None) for n in range(1, len(ends)) for h in hubs}  # zeros too
    for key in sorted(
        set(drift) | set(rates) | every_month,
        key=lambda k: (k[0], k[1], k[2] is not None, k[2] or ""),
    ):
        n, h, lead = key
        got = drift.get(key, {})
        month_rates = {
            rule: r
            for rule in MILESTONES
            if (r := rates.get(key, {}).get(rule)) is not None
            and (r.on_time or r.late or r.overdue or r.not_yet_due)
        }
        lines.append(
            TrackerLine(
                month=month_label(firsts[n]),
                hub=h,
                practitioner=lead,
                name=f"{h} hub" if lead is None else names.get(lead, lead),
                open_episodes=got.get("_open", 0),
                drift={m: got.get(m, 0) for m in DRIFT} | {"_any": got.get("_any", 0)},
                rates=month_rates,
            )
        )
    labels = tuple(month_label(f) for f in firsts[1:])
    return Tracker(as_of, labels[-1], labels, hub, tuple(lines))


def _names(engine: Any) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(AlchemyRunner(conn).rows("SELECT ref, name FROM practitioner"))


def _csv_rows(t: Tracker) -> Iterator[list[Any]]:
    head = ["month", "hub", "practitioner", "name", "open_episodes", "drifting", *DRIFT]
    for rule in MILESTONES:
        head += [f"{rule} on_time", f"{rule} late", f"{rule} overdue", f"{rule} rate"]
    yield head
    for line in t.lines:
        row: list[Any] = [
            line.month,
            line.hub,
            line.practitioner or "",
            line.name,
            line.open_episodes,
            line.drifting,
            *(line.drift.get(m, 0) for m in DRIFT),
        ]
        for rule in MILESTONES:
            r = line.rates.get(rule, Rate())
            rate = "" if r.rate is None else f"{r.rate:.4f}"
            row += [r.on_time, r.late, r.overdue, rate]
        yield row


def tracker_csv(t: Tracker) -> str:
    """Every line of the tracker (each month of the trend, each hub and practitioner)
    as CSV with a header row; a rate with nothing met is left empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in _csv_rows(t):
        writer.writerow(row)
    return out.getvalue()
