"""Allocating an episode to a Lead Professional, from a hub's group tray (§15.3, §16.7, §21.3).

The first allocation is the moment the episode's clocks start (``allocated``);
re-allocating changes the Lead Professional and keeps that moment (the clocks do
not restart; the audit trail keeps who held it before). The choice is made seeing
each practitioner's families against their cap (:func:`ehtui.caseload.caseload`)
and, for an OSR case, the hub's OSR cases this week against 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from ehtui.caseload import CaseloadRow, caseload
from ehtui.errors import InputError
from ehtui.models import Episode
from ehtui.recording.facts import EpisodeFacts, checked
from ehtui.store import people
from ehtui.unit_of_work import fetch, write
from ehtui.vocab import Source


@dataclass(frozen=True)
class AllocationChoice:
    """Who could take the episode: the hub's practitioners, lightest load first."""

    rows: tuple[CaseloadRow, ...]
    osr_week: Any | None  # the hub's OsrWeek this week, for an OSR case


def allocation_choice(
    engine: Engine, facts: EpisodeFacts, now: datetime, settings: Any = None
) -> AllocationChoice:
    load = caseload(engine, None, now, scope="hub", hub=facts.snap.hub, settings=settings)

    def lightness(row: CaseloadRow) -> tuple[float, str]:
        return (row.load if row.load is not None else 2.0, row.person.name)

    osr_week = None
    if facts.snap.source == Source.OSR:
        from ehtui.osr import osr_rota

        view = osr_rota(
            engine, now, hub=facts.snap.hub, weeks_before=0, weeks_after=0, settings=settings
        )
        osr_week = view.weeks[0] if view.weeks else None
    return AllocationChoice(tuple(sorted(load.rows, key=lightness)), osr_week)


def check_allocation(values: dict[str, Any], facts: EpisodeFacts, now: datetime) -> dict[str, str]:
    """Problems per field (``lead``); empty when the episode can be allocated."""
    problems: dict[str, str] = {}
    lead = str(values.get("lead") or "")
    if facts.snap.closed is not None:
        problems[""] = f"This episode was closed on {facts.snap.closed:%a %d %b %Y}."
    elif not lead:
        problems["lead"] = "Choose the Lead Professional (up and down, then Enter)."
    elif lead == facts.snap.lead:
        problems["lead"] = "They already hold this episode."
    return problems


def allocate(
    engine: Engine,
    *,
    user: str,
    episode: str,
    values: dict[str, Any],
    now: datetime,
    version: int | None = None,
) -> bool:
    """Make ``values["lead"]`` the episode's Lead Professional (one audited update,
    refused as stale if the episode changed since ``version``). Returns True for a
    first allocation (the clocks start now), False for a re-allocation."""
    facts, _ = checked(engine, episode, values, now, check_allocation, field=None)
    lead = str(values["lead"])
    if lead not in people(engine):
        raise InputError([f"lead: there is no practitioner {lead}"])
    with write(engine, user) as s:
        row = fetch(s, Episode, episode, version=version if version is not None else facts.version)
        first = row.allocated is None
        row.lead = lead
        if first:
            row.allocated = now.replace(microsecond=0)
    return first
