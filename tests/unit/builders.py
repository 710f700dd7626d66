"""Small builders for rule tests: snapshots with sensible, complete defaults.

A default episode is an EHA allocated Mon 5 Jan 2026 09:30 to P1 for the
Okafor family, whose records are complete; tests change only what they test.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from ehtui.rules import (
    ChildSnap,
    ContactSnap,
    EpisodeSnap,
    FamilySnap,
    Finding,
    OversightSnap,
    State,
    StoreSnap,
    TafSnap,
    VoiceSnap,
    evaluate,
)
from ehtui.rules.table import DEFAULT_TABLE, RuleTable

_refs = itertools.count(1)


def d(text: str) -> date:
    return date.fromisoformat(text)


def dt(text: str) -> datetime:
    """'2026-01-06T10:00' or a date alone (then 10:00 that day)."""
    if "T" in text:
        return datetime.fromisoformat(text)
    return datetime.fromisoformat(f"{text}T10:00")


def as_of(text: str) -> datetime:
    """A date means the end of that day (PROTOCOL_RULES.md §2)."""
    if "T" in text:
        return datetime.fromisoformat(text)
    return datetime.fromisoformat(f"{text}T23:59:59")


FAMILY = FamilySnap(
    "F1", "Okafor", "12 Example Road, N12 0AA", "07700 900123", None, ("School", "Health Visitor")
)
TOLU = ChildSnap(
    "C1",
    "Tolu",
    d("2016-05-02"),
    "Black African",
    "Christian",
    "English",
    False,
    "Example Primary",
    True,
)


def child(ref: str = "C1", first_name: str = "Tolu", **changes: Any) -> ChildSnap:
    return replace(TOLU, ref=ref, first_name=first_name, **changes)


def contact(
    at: str,
    method: str = "telephone",
    outcome: str = "completed",
    recorded_at: str | bool | None = True,
    ref: str | None = None,
) -> ContactSnap:
    when = dt(at)
    if recorded_at is True:
        recorded = when.replace(hour=min(when.hour + 2, 23))
    elif recorded_at is False or recorded_at is None:
        recorded = None
    else:
        recorded = dt(recorded_at)
    return ContactSnap(ref or f"K{next(_refs)}", when, recorded, method, outcome)


def voice(at: str, child_ref: str = "C1", ref: str | None = None) -> VoiceSnap:
    return VoiceSnap(ref or f"V{next(_refs)}", child_ref, dt(at))


def taf(
    at: str,
    kind: str = "initial",
    radar: bool = True,
    ratified: bool = False,
    ref: str | None = None,
) -> TafSnap:
    return TafSnap(ref or f"T{next(_refs)}", dt(at), kind, radar, ratified)


def oversight(at: str, kind: str = "supervision", ref: str | None = None) -> OversightSnap:
    return OversightSnap(ref or f"S{next(_refs)}", dt(at), kind)


def episode(**changes: Any) -> EpisodeSnap:
    """An EHA allocated 2026-01-05 09:30; date strings are accepted for date fields."""
    base = EpisodeSnap(
        ref="E1",
        family=FAMILY,
        type="eha",
        disposal=None,
        hub="West",
        lead="P1",
        source="mash",
        referral_received=d("2026-01-02"),
        allocated=datetime(2026, 1, 5, 9, 30),
        engagement_confirmed=d("2026-01-06"),
        children=(TOLU,),
        doc_case_summary=True,
        doc_chronology=True,
        doc_genogram=True,
    )
    for key in (
        "referral_received",
        "engagement_confirmed",
        "eha_completed",
        "stepdown_consultation",
        "stepdown_meeting",
        "extension_approved_until",
        "closed",
    ):
        if isinstance(changes.get(key), str):
            changes[key] = d(changes[key])
    if isinstance(changes.get("allocated"), str):
        changes["allocated"] = dt(changes["allocated"])
    for key in ("assessment_completed", "qa_completed"):  # a date alone is 00:00 (§10)
        if isinstance(changes.get(key), str):
            changes[key] = datetime.fromisoformat(changes[key])
    for key in ("contacts", "voices", "tafs", "oversights", "children"):
        if key in changes:
            changes[key] = tuple(changes[key])
    return replace(base, **changes)


def findings(
    ep: EpisodeSnap, when: str, rule: str | None = None, table: RuleTable = DEFAULT_TABLE
) -> list[Finding]:
    snap = StoreSnap(episodes=(ep,), with_caps=False)
    found = evaluate(snap, as_of(when), table)
    return [f for f in found if rule is None or f.rule == rule]


def states(ep: EpisodeSnap, when: str, rule: str) -> list[tuple[str, str | None]]:
    """[(state, due ISO)] of ``rule``'s findings on ``ep`` as of ``when``."""
    return [
        (str(f.state), f.due.isoformat() if f.due is not None else None)
        for f in findings(ep, when, rule)
    ]


__all__ = [
    "State",
    "as_of",
    "child",
    "contact",
    "d",
    "dt",
    "episode",
    "findings",
    "oversight",
    "states",
    "taf",
    "voice",
]


# ------------------------------------------------------------- small real stores
def add_rows(engine: Any, *rows: Any) -> None:
    """Add ORM rows to a store in one transaction (parents before children)."""
    from ehtui.db import session

    with session(engine) as s:
        for row in rows:
            s.add(row)
            s.flush()


def store_practitioner(ref: str = "P1", **changes: Any) -> Any:
    from ehtui.models import Practitioner

    fields = {"name": f"Worker {ref}", "role": "practitioner", "grade": "H", "hub": "West"}
    return Practitioner(ref=ref, **{**fields, **changes})


def store_family(ref: str = "F1", **changes: Any) -> Any:
    from ehtui.models import Family

    fields = {
        "name": "Okafor",
        "address": "12 Example Road, N12 0AA",
        "phone": "07700 900123",
        "agencies": ["School", "Health Visitor"],
    }
    return Family(ref=ref, **{**fields, **changes})


def store_child(ref: str = "C1", family: str = "F1", **changes: Any) -> Any:
    from ehtui.models import Member

    fields = {
        "relationship": "child",
        "first_name": "Tolu",
        "last_name": "Okafor",
        "dob": d("2016-05-02"),
        "ethnicity": "Black African",
        "religion": "Christian",
        "language": "English",
        "interpreter_needed": False,
        "school": "Example Primary",
        "father_recorded": True,
    }
    return Member(ref=ref, family=family, **{**fields, **changes})


def store_episode(ref: str = "E1", family: str = "F1", **changes: Any) -> Any:
    """An EHA allocated Mon 5 Jan 2026 09:30 to P1 (as :func:`episode`), complete."""
    from ehtui.models import Episode

    fields = {
        "type": "eha",
        "hub": "West",
        "lead": "P1",
        "source": "mash",
        "referral_received": d("2026-01-02"),
        "allocated": datetime(2026, 1, 5, 9, 30),
        "engagement_confirmed": d("2026-01-06"),
        "doc_case_summary": True,
        "doc_chronology": True,
        "doc_genogram": True,
    }
    return Episode(ref=ref, family=family, **{**fields, **changes})


def store_link(episode: str = "E1", child: str = "C1", position: int = 0) -> Any:
    from ehtui.models import EpisodeChild

    return EpisodeChild(episode=episode, child=child, position=position)


def store_contact(ref: str, episode: str, at: str, **changes: Any) -> Any:
    """A completed telephone call, its note finalised two hours later, unless changed."""
    from ehtui.models import Contact

    when = dt(at)
    fields = {
        "method": "telephone",
        "outcome": "completed",
        "recorded_at": when.replace(hour=min(when.hour + 2, 23)),
    }
    return Contact(ref=ref, episode=episode, at=when, **{**fields, **changes})


def store_case(
    ref: str = "E1", family: str = "F1", child: str = "C1", **episode_changes: Any
) -> list[Any]:
    """Family, child, episode and link rows for one complete EHA case."""
    return [
        store_family(family),
        store_child(child, family),
        store_episode(ref, family, **episode_changes),
        store_link(ref, child),
    ]


def seed_one_episode(target: Any) -> None:
    """P1 (Amira Khan, West), family F1 and an EHA E1, written through the unit of work,
    for the crash, concurrency and server tests that then race over E1."""
    from ehtui.db import open_store
    from ehtui.models import Episode, Family, Practitioner
    from ehtui.unit_of_work import write

    engine = open_store(target)
    with write(engine, "P1") as s:
        s.add(Practitioner(ref="P1", name="Amira Khan", role="practitioner", hub="West"))
        s.add(Family(ref="F1", name="Okafor"))
        s.add(
            Episode(
                ref="E1",
                family="F1",
                type="eha",
                hub="West",
                lead="P1",
                source="mash",
                referral_received=date(2026, 1, 2),
            )
        )
    engine.dispose()


def seed_one_child_episode(engine: Any) -> Any:
    """:func:`seed_one_episode` with a child, Tolu (C1), in E1: for the recording tests."""
    from ehtui.models import EpisodeChild, Member
    from ehtui.unit_of_work import write

    seed_one_episode(engine.url.render_as_string(hide_password=False))
    with write(engine, "P1") as s:
        s.add(Member(ref="C1", family="F1", relationship="child", first_name="Tolu", last_name="O"))
        s.add(EpisodeChild(episode="E1", child="C1", position=0))
    return engine
