"""Duplicate people: undoing a merge (of two people or of two families).

:func:`undo_merge` puts back exactly the state before either kind of merge, as
one audited transaction (an ``unmerge`` audit entry naming the merge's id). It
refuses, with a message naming the record, when later changes make that unsafe.
For a person: a record it would put back changed since the merge, the merged
member was restored or the kept one removed, a filled field was edited,
something new was recorded for the kept person on an episode the merge moved.
For a family: the merged family was restored or the kept one removed, a filled
field was edited, a moved member or episode has since moved on or a moved
member was removed or restored (a person merge made after it: undo that first),
or an episode would be left naming a child of the other family. Either: the
merge was undone already.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, or_, select

from ehtui.duplicates.common import AUDIT, CON, LINK, MEM, VOICE, json_value
from ehtui.duplicates.families import FAMILY_FIELD_WORDS
from ehtui.duplicates.people import FIELD_WORDS, _from_json
from ehtui.errors import InputError
from ehtui.models import AuditEntry, Contact, Episode, EpisodeChild, Family, Member, VoiceOfChild
from ehtui.unit_of_work import json_safe, restore, write


@dataclass(frozen=True)
class UndoResult:
    audit_id: int
    keep: str
    merged: str
    kind: str = "member"  # or "family"

    def summary(self) -> str:
        if self.kind == "family":
            return (
                f"Merge undone: families {self.merged} and {self.keep} are two families again "
                f"(audit {self.audit_id})."
            )
        return (
            f"Merge undone: {self.merged} and {self.keep} are two records again "
            f"(audit {self.audit_id})."
        )


def _family_value(field: str, value: Any) -> Any:
    if field == "last_csc_closure_date" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _unsafe_family(s: Any, plan: dict[str, Any]) -> list[str]:
    """Why putting two families back would be unsafe now (empty when it is safe)."""
    keep, merge = plan["keep"], plan["merged"]
    problems = []
    merged = s.get(Family, merge, populate_existing=True)
    kept = s.get(Family, keep, populate_existing=True)
    if merged is None or kept is None:
        return [f"the family {merge if merged is None else keep} is no longer in the store"]
    if merged.deleted_at is None:
        problems.append(f"family {merge} has been restored since the merge")
    elif merged.version != plan.get("versions", {}).get(f"family:{merge}"):
        problems.append(f"family {merge} has changed since the merge")
    if kept.deleted_at is not None:
        problems.append(f"family {keep} has been removed since the merge ({kept.deleted_reason})")
    for field, change in plan.get("filled", {}).items():
        if json_safe(getattr(kept, field)) != change["new"]:
            problems.append(
                f"family {keep}: {FAMILY_FIELD_WORDS.get(field, field)} was changed after "
                "the merge filled it"
            )
    going = {m["ref"] for m in plan.get("members", [])}
    for item in plan.get("members", []):
        member = s.get(Member, item["ref"], populate_existing=True)
        if member is None:
            problems.append(f"member {item['ref']} is no longer in the store")
        elif member.family != keep:
            problems.append(f"member {item['ref']} has moved to family {member.family} since")
        elif (member.deleted_at is not None) != item["removed"]:
            done = (
                f"removed ({member.deleted_reason})"
                if member.deleted_at is not None
                else "restored"
            )
            problems.append(f"member {item['ref']} was {done} after the merge: undo that first")
    back = set(plan.get("episodes", []))
    for ref in sorted(back):
        episode = s.get(Episode, ref, populate_existing=True)
        if episode is None:
            problems.append(f"episode {ref} is no longer in the store")
        elif episode.family != keep:
            problems.append(f"episode {ref} has moved to family {episode.family} since")
    # after the undo an episode's children must still be members of its family
    crossing = s.execute(
        select(LINK.c.episode, LINK.c.child)
        .join(MEM, MEM.c.ref == LINK.c.child)
        .where(or_(LINK.c.episode.in_(back), LINK.c.child.in_(going)))
        .order_by(LINK.c.episode, LINK.c.position)
    ).all()
    for episode, child in crossing:
        if (episode in back) != (child in going):
            home, there = (merge, keep) if episode in back else (keep, merge)
            problems.append(
                f"episode {episode} (back to family {home}) would name {child}, "
                f"a member of family {there}"
            )
    return problems


def _put_back(
    s: Any,
    entry: AuditEntry,
    model: type[Member] | type[Family],
    problems: list[str],
    value: Callable[[str, Any], Any],
) -> str:
    """Refuse with ``problems`` (nothing written), else restore the merged record and
    put the kept one's filled fields back (``value`` reads a field's JSON); the reason."""
    plan = entry.changes
    keep, merge = plan["keep"], plan["merged"]
    what = "family " if model is Family else ""
    if problems:
        raise InputError(
            [
                f"audit_id: the merge of {what}{merge} into {keep} cannot be undone: {p}"
                for p in problems
            ]
        )
    reason = f"undo of the merge of {what}{merge} into {keep} (audit entry {entry.id})"
    merged = s.get(model, merge)
    kept = s.get(model, keep)
    assert merged is not None and kept is not None
    restore(s, merged, reason)
    for field, change in plan.get("filled", {}).items():
        setattr(kept, field, value(field, change["old"]))
    s.add(kept)
    return reason


def _unmerged(s: Any, entry: AuditEntry, by: str | None, now: datetime, reason: str) -> UndoResult:
    """Write the ``unmerge`` audit entry for undoing merge ``entry``; what was undone."""
    keep, merge = entry.changes["keep"], entry.changes["merged"]
    table = "family" if entry.table == "family" else "member"
    s.flush()
    undo = AuditEntry(
        at=now,
        user=by,
        action="unmerge",
        table=table,
        record=merge,
        changes={"undoes": entry.id, "keep": keep, "merged": merge},
        reason=reason,
    )
    s.add(undo)
    s.flush()
    assert undo.id is not None
    return UndoResult(undo.id, keep, merge, table)


def _undo_family(s: Any, entry: AuditEntry, by: str | None, now: datetime) -> UndoResult:
    plan = entry.changes
    merge = plan["merged"]
    reason = _put_back(s, entry, Family, _unsafe_family(s, plan), _family_value)
    for item in plan.get("members", []):
        member = s.get(Member, item["ref"])
        assert member is not None
        member.family = merge
        s.add(member)
    for ref in plan.get("episodes", []):
        episode = s.get(Episode, ref)
        assert episode is not None
        episode.family = merge
        s.add(episode)
    return _unmerged(s, entry, by, now, reason)


# ------------------------------------------------------------------ undoing
def _merge_entry(s: Any, audit_id: Any) -> AuditEntry:
    if isinstance(audit_id, bool) or not isinstance(audit_id, int):
        try:
            audit_id = int(str(audit_id).strip())
        except ValueError:
            raise InputError([f"audit_id: {audit_id!r} is not an audit entry's number"]) from None
    entry = s.get(AuditEntry, audit_id)
    if entry is None:
        raise InputError([f"audit_id: no audit entry {audit_id}"])
    if entry.action != "merge" or not isinstance(entry.changes, dict):
        raise InputError(
            [f"audit_id: audit entry {audit_id} is not a merge (it is a {entry.action})"]
        )
    undone = s.scalars(
        select(AuditEntry).where(AUDIT.c.action == "unmerge", AUDIT.c.record == entry.record)
    ).all()
    if any(u.changes.get("undoes") == audit_id for u in undone):
        raise InputError([f"audit_id: the merge in audit entry {audit_id} was undone already"])
    return entry


def _unsafe(s: Any, plan: dict[str, Any]) -> list[str]:
    """Why putting the state back would be unsafe now (empty when it is safe)."""
    keep, merge = plan["keep"], plan["merged"]
    versions: dict[str, int] = plan.get("versions", {})
    problems = []
    merged = s.get(Member, merge, populate_existing=True)
    kept = s.get(Member, keep, populate_existing=True)
    if merged is None or kept is None:
        return [f"the member {merge if merged is None else keep} is no longer in the store"]
    if merged.deleted_at is None:
        problems.append(f"{merge} has been restored since the merge")
    elif merged.version != versions.get(f"member:{merge}"):
        problems.append(f"{merge} has changed since the merge")
    if kept.deleted_at is not None:
        problems.append(f"{keep} has been removed since the merge ({kept.deleted_reason})")
    for field, change in plan.get("filled", {}).items():
        if json_value(getattr(kept, field)) != change["new"]:
            problems.append(
                f"{keep}: {FIELD_WORDS.get(field, field)} was changed after the merge filled it"
            )
    for ref in plan.get("voice_of_child", []):
        voice = s.get(VoiceOfChild, ref, populate_existing=True)
        if voice is None or voice.version != versions.get(f"voice_of_child:{ref}"):
            problems.append(f"voice of the child record {ref} has changed since the merge")
    for item in plan.get("contacts", []):
        contact = s.get(Contact, item["ref"], populate_existing=True)
        if contact is None or contact.version != versions.get(f"contact:{item['ref']}"):
            problems.append(f"contact {item['ref']} has changed since the merge")
    moved = [m["episode"] for m in plan.get("episode_child", []) if m["moved"]]
    for episode in moved:
        if s.get(EpisodeChild, (episode, keep)) is None:
            problems.append(f"{keep} is no longer a child in episode {episode}")
    if moved:
        known_voice = set(plan.get("voice_of_child", []))
        later = s.scalars(
            select(VOICE.c.ref).where(VOICE.c.child == keep, VOICE.c.episode.in_(moved))
        ).all()
        for ref in sorted(set(later) - known_voice):
            problems.append(
                f"voice of the child record {ref} was recorded for {keep} after the merge "
                "on an episode the merge moved"
            )
        known_contacts = {c["ref"] for c in plan.get("contacts", [])}
        for contact in s.scalars(select(Contact).where(CON.c.episode.in_(moved))).all():
            if contact.ref in known_contacts:
                continue
            if keep in contact.children_seen or keep in contact.children_seen_alone:
                problems.append(
                    f"contact {contact.ref} seeing {keep} was recorded after the merge "
                    "on an episode the merge moved"
                )
    return problems


def undo_merge(engine: Engine, audit_id: int | str, by: str | None, now: datetime) -> UndoResult:
    """Put back exactly the state before the merge in audit entry ``audit_id``; refused
    (:class:`~ehtui.errors.InputError`, nothing written) when that is no longer safe."""
    with write(engine, by, reason=f"undo of the merge in audit entry {audit_id}", at=now) as s:
        entry = _merge_entry(s, audit_id)
        if entry.table == "family":
            return _undo_family(s, entry, by, now)
        plan = entry.changes
        keep, merge = plan["keep"], plan["merged"]
        reason = _put_back(s, entry, Member, _unsafe(s, plan), _from_json)
        for item in plan.get("episode_child", []):
            if item["moved"]:
                link = s.get(EpisodeChild, (item["episode"], keep))
                assert link is not None
                s.delete(link)
        s.flush()
        for item in plan.get("episode_child", []):
            s.add(EpisodeChild(episode=item["episode"], child=merge, position=item["position"]))
        for ref in plan.get("voice_of_child", []):
            voice = s.get(VoiceOfChild, ref)
            assert voice is not None
            voice.child = merge
            s.add(voice)
        for item in plan.get("contacts", []):
            contact = s.get(Contact, item["ref"])
            assert contact is not None
            contact.children_seen = list(item["children_seen"])
            contact.children_seen_alone = list(item["children_seen_alone"])
            s.add(contact)
        return _unmerged(s, entry, by, now, reason)


def last_merges(
    engine: Engine, limit: int = 20
) -> list[tuple[int, datetime, str | None, str, str]]:
    """Recent merges not undone, newest first: (audit id, when, by, kept, merged)."""
    tbl = AuditEntry.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        undone = {
            (row.changes or {}).get("undoes")
            for row in conn.execute(select(tbl.c.changes).where(tbl.c.action == "unmerge"))
        }
        rows = conn.execute(
            select(tbl.c.id, tbl.c.at, tbl.c.user, tbl.c.changes)
            .where(tbl.c.action == "merge")
            .order_by(tbl.c.at.desc(), tbl.c.id.desc())
        ).all()
    out = []
    for row in rows:
        if row.id in undone:
            continue
        changes = row.changes or {}
        out.append((row.id, row.at, row.user, str(changes.get("keep")), str(changes.get("merged"))))
        if len(out) >= limit:
            break
    return out
