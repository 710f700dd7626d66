"""Every action a person can take by name: its palette entry, its key, what opens it.

One place for the names and keys of the screens and forms beyond the tray and
the case view. The app builds its bindings and system commands from
:data:`APP_ACTIONS`; the case view (and any screen showing one episode, or the
tray's highlighted row) offers :data:`CASE_ACTIONS` for that episode.

``opener`` is ``"module:function"``, imported only when the action runs (the
start-up path never imports a form). App openers are called with the app;
case openers with the app and the episode's ref.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from textual.binding import Binding


@dataclass(frozen=True)
class Action:
    id: str  # the binding id's suffix and the action's parameter
    name: str  # the palette entry, in the protocol's words
    help: str
    key: str
    opener: str  # "module:function"

    def run(self, *args: Any) -> Any:
        module, function = self.opener.split(":")
        return getattr(import_module(module), function)(*args)


# Screens that look across cases (issue: managers and duty; intake).
APP_ACTIONS: tuple[Action, ...] = (
    Action(
        "lookup",
        "Duty lookup",
        "Find any family by name, date of birth, address, phone or ref",
        "f2",
        "screens.lookup:open_duty_lookup",
    ),
    Action(
        "caseload",
        "Caseload",
        "Each practitioner's families against their cap",
        "f3",
        "screens.caseload:open_caseload",
    ),
    Action(
        "walk",
        "Supervision walk",
        "A practitioner's cases one by one, recording a decision on each",
        "f4",
        "screens.walk:open_supervision_walk",
    ),
    Action(
        "tracker",
        "Data tracker",
        "Drift and on-time rates by hub and practitioner, month by month",
        "f5",
        "screens.tracker:open_data_tracker",
    ),
    Action(
        "osr",
        "OSR rota",
        "One Service Response: each week's lead responder and cases accepted",
        "f6",
        "screens.osr_rota:open_osr_rota",
    ),
)

# Forms about one episode (issue: recording; case administration).
CASE_ACTIONS: tuple[Action, ...] = (
    Action(
        "contact",
        "Record contact",
        "The contact log and a quick record form",
        "n",
        "screens.contact_log:open_contact_log",
    ),
    Action(
        "voice",
        "Voice of the child",
        "Hear one child: prompts fitted to their age, their words apart from your analysis",
        "v",
        "screens.voice:open_voice",
    ),
    Action(
        "oversight",
        "Record supervision",
        "Supervision or other management oversight (§26), with the decision",
        "s",
        "screens.oversight:open_oversight",
    ),
)


def app_action(action_id: str) -> Action:
    return next(a for a in APP_ACTIONS if a.id == action_id)


def case_action(action_id: str) -> Action:
    return next(a for a in CASE_ACTIONS if a.id == action_id)


def bindings(scope: str, actions: tuple[Action, ...]) -> list[Binding]:
    """One binding per action, with an id (``app.caseload``) so user keymaps work."""
    return [Binding(a.key, f"run('{a.id}')", a.name, id=f"{scope}.{a.id}") for a in actions]
