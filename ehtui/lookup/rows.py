"""The duty lookup's result rows: a hit laid out in columns for a results table.

:class:`LookupIndex` keeps one line of detail per person; a results table wants
columns (born and age, role in the family, family, postcode, open work and its
Lead Professional). :meth:`Facts.build` reads those facts for everyone with a
few set-based queries, once, beside the index; :func:`result_row` then lays out
a :class:`~ehtui.lookup.index.Hit` in memory on each keystroke.

Which work is open is read as the index reads it: referred by the as-of day and
not closed by it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from ehtui.calendar import age_on
from ehtui.lookup.index import FAMILY, MEMBER, PRACTITIONER, Hit
from ehtui.lookup.keys import postcode_of
from ehtui.rules.load import day
from ehtui.sql import Runner, reading
from ehtui.vocab import EpisodeType, Relationship, Role, label

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass(frozen=True, slots=True)
class OpenWork:
    """One open episode of a family, as a results row names it."""

    episode: str
    type_label: str
    hub: str
    lead: str | None
    lead_name: str | None


@dataclass(frozen=True, slots=True)
class ResultRow:
    """A hit in columns; ``episode`` is the open episode Enter opens (None: none open)."""

    kind: str
    ref: str
    family: str | None
    name: str
    born: date | None
    age: int | None
    role: str
    family_name: str
    postcode: str
    work: str
    episode: str | None
    why: str


@dataclass
class Facts:
    """Who is who, for laying out results: members, families, practitioners, open work."""

    today: date
    members: dict[str, tuple[str, date | None]] = field(default_factory=dict)  # rel, dob
    families: dict[str, tuple[str, str]] = field(default_factory=dict)  # name, postcode
    practitioners: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    open_work: dict[str, list[OpenWork]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, source: Engine | Runner, as_of: date | datetime) -> Facts:
        today = as_of.date() if isinstance(as_of, datetime) else as_of
        facts = cls(today)
        with reading(source) as run:
            for ref, name, address in run.rows(
                "SELECT ref, name, address FROM family WHERE deleted_at IS NULL"
            ):
                facts.families[ref] = (name, postcode_of(address) or "")
            for ref, relationship, dob in run.rows(
                "SELECT ref, relationship, dob FROM member WHERE deleted_at IS NULL"
            ):
                facts.members[ref] = (relationship, day(dob))
            names: dict[str, str] = {}
            for ref, name, role, hub, phone in run.rows(
                "SELECT ref, name, role, hub, phone FROM practitioner"
            ):
                names[ref] = name
                facts.practitioners[ref] = (role, hub, phone)
            rows = run.rows(
                "SELECT ref, family, type, hub, lead, closed, referral_received FROM episode"
                " WHERE deleted_at IS NULL AND referral_received <= :today"
                " ORDER BY referral_received, seq",
                today=today,
            )
        for ref, family, kind, hub, lead, closed, _referred in rows:
            closed_on = day(closed)
            if closed_on is None or closed_on > today:
                facts.open_work[family].append(
                    OpenWork(ref, label(EpisodeType, kind), hub, lead, names.get(lead or ""))
                )
        return facts


def work_line(work: list[OpenWork]) -> str:
    """ "EHA · Hannah Vance" (a second open episode: "+1 more"); "none open"."""
    if not work:
        return "none open"
    first = work[0]
    line = f"{first.type_label} · {first.lead_name or first.lead or 'unallocated'}"
    return line + (f" +{len(work) - 1} more" if len(work) > 1 else "")


def result_row(hit: Hit, facts: Facts) -> ResultRow:
    """``hit`` in columns, from ``facts`` (a name or family no longer there: what the hit says)."""
    born: date | None = None
    age: int | None = None
    family_name, postcode = facts.families.get(hit.family or "", ("", ""))
    work = facts.open_work.get(hit.family or "", [])
    if hit.kind == MEMBER:
        relationship, born = facts.members.get(hit.ref, ("", None))
        role = label(Relationship, relationship) if relationship else ""
        age = age_on(born, facts.today) if born is not None else None
    elif hit.kind == FAMILY:
        role = "the family"
    else:
        assert hit.kind == PRACTITIONER
        r, hub, phone = facts.practitioners.get(hit.ref, ("", "", None))
        role = label(Role, r) if r else "practitioner"
        return ResultRow(
            hit.kind,
            hit.ref,
            None,
            hit.name,
            None,
            None,
            role,
            f"{hub} hub" if hub else "",
            "",
            f"phone {phone}" if phone else "no phone recorded",
            None,
            hit.why,
        )
    return ResultRow(
        kind=hit.kind,
        ref=hit.ref,
        family=hit.family,
        name=hit.name,
        born=born,
        age=age,
        role=role,
        family_name=f"{family_name} {hit.family}" if family_name else (hit.family or ""),
        postcode=postcode,
        work=work_line(work),
        episode=work[0].episode if work else None,
        why=hit.why,
    )
