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
    short: str = ""  # the footer's word for it, where the name is too long to fit
    form: str = ""  # the form's draft name, where it keeps drafts (RecordForm.FORM)

    @property
    def footer(self) -> str:
        return self.short or self.name

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
    Action(
        "referral",
        "New referral",
        "Search first, then the referral for that family or a new one",
        "f8",
        "screens.referral:open_new_referral",
    ),
    Action(
        "diary",
        "Diary",
        "My appointments for two weeks, the Panel and Transfer meetings; kept or missed",
        "f7",
        "screens.diary:open_diary",
    ),
    Action(
        "duplicates",
        "Find duplicates",
        "People entered twice (name alike, same date of birth); merge two into one, undo",
        "f9",
        "screens.duplicates:open_find_duplicates",
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
        "Contact",
        form="contact",
    ),
    Action(
        "voice",
        "Voice of the child",
        "Hear one child: prompts fitted to their age, their words apart from your analysis",
        "v",
        "screens.voice:open_voice",
        "Voice",
        form="voice",
    ),
    Action(
        "oversight",
        "Record supervision",
        "Supervision or other management oversight (§26), with the decision",
        "s",
        "screens.oversight:open_oversight",
        "Supervision",
        form="oversight",
    ),
    Action(
        "taf",
        "TAF meeting",
        "The initial TAF or a review: actions carried forward, RADAR, the decision",
        "m",
        "screens.taf:open_taf",
        "TAF",
        form="taf",
    ),
    Action(
        "close",
        "Close episode",
        "The reason and the date, with the protocol's checks",
        "x",
        "screens.closure:open_closure",
        "Close",
        form="closure",
    ),
    Action(
        "stepup",
        "Step up",
        "Where a step-up goes and the next Transfer meeting; Universal Plus to an EHA",
        "u",
        "screens.stepup:open_step_up",
        form="stepup",
    ),
    Action(
        "milestones",
        "Case milestones",
        "Engagement, EHA completed, documents, step-down dates, extension, sessions",
        "k",
        "screens.milestones:open_milestones",
        "Milestones",
        form="milestones",
    ),
    Action(
        "allocate",
        "Allocate",
        "Choose the Lead Professional, seeing each one's caseload against their cap",
        "A",
        "screens.allocate:open_allocate",
    ),
    Action(
        "family",
        "Edit family",
        "The family's details and each member's: demographics, school, agencies",
        "e",
        "screens.family:open_family",
        "Family",
        form="family",
    ),
)


def app_action(action_id: str) -> Action:
    return next(a for a in APP_ACTIONS if a.id == action_id)


def case_action(action_id: str) -> Action:
    return next(a for a in CASE_ACTIONS if a.id == action_id)


def bindings(scope: str, actions: tuple[Action, ...]) -> list[Binding]:
    """One binding per action, with an id (``app.caseload``) so user keymaps work."""
    return [Binding(a.key, f"run('{a.id}')", a.footer, id=f"{scope}.{a.id}") for a in actions]
