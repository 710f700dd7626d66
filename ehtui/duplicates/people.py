"""Duplicate people: merging one record of a person into another.

:func:`merge_members` merges one record (the *merged* member) into another (the
*kept* one) in one audited transaction (:mod:`ehtui.unit_of_work`):

- every row pointing at the merged member points at the kept one: its episodes'
  child links (``episode_child``, in the same position; where the kept member is
  already in that episode the merged member's link is dropped), voice of the
  child records, and contacts' children seen (and seen alone);
- the kept record's blank fields (date of birth, gender, ethnicity, religion,
  language, interpreter need, school, father recorded, post-18 route, phone)
  are filled from the merged one; a kept value is never overwritten;
- the merged member is not deleted: it is removed as a soft delete whose reason
  is "merged into <kept ref>", so it leaves the lookup, the search and the
  family lists (which all skip removed records) and stays in the store;
- one audit entry (action ``merge``, the merged member's ref) holds what is
  needed to undo it: the links moved or dropped, the records moved, the
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, String, cast, or_, select

from ehtui.duplicates.common import CON, LINK, VOICE, blank, json_value, live_pair
from ehtui.errors import InputError
from ehtui.models import AuditEntry, Contact, EpisodeChild, Family, Member, VoiceOfChild
from ehtui.unit_of_work import soft_delete, write

# The kept record's fields a merge may fill from the merged one (when blank).
FILLABLE = (
    "dob",
    "gender",
    "ethnicity",
    "religion",
    "language",
    "interpreter_needed",
    "school",
    "father_recorded",
    "post18_route",
    "phone",
)
FIELD_WORDS = {
    "dob": "date of birth",
    "gender": "gender",
    "ethnicity": "ethnicity",
    "religion": "religion",
    "language": "language",
    "interpreter_needed": "interpreter needed",
    "school": "school",
    "father_recorded": "father's details recorded",
    "post18_route": "post-18 route",
    "phone": "phone",
}
MERGED_REASON = "merged into {keep} (the same person entered twice)"


@dataclass(frozen=True)
class MergeResult:
    audit_id: int
    keep: str
    merged: str
    links_moved: int
    links_dropped: int
    voice_moved: int
    contacts_changed: int
    filled: tuple[str, ...]

    def summary(self) -> str:
        parts = [
            f"{self.merged} merged into {self.keep}: "
            f"{self.links_moved + self.links_dropped} episode link(s)",
            f"{self.voice_moved} voice of the child record(s)",
            f"{self.contacts_changed} contact(s)",
        ]
        if self.filled:
            parts.append("filled " + ", ".join(FIELD_WORDS[f] for f in self.filled))
        return "; ".join(parts) + f" (audit {self.audit_id})"


def _from_json(field: str, value: Any) -> Any:
    if field == "dob" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _swap(refs: list[str], merged: str, keep: str) -> list[str]:
    out: list[str] = []
    for ref in refs:
        ref = keep if ref == merged else ref
        if ref not in out:
            out.append(ref)
    return out


def merge_members(
    engine: Engine,
    keep: str,
    merge: str,
    by: str | None,
    now: datetime,
    *,
    keep_version: int | None = None,
    merge_version: int | None = None,
) -> MergeResult:
    """Merge member ``merge`` into ``keep`` (see the module docstring); one transaction.

    With ``keep_version`` / ``merge_version`` (the versions the person saw), a record
    changed since is refused (:class:`~ehtui.unit_of_work.StaleRecord`). Bad refs, and
    two people in different families (merge the families first: :func:`merge_families`),
    raise :class:`~ehtui.errors.InputError` naming ``keep`` or ``merged``; nothing is
    written.
    """
    if isinstance(keep, str) and isinstance(merge, str) and keep.strip() == merge.strip():
        raise InputError([f"merged: {merge!r} is the record kept; choose two different people"])
    reason = f"merge of {merge} into {keep} (duplicate person)"
    with write(engine, by, reason=reason, at=now) as s:
        kept, merged = live_pair(
            s, Member, "family member", keep, merge, keep_version, merge_version
        )
        if kept.family != merged.family:
            families = []
            for ref in (kept.family, merged.family):
                family = s.get(Family, ref)
                families.append(f"{ref} {family.name}" if family is not None else ref)
            raise InputError(
                [
                    f"merged: {merge} and {keep} are in different families "
                    f"({', '.join(families)}): merge the families first."
                ]
            )

        # episode links
        links = s.scalars(select(EpisodeChild).where(LINK.c.child == merge)).all()
        kept_in = set(s.scalars(select(LINK.c.episode).where(LINK.c.child == keep)).all())
        moved_links: list[dict[str, Any]] = []
        for link in sorted(links, key=lambda x: x.episode):
            moved = link.episode not in kept_in
            moved_links.append({"episode": link.episode, "position": link.position, "moved": moved})
            s.delete(link)
        s.flush()
        for item in moved_links:
            if item["moved"]:
                s.add(EpisodeChild(episode=item["episode"], child=keep, position=item["position"]))

        # voice of the child records (removed ones too: every row pointing at the person)
        voices = s.scalars(
            select(VoiceOfChild).where(VOICE.c.child == merge).order_by(VOICE.c.ref)
        ).all()
        for voice in voices:
            voice.child = keep
            s.add(voice)

        # contacts naming the person among the children seen (or seen alone)
        contacts = s.scalars(
            select(Contact)
            .where(
                or_(
                    cast(CON.c.children_seen, String).contains(merge),
                    cast(CON.c.children_seen_alone, String).contains(merge),
                )
            )
            .order_by(CON.c.ref)
        ).all()
        contact_lists = []
        for contact in contacts:
            seen, alone = list(contact.children_seen), list(contact.children_seen_alone)
            if merge not in seen and merge not in alone:
                continue  # the ref is only part of another
            contact_lists.append(
                {"ref": contact.ref, "children_seen": seen, "children_seen_alone": alone}
            )
            contact.children_seen = _swap(seen, merge, keep)
            contact.children_seen_alone = _swap(alone, merge, keep)
            s.add(contact)

        # the kept record's blank fields, from the merged one
        filled: dict[str, Any] = {}
        for field in FILLABLE:
            mine, theirs = getattr(kept, field), getattr(merged, field)
            if blank(mine) and not blank(theirs):
                filled[field] = {"old": json_value(mine), "new": json_value(theirs)}
                setattr(kept, field, theirs)
        s.add(kept)

        soft_delete(s, merged, MERGED_REASON.format(keep=keep), at=now)
        s.flush()
        changed = {c["ref"] for c in contact_lists}
        versions = {
            f"member:{keep}": kept.version,
            f"member:{merge}": merged.version,
            **{f"voice_of_child:{v.ref}": v.version for v in voices},
            **{f"contact:{c.ref}": c.version for c in contacts if c.ref in changed},
        }
        entry = AuditEntry(
            at=now,
            user=by,
            action="merge",
            table="member",
            record=merge,
            changes={
                "keep": keep,
                "merged": merge,
                "episode_child": moved_links,
                "voice_of_child": [v.ref for v in voices],
                "contacts": contact_lists,
                "filled": filled,
                "versions": versions,
            },
            reason=reason,
        )
        s.add(entry)
        s.flush()
        assert entry.id is not None
        return MergeResult(
            entry.id,
            keep,
            merge,
            sum(1 for m in moved_links if m["moved"]),
            sum(1 for m in moved_links if not m["moved"]),
            len(voices),
            len(contact_lists),
            tuple(filled),
        )
