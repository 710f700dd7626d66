"""An episode's milestones and counts, kept on the episode row, and their audited save.

Which apply depends on the episode's type:

- EHA and step-down EHA: engagement confirmed (§6.1), EHA completed (§6.1), the
  case summary, chronology and genogram on file (§24.1);
- step-down EHA: the step-down consultation and meeting (§13.1);
- Universal Plus: the extension approved until (§21.2-21.4: at most 12 weeks
  after allocation) and the sessions planned and delivered (§15.1);
- joint work: the sessions planned and delivered (§16.3).

A date left blank is not recorded (clearing one is allowed: it was wrong). Dates
that record something done cannot be in the future nor before the referral; the
extension's end lies ahead by nature and is checked against allocation instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from ehtui.forms import parse_count, parse_day
from ehtui.models import Episode
from ehtui.recording.facts import EpisodeFacts, checked
from ehtui.unit_of_work import fetch, write
from ehtui.vocab import EpisodeType

EHA_TYPES = frozenset({EpisodeType.EHA, EpisodeType.STEP_DOWN_EHA})
SESSION_TYPES = frozenset({EpisodeType.UNIVERSAL_PLUS, EpisodeType.JOINT_WORK})
UP_LIMIT = timedelta(weeks=12)


@dataclass(frozen=True)
class Milestone:
    field: str  # the episode column and the form field
    label: str
    kind: str  # "done" (a date, not ahead), "ahead" (a date that may lie ahead), "flag", "count"
    types: frozenset[str]


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
)


def applying(episode_type: str) -> tuple[Milestone, ...]:
    return tuple(m for m in MILESTONES if episode_type in m.types)


def current(engine: Engine, episode: str, episode_type: str) -> dict[str, Any]:
    """The form's starting values: what the episode holds now, as typed text."""
    from sqlalchemy import select

    t = Episode.__table__  # type: ignore[attr-defined]
    fields = applying(episode_type)
    with engine.connect() as conn:
        row = conn.execute(
            select(*(t.c[m.field] for m in fields)).where(t.c.ref == episode)
        ).one_or_none()
    values: dict[str, Any] = {}
    for m in fields:
        value = None if row is None else row._mapping[m.field]
        if m.kind == "flag":
            values[m.field] = bool(value)
        elif value is None:
            values[m.field] = ""
        elif isinstance(value, date):
            values[m.field] = f"{value:%d/%m/%Y}"
        else:
            values[m.field] = str(value)
    return values


def _parsed(m: Milestone, text: Any, today: date) -> Any:
    if m.kind == "flag":
        return bool(text)
    if m.kind == "count":
        return parse_count(str(text or ""), field_words=m.label, high=99)
    return parse_day(str(text), today) if str(text or "").strip() else None


def check_milestones(values: dict[str, Any], facts: EpisodeFacts, now: datetime) -> dict[str, str]:
    """Problems per field; empty when the milestones can be saved."""
    problems: dict[str, str] = {}
    ep = facts.snap
    parsed: dict[str, Any] = {}
    for m in applying(ep.type):
        try:
            parsed[m.field] = value = _parsed(m, values.get(m.field), now.date())
        except ValueError as exc:
            problems[m.field] = str(exc)
            continue
        if m.kind == "done" and value is not None:
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
        for m in applying(facts.snap.type):
            value = _parsed(m, values.get(m.field), now.date())
            if getattr(row, m.field) != value:
                setattr(row, m.field, value)
                changed.append(m.field)
    return changed
