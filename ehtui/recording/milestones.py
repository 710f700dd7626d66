"""An episode's milestones and counts, kept on the episode row, and their audited save.

Which apply depends on the episode's type:

- EHA and step-down EHA: engagement confirmed (§6.1), EHA completed (§6.1), the
  case summary, chronology and genogram on file (§24.1);
- step-down EHA: the step-down consultation and meeting (§13.1), the meeting on or
  after the consultation; both come before the transfer, so they may predate the
  referral; and the extension the line manager approved (§14.2), ending after the
  6 months it extends;
- Universal Plus: the extension approved until (§21.2-21.4: after the 6 weeks,
  at most 12 weeks after allocation) and the sessions planned and delivered (§15.1);
- joint work: the extension agreed (§16.3: sessions up to 12) and the sessions
  planned and delivered;
- out-of-court work: the assessment completed (§18.4, OOC-ASSESS-2W);
- Return Home Interview: the interview held and the manager's QA (§19.3, RHI-72H),
  each a date and time (the clock counts hours); the QA comes after the interview;
- an episode whose source is the One Service Response (whatever its type): the date
  the 0-19 Request Form was sent (OSR §2.4, §4.5);
- EHA and step-down EHA: the contact frequency the plan agrees per 4 weeks (§9.4,
  read by CONTACT-FREQUENCY), 1 to 20.

A date left blank is not recorded (clearing one is allowed: it was wrong). Dates
that record something done cannot be in the future nor (but for the step-down's)
before the referral; EHA completed is on or after engagement confirmed (§6.1). The
extension's end lies ahead by nature and is checked against allocation instead, by
the spans of the rules table in force (UP-6W, UP-12W-MAX, STEPDOWN-6M), so settings
that move a limit move the check too. Session counts are facts: more than the cap
(or than planned) is recorded, and the engine's UP-SESSIONS-6 / JOINT-6-SESSIONS
finding says so (:func:`session_caps`, beside the form).
``assessment_completed`` and ``qa_completed`` are text columns holding a date
(``YYYY-MM-DD``) or a date-time (``YYYY-MM-DDTHH:MM:SS``) as given, as the interchange
normalises them; the rules read a date alone as 00:00 of that day.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import partial
from typing import Any

from sqlalchemy import Engine

from ehtui.calendar import Span, add
from ehtui.forms import parse_count, parse_day, parse_day_or_moment
from ehtui.models import Episode
from ehtui.recording.facts import EpisodeFacts, checked
from ehtui.recording.taf import AGREED_CONTACTS
from ehtui.rules import DEFAULT_TABLE, RuleTable, evaluate_episode
from ehtui.rules.model import EpisodeSnap
from ehtui.unit_of_work import fetch, write
from ehtui.validation import describe
from ehtui.vocab import EpisodeType, Source

EHA_TYPES = frozenset({EpisodeType.EHA, EpisodeType.STEP_DOWN_EHA})
SESSION_TYPES = frozenset({EpisodeType.UNIVERSAL_PLUS, EpisodeType.JOINT_WORK})
EVERY_TYPE = frozenset(EpisodeType.values())
SESSION_CAPS = ("UP-SESSIONS-6", "JOINT-6-SESSIONS")


@dataclass(frozen=True)
class Milestone:
    field: str  # the form field (and the episode column, unless ``column`` says another)
    label: str
    # "done" (a date, not ahead), "ahead" (a date that may lie ahead), "flag", "count",
    # "when" (a date or a date-time kept as text, not ahead; ``timed``: the time is needed)
    kind: str
    types: frozenset[str]
    column: str = ""
    sources: frozenset[str] | None = None  # None: any source
    low: int = 0  # a count's range
    high: int = 99
    timed: bool = False
    before_referral: bool = False  # a "done" date that may predate the referral

    @property
    def store(self) -> str:
        """The episode column it is kept in."""
        return self.column or self.field

    def applies(self, episode_type: str, source: str | None) -> bool:
        return episode_type in self.types and (self.sources is None or source in self.sources)


MILESTONES: tuple[Milestone, ...] = (
    Milestone("engagement_confirmed", "Engagement confirmed", "done", EHA_TYPES),
    Milestone("eha_completed", "EHA completed", "done", EHA_TYPES),
    Milestone("doc_case_summary", "Case summary on file", "flag", EHA_TYPES),
    Milestone("doc_chronology", "Chronology on file", "flag", EHA_TYPES),
    Milestone("doc_genogram", "Genogram on file", "flag", EHA_TYPES),
    Milestone(
        "stepdown_consultation",
        "Step-down consultation",
        "done",
        frozenset({EpisodeType.STEP_DOWN_EHA}),
        before_referral=True,
    ),
    Milestone(
        "stepdown_meeting",
        "Step-down meeting",
        "done",
        frozenset({EpisodeType.STEP_DOWN_EHA}),
        before_referral=True,
    ),
    Milestone(
        "stepdown_extension_until",
        "Extension approved until",
        "ahead",
        frozenset({EpisodeType.STEP_DOWN_EHA}),
        column="extension_approved_until",
    ),
    Milestone(
        "extension_approved_until",
        "Extension approved until",
        "ahead",
        frozenset({EpisodeType.UNIVERSAL_PLUS}),
    ),
    Milestone(
        "joint_extension_until",
        "Extension agreed until",
        "ahead",
        frozenset({EpisodeType.JOINT_WORK}),
        column="extension_approved_until",
    ),
    Milestone("sessions_planned", "Sessions planned", "count", SESSION_TYPES),
    Milestone("sessions_delivered", "Sessions delivered", "count", SESSION_TYPES),
    Milestone(
        "assessment_completed",
        "Assessment completed",
        "when",
        frozenset({EpisodeType.OUT_OF_COURT}),
    ),
    Milestone(
        "rhi_interview",
        "RHI interview held",
        "when",
        frozenset({EpisodeType.RHI}),
        column="assessment_completed",
        timed=True,
    ),
    Milestone("qa_completed", "Manager's QA", "when", frozenset({EpisodeType.RHI}), timed=True),
    Milestone(
        "osr_request_form",
        "0-19 Request Form sent",
        "done",
        EVERY_TYPE,
        sources=frozenset({Source.OSR}),
    ),
    Milestone(
        "agreed_contacts_per_4_weeks",
        "Contacts agreed",
        "count",
        EHA_TYPES,
        low=AGREED_CONTACTS[0],
        high=AGREED_CONTACTS[1],
    ),
)


_BY_FIELD = {m.field: m for m in MILESTONES}


def applying(episode_type: str, source: str | None = None) -> tuple[Milestone, ...]:
    """The milestones kept for an episode of this type (and source: some follow it)."""
    return tuple(m for m in MILESTONES if m.applies(episode_type, source))


def _as_text(value: date | datetime) -> str:
    """A date or date-time as the text columns keep it (as the interchange does)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    return value.isoformat()


def _shown(value: Any) -> str:
    """A stored value as the form shows it: 19/11/2026, 19/11/2026 14:30, 6."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value  # not as the interchange keeps it: shown as it is, to be corrected
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def current(
    engine: Engine, episode: str, episode_type: str, source: str | None = None
) -> dict[str, Any]:
    """The form's starting values: what the episode holds now, as typed text."""
    from sqlalchemy import select

    t = Episode.__table__  # type: ignore[attr-defined]
    fields = applying(episode_type, source)
    if not fields:
        return {}
    with engine.connect() as conn:
        row = conn.execute(
            select(*(t.c[m.store].label(m.field) for m in fields)).where(t.c.ref == episode)
        ).one_or_none()
    values: dict[str, Any] = {}
    for m in fields:
        value = None if row is None else row._mapping[m.field]
        values[m.field] = bool(value) if m.kind == "flag" else _shown(value)
    return values


def _parsed(m: Milestone, text: Any, now: datetime) -> Any:
    if m.kind == "flag":
        return bool(text)
    if m.kind == "count":
        return parse_count(str(text or ""), field_words=m.label, low=m.low, high=m.high)
    if not str(text or "").strip():
        return None
    if m.kind == "when":
        return parse_day_or_moment(str(text), now)
    return parse_day(str(text), now.date())


def _stored(m: Milestone, value: Any) -> Any:
    """The parsed value as its column keeps it."""
    if m.kind == "when" and value is not None:
        return _as_text(value)
    return value


def _when_problem(
    m: Milestone, value: date | datetime, held: datetime | None, now: datetime, referral: date
) -> str | None:
    """A "when" milestone: not in the future, not before the referral; a timed one
    needs its time (a date alone is kept only where the episode already holds it)."""
    day = value.date() if isinstance(value, datetime) else value
    if (value > now) if isinstance(value, datetime) else (value > now.date()):
        return f"{describe(value)} is in the future."
    if day < referral:
        return f"{describe(value)} is before the episode's referral ({referral:%a %d %b %Y})."
    if m.timed and not isinstance(value, datetime) and held != datetime.combine(value, time()):
        return f"{m.label} needs its time too (RHI-72H counts hours): e.g. {value:%d/%m} 14:30."
    return None


def check_milestones(
    values: dict[str, Any], facts: EpisodeFacts, now: datetime, table: RuleTable = DEFAULT_TABLE
) -> dict[str, str]:
    """Problems per field; empty when the milestones can be saved. ``table``: the
    rules in force (their spans bound an extension)."""
    problems: dict[str, str] = {}
    ep = facts.snap
    parsed: dict[str, Any] = {}
    held = {"assessment_completed": ep.assessment_completed, "qa_completed": ep.qa_completed}
    for m in applying(ep.type, ep.source):
        try:
            parsed[m.field] = value = _parsed(m, values.get(m.field), now)
        except ValueError as exc:
            problems[m.field] = str(exc)
            continue
        if m.kind == "when" and value is not None:
            problem = _when_problem(m, value, held.get(m.store), now, ep.referral_received)
            if problem:
                problems[m.field] = problem
        elif m.kind == "done" and value is not None:
            if value > now.date():
                problems[m.field] = f"{value:%a %d %b %Y} is in the future."
            elif value < ep.referral_received and not m.before_referral:
                problems[m.field] = (
                    f"{value:%a %d %b %Y} is before the episode's referral "
                    f"({ep.referral_received:%a %d %b %Y})."
                )
        elif m.kind == "ahead" and value is not None and value != ep.extension_approved_until:
            # Checked when typed: an extension approved under other limits (a settings
            # file since changed, an import) does not block saving anything else.
            problem = extension_problem(value, ep, table)
            if problem:
                problems[m.field] = problem
    _in_order(
        problems,
        parsed,
        ("engagement_confirmed", "eha_completed"),
        "EHA completed is on or after engagement confirmed ({}): the family agrees "
        "to Early Help before the assessment (§6.1).",
    )
    _in_order(
        problems,
        parsed,
        ("stepdown_consultation", "stepdown_meeting"),
        "The step-down meeting is on or after the consultation ({}): §13.1's "
        "10 working days run from it.",
    )
    interview, qa = parsed.get("rhi_interview"), parsed.get("qa_completed")
    if qa is not None and not {"rhi_interview", "qa_completed"} & problems.keys():
        if interview is None:
            problems["qa_completed"] = "Record the interview held before the manager's QA of it."
        elif _moment(qa) < _moment(interview):
            problems["qa_completed"] = f"The QA comes after the interview ({describe(interview)})."
    if ep.closed is not None:
        problems[""] = "This episode is closed: its milestones are kept as they were."
    return problems


def _in_order(
    problems: dict[str, str], parsed: dict[str, Any], fields: tuple[str, str], words: str
) -> None:
    """The second date of ``fields`` may not come before the first (a problem on the
    second, naming the first's date), when both are given and neither is refused."""
    first, second = (parsed.get(f) for f in fields)
    if first is None or second is None or set(fields) & problems.keys():
        return
    if second < first:
        problems[fields[1]] = words.format(describe(first))


def _day(start: date, span: Span | None) -> date | None:
    if span is None:
        return None
    moved = add(start, span)
    return moved.date() if isinstance(moved, datetime) else moved


@dataclass(frozen=True)
class ExtensionBounds:
    """What an extension may end on: after ``after`` (``after_span`` past allocation;
    None: allocation itself) and, when ``last`` is set, by ``last``."""

    after: date
    after_span: Span | None
    last: date | None
    last_span: Span | None


def extension_bounds(ep: EpisodeSnap, table: RuleTable = DEFAULT_TABLE) -> ExtensionBounds | None:
    """The bounds of ``ep``'s extension by the rules in force; None before allocation.
    Step-down: after STEPDOWN-6M's span (§14.2); Universal Plus: after UP-6W's, by
    UP-12W-MAX's (§21.2-21.4); joint work: after allocation (§16.3 extends the
    sessions, not a clock)."""
    if ep.allocated is None:
        return None
    spans: dict[str, tuple[Span | None, Span | None]] = {
        EpisodeType.STEP_DOWN_EHA: (table["STEPDOWN-6M"].due, None),
        EpisodeType.UNIVERSAL_PLUS: (table["UP-6W"].due, table["UP-12W-MAX"].due),
    }
    low, high = spans.get(ep.type, (None, None))
    start = ep.allocated.date()
    return ExtensionBounds(_day(start, low) or start, low, _day(start, high), high)


def extension_problem(until: date, ep: EpisodeSnap, table: RuleTable = DEFAULT_TABLE) -> str | None:
    """Why ``until`` cannot end ``ep``'s extension (None: it can)."""
    bounds = extension_bounds(ep, table)
    if bounds is None:
        return "Allocate the episode before extending it."
    if bounds.last is not None and until > bounds.last:
        return (
            f"Universal Plus ends at most {bounds.last_span} after allocation "
            f"({describe(bounds.last)}): step up to an EHA instead."
        )
    if until > bounds.after:
        return None
    if bounds.after_span is None:
        return f"The extension ends after the allocation ({describe(bounds.after)})."
    return (
        f"The extension ends after {describe(bounds.after)} ({bounds.after_span} after "
        "allocation), when the work ends without one: an earlier date would shorten it."
    )


def extension_words(ep: EpisodeSnap, table: RuleTable = DEFAULT_TABLE) -> str:
    """The extension's bounds for the form's hint: "after Fri 23 Apr 2027 (6 months
    after allocation)"; "" before allocation."""
    bounds = extension_bounds(ep, table)
    if bounds is None:
        return ""
    if bounds.after_span is None:
        words = f"after the allocation ({describe(bounds.after)})"
    else:
        words = f"after {describe(bounds.after)} ({bounds.after_span})"
    if bounds.last is not None:
        words += f", by {describe(bounds.last)} ({bounds.last_span})"
    return words


def session_caps(
    values: dict[str, Any], facts: EpisodeFacts, now: datetime, table: RuleTable = DEFAULT_TABLE
) -> list[str]:
    """The sessions typed against their cap (UP-SESSIONS-6, JOINT-6-SESSIONS), as the
    engine would find them once saved: its over-limit finding, or the count against
    the limit; and a word when more were delivered than planned. Empty for the types
    without sessions."""
    ep = facts.snap
    spec = next((table[r] for r in SESSION_CAPS if ep.type in table[r].types), None)
    if spec is None:
        return []

    def typed(field: str) -> Any:
        try:
            return _parsed(_BY_FIELD[field], values.get(field), now)
        except ValueError:
            return None

    extension_field = next(
        (m.field for m in applying(ep.type) if m.store == "extension_approved_until"), ""
    )
    extended = typed(extension_field) if extension_field else ep.extension_approved_until
    planned, delivered = typed("sessions_planned"), typed("sessions_delivered")
    limit, hard = f"{spec.limit or 6:g}", f"{spec.extended_limit or 12:g}"
    if delivered is None:
        lines = [f"{spec.id}: sessions delivered not recorded (limit {limit}, {hard} extended)"]
    else:
        now_snap = replace(ep, sessions_delivered=delivered, extension_approved_until=extended)
        over = [f for f in evaluate_episode(now_snap, now, table) if f.rule == spec.id]
        if over:
            lines = [f"{spec.id}: {over[0].message}: over the limit"]
        else:
            allowed = hard if extended is not None else limit
            more = " (extended)" if extended is not None else f" ({hard} with an extension)"
            lines = [f"{spec.id}: {delivered} of {allowed} sessions delivered{more}"]
    if planned is not None and delivered is not None and delivered > planned:
        lines.append(f"{delivered} delivered, more than the {planned} planned.")
    return lines


def save_milestones(
    engine: Engine,
    *,
    user: str,
    episode: str,
    values: dict[str, Any],
    now: datetime,
    version: int | None = None,
    table: RuleTable = DEFAULT_TABLE,
) -> list[str]:
    """Write the milestones that changed (one audited update, refused as stale if the
    episode changed since ``version``); the fields changed (checked by ``table``'s
    limits). Raises
    :class:`~ehtui.errors.InputError` (``"field: words"``), writing nothing, when a
    check fails."""
    check = partial(check_milestones, table=table)
    facts, _ = checked(engine, episode, values, now, check, field=None)
    changed = []
    with write(engine, user) as s:
        row = fetch(s, Episode, episode, version=version if version is not None else facts.version)
        for m in applying(facts.snap.type, facts.snap.source):
            held = getattr(row, m.store)
            typed = str(values.get(m.field) or "").strip()
            if m.kind == "when" and held is not None and typed == _shown(held):
                continue  # left as the form showed it: kept as stored (its seconds too)
            value = _stored(m, _parsed(m, values.get(m.field), now))
            if held != value:
                setattr(row, m.store, value)
                changed.append(m.field)
    return changed


def _moment(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time())
