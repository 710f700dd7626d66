"""Closing an episode (§12.7): the date and the reason, with the §7 validations.

"Plan completed" on an EHA needs a TAF meeting, held by the closure date, that
ratified the plan as achieved (:func:`ehtui.validation.plan_completed_needs_ratification`,
the same check the importer applies). Closing is an update of the episode row,
checked against the version the person saw; nothing is deleted, and the audit
trail keeps the open episode as it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from ehtui.models import Episode
from ehtui.recording.facts import EpisodeFacts, checked, event_day
from ehtui.unit_of_work import fetch, write
from ehtui.validation import plan_completed_needs_ratification
from ehtui.vocab import ClosureReason, EpisodeType

# One key each, in the order a practitioner reaches for them.
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


def check_closure(values: dict[str, Any], facts: EpisodeFacts, now: datetime) -> dict[str, str]:
    """Problems per field (``reason``, ``closed``); empty when the episode can be closed."""
    problems: dict[str, str] = {}
    ep = facts.snap
    if ep.closed is not None:
        problems[""] = f"This episode was closed on {ep.closed:%a %d %b %Y}."
        return problems
    reason = values.get("reason")
    closed, problem = event_day(str(values.get("closed") or ""), facts, now, field="closed")
    if problem:
        problems["closed"] = problem
    if reason not in ClosureReason.values():
        problems["reason"] = "Choose why the episode closes (p plan completed, d disengaged, ...)."
    elif reason == ClosureReason.STEPPED_UP_EHA and ep.type != EpisodeType.UNIVERSAL_PLUS:
        problems["reason"] = "Only Universal Plus work is stepped up to an EHA."
    else:
        ratified = plan_completed_needs_ratification(ep.type, reason, ep.tafs, closed=closed)
        if ratified:
            problems["reason"] = (
                "Plan completed needs a TAF meeting that ratified the plan as achieved: "
                "record it first (m, decision a)."
            )
    return problems


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
