"""Styles computed once: every screen's stylesheet is read with the app's at start (no
screen makes Textual parse everything again when first shown), and the work tray and
the case view are not restyled on showing unless what they are styled by changed."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any

from textual._path import _css_path_type_as_list
from textual.color import Color
from textual.screen import Screen

import screens
from screens.styled_once import StyledOnceScreen
from screens.stylesheets import AT_START, LATER
from tests.appkit import case_loaded, make_app, tray_loaded, wait_for
from widgets.findings import FindingsList


def screen_classes() -> list[type[Screen[Any]]]:
    found: list[type[Screen[Any]]] = []
    for info in pkgutil.iter_modules(screens.__path__):
        module = importlib.import_module(f"screens.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__ and cls.CSS_PATH:
                found.append(cls)
    return found


async def test_every_screens_stylesheet_is_read_once_the_tray_is_up(demo_db: Path) -> None:
    """The first screens' stylesheets with the app's, the others once the tray is up; then
    opening a form (the contact log, never shown before) parses nothing again."""
    classes = screen_classes()
    assert len(classes) >= 25  # the tray, the case view, every form and manager screen
    app: Any = make_app(demo_db)
    reparsed: list[int] = []
    async with app.run_test(size=(120, 40)) as pilot:
        real = app.stylesheet.reparse
        app.stylesheet.reparse = lambda: (reparsed.append(1), real())
        for path in AT_START:
            assert app.stylesheet.has_source(path, "")
        await wait_for(
            pilot,
            lambda: tray_loaded(app) and all(app.stylesheet.has_source(p, "") for p in LATER),
        )
        for cls in classes:
            for path in _css_path_type_as_list(cls.CSS_PATH):
                made = Path(inspect.getfile(cls)).parent / path  # as Textual makes it
                assert app.stylesheet.has_source(str(made), ""), (cls.__name__, made)
        app.open_case(app.screen.shown[0].episode)
        await wait_for(pilot, lambda: case_loaded(app))
        await pilot.press("n")  # record a contact
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ContactLogScreen")
        assert reparsed == []


def restyled(app: Any, calls: list[Any]) -> list[str]:
    return [type(node).__name__ for node in calls if isinstance(node, StyledOnceScreen)]


def spy_on_restyles(app: Any) -> list[Any]:
    """The nodes the app restyles (with all below them) from now on."""
    calls: list[Any] = []
    real = app.update_styles

    def spy(node: Any, animate: bool = True) -> None:
        calls.append(node)
        real(node, animate)

    app.update_styles = spy
    return calls


async def test_the_tray_and_the_first_case_are_not_restyled_on_showing(demo_db: Path) -> None:
    app: Any = make_app(demo_db)
    calls = spy_on_restyles(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app) and app.is_screen_installed("case"))
        await wait_for(pilot, lambda: app.get_screen("case").is_running)
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        assert restyled(app, calls) == []
        await pilot.press("escape")  # back: Textual restyles a screen under one popped
        await wait_for(pilot, lambda: tray_loaded(app))  # only if that one was see-through
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: case_loaded(app))
        assert restyled(app, calls) == []


async def test_a_theme_chosen_meanwhile_restyles_the_case_view_on_showing(
    demo_db: Path,
) -> None:
    """The case view is built ahead, off the stack, where a theme change does not reach
    it: opening it after one restyles it in the new theme."""
    app: Any = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app) and app.is_screen_installed("case"))
        built = app.get_screen("case")
        await wait_for(pilot, lambda: built.is_running)
        findings = built.query_one(FindingsList)
        before = findings.styles.border_title_color
        app.theme = "nord"
        await pilot.pause()
        assert findings.styles.border_title_color == before  # off the stack: untouched
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        accent = Color.parse(app.get_css_variables()["accent"])
        assert findings.styles.border_title_color == accent != before


async def test_the_case_view_is_restyled_on_coming_back_if_the_app_changed_meanwhile(
    demo_db: Path,
) -> None:
    """Textual restyles only the screen on top when the terminal loses or regains focus,
    and does not restyle a screen shown again by a pop: the case view, left while the
    terminal had lost focus and come back to after it regained it, is restyled then."""
    from textual import events

    app: Any = make_app(demo_db)
    calls = spy_on_restyles(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: case_loaded(app))
        case = app.screen
        app.post_message(events.AppBlur())
        await pilot.pause()
        assert "blur" in app.pseudo_classes
        case.action_history()  # the episode's history over the case view (no key: a
        # key would tell the app it has the focus again)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HistoryScreen")
        app.post_message(events.AppFocus())
        await pilot.pause()
        assert "focus" in app.pseudo_classes
        calls.clear()
        app.pop_screen()
        await wait_for(pilot, lambda: app.screen is case)
        assert case in calls


async def test_no_rule_read_later_styles_the_tray_or_the_case_view(demo_db: Path) -> None:
    """The stylesheets read once the tray is up restyle nothing on show: so none of their
    rules may match a widget of the work tray or the case view (a rule that did would
    style it differently depending on when it was read)."""
    from textual.css.match import match
    from textual.css.stylesheet import Stylesheet

    app: Any = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app) and app.is_screen_installed("case"))
        case = app.get_screen("case")
        await wait_for(pilot, lambda: case.is_running)
        nodes = [*app.screen.walk_children(with_self=True), *case.walk_children(with_self=True)]
        later = Stylesheet(variables=app.get_css_variables())
        for path in LATER:
            later.read(path)
        later.parse()
        assert later.rules
        clashes = [
            (rule.selectors, type(node).__name__, node.id)
            for rule in later.rules
            for node in nodes
            if match(rule.selector_set, node)
        ]
        assert clashes == []
