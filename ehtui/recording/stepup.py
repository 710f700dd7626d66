"""Stepping up (PROTOCOL_RULES.md §9, §10): to Children's Social Care, or Universal Plus
to an EHA.

- An EHA (or any episode but Universal Plus) steps up to Children's Social Care:
  the routing helper says where it goes (DATs if they closed the family within
  6 weeks, I&P within 3 months, else the MASH) and when the next Transfer meeting
  and its agenda cut-off are; the episode closes with reason ``step_up_csc``.
- A Universal Plus episode steps up to an EHA: it closes with reason
  ``stepped_up_eha`` and an ``eha`` episode opens for the same family and
  children, hub and Lead Professional, referred and allocated at the step-up, so
  the EHA's clocks start then. Both in one audited transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from ehtui.models import Episode, EpisodeChild, Family
from ehtui.recording.facts import EpisodeFacts, checked, event_day
from ehtui.refs import new_ref
from ehtui.rules.routing import (
    Route,
    TransferMeeting,
    next_panel,
    next_transfer_meeting,
    step_up_route,
)
from ehtui.unit_of_work import fetch, write
from ehtui.vocab import ClosureReason, EpisodeType, Source


@dataclass(frozen=True)
class StepUpPlan:
    to_eha: bool  # Universal Plus to an EHA; otherwise to Children's Social Care
    route: Route | None  # where a step-up to CSC goes
    panel: date
    transfer: TransferMeeting


def step_up_plan(engine: Engine, facts: EpisodeFacts, now: datetime) -> StepUpPlan:
    """Where this episode's step-up goes and the meetings ahead."""
    to_eha = facts.snap.type == EpisodeType.UNIVERSAL_PLUS
    route = None
    if not to_eha:
        fam = Family.__table__  # type: ignore[attr-defined]
        with engine.connect() as conn:
            row = conn.execute(
                select(fam.c.last_csc_closure_team, fam.c.last_csc_closure_date).where(
                    fam.c.ref == facts.snap.family.ref
                )
            ).one()
        route = step_up_route(row.last_csc_closure_team, row.last_csc_closure_date, now.date())
    return StepUpPlan(to_eha, route, next_panel(now), next_transfer_meeting(now))


def check_step_up(values: dict[str, Any], facts: EpisodeFacts, now: datetime) -> dict[str, str]:
    """Problems per field (``on``: the step-up date); empty when it can be saved."""
    problems: dict[str, str] = {}
    if facts.snap.closed is not None:
        problems[""] = f"This episode was closed on {facts.snap.closed:%a %d %b %Y}."
        return problems
    _on, problem = event_day(str(values.get("on") or ""), facts, now, field="on")
    if problem:
        problems["on"] = problem
    return problems


def step_up(
    engine: Engine,
    *,
    user: str,
    episode: str,
    values: dict[str, Any],
    now: datetime,
    version: int | None = None,
) -> str | None:
    """Step ``episode`` up on ``values["on"]`` (one audited transaction, refused as
    stale if the episode changed since ``version``). Returns the new EHA's ref for
    Universal Plus, else None. Raises :class:`InputError` (``"field: words"``),
    writing nothing, when a check fails."""
    facts, on = checked(engine, episode, values, now, check_step_up, field="on", when=event_day)
    ep = facts.snap
    to_eha = ep.type == EpisodeType.UNIVERSAL_PLUS
    new = new_ref("episode") if to_eha else None
    with write(engine, user) as s:
        row = fetch(s, Episode, episode, version=version if version is not None else facts.version)
        row.closed = on
        row.closure_reason = ClosureReason.STEPPED_UP_EHA if to_eha else ClosureReason.STEP_UP_CSC
        if new is not None:
            moment = now.replace(microsecond=0) if on == now.date() else _start_of(on)
            s.add(
                Episode(
                    ref=new,
                    family=ep.family.ref,
                    type=str(EpisodeType.EHA),
                    hub=ep.hub,
                    lead=ep.lead,
                    source=str(Source.UNIVERSAL_PLUS_FORM),
                    referral_received=on,
                    allocated=moment if ep.lead else None,
                )
            )
            s.flush()
            for position, child in enumerate(ep.children):
                s.add(EpisodeChild(episode=new, child=child.ref, position=position))
    return new


def _start_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())
