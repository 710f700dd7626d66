"""An episode's milestones and counts, kept on the episode row, and their audited save.

Which apply depends on the episode's type:

- EHA and step-down EHA: engagement confirmed (§6.1), EHA completed (§6.1), the
  case summary, chronology and genogram on file (§24.1);
- step-down EHA: the step-down consultation and meeting (§13.1);
- Universal Plus: the extension approved until (§21.2-21.4: at most 12 weeks
  after allocation) and the sessions planned and delivered (§15.1);
- joint work: the sessions planned and delivered (§16.3);
- out-of-court work: the assessment completed (§18.4, OOC-ASSESS-2W);
- Return Home Interview: the interview held and the manager's QA (§19.3, RHI-72H),
  each a date and time (the clock counts hours); the QA comes after the interview;
- an episode whose source is the One Service Response (whatever its type): the date
  the 0-19 Request Form was sent (OSR §2.4, §4.5);
- EHA and step-down EHA: the contact frequency the plan agrees per 4 weeks (§9.4,
  read by CONTACT-FREQUENCY), 1 to 20.

A date left blank is not recorded (clearing one is allowed: it was wrong). Dates
that record something done cannot be in the future nor before the referral; the
extension's end lies ahead by nature and is checked against allocation instead.
``assessment_completed`` and ``qa_completed`` are text columns holding a date
(``YYYY-MM-DD``) or a date-time (``YYYY-MM-DDTHH:MM:SS``) as given, as the interchange
normalises them; the rules read a date alone as 00:00 of that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine

from ehtui.forms import parse_count, parse_day, parse_day_or_moment
from ehtui.models import Episode
from ehtui.recording.facts import EpisodeFacts, checked
from ehtui.recording.taf import AGREED_CONTACTS
from ehtui.unit_of_work import fetch, write
from ehtui.validation import describe
from ehtui.vocab import EpisodeType, Source

EHA_TYPES = frozenset({EpisodeType.EHA, EpisodeType.STEP_DOWN_EHA})
SESSION_TYPES = frozenset({EpisodeType.UNIVERSAL_PLUS, EpisodeType.JOINT_WORK})
EVERY_TYPE = frozenset(EpisodeType.values())
UP_LIMIT = timedelta(weeks=12)


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
    ),
    Milestone(
        "stepdown_meeting", "Step-down meeting", "done", frozenset({EpisodeType.STEP_DOWN_EHA})
    ),
    Milestone(
        "extension_approved_until",
        "Extension approved until",
        "ahead",
        frozenset({EpisodeType.UNIVERSAL_PLUS}),
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


def check_milestones(values: dict[str, Any], facts: EpisodeFacts, now: datetime) -> dict[str, str]:
    """Problems per field; empty when the milestones can be saved."""
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
            elif value < ep.referral_received:
                problems[m.field] = (
                    f"{value:%a %d %b %Y} is before the episode's referral "
                    f"({ep.referral_received:%a %d %b %Y})."
                )
    until = parsed.get("extension_approved_until")
    if until is not None and "extension_approved_until" not in problems:
        if ep.allocated is None:
            problems["extension_approved_until"] = "Allocate the episode before extending it."
        elif until > (ep.allocated + UP_LIMIT).date():
            problems["extension_approved_until"] = (
                "Universal Plus ends at most 12 weeks after allocation "
                f"({(ep.allocated + UP_LIMIT):%a %d %b %Y}): step up to an EHA instead."
            )
        elif until <= ep.allocated.date():
            problems["extension_approved_until"] = "The extension ends after the allocation."
    interview, qa = parsed.get("rhi_interview"), parsed.get("qa_completed")
    if qa is not None and not {"rhi_interview", "qa_completed"} & problems.keys():
        if interview is None:
            problems["qa_completed"] = "Record the interview held before the manager's QA of it."
        elif _moment(qa) < _moment(interview):
            problems["qa_completed"] = f"The QA comes after the interview ({describe(interview)})."
    planned, delivered = parsed.get("sessions_planned"), parsed.get("sessions_delivered")
    if planned is not None and delivered is not None and delivered > planned:
        problems["sessions_delivered"] = f"More sessions delivered than the {planned} planned."
    if ep.closed is not None:
        problems[""] = "This episode is closed: its milestones are kept as they were."
    return problems


def save_milestones(
    engine: Engine,
    *,
    user: str,
    episode: str,
    values: dict[str, Any],
    now: datetime,
    version: int | None = None,
) -> list[str]:
    """Write the milestones that changed (one audited update, refused as stale if the
    episode changed since ``version``); the fields changed. Raises
    :class:`~ehtui.errors.InputError` (``"field: words"``), writing nothing, when a
    check fails."""
    facts, _ = checked(engine, episode, values, now, check_milestones, field=None)
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
