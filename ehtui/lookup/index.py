"""The duty lookup's in-memory index: everyone in the store, searchable as you type.

:meth:`LookupIndex.build` reads the store with four set-based queries (members,
families, practitioners, episodes) and precomputes every key: folded name
tokens with their phonetic codes (metaphone, NYSIIS), dates of birth,
postcodes, phone digits, address words and refs. :meth:`LookupIndex.search`
then runs in memory on each keystroke:

- a date of birth in any usual form (``2016-05-02``, ``02/05/2016``, ``2/5/16``,
  ``2 May 2016``) finds the people born that day;
- a phone number (digits, any spacing, ``+44`` or ``0``) finds whoever has it,
  in part (five digits or more) or whole;
- a ref finds the person, family or episode exactly, or every ref it begins;
- a postcode, whole or begun, with or without its space (``n12``, ``N12 0``,
  ``n120aa``) finds the families living there;
- words find names, tolerant of spelling: exact, begun ("moh"), sounding alike
  (metaphone / NYSIIS / match rating: "Mohamed" ~ "Muhammad") or spelt alike
  (Jaro-Winkler via rapidfuzz: "Aisha" ~ "Ayesha"), in any order (surname
  first is fine); and address words ("Larkfield Way").

Hits come best first, each with a short "why it matched".
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from ehtui.calendar import age_on, format_day
from ehtui.lookup.keys import (
    fold,
    looks_like_phone,
    looks_like_postcode,
    name_tokens,
    parse_dob,
    phone_digits,
    phonetic,
    postcode_of,
    word_tokens,
)
from ehtui.rules.load import day
from ehtui.sql import Runner, reading
from ehtui.vocab import EpisodeType, Relationship, Role, label

if TYPE_CHECKING:
    from sqlalchemy import Engine

LIVE_FAMILIES = "(SELECT ref FROM family WHERE deleted_at IS NULL)"
MEMBER, FAMILY, PRACTITIONER = "member", "family", "practitioner"
_KIND_ORDER = {MEMBER: 0, FAMILY: 1, PRACTITIONER: 2}

# Token scores (0-100): how well one query word matches one name word. A name
# begun as typed ranks above one that sounds alike, which ranks above one spelt
# alike; within each, the closer spelling (Jaro-Winkler similarity) ranks higher.
EXACT = 100.0
BEGINS = 85.0  # + up to 10 by how much of the name was typed
SOUNDS = 75.0  # metaphone or NYSIIS equal: + 15 x similarity
RATED = 65.0  # match rating comparison: + 15 x similarity
SPELT = -15.0  # 100 x similarity, less 15
SOUNDS_FLOOR = 0.7  # similarity below which codes that agree are a coincidence
RATING_CUTOFF = 0.78
SPELT_CUTOFF = 0.82
MIN_PHONETIC = 4  # letters typed before sound-alikes count ("moh" sounds like "Mia")
ADDRESS_WEIGHT = 0.9  # an address word counts a little less than a name
PARTIAL_WEIGHT = 0.8  # some of the query's words matched, not all

Offer = Callable[[int, float, str], None]


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: a family member, a family or a practitioner.

    ``family`` is the family whose card to open (None for a practitioner);
    ``detail`` a line about them; ``why`` what matched; ``score`` 0-100.
    """

    kind: str
    ref: str
    family: str | None
    name: str
    detail: str
    why: str
    score: float


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str
    ref: str
    family: str | None
    name: str
    detail: str  # a member's is made when it is a hit (:meth:`LookupIndex.detail_of`)
    open_work: bool
    born: date | None = None
    relationship: str = ""


def _prefix_score(query: str, token: str) -> float:
    return BEGINS + 10.0 * len(query) / len(token)


@dataclass
class LookupIndex:
    """Everyone in the store with precomputed keys (build it with :meth:`build`)."""

    today: date
    entries: list[_Entry] = field(default_factory=list)
    # name word → entries having it; the shown spelling of each word
    names: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    spelling: dict[str, str] = field(default_factory=dict)
    metaphones: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    nysiis: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    address_words: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    births: dict[date, list[int]] = field(default_factory=lambda: defaultdict(list))
    phones: list[tuple[str, int, str]] = field(default_factory=list)
    postcodes: list[tuple[str, str, int, str]] = field(default_factory=list)
    refs: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    family_lines: dict[str, str] = field(default_factory=dict)  # ref → "Name family F1, N12 0AA"
    _vocab: list[str] = field(default_factory=list)
    _address_vocab: list[str] = field(default_factory=list)
    _ref_keys: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, source: Engine | Runner, as_of: date | datetime | None = None) -> LookupIndex:
        """Read everyone (not soft-deleted) from the store (an engine or a
        :class:`~ehtui.sql.Runner`) and index them.

        ``as_of`` (default today) gives the ages shown and which work is open.
        """
        today = as_of.date() if isinstance(as_of, datetime) else as_of or date.today()
        with reading(source) as run:
            families = run.rows(
                "SELECT ref, name, address, phone FROM family WHERE deleted_at IS NULL ORDER BY seq"
            )
            members = run.rows(
                "SELECT ref, family, relationship, first_name, last_name, dob, phone FROM member"
                f" WHERE deleted_at IS NULL AND family IN {LIVE_FAMILIES} ORDER BY seq"
            )
            practitioners = run.rows(
                "SELECT ref, name, role, hub, phone FROM practitioner"
                " WHERE deleted_at IS NULL ORDER BY seq"
            )
            episodes = run.rows(
                "SELECT ref, family, type, closed, referral_received FROM episode"
                f" WHERE deleted_at IS NULL AND family IN {LIVE_FAMILIES} ORDER BY seq"
            )
        index = cls(today)
        index._fill(families, members, practitioners, episodes)
        return index

    def _fill(
        self,
        families: Iterable[tuple[str, str, str | None, str | None]],
        members: Iterable[tuple[str, str, str, str, str, object, str | None]],
        practitioners: Iterable[tuple[str, str, str, str, str | None]],
        episodes: Iterable[tuple[str, str, str, object, object]],
    ) -> None:
        today = self.today
        open_work: dict[str, list[str]] = defaultdict(list)
        episode_refs: list[tuple[str, str]] = []
        for ref, family, kind, closed, referred in episodes:
            episode_refs.append((ref, family))
            closed_on, referred_on = day(closed), day(referred)
            if (closed_on is None or closed_on > today) and (
                referred_on is None or referred_on <= today
            ):
                open_work[family].append(label(EpisodeType, kind))
        family_line: dict[str, str] = {}
        family_entry: dict[str, int] = {}
        for ref, name, address, phone in families:
            postcode = postcode_of(address)
            work = open_work.get(ref)
            line = f"{name} family {ref}" + (f", {postcode}" if postcode else "")
            family_line[ref] = line + (f" · open: {', '.join(work)}" if work else "")
            detail = (address or "no address") + (f" · open: {', '.join(work)}" if work else "")
            i = self._add(_Entry(FAMILY, ref, ref, f"{name} family", detail, bool(work)))
            family_entry[ref] = i
            self._add_name(i, name)
            self._add_ref(i, ref, "family ref")
            self._add_phone(i, phone)
            for word in word_tokens(address or ""):
                self.address_words[word].append(i)
            if postcode:
                self.postcodes.append((postcode.replace(" ", ""), postcode.split()[0], i, postcode))
        self.family_lines = family_line
        for ref, family, relationship, first, last, dob, phone in members:
            born = day(dob)
            name = f"{first} {last}".strip()
            entry = _Entry(
                MEMBER, ref, family, name, "", bool(open_work.get(family)), born, relationship
            )
            i = self._add(entry)
            self._add_name(i, name)
            self._add_ref(i, ref, "ref")
            self._add_phone(i, phone)
            if born is not None:
                self.births[born].append(i)
        for ref, name, role, hub, phone in practitioners:
            detail = f"{label(Role, role)}, {hub} hub" + (f" · {phone}" if phone else "")
            i = self._add(_Entry(PRACTITIONER, ref, None, name, detail, False))
            self._add_name(i, name)
            self._add_ref(i, ref, "practitioner ref")
            self._add_phone(i, phone)
        for ref, family in episode_refs:
            if family in family_entry:
                self._add_ref(family_entry[family], ref, "episode ref")
        self._vocab = sorted(self.names)
        self._address_vocab = sorted(self.address_words)
        self._ref_keys = sorted(self.refs)
        for token in self._vocab:
            metaphone, nysiis = phonetic(token)
            if metaphone:
                self.metaphones[metaphone].append(token)
            if nysiis:
                self.nysiis[nysiis].append(token)

    def detail_of(self, entry: _Entry) -> str:
        """The line about a hit: a member's relationship, birth and age, and family."""
        if entry.kind != MEMBER:
            return entry.detail
        parts = [label(Relationship, entry.relationship)]
        if entry.born is not None:
            parts.append(f"born {format_day(entry.born)[4:]} ({age_on(entry.born, self.today)})")
        parts.append(self.family_lines.get(entry.family or "", entry.family or ""))
        return " · ".join(parts)

    def _add(self, entry: _Entry) -> int:
        self.entries.append(entry)
        return len(self.entries) - 1

    def _add_name(self, i: int, name: str) -> None:
        for word in name.split():
            for token in name_tokens(word):
                self.spelling.setdefault(token, word)
                postings = self.names[token]
                if not postings or postings[-1] != i:
                    postings.append(i)

    def _add_ref(self, i: int, ref: str, what: str) -> None:
        self.refs[ref.upper()].append((i, what))

    def _add_phone(self, i: int, phone: str | None) -> None:
        digits = phone_digits(phone)
        if len(digits) >= 5:
            self.phones.append((digits, i, phone or ""))

    def __len__(self) -> int:
        return len(self.entries)

    # ------------------------------------------------------------------ searching
    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """The best ``limit`` matches for ``query``, best first (empty query: none)."""
        text = query.strip()
        if not text or limit <= 0:
            return []
        best: dict[int, tuple[float, str]] = {}

        def offer(i: int, score: float, why: str) -> None:
            if score > best.get(i, (-1.0, ""))[0]:
                best[i] = (score, why)

        born = parse_dob(text, self.today)
        if born is not None:
            for i in self.births.get(born, ()):
                offer(i, EXACT, f"date of birth {format_day(born)[4:]}")
        else:
            if looks_like_phone(text):
                self._search_phone(text, offer)
            if " " not in text and any(ch.isdigit() for ch in text):
                self._search_ref(text, offer)
            if looks_like_postcode(text):
                self._search_postcode(text, offer)
            if any(ch.isalpha() for ch in text):
                self._search_names(text, offer)
                self._search_address(text, offer)
        return self._ranked(best, limit)

    def _ranked(self, best: dict[int, tuple[float, str]], limit: int) -> list[Hit]:
        # A family's own hit is dropped when one of its members matched at least as well.
        member_best: dict[str, float] = {}
        for i, (score, _why) in best.items():
            entry = self.entries[i]
            if entry.kind == MEMBER and entry.family is not None:
                member_best[entry.family] = max(score, member_best.get(entry.family, 0.0))
        keep = [
            (i, score, why)
            for i, (score, why) in best.items()
            if not (
                self.entries[i].kind == FAMILY
                and member_best.get(self.entries[i].ref, -1.0) >= score
            )
        ]
        keep.sort(
            key=lambda t: (
                -round(t[1], 6),
                _KIND_ORDER[self.entries[t[0]].kind],
                not self.entries[t[0]].open_work,
                fold(self.entries[t[0]].name),
                self.entries[t[0]].ref,
            )
        )
        hits = []
        for i, score, why in keep[:limit]:
            e = self.entries[i]
            detail = self.detail_of(e)
            hits.append(Hit(e.kind, e.ref, e.family, e.name, detail, why, round(score, 1)))
        return hits

    def _search_phone(self, text: str, offer: Offer) -> None:
        wanted = phone_digits(text)
        if len(wanted) < 5:
            return
        for digits, i, shown in self.phones:
            if digits == wanted:
                offer(i, EXACT, f"phone {shown}")
            elif wanted in digits:
                offer(i, 75.0 + 20.0 * len(wanted) / len(digits), f"phone {shown}")

    def _search_ref(self, text: str, offer: Offer) -> None:
        key = text.upper()
        for i, what in self.refs.get(key, ()):
            offer(i, EXACT, f"{what} {key}")
        start = bisect.bisect_left(self._ref_keys, key)
        for ref in self._ref_keys[start:]:
            if not ref.startswith(key):
                break
            if ref != key:
                for i, what in self.refs[ref]:
                    offer(i, 80.0 + 15.0 * len(key) / len(ref), f"{what} {ref} begins {key}")

    def _search_postcode(self, text: str, offer: Offer) -> None:
        spaced = text.upper().split()
        typed = "".join(spaced)
        for key, outward, i, shown in self.postcodes:
            if not key.startswith(typed):
                continue
            if len(spaced) > 1 and spaced[0] != outward:
                continue  # "N1 2" is not N12
            if key == typed:
                offer(i, EXACT, f"postcode {shown}")
            elif typed == outward:
                offer(i, 95.0, f"postcode {shown} (district {outward})")
            else:
                begun = " ".join(spaced)
                offer(i, 80.0 + 15.0 * len(typed) / len(key), f"postcode {shown} begins {begun}")

    def _search_address(self, text: str, offer: Offer) -> None:
        words = word_tokens(text)
        if not words:
            return
        matched: dict[int, list[float]] = {}
        for n, word in enumerate(words):
            scores: dict[int, float] = {}
            if word in self.address_words:
                for i in self.address_words[word]:
                    scores[i] = EXACT
            if len(word) >= 2 and not word.isdigit():
                start = bisect.bisect_left(self._address_vocab, word)
                for token in self._address_vocab[start:]:
                    if not token.startswith(word):
                        break
                    if token != word:
                        score = _prefix_score(word, token)
                        for i in self.address_words[token]:
                            scores[i] = max(score, scores.get(i, 0.0))
            if n == 0:
                matched = {i: [s] for i, s in scores.items()}
            else:
                matched = {i: [*got, scores[i]] for i, got in matched.items() if i in scores}
            if not matched:
                return
        for i, got in matched.items():
            entry = self.entries[i]
            score = ADDRESS_WEIGHT * sum(got) / len(got)
            offer(i, score, f"address {entry.detail.split(' · ')[0]}")

    def _token_matches(self, word: str) -> dict[str, tuple[float, str]]:
        """Name words matching one query word: word → (score, how it matched)."""
        found: dict[str, tuple[float, str]] = {}

        def put(token: str, score: float, how: str) -> None:
            if score > found.get(token, (-1.0, ""))[0]:
                found[token] = (score, how)

        if word in self.names:
            put(word, EXACT, "exact")
        start = bisect.bisect_left(self._vocab, word)
        for token in self._vocab[start:]:
            if not token.startswith(word):
                break
            if token != word:
                put(token, _prefix_score(word, token), "begins")
        if len(word) < 3 or not word.isalpha():
            return found
        close = {
            token: sim
            for token, sim, _ in process.extract(
                word,
                self._vocab,
                scorer=JaroWinkler.normalized_similarity,
                score_cutoff=RATING_CUTOFF,
                limit=None,
            )
        }
        if len(word) >= MIN_PHONETIC:
            metaphone, nysiis = phonetic(word)
            alike = set(self.metaphones.get(metaphone, ())) | set(self.nysiis.get(nysiis, ()))
            for token in alike:
                sim = close.get(token) or JaroWinkler.normalized_similarity(word, token)
                if sim >= SOUNDS_FLOOR:
                    put(token, SOUNDS + 15.0 * sim, "sounds")
        for token, sim in close.items():
            if sim >= SPELT_CUTOFF:
                put(token, 100.0 * sim + SPELT, "spelt")
            if (
                len(word) >= MIN_PHONETIC
                and abs(len(token) - len(word)) <= 2
                and jellyfish.match_rating_comparison(word, token)
            ):
                put(token, RATED + 15.0 * sim, "sounds")
        return found

    def _search_names(self, text: str, offer: Offer) -> None:
        words = name_tokens(text)
        if not words:
            return
        per_entry: dict[int, list[tuple[float, str, str] | None]] = {}
        for n, word in enumerate(words):
            for token, (score, how) in self._token_matches(word).items():
                for i in self.names[token]:
                    slots = per_entry.get(i)
                    if slots is None:
                        slots = per_entry[i] = [None] * len(words)
                    current = slots[n]
                    if current is None or score > current[0]:
                        slots[n] = (score, how, token)
        for i, slots in per_entry.items():
            got = [s for s in slots if s is not None]
            score = sum(s[0] for s in got) / len(words)
            if len(got) < len(words):
                score *= PARTIAL_WEIGHT
            offer(i, score, self._why_name(words, slots))

    def _why_name(self, words: tuple[str, ...], slots: list[tuple[float, str, str] | None]) -> str:
        parts = []
        for word, slot in zip(words, slots, strict=True):
            if slot is None:
                parts.append(f'nothing like "{word}"')
                continue
            _score, how, token = slot
            shown = self.spelling.get(token, token)
            if how == "exact":
                parts.append(f'name "{shown}"')
            elif how == "begins":
                parts.append(f'name "{shown}" begins "{word}"')
            elif how == "sounds":
                parts.append(f'name "{shown}" sounds like "{word}"')
            else:
                parts.append(f'name "{shown}" is spelt like "{word}"')
        return "; ".join(parts)
