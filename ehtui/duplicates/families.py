"""Duplicate people: merging two families (one household entered twice).


**Two families.** Two records of one person in different families are not
merged as people: :func:`merge_members` refuses, writing nothing, with a message
naming both families ("merge the families first"). The interchange says "an
episode's children are members of its family", and moving the merged person's
episode links to a person of another family would break it (``ehtui import``
would refuse the store's own export). The usual cause is one household entered
twice (a referral that created a new family for a child already known), so
:func:`merge_families` merges the two families first:

- every member and every episode (open or closed) of the merged family moves to
  the kept family, removed ones too, so nothing is left pointing at a removed
  family (the episodes keep their children, contacts, TAF meetings, oversight
  and appointments: those hang off the episode, not the family);
- the kept family's blank fields (address, phone, email, the last closure by
  Children's Social Care, team and date together) are filled from the merged
  one, never overwritten; the agencies are the union, the kept family's first;
- the merged family is not deleted: it is removed as a soft delete whose reason
  is "merged into <kept ref>";
- one audit entry (action ``merge``, table ``family``, the merged family's ref)
  holds what is needed to undo it.

After it the pair is in one family and is merged as people with the same keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from ehtui.calendar import format_day
from ehtui.duplicates.common import EPI, FAM, MEM, blank, json_value, live_pair
from ehtui.errors import InputError
from ehtui.models import AuditEntry, Episode, Family, Member
from ehtui.rules.load import day
from ehtui.unit_of_work import soft_delete, write
from ehtui.vocab import EpisodeType, Relationship, label

# The kept family's fields a family merge may fill from the merged one (when blank);
# the last closure by Children's Social Care is one fact: team and date go together.
FAMILY_FILLABLE = ("address", "phone", "email")
CSC_CLOSURE = ("last_csc_closure_team", "last_csc_closure_date")
FAMILY_FIELD_WORDS = {
    "address": "address",
    "phone": "phone",
    "email": "email",
    "last_csc_closure_team": "last closure by Children's Social Care (team)",
    "last_csc_closure_date": "last closure by Children's Social Care (date)",
    "agencies": "agencies",
}
FAMILY_MERGED_REASON = "merged into {keep} (one household entered twice)"


@dataclass(frozen=True)
class FamilyMergeResult:
    audit_id: int
    keep: str
    merged: str
    members: tuple[str, ...]
    episodes: tuple[str, ...]
    filled: tuple[str, ...]

    def summary(self) -> str:
        parts = [
            f"Family {self.merged} merged into {self.keep}: "
            f"{len(self.members)} member(s) moved"
            + (f" ({', '.join(self.members)})" if self.members else ""),
            f"{len(self.episodes)} episode(s) moved"
            + (f" ({', '.join(self.episodes)})" if self.episodes else ""),
        ]
        if self.filled:
            parts.append("filled " + ", ".join(FAMILY_FIELD_WORDS[f] for f in self.filled))
        return "; ".join(parts) + f" (audit {self.audit_id})"


@dataclass(frozen=True)
class FamilyOutline:
    """A family as the merge step shows it: who is in it and its episodes."""

    ref: str
    version: int
    name: str
    address: str | None
    members: tuple[str, ...]  # "Kasper Wiśniewski M09001 (Child)"
    episodes: tuple[str, ...]  # "E1 EHA, open"


def family_outlines(engine: Engine, refs: Iterable[str]) -> dict[str, FamilyOutline]:
    """The families ``refs`` (those in the store) with their live members and episodes."""
    wanted = sorted(set(refs))
    if not wanted:
        return {}
    with engine.connect() as conn:
        families = conn.execute(
            select(FAM.c.ref, FAM.c.version, FAM.c.name, FAM.c.address).where(FAM.c.ref.in_(wanted))
        ).all()
        members: dict[str, list[str]] = defaultdict(list)
        for r in conn.execute(
            select(MEM.c.family, MEM.c.ref, MEM.c.first_name, MEM.c.last_name, MEM.c.relationship)
            .where(MEM.c.family.in_(wanted), MEM.c.deleted_at.is_(None))
            .order_by(MEM.c.seq, MEM.c.ref)
        ):
            name = f"{r.first_name} {r.last_name}".strip()
            members[r.family].append(f"{name} {r.ref} ({label(Relationship, r.relationship)})")
        episodes: dict[str, list[str]] = defaultdict(list)
        for r in conn.execute(
            select(EPI.c.family, EPI.c.ref, EPI.c.type, EPI.c.closed)
            .where(EPI.c.family.in_(wanted), EPI.c.deleted_at.is_(None))
            .order_by(EPI.c.seq, EPI.c.ref)
        ):
            shut = day(r.closed)
            state = f"closed {format_day(shut)[4:]}" if shut else "open"
            episodes[r.family].append(f"{r.ref} {label(EpisodeType, r.type)}, {state}")
    return {
        f.ref: FamilyOutline(
            f.ref,
            f.version,
            f.name,
            f.address,
            tuple(members.get(f.ref, ())),
            tuple(episodes.get(f.ref, ())),
        )
        for f in families
    }


def merge_families(
    engine: Engine,
    keep: str,
    merge: str,
    by: str | None,
    now: datetime,
    *,
    keep_version: int | None = None,
    merge_version: int | None = None,
) -> FamilyMergeResult:
    """Merge family ``merge`` into ``keep`` (see the module docstring); one transaction.

    With ``keep_version`` / ``merge_version`` (the versions the person saw), a family
    changed since is refused (:class:`~ehtui.unit_of_work.StaleRecord`). Bad refs raise
    :class:`~ehtui.errors.InputError` naming ``keep`` or ``merged``; nothing is written.
    """
    if isinstance(keep, str) and isinstance(merge, str) and keep.strip() == merge.strip():
        raise InputError([f"merged: {merge!r} is the family kept; choose two different families"])
    reason = f"merge of family {merge} into {keep} (one household entered twice)"
    with write(engine, by, reason=reason, at=now) as s:
        kept, merged = live_pair(s, Family, "family", keep, merge, keep_version, merge_version)

        # every member and episode, removed ones too: nothing left naming a removed family
        members = s.scalars(
            select(Member).where(MEM.c.family == merge).order_by(MEM.c.seq, MEM.c.ref)
        ).all()
        moved_members: list[dict[str, Any]] = []
        for m in members:
            moved_members.append({"ref": m.ref, "removed": m.deleted_at is not None})
            m.family = keep
            s.add(m)
        episodes = s.scalars(
            select(Episode).where(EPI.c.family == merge).order_by(EPI.c.seq, EPI.c.ref)
        ).all()
        for e in episodes:
            e.family = keep
            s.add(e)

        # the kept family's blanks, from the merged one; the agencies are the union
        filled: dict[str, Any] = {}
        for field in FAMILY_FILLABLE:
            mine, theirs = getattr(kept, field), getattr(merged, field)
            if blank(mine) and not blank(theirs):
                filled[field] = {"old": json_value(mine), "new": json_value(theirs)}
                setattr(kept, field, theirs)
        if all(blank(getattr(kept, f)) for f in CSC_CLOSURE) and not all(
            blank(getattr(merged, f)) for f in CSC_CLOSURE
        ):
            for field in CSC_CLOSURE:
                old, new = getattr(kept, field), getattr(merged, field)
                filled[field] = {"old": json_value(old), "new": json_value(new)}
                setattr(kept, field, new)
        agencies = list(kept.agencies)
        for agency in merged.agencies:
            if agency not in agencies:
                agencies.append(agency)
        if agencies != list(kept.agencies):
            filled["agencies"] = {"old": list(kept.agencies), "new": agencies}
            kept.agencies = agencies
        s.add(kept)

        soft_delete(s, merged, FAMILY_MERGED_REASON.format(keep=keep), at=now)
        s.flush()
        entry = AuditEntry(
            at=now,
            user=by,
            action="merge",
            table="family",
            record=merge,
            changes={
                "keep": keep,
                "merged": merge,
                "members": moved_members,
                "episodes": [e.ref for e in episodes],
                "filled": filled,
                "versions": {f"family:{merge}": merged.version},
            },
            reason=reason,
        )
        s.add(entry)
        s.flush()
        assert entry.id is not None
        return FamilyMergeResult(
            entry.id,
            keep,
            merge,
            tuple(str(m["ref"]) for m in moved_members if not m["removed"]),
            tuple(e.ref for e in episodes if e.deleted_at is None),
            tuple(filled),
        )
