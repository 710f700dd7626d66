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
- Joint work is not stepped up: the case is open to Children's Social Care, who
  keep the support and the Lead Professional role (§16.2). Every other kind of
  work (step-down EHA, out-of-court, Return Home Interview) can step up to
  Children's Social Care by the same route.

A step-up closes the episode, so it has every check a closure has
(:func:`ehtui.recording.closure.check_closing`: the date not before the latest
record, no contact note left in draft). It also needs the reasons in plain words
(§12.7 "a clear record of the reasons"): they are kept, with where it went, as a
desk-discussion oversight record on the episode stepped up, dated at the
step-up, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from ehtui.models import Episode, EpisodeChild, Family, Oversight
from ehtui.recording.closure import JOINT_WORK_STAYS, check_closing, step_up_reason
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
from ehtui.vocab import ClosureReason, EpisodeType, OversightKind, Source

MAX_REASONS = 20_000


@dataclass(frozen=True)
class StepUpPlan:
    to_eha: bool  # Universal Plus to an EHA; otherwise to Children's Social Care
    route: Route | None  # where a step-up to CSC on the day asked about goes
    panel: date
    transfer: TransferMeeting
    last_closure: tuple[str | None, date | None] = (None, None)  # the family's last CSC one

    def route_on(self, day: date) -> Route | None:
        """Where a step-up to CSC dated ``day`` goes (the 6 weeks and 3 months of
        §12.5-12.6 count back from the step-up's own day)."""
        return None if self.to_eha else step_up_route(*self.last_closure, day)


def step_up_plan(
    engine: Engine, facts: EpisodeFacts, now: datetime, on: date | None = None
) -> StepUpPlan:
    """Where this episode's step-up (on ``on``, today unless given) goes and the
    meetings ahead."""
    to_eha = facts.snap.type == EpisodeType.UNIVERSAL_PLUS
    route = None
    last: tuple[str | None, date | None] = (None, None)
    if not to_eha:
        fam = Family.__table__  # type: ignore[attr-defined]
        with engine.connect() as conn:
            row = conn.execute(
                select(fam.c.last_csc_closure_team, fam.c.last_csc_closure_date).where(
                    fam.c.ref == facts.snap.family.ref
                )
            ).one()
        last = (row.last_csc_closure_team, row.last_csc_closure_date)
        route = step_up_route(*last, on or now.date())
    return StepUpPlan(to_eha, route, next_panel(now), next_transfer_meeting(now), last)


def check_step_up(values: dict[str, Any], facts: EpisodeFacts, now: datetime) -> dict[str, str]:
    """Problems per field (``on``: the step-up date, ``reasons``); empty when it can be saved."""
    if step_up_reason(facts.snap.type) is None and facts.snap.closed is None:
        return {"": JOINT_WORK_STAYS}
    _on, problems = check_closing(values, facts, now, field="on")
    if "" in problems:
        return problems
    reasons = str(values.get("reasons") or "")
    if not reasons.strip():
        problems["reasons"] = "Write why the work steps up: what has changed, what the worry is."
    elif len(reasons) > MAX_REASONS:
        problems["reasons"] = f"Keep the reasons under {MAX_REASONS:,} characters."
    return problems


def _where(plan: StepUpPlan) -> str:
    if plan.to_eha:
        return "Stepped up from Universal Plus to an EHA (§21.4)."
    assert plan.route is not None
    return f"Stepped up to Children's Social Care: {plan.route.destination} ({plan.route.reason})."


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
    plan = step_up_plan(engine, facts, now, on)
    new = new_ref("episode") if to_eha else None
    moment = now.replace(microsecond=0) if on == now.date() else _start_of(on)
    with write(engine, user) as s:
        row = fetch(s, Episode, episode, version=version if version is not None else facts.version)
        row.closed = on
        row.closure_reason = ClosureReason.STEPPED_UP_EHA if to_eha else ClosureReason.STEP_UP_CSC
        s.add(
            Oversight(
                ref=new_ref("oversight"),
                episode=episode,
                at=moment,
                kind=str(OversightKind.DESK_DISCUSSION),
                by=user or None,
                decision=f"{_where(plan)} Reasons: {str(values['reasons']).strip()}",
            )
        )
        if new is not None:
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
