"""Closing an episode (§12.7): the date and the reason, with the §7 validations.

What any closing needs (a closure here, or a step-up, which closes the episode
its own way) is checked in one place, :func:`check_closing`:

- the episode is still open;
- the date is a real day, not in the future, not before the referral, nor before
  the allocation or the latest contact, voice of the child, TAF meeting or
  oversight record on the episode (a closure on that record's own day is fine);
- every contact note is finalised (§24.1 "notes finalised"): a closed episode
  keeps only its late findings, so a note still in draft would drop out of
  RECORD-48H for good.

"Plan completed" on an EHA needs the latest TAF meeting held by the closure date
to have ratified the plan as achieved (§7.3-7.4,
:func:`ehtui.validation.plan_completed_needs_ratification`): an earlier
ratification followed by "further need" does not count. A step-up (to
Children's Social Care, or Universal Plus to an EHA) is not a reason typed here:
Step up (:mod:`ehtui.recording.stepup`) routes it and opens the EHA. Joint work
is not stepped up at all: the case is open to Children's Social Care, who keep
the support and the Lead Professional role (§16.2).

Closing is an update of the episode row, checked against the version the person
saw; nothing is deleted, and the audit trail keeps the open episode as it was.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from ehtui.models import Episode
from ehtui.recording.facts import EpisodeFacts, checked, event_day
from ehtui.rules.model import EpisodeSnap
from ehtui.unit_of_work import fetch, write
from ehtui.validation import describe, plan_completed_needs_ratification
from ehtui.vocab import ClosureReason, EpisodeType

# One key each, in the order a practitioner reaches for them. The two step-ups are
# shown so that they can be found, and refused here: Step up (u) records them.
REASON_KEYS: dict[str, ClosureReason] = {
    "p": ClosureReason.PLAN_COMPLETED,
    "l": ClosureReason.TRANSFERRED_TO_COMMUNITY_LP,
    "u": ClosureReason.STEPPED_DOWN_UNIVERSAL,
    "d": ClosureReason.DISENGAGED,
    "m": ClosureReason.MOVED_AWAY,
    "n": ClosureReason.NO_FURTHER_ACTION,
    "c": ClosureReason.STEP_UP_CSC,
    "e": ClosureReason.STEPPED_UP_EHA,
}
STEP_UP_REASONS = frozenset({ClosureReason.STEP_UP_CSC, ClosureReason.STEPPED_UP_EHA})

JOINT_WORK_STAYS = (
    "Joint work is not stepped up: the case is open to Children's Social Care, who keep "
    "the support and the Lead Professional role (§16.2). Tell the allocated social worker."
)


def step_up_reason(episode_type: str) -> ClosureReason | None:
    """How an episode of ``episode_type`` closes when it steps up: Universal Plus to an
    EHA (§21.4); joint work not at all (None, §16.2); any other work to Children's
    Social Care (§12.5-12.6)."""
    if episode_type == EpisodeType.UNIVERSAL_PLUS:
        return ClosureReason.STEPPED_UP_EHA
    if episode_type == EpisodeType.JOINT_WORK:
        return None
    return ClosureReason.STEP_UP_CSC


def draft_notes(ep: EpisodeSnap) -> list[datetime]:
    """When each contact whose note is still a draft took place, oldest first."""
    return [c.at for c in ep.contacts if c.recorded_at is None]


def _latest_record(ep: EpisodeSnap) -> tuple[datetime, str] | None:
    records = [
        *((c.at, "contact") for c in ep.contacts),
        *((v.at, "voice of the child record") for v in ep.voices),
        *((t.at, "TAF meeting") for t in ep.tafs),
        *((o.at, "oversight record") for o in ep.oversights),
    ]
    return max(records, default=None)


def closing_order(day: date, ep: EpisodeSnap) -> str | None:
    """Words when ``day`` comes before the allocation or the episode's latest record."""
    if ep.allocated is not None and day < ep.allocated.date():
        return (
            f"{describe(day)} is before the episode was allocated ({describe(ep.allocated.date())})"
        )
    latest = _latest_record(ep)
    if latest is not None and day < latest[0].date():
        return f"{describe(day)} is before the latest {latest[1]} ({describe(latest[0])})"
    return None


def drafts_words(ep: EpisodeSnap) -> str | None:
    drafts = draft_notes(ep)
    if not drafts:
        return None
    many = len(drafts) != 1
    return (
        f"Finalise the {len(drafts)} draft note{'s' if many else ''} first (contact log: n, "
        f"then tab to the list, f on {'each' if many else 'it'})."
    )


def check_closing(
    values: dict[str, Any], facts: EpisodeFacts, now: datetime, *, field: str
) -> tuple[date | None, dict[str, str]]:
    """The day typed in ``values[field]`` and the problems any closing has (see above)."""
    ep = facts.snap
    if ep.closed is not None:
        return None, {"": f"This episode was closed on {ep.closed:%a %d %b %Y}."}
    day, problem = event_day(str(values.get(field) or ""), facts, now, field=field)
    if day is not None:
        problem = closing_order(day, ep) or drafts_words(ep)
    return day, {field: problem} if problem else {}


def check_closure(values: dict[str, Any], facts: EpisodeFacts, now: datetime) -> dict[str, str]:
    """Problems per field (``reason``, ``closed``); empty when the episode can be closed."""
    closed, problems = check_closing(values, facts, now, field="closed")
    if "" in problems:
        return problems
    ep = facts.snap
    reason = values.get("reason")
    if reason not in ClosureReason.values():
        problems["reason"] = "Choose why the episode closes (p plan completed, d disengaged, ...)."
    elif reason in STEP_UP_REASONS:
        problems["reason"] = _step_up_words(str(reason), ep.type)
    else:
        ratified = plan_completed_needs_ratification(
            ep.type, reason, ep.tafs, closed=closed, field="reason"
        )
        if ratified:
            words = ratified.partition(": ")[2]
            problems["reason"] = f"{words[0].upper()}{words[1:]}: record it first (m, decision a)."
    return problems


def _step_up_words(reason: str, episode_type: str) -> str:
    goes = step_up_reason(episode_type)
    if goes is None:
        return JOINT_WORK_STAYS
    if reason != goes:
        if goes == ClosureReason.STEPPED_UP_EHA:
            return "Universal Plus steps up to an EHA, with Step up (u)."
        return "Only Universal Plus work is stepped up to an EHA."
    if goes == ClosureReason.STEPPED_UP_EHA:
        return "A step-up to an EHA is recorded with Step up (u): it also opens the EHA."
    return (
        "A step-up to Children's Social Care is recorded with Step up (u): it shows where "
        "it goes and the next Transfer meeting."
    )


def close_episode(
    engine: Engine,
    *,
    user: str,
    episode: str,
    values: dict[str, Any],
    now: datetime,
    version: int | None = None,
) -> None:
    """Close ``episode`` on ``values["closed"]`` for ``values["reason"]`` (one audited
    update, refused as stale if the episode changed since ``version``). Raises
    :class:`InputError` (``"field: words"``), writing nothing, when a check fails."""
    facts, closed = checked(
        engine, episode, values, now, check_closure, field="closed", when=event_day
    )
    with write(engine, user) as s:
        row = fetch(s, Episode, episode, version=version if version is not None else facts.version)
        row.closed = closed
        row.closure_reason = str(values["reason"])
