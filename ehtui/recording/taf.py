"""Recording a Team Around the Family meeting: initial or review, and its audited save.

The plan is a list of actions (what, who, by when, status, progress), typed one
per line as ``what | who | by when | status | progress`` (the progress is optional)
and carried from meeting to meeting: the form opens with the last meeting's actions
still open, each with its last progress note to update. The decision is one of
:class:`~ehtui.vocab.TafDecision`; "plan achieved" ratifies the plan as complete (which closing
the EHA as "plan completed" needs, PROTOCOL_RULES.md §7). A meeting records
whether RADAR feedback was gathered and, when it was, what it was, as free text
(§27.2; the RADAR review points are undefined, PROTOCOL_REFERENCE.md;
RADAR-AT-REVIEW advises when a review has none). TAFs are held on EHAs and
step-down EHAs only (TAF-INITIAL-10WD; §21.2), in date order. The contact
frequency the plan agrees (§9.4) is kept on the meeting and on the episode, where
CONTACT-FREQUENCY reads it; left blank, the episode's agreed frequency is unchanged.
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
from ehtui.validation import describe
from ehtui.vocab import EHA_TYPES, EpisodeType, TafDecision, TafKind, label

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
    progress: str = ""  # the progress note at this meeting (blank: none yet)

    def to_json(self) -> dict[str, Any]:
        """As stored in the meeting's ``actions`` (``progress`` only when there is one)."""
        found: dict[str, Any] = {
            "what": self.what,
            "who": self.who,
            "by": self.by.isoformat() if self.by else None,
            "status": self.status,
        }
        if self.progress:
            found["progress"] = self.progress
        return found

    @classmethod
    def from_json(cls, action: dict[str, Any]) -> PlanAction:
        """A stored (or imported) action; missing parts blank, a bad date left out."""
        try:
            by = date.fromisoformat(str(action.get("by"))) if action.get("by") else None
        except ValueError:
            by = None
        return cls(
            str(action.get("what") or ""),
            str(action.get("who") or ""),
            by,
            str(action.get("status") or "open"),
            str(action.get("progress") or ""),
        )

    def line(self) -> str:
        by = f"{self.by:%d/%m/%Y}" if self.by else ""
        text = f"{self.what} | {self.who} | {by} | {self.status}"
        return f"{text} | {self.progress}" if self.progress else text


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
    radar_feedback: str | None = None


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
            r.radar_feedback,
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


def last_plan(held: list[MeetingLine]) -> list[PlanAction]:
    """The plan as the last meeting left it (every action, whatever its status)."""
    return [PlanAction.from_json(a) for a in held[-1].actions] if held else []


def carried(held: list[MeetingLine]) -> list[PlanAction]:
    """The last meeting's actions still open: the ones the next meeting carries."""
    return [a for a in last_plan(held) if a.status == "open"]


def carried_actions(held: list[MeetingLine]) -> str:
    """The carried actions, one per line with their last progress, for the next meeting."""
    return "\n".join(a.line() for a in carried(held))


def plan_so_far(held: list[MeetingLine]) -> str:
    """The plan as the last meeting left it, in plain words: each action with its
    status and progress then, and whether this meeting carries it."""
    if not held:
        return "No plan yet: the initial TAF agrees it."
    plan = last_plan(held)
    last = held[-1]
    when = describe(last.at.date())
    lines = [f"As the last meeting left it ({label(TafKind, last.kind)}, {when}):"]
    if not plan:
        lines.append("no actions were recorded.")
    for action in plan:
        by = f", by {action.by:%d/%m/%Y}" if action.by else ""
        fate = "carried" if action.status == "open" else "not carried"
        lines.append(f"• {action.what} ({action.who}{by}): {action.status}, {fate}")
        lines.append(f"  Progress: {action.progress or 'none recorded'}")
    return "\n".join(lines)


def _key(what: str) -> str:
    """An action known by what is to be done (who does it may change at a review)."""
    return " ".join(what.lower().split())


def parse_actions(
    text: str,
    today: date,
    *,
    referral: date | None = None,
    meeting_day: date | None = None,
    carried_over: list[PlanAction] | tuple[PlanAction, ...] = (),
) -> tuple[list[PlanAction], str | None]:
    """``what | who | by when | status | progress`` per line (blank lines skipped;
    status open when left out; progress optional: the rest of the line, "|" and all);
    the actions, or the first problem naming its line. An action that is new (not one
    ``carried_over`` from the last meeting, known by what is to be done, whoever does
    it now) may not be due before the ``referral`` nor, while open, before the
    ``meeting_day``; a carried action keeps its by-when, overdue or not."""
    old = {_key(a.what) for a in carried_over}
    actions = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        # The progress is the last part: a "|" written in it stays in it.
        parts = [p.strip() for p in raw.split("|", 4)]
        parts += [""] * (5 - len(parts))
        what, who, by_text, status, progress = parts
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
        new = _key(what) not in old
        if by is not None and referral is not None and by < referral and new:
            return [], (
                f"Line {number}: by {describe(by)} is before the referral ({describe(referral)})."
            )
        if by is not None and meeting_day and by < meeting_day and status == "open" and new:
            return [], (
                f"Line {number}: a new action cannot be due before the meeting "
                f"({describe(meeting_day)}): give a later by-when."
            )
        actions.append(PlanAction(what, who, by, status, progress))
    return actions, None


def agencies_of(text: str) -> list[str]:
    return [a.strip() for a in text.replace(";", ",").split(",") if a.strip()]


def review_number(held: list[MeetingLine]) -> int:
    """Which review the next review meeting would be (1 for the first)."""
    return sum(1 for m in held if m.kind == TafKind.REVIEW) + 1


def check_taf(
    values: dict[str, Any], facts: EpisodeFacts, held: list[MeetingLine], now: datetime
) -> dict[str, str]:
    """Problems per field (``kind``, ``at``, ``agencies``, ``radar``,
    ``radar_feedback``, ``actions``, ``agreed``, ``decision``, ``note``, and ``""``
    for the whole form); empty when the meeting can be saved."""
    problems: dict[str, str] = {}
    kind = values.get("kind")
    if kind not in TafKind.values():
        problems["kind"] = "Choose i initial TAF or r review."
    elif kind == TafKind.REVIEW and not held:
        problems["kind"] = "No TAF has been held yet: the first meeting is the initial TAF."
    elif kind == TafKind.INITIAL and held:
        problems["kind"] = f"The initial TAF was held {held[0].at:%a %d %b %Y}: this is a review."
    at, problem = event_moment(str(values.get("at") or ""), facts, now, field="at")
    if problem:
        problems["at"] = problem
    elif at is not None and held and at < held[-1].at:
        problems["at"] = (
            f"The last TAF meeting was held {describe(held[-1].at)}: "
            "a meeting cannot be recorded before it."
        )
    if not agencies_of(str(values.get("agencies") or "")):
        problems["agencies"] = "Name the agencies attending, separated by commas."
    radar = values.get("radar")
    feedback = str(values.get("radar_feedback") or "").strip()
    if radar not in ("yes", "no"):
        problems["radar"] = "Say whether RADAR feedback was gathered: y yes, n no."
    elif radar == "yes" and not feedback:
        problems["radar_feedback"] = "Say what the family's RADAR feedback was."
    elif radar == "no" and feedback:
        problems["radar_feedback"] = "RADAR feedback was not gathered: choose y, or clear this."
    if len(feedback) > MAX_NOTE:
        problems["radar_feedback"] = f"Keep the RADAR feedback under {MAX_NOTE:,} characters."
    _actions, problem = parse_actions(
        str(values.get("actions") or ""),
        now.date(),
        referral=facts.snap.referral_received,
        meeting_day=at.date() if at is not None else None,
        carried_over=carried(held),
    )
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
    if facts.snap.type not in EHA_TYPES:
        problems[""] = (
            f"This is a {label(EpisodeType, facts.snap.type)} episode: TAF meetings are held "
            "on an EHA or a step-down EHA only."
        )
    elif facts.snap.closed is not None:
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
    actions, _ = parse_actions(
        str(values.get("actions") or ""),
        now.date(),
        referral=facts.snap.referral_received,
        meeting_day=at.date(),
        carried_over=carried(held),
    )
    feedback = str(values.get("radar_feedback") or "").strip()
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
                radar_feedback=feedback or None,
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
