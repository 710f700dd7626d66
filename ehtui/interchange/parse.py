"""Read an ehtui/1 document into store rows, collecting every problem with its JSON path.

Nothing here touches the store: :func:`parse_document` checks shapes, types,
enumerations, dates (impossible, zoned, in the future, before the referral),
unknown keys and duplicate refs, and resolves the references it can inside the
document. References it cannot resolve are left in :attr:`Parsed.pending` for
the importer to look up in the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ehtui import validation
from ehtui.errors import InputError
from ehtui.interchange import fields as F
from ehtui.progress import Progress
from ehtui.vocab import EpisodeType

MAX_SHOWN = 200


class Problems:
    """Every problem found, in the order found; :meth:`raise_if_any` refuses the input."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(f"{path}: {message}")

    def note(self, message: str) -> None:
        self.items.append(message)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        shown = self.items[:MAX_SHOWN]
        extra = len(self.items) - len(shown)
        if extra:
            shown.append(f"… and {extra} more problem{'s' if extra != 1 else ''}")
        shown.append("nothing was imported")
        raise InputError(shown)


@dataclass
class Pending:
    """A reference the document alone cannot resolve: look it up in the store."""

    path: str
    target: str  # "practitioner", "family" or "member"
    ref: str
    family: str | None = None  # for a member: the family it must belong to
    home: str | None = None  # for a member in the document: the family it is in


@dataclass
class Parsed:
    """Rows ready for the store, per table, in document order."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rota: list[dict[str, Any]] = field(default_factory=list)
    children: dict[str, list[str]] = field(default_factory=dict)  # episode -> member refs
    pending: list[Pending] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values()) + len(self.rota)


def load_json(data: bytes | str, name: str) -> Any:
    """Decode and parse a document; a broken one is refused, naming the file."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError([f"{name}: not UTF-8 text (byte {exc.start})"]) from None
    try:
        return json.loads(data, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            [f"{name}: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"]
        ) from None
    except RecursionError:
        raise InputError([f"{name}: not JSON (nested too deeply)"]) from None
    except ValueError as exc:  # NaN, Infinity, integers of thousands of digits
        raise InputError([f"{name}: not JSON ({exc})"]) from None


def _no_constant(word: str) -> Any:
    raise ValueError(f"{word} is not a JSON value")


def unpaired_surrogates(doc: Any, path: str = "") -> list[str]:
    """Paths of strings that cannot be stored as UTF-8 (JSON ``"\\ud800"`` escapes)."""
    found: list[str] = []
    if isinstance(doc, str):
        try:
            doc.encode("utf-8")
        except UnicodeEncodeError:
            found.append(path or "(document)")
    elif isinstance(doc, dict):
        for key, value in doc.items():
            found += unpaired_surrogates(key, f"{path}.{key}" if path else str(key))
            found += unpaired_surrogates(value, f"{path}.{key}" if path else str(key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            found += unpaired_surrogates(value, f"{path}[{i}]")
    return found


def read_file(path: str | Path) -> Any:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError([f"{path}: cannot read ({exc.strerror or exc})"]) from None
    return load_json(data, str(path))


class _Reader:
    def __init__(self, now: datetime, progress: Progress | None) -> None:
        self.now = now
        self.progress = progress
        self.problems = Problems()
        self.out = Parsed()
        self.seen: dict[str, dict[str, str]] = {spec.kind: {} for spec in F.REF_SPECS}
        self.member_family: dict[str, str] = {}  # member ref -> family ref (document)

    # -- generic -----------------------------------------------------------

    def items(self, value: Any, path: str) -> Iterable[tuple[int, Any]]:
        """The entries of a list (absent or null: none)."""
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problems.add(path, f"{F.show(value)} is not a list")
            return ()
        return enumerate(value)

    def record(self, raw: Any, path: str, spec: F.RecordSpec) -> dict[str, Any] | None:
        """One record's columns; problems are noted and their columns left out."""
        if not isinstance(raw, dict):
            self.problems.add(path, f"{F.show(raw)} is not an object (a {spec.kind})")
            return None
        if not raw.keys() <= spec.allowed:
            for key in raw:
                if key not in spec.allowed:
                    self.problems.add(f"{path}.{key}", f"unknown key in a {spec.kind}")
        row: dict[str, Any] = {}
        now = self.now
        for f in spec.plain:
            value = raw.get(f.name)
            if value is None:
                if f.required:
                    why = "is required (null given)" if f.name in raw else "is required"
                    self.problems.add(f"{path}.{f.name}", f"missing: {f.name} {why}")
                else:
                    row[f.column] = f.kind.empty()
                continue
            try:
                value = f.kind.read(value)
            except F.Bad as exc:
                self.problems.add(f"{path}.{f.name}", str(exc))
                continue
            row[f.column] = value
            if f.past:
                moment = F.moment_of(value) if isinstance(value, str) else value
                problem = validation.event_in_future(moment, now, field=f"{path}.{f.name}")
                if problem:
                    self.problems.note(problem)
        return row

    def documents(self, raw: Any, path: str, row: dict[str, Any]) -> None:
        """An episode's ``documents`` object: booleans, null or missing meaning false."""
        for column in F.DOCUMENTS.values():
            row[column] = False
        if raw is None:
            return
        if not isinstance(raw, dict):
            self.problems.add(path, f"{F.show(raw)} is not an object")
            return
        for key, value in raw.items():
            known = F.DOCUMENTS.get(key)
            if known is None:
                self.problems.add(f"{path}.{key}", "unknown key in documents")
            elif value is None:
                continue
            elif isinstance(value, bool):
                row[known] = value
            else:
                self.problems.add(f"{path}.{key}", f"{F.show(value)} is not true or false")

    def unique(self, spec: F.RecordSpec, row: dict[str, Any], path: str) -> bool:
        ref = row.get("ref")
        if ref is None:
            return False
        seen = self.seen[spec.kind]
        first = seen.get(ref)
        if first is not None:
            self.problems.add(f"{path}.ref", f"{F.show(ref)} is a duplicate: {first} has it")
            return False
        seen[ref] = path
        return True

    def tick(self) -> None:
        if self.progress is not None:
            self.progress.advance()

    def keep(self, table: str, row: dict[str, Any]) -> None:
        self.out.rows.setdefault(table, []).append(row)

    # -- references --------------------------------------------------------

    def practitioner(self, ref: str | None, path: str) -> None:
        if ref is not None and ref not in self.seen["practitioner"]:
            self.out.pending.append(Pending(path, "practitioner", ref))

    def member_of(self, ref: str, family: str | None, path: str) -> None:
        """``ref`` must be a member of ``family`` (None: the family itself is unknown)."""
        home = self.member_family.get(ref)
        if home is None:
            self.out.pending.append(Pending(path, "member", ref, family))
        elif family is not None and home != family:
            if family not in self.seen["family"]:
                # Is the episode's family in the store at all? The importer decides.
                self.out.pending.append(Pending(path, "member", ref, family, home))
                return
            self.problems.add(
                path, f"{F.show(ref)} is a member of family {home}, not of family {family}"
            )

    # -- sections ----------------------------------------------------------

    def document(self, doc: Any) -> Parsed:
        if not isinstance(doc, dict):
            self.problems.add("(document)", "is not a JSON object")
            return self.out
        for key in doc:
            if key not in F.TOP_KEYS:
                self.problems.add(key, "unknown key at the top of the document")
        fmt = doc.get("format")
        if fmt is None:
            self.problems.add("format", f'missing: format is required ("{F.FORMAT}")')
        elif fmt != F.FORMAT:
            self.problems.add("format", f'{F.show(fmt)} is not a known format ("{F.FORMAT}")')
        self.practitioners(doc.get("practitioners"))
        self.families(doc.get("families"))
        self.episodes(doc.get("episodes"))
        self.rota(doc.get("osr_rota"))
        return self.out

    def practitioners(self, section: Any) -> None:
        entries = []
        for i, raw in self.items(section, "practitioners"):
            path = f"practitioners[{i}]"
            row = self.record(raw, path, F.PRACTITIONER)
            if row is not None and self.unique(F.PRACTITIONER, row, path):
                self.keep("practitioner", row)
                entries.append((path, row))
        # Managers may come later in the list: resolve once all are read.
        for path, row in entries:
            manager = row.get("manager")
            if manager is not None:
                self.practitioner(manager, f"{path}.manager")

    def rota(self, section: Any) -> None:
        seen: dict[tuple[str, str], str] = {}
        for i, raw in self.items(section, "osr_rota"):
            path = f"osr_rota[{i}]"
            row = self.record(raw, path, F.ROTA)
            if row is None or "hub" not in row or "week" not in row:
                continue
            key = (row["hub"], row["week"])
            if key in seen:
                self.problems.add(path, f"{key[0]} {key[1]} is a duplicate: {seen[key]} has it")
                continue
            seen[key] = path
            if "practitioner" in row:
                self.practitioner(row["practitioner"], f"{path}.practitioner")
            self.out.rota.append(row)

    def families(self, section: Any) -> None:
        for i, raw in self.items(section, "families"):
            self.tick()
            path = f"families[{i}]"
            row = self.record(raw, path, F.FAMILY)
            if row is None:
                continue
            self.csc_closure(raw.get("last_csc_closure"), f"{path}.last_csc_closure", row)
            ok = self.unique(F.FAMILY, row, path)
            if ok:
                self.keep("family", row)
            family: str = row.get("ref", "")
            for j, member in self.items(raw.get("members"), f"{path}.members"):
                mpath = f"{path}.members[{j}]"
                mrow = self.record(member, mpath, F.MEMBER)
                if mrow is None or not self.unique(F.MEMBER, mrow, mpath) or not ok:
                    continue
                mrow["family"] = family
                self.member_family[mrow["ref"]] = family
                self.keep("member", mrow)

    def csc_closure(self, raw: Any, path: str, row: dict[str, Any]) -> None:
        row["last_csc_closure_team"] = None
        row["last_csc_closure_date"] = None
        if raw is None:
            return
        if not isinstance(raw, dict):
            self.problems.add(path, f'{F.show(raw)} is not an object {{"team": ..., "date": ...}}')
            return
        for key in raw:
            if key not in ("team", "date"):
                self.problems.add(f"{path}.{key}", "unknown key in last_csc_closure")
        for key, kind, column in (
            ("team", F.CSC_CLOSURE_TEAM, "last_csc_closure_team"),
            ("date", F.DATE, "last_csc_closure_date"),
        ):
            value = raw.get(key)
            if value is None:
                self.problems.add(f"{path}.{key}", f"missing: {key} is required")
                continue
            try:
                row[column] = kind.read(value)
            except F.Bad as exc:
                self.problems.add(f"{path}.{key}", str(exc))
        closed = row["last_csc_closure_date"]
        if closed is not None:
            problem = validation.event_in_future(closed, self.now, field=f"{path}.date")
            if problem:
                self.problems.note(problem)

    def episodes(self, section: Any) -> None:
        for i, raw in self.items(section, "episodes"):
            self.tick()
            path = f"episodes[{i}]"
            row = self.record(raw, path, F.EPISODE)
            if row is None:
                continue
            self.documents(raw.get("documents"), f"{path}.documents", row)
            ok = self.unique(F.EPISODE, row, path)
            if ok:
                self.keep("episode", row)
            self.episode_links(row, raw.get("children"), path)
            if row.get("disposal") is not None and row.get("type") not in (
                None,
                EpisodeType.OUT_OF_COURT,
            ):
                self.problems.add(f"{path}.disposal", "only an out_of_court episode has a disposal")
            for key, spec in F.EPISODE_PARTS.items():
                for j, part in self.items(raw.get(key), f"{path}.{key}"):
                    ppath = f"{path}.{key}[{j}]"
                    prow = self.record(part, ppath, spec)
                    if prow is None or not self.unique(spec, prow, ppath):
                        continue
                    self.part(spec, prow, ppath, row)
                    if ok:
                        prow["episode"] = row["ref"]
                        self.keep(spec.table, prow)

    def episode_links(self, row: dict[str, Any], raw_children: Any, path: str) -> None:
        family = row.get("family")
        if family is not None and family not in self.seen["family"]:
            self.out.pending.append(Pending(f"{path}.family", "family", family))
        self.practitioner(row.get("lead"), f"{path}.lead")
        children: list[str] = []
        if raw_children is not None:
            try:
                children = F.read_refs(raw_children)
            except F.Bad as exc:
                self.problems.add(f"{path}.children", str(exc))
                return
        listed: set[str] = set()
        for k, child in enumerate(children):
            if child in listed:
                self.problems.add(f"{path}.children[{k}]", f"{F.show(child)} is listed twice")
                continue
            listed.add(child)
            self.member_of(child, family, f"{path}.children[{k}]")
        if "ref" in row:
            self.out.children[row["ref"]] = children

    def part(
        self, spec: F.RecordSpec, row: dict[str, Any], path: str, episode: dict[str, Any]
    ) -> None:
        family = episode.get("family")
        referral: date | None = episode.get("referral_received")
        at = row.get("at")
        if at is not None and referral is not None:
            problem = validation.event_before_referral(at, referral, field=f"{path}.at")
            if problem:
                self.problems.note(problem)
        if spec is F.CONTACT:
            for key in ("children_seen", "children_seen_alone"):
                for k, child in enumerate(row.get(key) or ()):
                    self.member_of(child, family, f"{path}.{key}[{k}]")
        elif spec is F.VOICE:
            if row.get("child") is not None:
                self.member_of(row["child"], family, f"{path}.child")
        elif spec is F.OVERSIGHT:
            self.practitioner(row.get("by"), f"{path}.by")


def parse_document(
    doc: Any, *, now: datetime, show_progress: bool = False
) -> tuple[Parsed, Problems]:
    """Rows for the store and every problem found without looking at the store."""
    if not show_progress:
        reader = _Reader(now, None)
        return reader.document(doc), reader.problems
    total = sum(
        len(doc[key])
        for key in ("families", "episodes")
        if isinstance(doc, dict) and isinstance(doc.get(key), list)
    )
    with Progress("Checking ", total) as bar:
        reader = _Reader(now, bar)
        parsed = reader.document(doc)
    return parsed, reader.problems
