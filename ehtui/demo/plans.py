"""The plans the demo's TAF meetings agree, and the family's RADAR feedback.

The initial TAF agrees two to four actions, each due some weeks on; every review
carries them with their progress, an action past its by-when done. Nothing here
draws on the random generator, so the rest of a seeded demo is unchanged by it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

# what, who, weeks from the initial TAF, progress while open, progress once done
ACTIONS = (
    ("Parenting course (Triple P)", "Mum", 8, "started: 3 of 8 sessions", "course completed"),
    ("Attendance plan with the school", "School", 6, "target agreed", "attendance above 95%"),
    ("Bedtime and morning routine", "Mum", 4, "working most nights", "routine in place"),
    ("Health and development check", "Health Visitor", 10, "booked", "done: no concerns"),
)

FEEDBACK = (
    "Mum: the plan is helping and the mornings are calmer.",
    "Dad feels listened to; asks the school to keep in touch.",
    "Things are better at home, but money worries remain.",
    "The meetings are useful; evening times would suit better.",
)


def plan_at(first: datetime, at: datetime, seq: int) -> list[dict[str, Any]]:
    """The plan as a meeting at ``at`` leaves it, for the plan agreed at ``first``
    (``seq``: a number of the episode's, choosing how many actions it has)."""
    actions = []
    for what, who, weeks, going, finished in ACTIONS[: 2 + seq % 3]:
        by = (first + timedelta(weeks=weeks)).date()
        done = at.date() >= by
        action: dict[str, Any] = {
            "what": what,
            "who": who,
            "by": by.isoformat(),
            "status": "done" if done else "open",
        }
        if at > first:
            action["progress"] = finished if done else going
        actions.append(action)
    return actions


def radar_feedback(seq: int) -> str:
    """What the family said when RADAR feedback was gathered."""
    return FEEDBACK[seq % len(FEEDBACK)]
