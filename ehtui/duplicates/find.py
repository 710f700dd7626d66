"""Duplicate people: finding likely pairs.

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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import jellyfish
from rapidfuzz.distance import JaroWinkler
from sqlalchemy import Engine, select

from ehtui.calendar import format_day
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
from ehtui.models import Episode, EpisodeChild, Family, Member
from ehtui.rules.load import day
from ehtui.vocab import EpisodeType, Relationship, label

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
