"""Recording a Team Around the Family meeting: initial or review, and its audited save.

The plan is a list of actions (what, who, by when, status), typed one per line as
``what | who | by when | status`` and carried from meeting to meeting: the form
opens with the last meeting's actions still open. The decision is one of
:class:`~ehtui.vocab.TafDecision`; "plan achieved" ratifies the plan as complete (which closing
the EHA as "plan completed" needs, PROTOCOL_RULES.md §7). A review records
whether RADAR feedback was gathered (§27.2; RADAR-AT-REVIEW advises when not).
The contact frequency the plan agrees (§9.4) is kept on the meeting and on the
episode, where CONTACT-FREQUENCY reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from ehtui.forms import parse_count, parse_day
from ehtui.models import Episode, Family, TafMeeting
from ehtui.recording.facts import EpisodeFacts, checked, event_moment
from ehtui.refs import new_ref
from ehtui.unit_of_work import fetch, write
from ehtui.vocab import TafDecision, TafKind

MAX_NOTE = 20_000
STATUSES = ("open", "done", "dropped")

# The contacts a plan may agree per 4 weeks (§9.4): the TAF form and the case milestones.
AGREED_CONTACTS = (1, 20)


def parse_agreed(text: str) -> int | None:
    """The contacts agreed per 4 weeks, as typed (blank: None); ValueError in plain words."""
    low, high = AGREED_CONTACTS
    return parse_count(text, field_words="Contacts agreed", low=low, high=high)


DECISION_KEYS: dict[str, TafDecision] = {
    "c": TafDecision.CONTINUE,
    "a": TafDecision.PLAN_ACHIEVED,
    "f": TafDecision.FURTHER_NEED,
    "u": TafDecision.STEP_UP,
    "l": TafDecision.TRANSFER_LP,
}


@dataclass(frozen=True)
class PlanAction:
    what: str
    who: str
    by: date | None
    status: str

    def to_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "who": self.who,
            "by": self.by.isoformat() if self.by else None,
            "status": self.status,
        }

    def line(self) -> str:
        by = f"{self.by:%d/%m/%Y}" if self.by else ""
        return f"{self.what} | {self.who} | {by} | {self.status}"


@dataclass(frozen=True)
class MeetingLine:
    """One TAF meeting held, as the form shows it."""

    ref: str
    at: datetime
    kind: str
    decision: str | None
    radar_completed: bool
    agencies: tuple[str, ...]
    actions: tuple[dict[str, Any], ...]


def meetings(engine: Engine, episode: str) -> list[MeetingLine]:
    """The episode's TAF meetings, oldest first."""
    t = TafMeeting.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        rows = conn.execute(
            select(t)
            .where(t.c.episode == episode, t.c.deleted_at.is_(None))
            .order_by(t.c.at, t.c.ref)
        ).all()
    return [
        MeetingLine(
            r.ref,
            r.at,
            r.kind,
            r.decision,
            bool(r.radar_completed),
            tuple(r.agencies or ()),
            tuple(r.actions or ()),
        )
        for r in rows
    ]


def agencies_to_ask(engine: Engine, facts: EpisodeFacts, held: list[MeetingLine]) -> list[str]:
    """Who to expect: the last meeting's agencies, or else the family's agencies involved."""
    if held and held[-1].agencies:
        return list(held[-1].agencies)
    t = Family.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        found = conn.execute(select(t.c.agencies).where(t.c.ref == facts.snap.family.ref)).scalar()
    return list(found or [])


def carried_actions(held: list[MeetingLine]) -> str:
    """The last meeting's actions still open, one per line, for the next meeting."""
    if not held:
        return ""
    lines = []
    for action in held[-1].actions:
        if action.get("status", "open") == "open":
            by = action.get("by")
            shown = f"{date.fromisoformat(by):%d/%m/%Y}" if by else ""
            lines.append(f"{action.get('what', '')} | {action.get('who', '')} | {shown} | open")
    return "\n".join(lines)


def parse_actions(text: str, today: date) -> tuple[list[PlanAction], str | None]:
    """``what | who | by when | status`` per line (blank lines skipped; status open
    when left out); the actions, or the first problem naming its line."""
    actions = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        parts += [""] * (4 - len(parts))
        if len(parts) > 4:
            return [], f"Line {number}: at most four parts, what | who | by when | status."
        what, who, by_text, status = parts
        if not what or not who:
            return [], f"Line {number}: say what is to be done and who does it."
        by = None
        if by_text:
            try:
                by = parse_day(by_text, today)
            except ValueError as exc:
                return [], f"Line {number}: {exc}"
        status = status.lower() or "open"
        if status not in STATUSES:
            return [], f"Line {number}: the status is open, done or dropped."
        actions.append(PlanAction(what, who, by, status))
    return actions, None


def agencies_of(text: str) -> list[str]:
    return [a.strip() for a in text.replace(";", ",").split(",") if a.strip()]


def review_number(held: list[MeetingLine]) -> int:
    """Which review the next review meeting would be (1 for the first)."""
    return sum(1 for m in held if m.kind == TafKind.REVIEW) + 1


def check_taf(
    values: dict[str, Any], facts: EpisodeFacts, held: list[MeetingLine], now: datetime
) -> dict[str, str]:
    """Problems per field (``kind``, ``at``, ``agencies``, ``radar``, ``actions``,
    ``agreed``, ``decision``, ``note``); empty when the meeting can be saved."""
    problems: dict[str, str] = {}
    kind = values.get("kind")
    if kind not in TafKind.values():
        problems["kind"] = "Choose i initial TAF or r review."
    elif kind == TafKind.REVIEW and not held:
        problems["kind"] = "No TAF has been held yet: the first meeting is the initial TAF."
    elif kind == TafKind.INITIAL and held:
        problems["kind"] = f"The initial TAF was held {held[0].at:%a %d %b %Y}: this is a review."
    _at, problem = event_moment(str(values.get("at") or ""), facts, now, field="at")
    if problem:
        problems["at"] = problem
    if not agencies_of(str(values.get("agencies") or "")):
        problems["agencies"] = "Name the agencies attending, separated by commas."
    if values.get("radar") not in ("yes", "no"):
        problems["radar"] = "Say whether RADAR feedback was gathered: y yes, n no."
    _actions, problem = parse_actions(str(values.get("actions") or ""), now.date())
    if problem:
        problems["actions"] = problem
    try:
        parse_agreed(str(values.get("agreed") or ""))
    except ValueError as exc:
        problems["agreed"] = str(exc)
    if values.get("decision") not in TafDecision.values():
        problems["decision"] = "Choose the decision (c continue, a plan achieved, ...)."
    if len(str(values.get("note") or "")) > MAX_NOTE:
        problems["note"] = f"Keep the note under {MAX_NOTE:,} characters."
    if facts.snap.closed is not None:
        problems[""] = "This episode is closed: meetings cannot be added to it."
    return problems


def save_taf(
    engine: Engine, *, user: str, episode: str, values: dict[str, Any], now: datetime
) -> str:
    """Check and write one TAF meeting (and the agreed contact frequency on the
    episode) in one audited transaction; its ref. Raises :class:`InputError`
    (``"field: words"``), writing nothing, when a check fails."""
    held = meetings(engine, episode)

    def check(values: dict[str, Any], facts: EpisodeFacts, now: datetime) -> dict[str, str]:
        return check_taf(values, facts, held, now)

    facts, at = checked(engine, episode, values, now, check)
    actions, _ = parse_actions(str(values.get("actions") or ""), now.date())
    agreed = parse_agreed(str(values.get("agreed") or ""))
    decision = str(values["decision"])
    ref = new_ref("taf_meeting")
    with write(engine, user) as s:
        s.add(
            TafMeeting(
                ref=ref,
                episode=episode,
                at=at,
                kind=str(values["kind"]),
                agencies=agencies_of(str(values["agencies"])),
                radar_completed=values["radar"] == "yes",
                plan_ratified_complete=decision == TafDecision.PLAN_ACHIEVED,
                note=str(values.get("note") or "").strip() or None,
                decision=decision,
                agreed_contacts_per_4_weeks=agreed,
                actions=[a.to_json() for a in actions],
            )
        )
        if agreed is not None:
            fetch(s, Episode, episode, version=facts.version).agreed_contacts_per_4_weeks = agreed
    return ref
