"""Find duplicates (F9): people entered twice, side by side, merged in a few keys.

The likely pairs are what :func:`ehtui.duplicates.find_duplicates` found (in a
thread worker): the same date of birth (or one recorded on one record only) and
names alike, tolerant of spelling, within a family or across two; best first,
each with its score and why. Under the table the highlighted pair side by side:
name, ref, who they are in the family, born, the family, address and postcode,
and the episodes each is a child in. ``m`` (or Enter) asks which record to keep
(``1`` or ``2``, the suggested one chosen) and ``ctrl+s`` merges; ``u`` undoes
the last merge made in this sitting.

Two records in different families are not merged as people (an episode's
children are members of its family): for such a pair ``m`` (or ``f``) offers to
merge the two families first (one household entered twice): the confirm step
shows both families, which is kept (``1`` or ``2``, the suggested person's
family chosen) and what moves; after it the pair is in one family and ``m``
merges the people.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Static

from ehtui.duplicates import (
    FIELD_WORDS,
    FamilyMergeResult,
    FamilyOutline,
    MergeResult,
    Pair,
    Person,
    UndoResult,
)
from ehtui.safe_text import safe_text
from widgets.cells import clip, fill_widths, lay_out

COLUMNS = (  # label, width (0: what is left of the terminal's width)
    ("Score", 5),
    ("Born", 11),
    ("Record 1", 34),
    ("Record 2", 34),
    ("Why", 0),
)
WHY_MIN = 16


def open_find_duplicates(app: Any) -> None:
    """The palette's "Find duplicates" (F9)."""
    if not isinstance(app.screen, DuplicatesScreen):
        app.push_screen(DuplicatesScreen())


def column_widths(space: int) -> tuple[int, ...]:
    return fill_widths(COLUMNS, space, WHY_MIN)


def born_cell(pair: Pair) -> str:
    dobs = {p.dob for p in (pair.keep, pair.other) if p.dob is not None}
    return next(iter(dobs)).strftime("%-d %b %Y") if len(dobs) == 1 else ""


def record_cell(p: Person) -> str:
    return f"{p.name} {p.ref} · {p.family}"


def why_cell(pair: Pair) -> str:
    """The reason in a few words (the line under the table says it in full)."""
    reason = pair.reason
    if "names the other way round" in reason:
        how = "names swapped"
    elif "last names differ" in reason:
        how = "other surname"
    elif "sounds like" in reason:
        how = "sounds alike"
    elif "spelt like" in reason:
        how = "spelt alike"
    elif "one begins the other" in reason:
        how = "name begun"
    else:
        how = "same name"
    if " only (" in reason:
        how += ", born on one"
    return how


def person_card(p: Person, number: int, keep: bool | None = None) -> Group:
    """One record in full: what a practitioner compares to tell two records apart."""
    title = Text(f"{number} ", style="bold")
    title.append(safe_text(p.name), style="bold")
    title.append(f"  {p.ref}")
    if keep is not None:
        title.append("  ● keep" if keep else "  ○ merge", style="bold")
    lines: list[Any] = [
        title,
        Text(f"{p.relationship_label} · born {p.born}"),
        Text(f"Family: {safe_text(p.family_name)} ({p.family})"),
        Text(f"Address: {safe_text(p.address) if p.address else '(none recorded)'}"),
        Text(f"Postcode: {p.postcode or '(none)'}"),
    ]
    if p.episode_words:
        lines.append(Text(f"Episodes ({len(p.episode_words)}):"))
        lines.extend(Text(f"  {safe_text(w)}") for w in p.episode_words)
    else:
        lines.append(Text("Episodes: none", style="dim"))
    return Group(*lines)


def family_card(f: FamilyOutline, number: int, keep: bool | None = None) -> Group:
    """One family in full: who is in it and its episodes (what moves if it is merged)."""
    title = Text(f"{number} ", style="bold")
    title.append(f"{safe_text(f.name)} family", style="bold")
    title.append(f"  {f.ref}")
    if keep is not None:
        title.append("  ● keep" if keep else "  ○ merge", style="bold")
    lines: list[Any] = [
        title,
        Text(f"Address: {safe_text(f.address) if f.address else '(none recorded)'}"),
        Text(f"Members ({len(f.members)}):"),
        *(Text(f"  {safe_text(m)}") for m in f.members),
    ]
    if f.episodes:
        lines.append(Text(f"Episodes ({len(f.episodes)}):"))
        lines.extend(Text(f"  {safe_text(e)}") for e in f.episodes)
    else:
        lines.append(Text("Episodes: none", style="dim"))
    return Group(*lines)


class FamilyMergeConfirm(ModalScreen[tuple[FamilyOutline, FamilyOutline] | None]):
    """Which family to keep: 1 or 2 (the suggested person's family chosen), ctrl+s merges
    the two families, esc cancels."""

    CSS_PATH = "duplicates.tcss"
    BINDINGS = [
        Binding("1", "choose(0)", "Keep 1", id="duplicates.family_keep_1"),
        Binding("2", "choose(1)", "Keep 2", id="duplicates.family_keep_2"),
        Binding("ctrl+s", "merge", "Merge families", id="duplicates.family_confirm"),
        Binding("enter", "merge", "Merge families", id="duplicates.family_enter", show=False),
        Binding("escape", "cancel", "Cancel", id="duplicates.family_cancel"),
    ]
    HELP = """\
Merge two families: one household entered twice (a referral that created a new
family for a child already known). Two records of one person in different
families cannot be merged as people, because an episode's children are members
of its family: merge the families first. 1 or 2 chooses the family to keep;
ctrl+s (or Enter) merges: every member and episode (open or closed) of the other
family moves to the one kept, the kept family's blank details are filled from
the other (never overwritten) and the agencies joined, and the other family stays
in the store, removed as merged. Then m on the list merges the two people. u on
the list undoes it. esc cancels."""

    def __init__(self, pair: Pair, families: tuple[FamilyOutline, FamilyOutline]) -> None:
        super().__init__()
        self.pair = pair
        self.families = families
        self.keep = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="merge-box"):
            yield Static(
                Text("Merge two families (one household entered twice)", style="bold"),
                id="merge-title",
            )
            a, b = self.pair.keep, self.pair.other
            yield Static(
                Text(
                    f"{safe_text(a.name)} {a.ref} and {safe_text(b.name)} {b.ref} are in "
                    f"different families ({a.family} {safe_text(a.family_name)}, {b.family} "
                    f"{safe_text(b.family_name)}): merge the families first (an episode's "
                    "children are members of its family), then the two records of the person."
                ),
                id="merge-why",
            )
            with Horizontal(id="merge-people"):
                yield Static("", id="merge-1", classes="merge-person")
                yield Static("", id="merge-2", classes="merge-person")
            yield Static("", id="merge-what")
            yield Static(
                Text("1 or 2: the family to keep · ctrl+s: merge the families · esc: cancel"),
                classes="muted",
            )
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        for i, f in enumerate(self.families):
            self.query_one(f"#merge-{i + 1}", Static).update(
                family_card(f, i + 1, keep=i == self.keep)
            )
        kept, merged = self.families[self.keep], self.families[1 - self.keep]
        who = ", ".join(m.rsplit(" (", 1)[0] for m in merged.members) or "none"
        what = Text(
            f"Keep family {kept.ref} and merge {merged.ref} into it: its members "
            f"({len(merged.members)}: {safe_text(who)}) and episodes ({len(merged.episodes)}) "
            f"move to {kept.ref}; {kept.ref}'s blank details (address, phone, email, last "
            f"closure by Children's Social Care) are filled from {merged.ref}, never "
            f"overwritten, and the agencies joined; {merged.ref} stays in the store, removed "
            "as merged. The audit trail records it all; u on the list undoes it."
        )
        self.query_one("#merge-what", Static).update(what)

    def action_choose(self, which: int) -> None:
        self.keep = which
        self._show()

    def action_merge(self) -> None:
        self.dismiss((self.families[self.keep], self.families[1 - self.keep]))

    def action_cancel(self) -> None:
        self.dismiss(None)


class MergeConfirm(ModalScreen[tuple[Person, Person] | None]):
    """Which record to keep: 1 or 2 (the suggested one chosen), ctrl+s merges, esc cancels."""

    CSS_PATH = "duplicates.tcss"
    BINDINGS = [
        Binding("1", "choose(0)", "Keep 1", id="duplicates.keep_1"),
        Binding("2", "choose(1)", "Keep 2", id="duplicates.keep_2"),
        Binding("ctrl+s", "merge", "Merge", id="duplicates.confirm"),
        Binding("enter", "merge", "Merge", id="duplicates.confirm_enter", show=False),
        Binding("escape", "cancel", "Cancel", id="duplicates.cancel"),
    ]
    HELP = """\
Merge two records of one person. 1 or 2 chooses the record to keep (the one in
more episodes is chosen to start with); ctrl+s (or Enter) merges: every episode,
contact and voice of the child record of the other moves to the one kept, the
kept record's blank details are filled from the other (never overwritten), and
the other stays in the store, removed as merged. u on the list undoes it.
esc cancels."""

    def __init__(self, pair: Pair) -> None:
        super().__init__()
        self.people = (pair.keep, pair.other)
        self.keep = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="merge-box"):
            yield Static(Text("Merge two records of one person", style="bold"), id="merge-title")
            with Horizontal(id="merge-people"):
                yield Static("", id="merge-1", classes="merge-person")
                yield Static("", id="merge-2", classes="merge-person")
            yield Static("", id="merge-what")
            yield Static(
                Text("1 or 2: the record to keep · ctrl+s: merge · esc: cancel"),
                classes="muted",
            )
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        for i, p in enumerate(self.people):
            self.query_one(f"#merge-{i + 1}", Static).update(
                person_card(p, i + 1, keep=i == self.keep)
            )
        kept, merged = self.people[self.keep], self.people[1 - self.keep]
        what = Text(
            f"Keep {kept.ref} and merge {merged.ref} into it: the episodes "
            f"({len(merged.episodes)}), contacts and voice of the child records of "
            f"{merged.ref} move to {kept.ref}; {kept.ref}'s blank "
            f"details ({', '.join(FIELD_WORDS.values())}) are filled from {merged.ref}, never "
            f"overwritten; {merged.ref} stays in the store, removed as merged. The audit trail "
            "records it all; u on the list undoes it."
        )
        self.query_one("#merge-what", Static).update(what)

    def action_choose(self, which: int) -> None:
        self.keep = which
        self._show()

    def action_merge(self) -> None:
        self.dismiss((self.people[self.keep], self.people[1 - self.keep]))

    def action_cancel(self) -> None:
        self.dismiss(None)


class DuplicatesScreen(Screen[None]):
    CSS_PATH = "duplicates.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="duplicates.back"),
        Binding("m", "merge", "Merge", id="duplicates.merge"),
        Binding("f", "merge_families", "Merge families", id="duplicates.merge_families"),
        Binding("u", "undo", "Undo last merge", id="duplicates.undo"),
        Binding("r", "refresh", "Refresh", id="duplicates.refresh", show=False),
    ]
    HELP = """\
Find duplicates: people who are probably one person entered twice, within a
family or under two families (the common case: the same child referred again with
another household). A pair has the same date of birth (or a date of birth on one
record only) and names alike, tolerant of spelling (the duty lookup's matching:
Mohamed and Muhammad sound alike, Aisha and Ayesha are spelt alike, names may be
the other way round). Best first, with a score and why. Under the table the
highlighted pair side by side: who they are, born, the family, address and
postcode, their episodes. m or Enter merges the pair: 1 or 2 chooses the record
to keep, ctrl+s merges. Every episode, contact and voice of the child record
moves to the record kept; nothing is deleted and the audit trail records the
merge. Two records in different families are not merged as people (an
episode's children are members of its family): m (or f) on such a pair merges
the two families first (one household entered twice: 1 or 2 chooses the family
kept, every member and episode of the other moves to it), then m merges the
people. u undoes the last merge made since this screen opened, of people or of
families (also from the command line: ehtui unmerge AUDIT_ID)."""

    class Loaded(Message):
        def __init__(self, pairs: list[Pair], families: dict[str, FamilyOutline]) -> None:
            super().__init__()
            self.pairs = pairs
            self.families = families

    class Done(Message):
        """A merge or an undo finished (``result``) or was refused (``problems``)."""

        def __init__(
            self,
            result: MergeResult | FamilyMergeResult | UndoResult | None,
            problems: list[str],
        ) -> None:
            super().__init__()
            self.result = result
            self.problems = problems

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[Pair] = []
        self.families: dict[str, FamilyOutline] = {}  # the families of cross-family pairs
        self.fetching = True
        self.busy = False
        self.merges: list[int] = []  # audit ids of this sitting's merges, last last
        self.widths: tuple[int, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Find duplicates · looking…", id="duplicates-title", classes="title")
        yield Static("", id="duplicates-note", classes="muted")
        yield DataTable(id="duplicates-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="duplicates-why")
        with Horizontal(id="duplicates-pair"):
            yield Static("", id="duplicates-1", classes="duplicates-person")
            yield Static("", id="duplicates-2", classes="duplicates-person")
        yield Footer()

    def on_mount(self) -> None:
        self._set_columns(self.app.size.width)
        self.query_one(DataTable).focus()
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        self._set_columns(event.size.width)

    def _set_columns(self, width: int) -> None:
        widths = column_widths(width - 2)  # less the vertical scrollbar
        if widths == self.widths:
            return
        self.widths = widths
        lay_out(self.query_one(DataTable), COLUMNS, widths)
        self._fill()

    @work(thread=True, exclusive=True, exit_on_error=False, group="duplicates")
    def load(self) -> None:
        from ehtui.duplicates import family_outlines, find_duplicates

        app: Any = self.app
        engine = app.session.engine
        pairs = find_duplicates(engine)
        refs = {
            p.family
            for pair in pairs
            if pair.keep.family != pair.other.family
            for p in (pair.keep, pair.other)
        }
        self.post_message(self.Loaded(pairs, family_outlines(engine, refs)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.fetching = False
        self.pairs = message.pairs
        self.families = message.families
        self._fill()
        n = len(self.pairs)
        title = f"Find duplicates · {n} likely pair{'s' if n != 1 else ''}"
        if self.merges:
            title += f" · {len(self.merges)} merged in this sitting"
        self.query_one("#duplicates-title", Static).update(Text(title))
        note = (
            "Same date of birth (or on one record only), names alike. "
            "m: merge (two families: the families first) · u: undo"
            if n
            else "No likely duplicates: no two people share a date of birth and a name alike."
        )
        self.query_one("#duplicates-note", Static).update(Text(note))
        self._show_pair()

    def _fill(self) -> None:
        if not self.widths:
            return
        table: DataTable[Any] = self.query_one(DataTable)
        row_at = table.cursor_row
        table.clear()
        w = dict(zip((label for label, _ in COLUMNS), self.widths, strict=True))
        for n, pair in enumerate(self.pairs):
            table.add_row(
                Text(f"{pair.score:.0f}", style="bold" if pair.score >= 90 else ""),
                born_cell(pair),
                Text(clip(safe_text(record_cell(pair.keep)), w["Record 1"])),
                Text(clip(safe_text(record_cell(pair.other)), w["Record 2"])),
                Text(clip(safe_text(why_cell(pair)), w["Why"])),
                key=str(n),
            )
        if self.pairs:
            table.move_cursor(row=min(max(row_at, 0), len(self.pairs) - 1), animate=False)

    @property
    def highlighted(self) -> Pair | None:
        table: DataTable[Any] = self.query_one(DataTable)
        if self.pairs and 0 <= table.cursor_row < len(self.pairs):
            return self.pairs[table.cursor_row]
        return None

    def _show_pair(self) -> None:
        pair = self.highlighted
        why = self.query_one("#duplicates-why", Static)
        one = self.query_one("#duplicates-1", Static)
        two = self.query_one("#duplicates-2", Static)
        if pair is None:
            for box in (why, one, two):
                box.update("")
            return
        why.update(Text(f"Score {pair.score:.0f}: {safe_text(pair.reason)}"))
        one.update(person_card(pair.keep, 1))
        two.update(person_card(pair.other, 2))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_pair()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_merge()

    # ------------------------------------------------------------------ actions
    def action_merge(self) -> None:
        pair = self.highlighted
        if pair is None or self.fetching or self.busy:
            if pair is None and not self.fetching:
                self.notify("No pair to merge.", markup=False)
            return
        if pair.keep.family != pair.other.family:
            self.action_merge_families()
            return

        def chosen(choice: tuple[Person, Person] | None) -> None:
            if choice is not None:
                self.busy = True
                self.merge(*choice)

        self.app.push_screen(MergeConfirm(pair), chosen)

    def action_merge_families(self) -> None:
        pair = self.highlighted
        if pair is None or self.fetching or self.busy:
            if pair is None and not self.fetching:
                self.notify("No pair to merge.", markup=False)
            return
        if pair.keep.family == pair.other.family:
            self.notify(
                f"{pair.keep.ref} and {pair.other.ref} are in one family already "
                f"({pair.keep.family}): m merges them.",
                markup=False,
            )
            return
        ones = (self.families.get(pair.keep.family), self.families.get(pair.other.family))
        if ones[0] is None or ones[1] is None:
            self.notify("That family is no longer in the store; refreshing.", markup=False)
            self.action_refresh()
            return
        families = (ones[0], ones[1])

        def chosen(choice: tuple[FamilyOutline, FamilyOutline] | None) -> None:
            if choice is not None:
                self.busy = True
                self.merge_families(*choice)

        self.app.push_screen(FamilyMergeConfirm(pair, families), chosen)

    def merge_families(self, keep: FamilyOutline, merged: FamilyOutline) -> None:
        self._merge("merge_families", keep, merged)

    def merge(self, keep: Person, merged: Person) -> None:
        self._merge("merge_members", keep, merged)

    @work(thread=True, exclusive=True, exit_on_error=False, group="duplicates-save")
    def _merge(self, how: str, keep: Any, merged: Any) -> None:
        """Two people (``merge_members``) or two families (``merge_families``) into one."""
        import ehtui.duplicates
        from ehtui.errors import InputError
        from ehtui.unit_of_work import StaleRecord

        app: Any = self.app
        me = app.session.me
        try:
            done = getattr(ehtui.duplicates, how)(
                app.session.engine,
                keep.ref,
                merged.ref,
                me.ref if me else None,
                app.ctx.now(),
                keep_version=keep.version,
                merge_version=merged.version,
            )
        except (InputError, StaleRecord) as refused:
            problems = refused.problems if isinstance(refused, InputError) else [str(refused)]
            self.post_message(self.Done(None, list(problems)))
            return
        self.post_message(self.Done(done, []))

    def action_undo(self) -> None:
        if self.busy:
            return
        if not self.merges:
            self.notify("No merge to undo: none made since this screen opened.", markup=False)
            return
        self.busy = True
        self.undo(self.merges[-1])

    @work(thread=True, exclusive=True, exit_on_error=False, group="duplicates-save")
    def undo(self, audit_id: int) -> None:
        from ehtui.duplicates import undo_merge
        from ehtui.errors import InputError

        app: Any = self.app
        me = app.session.me
        try:
            done = undo_merge(app.session.engine, audit_id, me.ref if me else None, app.ctx.now())
        except InputError as refused:
            self.post_message(self.Done(None, list(refused.problems)))
            return
        self.post_message(self.Done(done, []))

    @on(Done)
    def _done(self, message: Done) -> None:
        self.busy = False
        result = message.result
        if result is None:
            self.notify("Not saved: " + "; ".join(message.problems), severity="error", markup=False)
            self.action_refresh()
            return
        if isinstance(result, MergeResult | FamilyMergeResult):
            self.merges.append(result.audit_id)
            self.notify(result.summary() + ". u undoes it.", markup=False)
        else:
            self.merges.pop()  # the undo was of the last merge
            self.notify(result.summary(), markup=False)
        app: Any = self.app
        app.changed(None)
        self.action_refresh()

    def action_refresh(self) -> None:
        self.fetching = True
        self.load()
