"""Duplicate people: find likely pairs, merge one into the other, undo a merge.

:func:`find_duplicates` pairs family members who are probably the same person:

- the same date of birth, or a date of birth recorded on only one of the two
  (two records without one are never paired: a name alone is too weak);
- names alike, tolerant of spelling, with the duty lookup's own matching
  (:mod:`ehtui.lookup.keys` and the scores of :mod:`ehtui.lookup.index`): the same
  name, one name begun in the other ("Alex" / "Alexander"), sounding alike
  (metaphone, NYSIIS, match rating: "Mohamed" / "Muhammad") or spelt alike
  (Jaro-Winkler via rapidfuzz: "Aisha" / "Ayesha"); first and last names may be
  swapped; with the same date of birth and postcode, a first name alike and a
  different last name (a child known by one parent's surname in one record and
  the other's in another) is a weaker pair (without the postcode, a first name
  and a birthday shared are too often two children);
- across families as well as within one (the same child entered under two
  families is the common case). Each pair has a score (0-100) and the reason in
  plain words, best first; the suggested record to keep comes first (the one in
  more episodes, else the one entered first).

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
  contacts' lists before, the fields filled and each record's version after.

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

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import jellyfish
from rapidfuzz.distance import JaroWinkler
from sqlalchemy import Engine, String, cast, or_, select

from ehtui.calendar import format_day
from ehtui.errors import InputError
from ehtui.lookup.index import (
    BEGINS,
    EXACT,
    MIN_PHONETIC,
    RATED,
    RATING_CUTOFF,
    SOUNDS,
    SOUNDS_FLOOR,
    SPELT,
    SPELT_CUTOFF,
)
from ehtui.lookup.keys import name_tokens, phonetic, postcode_of
from ehtui.models import AuditEntry, Contact, Episode, EpisodeChild, Family, Member, VoiceOfChild
from ehtui.rules.load import day
from ehtui.unit_of_work import fetch, json_safe, restore, soft_delete, write
from ehtui.vocab import EpisodeType, Relationship, label

LINK = EpisodeChild.__table__  # type: ignore[attr-defined]
VOICE = VoiceOfChild.__table__  # type: ignore[attr-defined]
CON = Contact.__table__  # type: ignore[attr-defined]
AUDIT = AuditEntry.__table__  # type: ignore[attr-defined]

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
MIN_SCORE = 60.0  # pairs scoring lower are not offered
MISSING_DOB_WEIGHT = 0.85  # a date of birth on one record only: a little less sure
SWAPPED_WEIGHT = 0.95  # first and last names the other way round
OTHER_SURNAME_WEIGHT = 0.7  # same birth, postcode and first name, a different last name


@dataclass(frozen=True)
class Person:
    """One side of a pair: who they are and where they appear."""

    ref: str
    version: int
    seq: int
    first_name: str
    last_name: str
    relationship: str
    dob: date | None
    family: str
    family_name: str
    address: str | None
    episodes: tuple[str, ...]
    episode_words: tuple[str, ...] = ()  # "E1 EHA, open", "E2 Universal Plus, closed 3 Mar 2026"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def relationship_label(self) -> str:
        return label(Relationship, self.relationship)

    @property
    def postcode(self) -> str | None:
        return postcode_of(self.address)

    @property
    def born(self) -> str:
        return format_day(self.dob)[4:] if self.dob else "not recorded"


@dataclass(frozen=True)
class Pair:
    """Two records that are probably one person; ``keep`` is the suggested record to keep."""

    keep: Person
    other: Person
    score: float
    reason: str

    def swapped(self) -> Pair:
        return Pair(self.other, self.keep, self.score, self.reason)


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


# ------------------------------------------------------------------ name matching
def token_score(word: str, token: str) -> tuple[float, str] | None:
    """How well two name words match (0-100, and how), as the duty lookup scores them."""
    if word == token:
        return EXACT, "exact"
    if min(len(word), len(token)) >= 3 and (token.startswith(word) or word.startswith(token)):
        short, long_ = sorted((word, token), key=len)
        return BEGINS + 10.0 * len(short) / len(long_), "begins"
    if len(word) < 3 or len(token) < 3 or not word.isalpha() or not token.isalpha():
        return None
    sim = JaroWinkler.normalized_similarity(word, token)
    best: tuple[float, str] | None = None

    def put(score: float, how: str) -> None:
        nonlocal best
        if best is None or score > best[0]:
            best = (score, how)

    if min(len(word), len(token)) >= MIN_PHONETIC and sim >= SOUNDS_FLOOR:
        (m1, n1), (m2, n2) = phonetic(word), phonetic(token)
        if (m1 and m1 == m2) or (n1 and n1 == n2):
            put(SOUNDS + 15.0 * sim, "sounds")
    if sim >= RATING_CUTOFF:
        if sim >= SPELT_CUTOFF:
            put(100.0 * sim + SPELT, "spelt")
        if (
            min(len(word), len(token)) >= MIN_PHONETIC
            and abs(len(token) - len(word)) <= 2
            and jellyfish.match_rating_comparison(word, token)
        ):
            put(RATED + 15.0 * sim, "sounds")
    return best


def _name_match(a: str, b: str) -> tuple[float, str, str, str] | None:
    """The best match of any word of name ``a`` with any of ``b``: (score, how, wa, wb)."""
    best: tuple[float, str, str, str] | None = None
    for wa in name_tokens(a):
        for wb in name_tokens(b):
            got = token_score(wa, wb)
            if got is not None and (best is None or got[0] > best[0]):
                best = (got[0], got[1], wa, wb)
    return best


def _words(what: str, a: str, b: str, how: str) -> str:
    if how == "exact" or a.casefold() == b.casefold():
        return f'same {what} "{a}"'
    if how == "begins":
        return f'{what} "{a}" and "{b}" (one begins the other)'
    if how == "sounds":
        return f'{what} "{a}" sounds like "{b}"'
    return f'{what} "{a}" is spelt like "{b}"'


def _shown(text: str, token: str) -> str:
    """The word of ``text`` as written that gives name token ``token``."""
    for word in text.split():
        if token in name_tokens(word):
            return word
    return text


def compare(a: Person, b: Person) -> tuple[float, str] | None:
    """(score, reason) when ``a`` and ``b`` are probably one person, else None."""
    if a.dob is not None and b.dob is not None and a.dob != b.dob:
        return None
    if a.dob is None and b.dob is None:
        return None
    first = _name_match(a.first_name, b.first_name)
    last = _name_match(a.last_name, b.last_name)
    options: list[tuple[float, list[str]]] = []
    if first and last:
        options.append(
            (
                (first[0] + last[0]) / 2,
                [
                    _words(
                        "first name",
                        _shown(a.first_name, first[2]),
                        _shown(b.first_name, first[3]),
                        first[1],
                    ),
                    _words(
                        "last name",
                        _shown(a.last_name, last[2]),
                        _shown(b.last_name, last[3]),
                        last[1],
                    ),
                ],
            )
        )
    x1, x2 = _name_match(a.first_name, b.last_name), _name_match(a.last_name, b.first_name)
    if x1 and x2:
        options.append(
            (
                SWAPPED_WEIGHT * (x1[0] + x2[0]) / 2,
                [f'names the other way round ("{a.name}" and "{b.name}")'],
            )
        )
    same_postcode = a.postcode is not None and a.postcode == b.postcode
    if first and not last and a.dob is not None and a.dob == b.dob and same_postcode:
        options.append(
            (
                OTHER_SURNAME_WEIGHT * first[0],
                [
                    _words(
                        "first name",
                        _shown(a.first_name, first[2]),
                        _shown(b.first_name, first[3]),
                        first[1],
                    ),
                    f'last names differ ("{a.last_name}" and "{b.last_name}")',
                    f"same postcode {a.postcode}",
                ],
            )
        )
    if not options:
        return None
    score, words = max(options, key=lambda o: o[0])
    if a.dob is not None and a.dob == b.dob:
        born = f"same date of birth ({format_day(a.dob)[4:]})"
    else:
        only = a if a.dob is not None else b
        assert only.dob is not None
        born = f"date of birth on {only.ref} only ({format_day(only.dob)[4:]})"
        score *= MISSING_DOB_WEIGHT
    if a.family == b.family:
        where = f"both in the {a.family_name} family ({a.family})"
    else:
        where = f"different families ({a.family_name} {a.family}, {b.family_name} {b.family})"
    return round(score, 1), "; ".join([born, *words, where])


# ------------------------------------------------------------------ finding
def live_people(engine: Engine) -> list[Person]:
    """Everyone not removed, in a family not removed, with their episodes (by seq)."""
    mem = Member.__table__  # type: ignore[attr-defined]
    fam = Family.__table__  # type: ignore[attr-defined]
    link = EpisodeChild.__table__  # type: ignore[attr-defined]
    ep = Episode.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                mem.c.ref,
                mem.c.version,
                mem.c.seq,
                mem.c.first_name,
                mem.c.last_name,
                mem.c.relationship,
                mem.c.dob,
                mem.c.family,
                fam.c.name,
                fam.c.address,
            )
            .join(fam, fam.c.ref == mem.c.family)
            .where(mem.c.deleted_at.is_(None), fam.c.deleted_at.is_(None))
            .order_by(mem.c.seq, mem.c.ref)
        ).all()
        episodes: dict[str, list[str]] = defaultdict(list)
        words: dict[str, list[str]] = defaultdict(list)
        for child, episode, kind, closed in conn.execute(
            select(link.c.child, link.c.episode, ep.c.type, ep.c.closed)
            .join(ep, ep.c.ref == link.c.episode)
            .where(ep.c.deleted_at.is_(None))
            .order_by(ep.c.seq, ep.c.ref)
        ):
            episodes[child].append(episode)
            shut = day(closed)
            state = f"closed {format_day(shut)[4:]}" if shut else "open"
            words[child].append(f"{episode} {label(EpisodeType, kind)}, {state}")
    return [
        Person(
            r.ref,
            r.version,
            r.seq,
            r.first_name,
            r.last_name,
            r.relationship,
            day(r.dob),
            r.family,
            r.name,
            r.address,
            tuple(episodes.get(r.ref, ())),
            tuple(words.get(r.ref, ())),
        )
        for r in rows
    ]


def _candidates(people: Sequence[Person]) -> Iterable[tuple[int, int]]:
    """Index pairs worth comparing: the same date of birth, or a date of birth on one
    only and a last-name word alike (found through the surnames' words, not all pairs)."""
    by_dob: dict[date, list[int]] = defaultdict(list)
    for i, p in enumerate(people):
        if p.dob is not None:
            by_dob[p.dob].append(i)
    seen: set[tuple[int, int]] = set()
    for group in by_dob.values():
        for n, i in enumerate(group):
            for j in group[n + 1 :]:
                seen.add((i, j))
    missing = [i for i, p in enumerate(people) if p.dob is None]
    if missing:
        by_word: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(people):
            if p.dob is not None:
                for word in {*name_tokens(p.last_name), *name_tokens(p.first_name)}:
                    by_word[word].append(i)
        vocab = list(by_word)
        for i in missing:
            p = people[i]
            for word in {*name_tokens(p.last_name), *name_tokens(p.first_name)}:
                for token in vocab:
                    if token_score(word, token) is not None:
                        for j in by_word[token]:
                            seen.add((min(i, j), max(i, j)))
    return sorted(seen)


def _suggest_keep(a: Person, b: Person) -> bool:
    """True when ``a`` is the better record to keep: in more episodes, else entered first."""
    return (-len(a.episodes), a.seq, a.ref) <= (-len(b.episodes), b.seq, b.ref)


def find_duplicates(
    engine: Engine, *, min_score: float = MIN_SCORE, limit: int | None = None
) -> list[Pair]:
    """Likely duplicate people, best first (see the module docstring)."""
    people = live_people(engine)
    pairs = []
    for i, j in _candidates(people):
        a, b = people[i], people[j]
        keep, other = (a, b) if _suggest_keep(a, b) else (b, a)
        found = compare(keep, other)
        if found is None or found[0] < min_score:
            continue
        pairs.append(Pair(keep, other, *found))
    pairs.sort(key=lambda p: (-p.score, p.keep.seq, p.other.seq, p.keep.ref, p.other.ref))
    return pairs[:limit] if limit is not None else pairs


# ------------------------------------------------------------------ merging
def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _from_json(field: str, value: Any) -> Any:
    if field == "dob" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _member(s: Any, ref: Any, field: str, version: int | None) -> Member:
    if not isinstance(ref, str) or not ref.strip():
        raise InputError([f"{field}: give a family member's ref"])
    row = s.get(Member, ref, populate_existing=True)
    if row is None:
        raise InputError([f"{field}: no family member with ref {ref!r} in the store"])
    if row.deleted_at is not None:
        raise InputError(
            [f"{field}: {ref} was removed ({row.deleted_reason or 'no reason given'})"]
        )
    return fetch(s, Member, ref, version=version)


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
        problems = []
        kept = merged = None
        try:
            kept = _member(s, keep, "keep", keep_version)
        except InputError as exc:
            problems.extend(exc.problems)
        try:
            merged = _member(s, merge, "merged", merge_version)
        except InputError as exc:
            problems.extend(exc.problems)
        if problems or kept is None or merged is None:
            raise InputError(problems)
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
            if _blank(mine) and not _blank(theirs):
                filled[field] = {"old": _json_value(mine), "new": _json_value(theirs)}
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


# ------------------------------------------------------------------ merging two families
FAM = Family.__table__  # type: ignore[attr-defined]
MEM = Member.__table__  # type: ignore[attr-defined]
EPI = Episode.__table__  # type: ignore[attr-defined]


def _family(s: Any, ref: Any, field: str, version: int | None) -> Family:
    if not isinstance(ref, str) or not ref.strip():
        raise InputError([f"{field}: give a family's ref"])
    row = s.get(Family, ref, populate_existing=True)
    if row is None:
        raise InputError([f"{field}: no family with ref {ref!r} in the store"])
    if row.deleted_at is not None:
        raise InputError(
            [f"{field}: {ref} was removed ({row.deleted_reason or 'no reason given'})"]
        )
    return fetch(s, Family, ref, version=version)


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
        problems = []
        kept = merged = None
        try:
            kept = _family(s, keep, "keep", keep_version)
        except InputError as exc:
            problems.extend(exc.problems)
        try:
            merged = _family(s, merge, "merged", merge_version)
        except InputError as exc:
            problems.extend(exc.problems)
        if problems or kept is None or merged is None:
            raise InputError(problems)

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
            if _blank(mine) and not _blank(theirs):
                filled[field] = {"old": _json_value(mine), "new": _json_value(theirs)}
                setattr(kept, field, theirs)
        if all(_blank(getattr(kept, f)) for f in CSC_CLOSURE) and not all(
            _blank(getattr(merged, f)) for f in CSC_CLOSURE
        ):
            for field in CSC_CLOSURE:
                old, new = getattr(kept, field), getattr(merged, field)
                filled[field] = {"old": _json_value(old), "new": _json_value(new)}
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


def _undo_family(s: Any, entry: AuditEntry, by: str | None, now: datetime) -> UndoResult:
    plan = entry.changes
    keep, merge = plan["keep"], plan["merged"]
    problems = _unsafe_family(s, plan)
    if problems:
        raise InputError(
            [
                f"audit_id: the merge of family {merge} into {keep} cannot be undone: {p}"
                for p in problems
            ]
        )
    reason = f"undo of the merge of family {merge} into {keep} (audit entry {entry.id})"
    merged = s.get(Family, merge)
    kept = s.get(Family, keep)
    assert merged is not None and kept is not None
    restore(s, merged, reason)
    for field, change in plan.get("filled", {}).items():
        setattr(kept, field, _family_value(field, change["old"]))
    s.add(kept)
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
    s.flush()
    undo = AuditEntry(
        at=now,
        user=by,
        action="unmerge",
        table="family",
        record=merge,
        changes={"undoes": entry.id, "keep": keep, "merged": merge},
        reason=reason,
    )
    s.add(undo)
    s.flush()
    assert undo.id is not None
    return UndoResult(undo.id, keep, merge, "family")


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
        if _json_value(getattr(kept, field)) != change["new"]:
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
        problems = _unsafe(s, plan)
        if problems:
            raise InputError(
                [
                    f"audit_id: the merge of {merge} into {keep} cannot be undone: {p}"
                    for p in problems
                ]
            )
        reason = f"undo of the merge of {merge} into {keep} (audit entry {entry.id})"
        merged = s.get(Member, merge)
        kept = s.get(Member, keep)
        assert merged is not None and kept is not None
        restore(s, merged, reason)
        for field, change in plan.get("filled", {}).items():
            setattr(kept, field, _from_json(field, change["old"]))
        s.add(kept)
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
        s.flush()
        undo = AuditEntry(
            at=now,
            user=by,
            action="unmerge",
            table="member",
            record=merge,
            changes={"undoes": entry.id, "keep": keep, "merged": merge},
            reason=reason,
        )
        s.add(undo)
        s.flush()
        assert undo.id is not None
        return UndoResult(undo.id, keep, merge)


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
