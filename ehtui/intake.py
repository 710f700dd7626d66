"""A new referral: an episode for a family already in the store, or for a new family.

Search first (the duty lookup's index), so nobody is entered twice; then the
referral: its type and source, the date received, the hub, and the children it is
about. The §7 checks of PROTOCOL_RULES.md apply: each child under 19 on the
referral date; at 18, one of the post-18 routes (else "refer to Adult Services");
a Return Home Interview only for a child under 18; an out-of-court referral names
its disposal. A Universal Plus referral for a family with three or more agencies
involved gets the EHA-threshold advice (§5.1): advice, not a refusal.

The episode is created unallocated: it lands on the hub's group tray, and its
clocks start when it is allocated. Family, members and episode are written in
one audited transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from ehtui.calendar import age_on, format_day
from ehtui.errors import InputError
from ehtui.forms import parse_day, problem_lines
from ehtui.models import Episode, EpisodeChild, Family, Member
from ehtui.refs import new_ref
from ehtui.unit_of_work import write
from ehtui.validation import child_under_19, dob_in_future, post18_route_needed, rhi_child_under_18
from ehtui.vocab import Disposal, EpisodeType, Hub, Post18Route, Source

NEW_CHILDREN = 3  # rows for children on a new family's referral
THRESHOLD_AGENCIES = 3  # §5.1 / menu item 1, as advice

TYPE_KEYS: dict[str, EpisodeType] = {
    "e": EpisodeType.EHA,
    "s": EpisodeType.STEP_DOWN_EHA,
    "u": EpisodeType.UNIVERSAL_PLUS,
    "j": EpisodeType.JOINT_WORK,
    "o": EpisodeType.OUT_OF_COURT,
    "r": EpisodeType.RHI,
}
DISPOSAL_KEYS: dict[str, Disposal] = {
    "t": Disposal.TRIAGE,
    "c": Disposal.YOUTH_CAUTION,
    "k": Disposal.YOUTH_CONDITIONAL_CAUTION,
    "r": Disposal.COMMUNITY_RESOLUTION,
    "p": Disposal.TURNING_POINT,
}
SOURCE_KEYS: dict[str, Source] = {
    "m": Source.MASH,
    "u": Source.UNIVERSAL_PLUS_FORM,
    "c": Source.STEP_DOWN_CSC,
    "r": Source.REACH,
    "y": Source.YJS,
    "o": Source.OSR,
    "p": Source.POLICE,
    "s": Source.SELF_REFERRAL,
}


@dataclass(frozen=True)
class Child:
    ref: str | None  # None: a child typed on a new family's referral
    first_name: str
    last_name: str
    dob: date | None


@dataclass(frozen=True)
class FamilyFacts:
    """A family already in the store, as the referral form needs it."""

    ref: str
    name: str
    address: str | None
    agencies: tuple[str, ...]
    children: tuple[Child, ...]


def family_facts(engine: Engine, family: str) -> FamilyFacts | None:
    fam = Family.__table__  # type: ignore[attr-defined]
    mem = Member.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        row = conn.execute(
            select(fam).where(fam.c.ref == family, fam.c.deleted_at.is_(None))
        ).first()
        if row is None:
            return None
        kids = conn.execute(
            select(mem.c.ref, mem.c.first_name, mem.c.last_name, mem.c.dob)
            .where(
                mem.c.family == family, mem.c.relationship == "child", mem.c.deleted_at.is_(None)
            )
            .order_by(mem.c.dob, mem.c.first_name)
        ).all()
    children = tuple(Child(k.ref, k.first_name, k.last_name, k.dob) for k in kids)
    return FamilyFacts(row.ref, row.name, row.address, tuple(row.agencies or ()), children)


def _children(
    values: dict[str, Any], family: FamilyFacts | None, today: date
) -> tuple[list[Child], dict[str, str]]:
    """The children the referral is about, and the problems with them by field."""
    problems: dict[str, str] = {}
    if family is not None:
        chosen = set(values.get("children") or [])
        return [c for c in family.children if c.ref in chosen], problems
    typed = []
    surname = str(values.get("family_name") or "").strip()
    for n in range(1, NEW_CHILDREN + 1):
        first = str(values.get(f"c{n}_first") or "").strip()
        dob_text = str(values.get(f"c{n}_dob") or "").strip()
        if not first and not dob_text:
            continue
        if not first:
            problems[f"c{n}_first"] = "Give the child's first name."
            continue
        try:
            dob = parse_day(dob_text, today) if dob_text else None
        except ValueError as exc:
            problems[f"c{n}_dob"] = str(exc)
            continue
        typed.append(Child(None, first, surname, dob))
    return typed, problems


def _child_field(family: FamilyFacts | None, number: int) -> str:
    return "children" if family is not None else f"c{number}_dob"


def check_referral(
    values: dict[str, Any], family: FamilyFacts | None, now: datetime
) -> tuple[dict[str, str], list[str]]:
    """Problems per field, and advice (not refusals) for the person to read."""
    problems: dict[str, str] = {}
    advice: list[str] = []
    kind = values.get("type")
    if kind not in EpisodeType.values():
        problems["type"] = "Choose the kind of work (e EHA, u Universal Plus, ...)."
    if values.get("source") not in Source.values():
        problems["source"] = "Choose where the referral came from (m MASH, p police, ...)."
    if values.get("hub") not in Hub.values():
        problems["hub"] = "Choose the hub."
    received = None
    try:
        received = parse_day(str(values.get("received") or ""), now.date())
    except ValueError as exc:
        problems["received"] = str(exc)
    if received is not None and received > now.date():
        problems["received"] = f"{format_day(received)} is in the future."
    if kind == EpisodeType.OUT_OF_COURT and values.get("disposal") not in Disposal.values():
        problems["disposal"] = "Name the out-of-court disposal (t triage, c youth caution, ...)."
    route = values.get("post18_route") or None
    if route is not None and route not in Post18Route.values():
        problems["post18_route"] = "Choose one of the post-18 routes, or none."
    if family is None and not str(values.get("family_name") or "").strip():
        problems["family_name"] = "Give the family's surname."
    children, child_problems = _children(values, family, now.date())
    problems.update(child_problems)
    if not children and not child_problems:
        problems["children" if family is not None else "c1_first"] = (
            "Name the child (or children) the referral is about."
        )
    on = received or now.date()
    for number, child in enumerate(children, start=1):
        field = _child_field(family, number)
        for check in (
            dob_in_future(child.dob, now.date(), field=field),
            child_under_19(child.dob, on, field=field),
            post18_route_needed(child.dob, on, route, field="post18_route")
            if child_under_19(child.dob, on) is None
            else None,
            rhi_child_under_18(child.dob, on, field=field) if kind == EpisodeType.RHI else None,
        ):
            if check and check.partition(": ")[0] not in problems:
                name, _, words = check.partition(": ")
                problems[name] = f"{child.first_name}: {words}"
    agencies = _agencies(values, family)
    if kind == EpisodeType.UNIVERSAL_PLUS and len(agencies) >= THRESHOLD_AGENCIES:
        advice.append(
            f"{len(agencies)} agencies are involved: an EHA may be needed rather than "
            "Universal Plus (§5.1)."
        )
    for child in children:
        if child.dob is not None and age_on(child.dob, on) == 18 and route is not None:
            advice.append(f"{child.first_name} is 18: referred on the post-18 route.")
    return problems, advice


def _agencies(values: dict[str, Any], family: FamilyFacts | None) -> list[str]:
    typed = [a.strip() for a in str(values.get("agencies") or "").split(",") if a.strip()]
    known = list(family.agencies) if family is not None else []
    return known + [a for a in typed if a not in known]


def save_referral(
    engine: Engine,
    *,
    user: str,
    family: str | None,
    values: dict[str, Any],
    now: datetime,
) -> str:
    """Check and write the referral (a new family and its children when ``family`` is
    None) in one audited transaction; the new episode's ref. Raises
    :class:`InputError` (``"field: words"``), writing nothing, when a check fails."""
    facts = family_facts(engine, family) if family is not None else None
    if family is not None and facts is None:
        raise InputError([f"family: there is no family {family}"])
    problems, _advice = check_referral(values, facts, now)
    if problems:
        raise InputError(problem_lines(problems))
    children, _ = _children(values, facts, now.date())
    received = parse_day(str(values["received"]), now.date())
    kind = str(values["type"])
    episode = new_ref("episode")
    with write(engine, user) as s:
        if facts is None:
            family = new_ref("family")
            s.add(
                Family(
                    ref=family,
                    name=str(values["family_name"]).strip(),
                    address=str(values.get("address") or "").strip() or None,
                    phone=str(values.get("phone") or "").strip() or None,
                    agencies=_agencies(values, None),
                )
            )
            s.flush()  # the family before its members
        else:
            row = s.get(Family, family)
            assert row is not None
            agencies = _agencies(values, facts)
            if agencies != list(facts.agencies):
                row.agencies = agencies
        assert family is not None
        refs = []
        route = values.get("post18_route") or None
        for child in children:
            at_18 = child.dob is not None and age_on(child.dob, received) == 18
            ref = child.ref
            if ref is None:
                ref = new_ref("member")
                s.add(
                    Member(
                        ref=ref,
                        family=family,
                        relationship="child",
                        first_name=child.first_name,
                        last_name=child.last_name,
                        dob=child.dob,
                        post18_route=str(route) if route and at_18 else None,
                    )
                )
            elif route is not None and at_18:
                member = s.get(Member, ref)
                assert member is not None
                member.post18_route = str(route)
            refs.append(ref)
        s.flush()  # the members before the episode's links to them
        s.add(
            Episode(
                ref=episode,
                family=family,
                type=kind,
                disposal=str(values["disposal"]) if kind == EpisodeType.OUT_OF_COURT else None,
                hub=str(values["hub"]),
                source=str(values["source"]),
                referral_received=received,
            )
        )
        s.flush()
        for position, ref in enumerate(refs):
            s.add(EpisodeChild(episode=episode, child=ref, position=position))
    return episode
