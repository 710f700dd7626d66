"""What a recording form checks against: the episode as the engine sees it.

:func:`episode_facts` loads one episode's snapshot (its family, children,
contacts, voice records, TAF meetings, oversight) with the engine's own loader,
plus the episode row's ``version`` (so a save can refuse a concurrent edit).
:func:`event_moment` is the §7 check every recorded event shares: a date-time
typed as people type it, not in the future, not before the referral.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from ehtui.calendar import age_on
from ehtui.forms import parse_day, parse_moment
from ehtui.models import Episode
from ehtui.rules.load import load_from
from ehtui.rules.model import ChildSnap, EpisodeSnap
from ehtui.validation import event_date

EP = Episode.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class EpisodeFacts:
    snap: EpisodeSnap
    version: int  # the episode row's version when the form opened

    @property
    def ref(self) -> str:
        return self.snap.ref

    @property
    def children(self) -> tuple[ChildSnap, ...]:
        return self.snap.children

    def child(self, ref: str) -> ChildSnap | None:
        return next((c for c in self.snap.children if c.ref == ref), None)

    def age(self, child: ChildSnap, on: date) -> int | None:
        return age_on(child.dob, on) if child.dob else None


def episode_facts(engine: Engine, episode: str, now: datetime) -> EpisodeFacts | None:
    """The episode's snapshot as stored now (None when there is no such episode)."""
    snap = load_from(engine, now, episodes=[episode], history=True)
    found = next((e for e in snap.episodes if e.ref == episode), None)
    if found is None:
        return None
    with engine.connect() as conn:
        version = conn.execute(select(EP.c.version).where(EP.c.ref == episode)).scalar_one()
    return EpisodeFacts(found, int(version))


def event_moment(
    text: str, facts: EpisodeFacts, now: datetime, *, field: str
) -> tuple[datetime | None, str | None]:
    """A recorded event's date-time from the typed ``text``: ``(moment, None)`` when it
    is a real moment, not in the future and not before the referral (§7); else
    ``(None, words)``."""
    try:
        at = parse_moment(text, now)
    except ValueError as exc:
        return None, str(exc)
    problem = event_date(at, referral_received=facts.snap.referral_received, now=now, field=field)
    if problem:
        return None, problem.partition(": ")[2]
    return at, None


def event_day(
    text: str, facts: EpisodeFacts, now: datetime, *, field: str
) -> tuple[date | None, str | None]:
    """As :func:`event_moment` for a date alone (an EHA completion, a closure)."""
    try:
        day = parse_day(text, now.date())
    except ValueError as exc:
        return None, str(exc)
    problem = event_date(day, referral_received=facts.snap.referral_received, now=now, field=field)
    if problem:
        return None, problem.partition(": ")[2]
    return day, None


def checked(
    engine: Engine,
    episode: str,
    values: dict[str, Any],
    now: datetime,
    check: Callable[[dict[str, Any], EpisodeFacts, datetime], dict[str, str]],
    *,
    field: str | None = "at",
    when: Callable[..., tuple[Any, str | None]] = event_moment,
) -> tuple[EpisodeFacts, Any]:
    """What every recording save does first: the episode's facts, ``check`` passed
    (else :class:`InputError`, ``"field: words"``, nothing written), and the moment
    (or, with ``when=event_day``, the day) typed in ``values[field]`` (None: no field)."""
    from ehtui.errors import InputError
    from ehtui.forms import problem_lines

    facts = episode_facts(engine, episode, now)
    if facts is None:
        raise InputError([f"episode: there is no episode {episode}"])
    problems = check(values, facts, now)
    if problems:
        raise InputError(problem_lines(problems))
    if field is None:
        return facts, None
    moment, _ = when(str(values[field]), facts, now, field=field)
    assert moment is not None
    return facts, moment
