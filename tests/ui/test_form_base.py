"""The form base every recording form uses: checks as you leave a field, a draft kept as
you type and offered back, nothing saved until valid, reloads after a save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from textual.app import ComposeResult
from textual.widgets import Input, TextArea

from ehtui.drafts import load_draft
from ehtui.models import Oversight
from screens.form import RecordForm
from tests.appkit import make_app, screen_text, tray_loaded, wait_for
from widgets.form import FieldRow


class DecisionForm(RecordForm):
    """A small form for the test: a desk discussion's decision on an episode."""

    FORM = "test-decision"
    SAVED_WORDS = "Decision saved."

    def fields(self) -> ComposeResult:
        yield FieldRow("at", "When", Input(id="f-at"))
        yield FieldRow("decision", "Decision", TextArea(id="f-decision"))

    def load_context(self) -> Any:
        return {"referral": None}

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        from ehtui.forms import parse_moment

        problems = {}
        try:
            parse_moment(values["at"], self.now)
        except ValueError as exc:
            problems["at"] = str(exc)
        if not values["decision"].strip():
            problems["decision"] = "Write the decision."
        return problems

    def save(self, values: dict[str, Any]) -> Any:
        from ehtui.forms import parse_moment
        from ehtui.refs import new_ref
        from ehtui.unit_of_work import write

        with write(self._engine, user=self._user) as s:
            s.add(
                Oversight(
                    ref=new_ref("oversight"),
                    episode=self.target,
                    at=parse_moment(values["at"], self.now),
                    kind="desk_discussion",
                    by=self._user,
                    decision=values["decision"],
                )
            )


def oversights(app: Any, episode: str) -> int:
    with app.session.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(Oversight).where(Oversight.episode == episode)
            ).scalar_one()
        )


async def open_form(pilot: Any) -> tuple[DecisionForm, str]:
    await wait_for(pilot, lambda: tray_loaded(pilot.app))
    episode = pilot.app.screen.current_episode
    form = DecisionForm(episode)
    pilot.app.push_screen(form)
    await wait_for(pilot, lambda: form.context is not None)
    return form, episode


async def test_a_field_is_checked_as_you_leave_it_and_nothing_saved_until_valid(
    demo_db: Path,
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form, episode = await open_form(pilot)
        before = oversights(app, episode)
        await pilot.press(*"32/13", "tab")
        await wait_for(pilot, lambda: "32/13 has no time" in screen_text(app))
        assert "Write the decision." not in screen_text(app)  # not left yet
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Write the decision." in screen_text(app))
        assert "Not saved: 2 things to put right." in screen_text(app)
        assert oversights(app, episode) == before
        form.query_one("#f-at", Input).value = "today 10:00"
        form.query_one("#f-decision", TextArea).load_text("Keep the case open; review in 4 weeks.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        assert oversights(app, episode) == before + 1


async def test_a_draft_is_kept_as_you_type_and_offered_back(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form, episode = await open_form(pilot)
        form.query_one("#f-decision", TextArea).focus()
        await pilot.press(*"Mum asked for")
        user = app.session.me.ref

        def kept() -> bool:
            d = load_draft(app.session.engine, form="test-decision", target=episode, user=user)
            return d is not None and d.payload["decision"] == "Mum asked for"

        await wait_for(pilot, kept)
        await pilot.press("escape")
        await pilot.pause()
        again = DecisionForm(episode)
        app.push_screen(again)
        await wait_for(pilot, lambda: again.context is not None)
        assert again.query_one("#f-decision", TextArea).text == "Mum asked for"
        await wait_for(pilot, lambda: "Your draft from" in screen_text(app))
        again.query_one("#f-at", Input).value = "now"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not again)
        assert (
            load_draft(app.session.engine, form="test-decision", target=episode, user=user) is None
        )


async def test_saving_straight_after_typing_leaves_no_draft_behind(demo_db: Path) -> None:
    """Saved before the draft's delay ran out: the pending draft is not written as the
    form closes (it was, and "Draft kept" then showed on the case saved)."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form, episode = await open_form(pilot)
        before = oversights(app, episode)
        user = app.session.me.ref
        form.query_one("#f-at", Input).value = "now"
        form.query_one("#f-decision", TextArea).focus()
        await pilot.press(*"Agreed", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        await app.workers.wait_for_complete()
        await pilot.pause(0.6)  # longer than the draft's delay
        await app.workers.wait_for_complete()
        assert oversights(app, episode) == before + 1
        assert (
            load_draft(app.session.engine, form="test-decision", target=episode, user=user) is None
        )


async def test_discarding_throws_the_draft_away(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form, episode = await open_form(pilot)
        before = oversights(app, episode)
        await pilot.press(*"today 9:00")
        user = app.session.me.ref
        engine = app.session.engine
        await wait_for(
            pilot,
            lambda: load_draft(engine, form="test-decision", target=episode, user=user) is not None,
        )
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: "Press ctrl+d again" in screen_text(app))
        assert load_draft(engine, form="test-decision", target=episode, user=user) is not None
        await pilot.press("ctrl+d")
        await wait_for(
            pilot,
            lambda: load_draft(engine, form="test-decision", target=episode, user=user) is None,
        )
        assert oversights(app, episode) == before and app.screen is not form  # nothing saved


class StaleForm(DecisionForm):
    """The decision form, its episode changed by someone else before the save."""

    def save(self, values: dict[str, Any]) -> Any:
        from ehtui.unit_of_work import StaleRecord

        raise StaleRecord("episode", self.target)


async def test_a_save_refused_as_a_whole_says_why(demo_db: Path) -> None:
    """A refusal of the whole form (here: the episode changed meanwhile) is said in its
    own words, not as a count of fields; nothing is saved and the form stays open."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        episode = app.screen.current_episode
        before = oversights(app, episode)
        form = StaleForm(episode)
        app.push_screen(form)
        await wait_for(pilot, lambda: form.context is not None)
        form.query_one("#f-at", Input).value = "now"
        form.query_one("#f-decision", TextArea).focus()
        await pilot.press(*"Agreed", "ctrl+s")

        def status() -> str:
            return " ".join(str(form.query_one("#form-status").render()).split())

        await wait_for(pilot, lambda: status().startswith("Not saved: This episode"))
        assert "was changed by someone else since you opened it" in status()
        assert app.screen is form and oversights(app, episode) == before
