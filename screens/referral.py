"""New referral: search first, then the referral for the family found, or a new family.

F8 (or "New referral" in the palette) opens the search: type a name (spelling
forgiven), a date of birth or a postcode; the families already in the store come up
as you type. Enter on one starts the referral for that family; ctrl+n starts one for
a new family. The referral form checks eligibility as you go (§7) and creates the
episode unallocated, on the hub's group tray; the case view then shows it.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, SelectionList, Static

from ehtui.intake import DISPOSAL_KEYS, NEW_CHILDREN, SOURCE_KEYS, TYPE_KEYS
from ehtui.safe_text import safe_text
from ehtui.vocab import EpisodeType, Hub, Post18Route
from screens.form import FORM_CSS, RecordForm
from widgets.choice import KeyChoice
from widgets.footer import Footer
from widgets.form import FieldRow


def open_new_referral(app: Any) -> None:
    app.push_screen(ReferralSearchScreen())


class ReferralSearchScreen(Screen[None]):
    CSS_PATH = [FORM_CSS, "referral.tcss"]
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="referral.back"),
        Binding("ctrl+n", "new_family", "New family", id="referral.new_family", priority=True),
        Binding("down", "results", "Results", id="referral.results", show=False),
    ]
    HELP = """\
Search before entering anyone, so nobody is entered twice: a name (spelling is
forgiven: Mohamed finds Muhammad), a date of birth (3/4/2016) or a postcode. Down
moves into the results; Enter on one starts the referral for that family. ctrl+n
starts a referral for a new family."""

    class Found(Message):
        def __init__(self, query: str, hits: list[Any]) -> None:
            super().__init__()
            self.query = query
            self.hits = hits

    def __init__(self) -> None:
        super().__init__()
        self.index: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text("New referral · search first"), id="form-title", classes="title")
        yield Input(placeholder="Name, date of birth or postcode", id="referral-search")
        yield Static("Building the index…", id="referral-hint")
        yield DataTable(id="referral-hits", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#referral-hits", DataTable)
        table.add_columns("Name", "Who", "Matched")
        self.query_one("#referral-search", Input).focus()
        self._build()

    @work(thread=True, exclusive=True, exit_on_error=False, group="referral-index")
    def _build(self) -> None:
        from ehtui.lookup.index import LookupIndex

        app: Any = self.app
        self.index = LookupIndex.build(app.session.engine, app.ctx.now())
        self.app.call_from_thread(self._search, self.query_one("#referral-search", Input).value)

    @on(Input.Changed, "#referral-search")
    def _typed(self, event: Input.Changed) -> None:
        if self.index is not None:
            self._search(event.value)

    def _search(self, query: str) -> None:
        hint = self.query_one("#referral-hint", Static)
        table = self.query_one("#referral-hits", DataTable)
        table.clear()
        if not query.strip():
            hint.update("Type a name, a date of birth or a postcode; ctrl+n for a new family.")
            return
        hits = [h for h in self.index.search(query, limit=30) if h.family is not None]
        seen: set[str] = set()
        for hit in hits:
            if hit.family in seen:
                continue
            seen.add(hit.family)
            table.add_row(
                Text(safe_text(hit.name)),
                Text(safe_text(hit.detail)),
                Text(safe_text(hit.why)),
                key=hit.family,
            )
        hint.update(
            f"{len(seen)} families match: Enter starts the referral for one; "
            "ctrl+n for a new family."
            if seen
            else "Nobody matches: ctrl+n for a new family."
        )

    def action_results(self) -> None:
        self.query_one("#referral-hits", DataTable).focus()

    @on(DataTable.RowSelected, "#referral-hits")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(ReferralScreen(str(event.row_key.value)))

    def action_new_family(self) -> None:
        self.app.push_screen(ReferralScreen(None))


class ReferralScreen(RecordForm):
    CSS_PATH = [FORM_CSS, "referral.tcss"]
    FORM = "referral"
    SAVED_WORDS = "Referral saved: the episode is on the hub's group tray."
    BINDINGS = [Binding("ctrl+s", "save", "Save referral", id="form.save", priority=True)]
    HELP = """\
The referral. The kind of work (e EHA, s step-down EHA, u Universal Plus, j joint
work, o out-of-court, r Return Home Interview), where it came from, the date received
(today unless typed), the hub, and the children it is about: ticked from the family,
or typed for a new family. Each child must be under 19 on the referral date; at 18,
one of the post-18 routes (else refer to Adult Services); a Return Home Interview is
for a child under 18 (§7). Three or more agencies on a Universal Plus referral: the
EHA threshold advice. ctrl+s saves; the episode waits on the hub's group tray."""

    def __init__(self, family: str | None) -> None:
        super().__init__(family or "new-family")
        self.family = family

    @property
    def episode(self) -> str | None:
        return None

    def title_text(self) -> str:
        return "New referral · " + ("a new family" if self.family is None else "family")

    def fields(self) -> ComposeResult:
        types = [(k, str(t), t.label) for k, t in TYPE_KEYS.items()]
        sources = [(k, str(s), s.label) for k, s in SOURCE_KEYS.items()]
        hubs = [(h.value[0].lower(), str(h), h.label) for h in Hub]
        disposals = [(k, str(d), d.label) for k, d in DISPOSAL_KEYS.items()]
        routes = [(str(n), str(r), r.label) for n, r in enumerate(Post18Route, start=1)]
        yield Static("", id="referral-family")
        if self.family is None:
            yield FieldRow("family_name", "Family surname", Input(id="f-family_name"))
            yield FieldRow("address", "Address", Input(id="f-address"), hint="4 Elm Road, NW9 1AA")
            yield FieldRow("phone", "Phone", Input(id="f-phone"))
            for n in range(1, NEW_CHILDREN + 1):
                yield FieldRow(f"c{n}_first", f"Child {n} first name", Input(id=f"f-c{n}_first"))
                yield FieldRow(
                    f"c{n}_dob",
                    f"Child {n} date of birth",
                    Input(id=f"f-c{n}_dob"),
                    hint="3/4/2016",
                )
        else:
            yield FieldRow("children", "Children", SelectionList[str](id="f-children"))
        yield FieldRow("type", "Kind of work", KeyChoice(types, id="f-type"))
        yield FieldRow("source", "Referred by", KeyChoice(sources, id="f-source"))
        yield FieldRow("received", "Received", Input("today", id="f-received"))
        yield FieldRow("hub", "Hub", KeyChoice(hubs, id="f-hub"))
        yield FieldRow("disposal", "Disposal", KeyChoice(disposals, id="f-disposal"))
        yield FieldRow(
            "post18_route",
            "Post-18 route",
            KeyChoice(routes, id="f-post18_route"),
            hint="Only for a young person of 18 on the referral date",
        )
        yield FieldRow(
            "agencies", "Agencies involved", Input(id="f-agencies"), hint="Separated by commas"
        )

    @on(KeyChoice.Changed, "#f-type")
    def _type_chosen(self) -> None:
        self._show_disposal()

    def _show_disposal(self) -> None:
        chosen = self.query_one("#f-type", KeyChoice).form_value
        self.rows["disposal"].display = chosen == EpisodeType.OUT_OF_COURT

    def on_restored(self) -> None:
        self._show_disposal()

    def load_context(self) -> Any:
        from ehtui.intake import family_facts

        return (family_facts(self._engine, self.family) if self.family else None,)

    def on_context(self, context: Any) -> None:
        (facts,) = context
        app: Any = self.app
        self.query_one("#f-hub", KeyChoice).form_value = app.session.me.hub
        self._show_disposal()
        if self.family is None:
            return
        if facts is None:
            self.status(f"There is no family {self.family} in this store.")
            return
        self.query_one("#referral-family", Static).update(
            Text(f"{facts.name} family · {facts.address or 'no address'}")
        )
        pick: SelectionList[str] = self.query_one("#f-children", SelectionList)
        for child in facts.children:
            born = f" (born {child.dob:%d/%m/%Y})" if child.dob else ""
            pick.add_option((safe_text(f"{child.first_name}{born}"), child.ref))
        if facts.children:
            pick.highlighted = 0
        if len(facts.children) == 1:
            pick.select_all()

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        from ehtui.intake import check_referral

        facts = self.context[0] if self.context else None
        if self.family is not None and facts is None:
            return {"": f"There is no family {self.family} in this store."}
        problems, advice = check_referral(values, facts, self.now)
        if advice and not problems:
            self.status(" ".join(advice))
        return problems

    def save(self, values: dict[str, Any]) -> Any:
        from ehtui.intake import save_referral

        return save_referral(
            self._engine, user=self._user or "", family=self.family, values=values, now=self.now
        )

    def on_saved(self, result: Any) -> None:
        """Show the new episode (it waits on the hub tray for allocation)."""
        app: Any = self.app
        app.call_after_refresh(_show_referred, app, result)


def _show_referred(app: Any, episode: str) -> None:
    if isinstance(app.screen, ReferralSearchScreen):
        app.pop_screen()
    app.open_case(episode)
