"""The protocol engine: every check of PROTOCOL_RULES.md, as pure functions.

Public API (everything here is importable without Textual):

- :class:`Finding` (frozen; ``to_json()`` gives the ``ehtui report`` object in
  the INTERCHANGE key order) and :class:`State` (overdue, due_soon, late,
  missing, over_limit, advice).
- Snapshots, plain frozen dataclasses: :class:`EpisodeSnap` (with its
  :class:`FamilySnap`, :class:`ChildSnap` children, :class:`ContactSnap`
  contacts, :class:`VoiceSnap` voice records, :class:`TafSnap` meetings and
  :class:`OversightSnap` oversight), :class:`PractitionerSnap`,
  :class:`RotaSnap` and :class:`StoreSnap` (everything one evaluation reads).
- :func:`evaluate_store`: load a scope (one case, a practitioner, a hub, the
  borough) with a few set-based queries and evaluate it; a list of findings
  sorted per §10.
- :func:`evaluate`: the same over a :class:`StoreSnap` built by hand;
  :func:`evaluate_episode`: one episode's findings.
- :func:`sort_findings`, :func:`sort_key`: the §10 report order.
- :func:`episode_status` → :class:`Status` (``level`` a :class:`Level`,
  ``symbol``, ``next`` finding with ``next_rule`` and ``next_due``);
  :func:`next_due` and :func:`upcoming` (every running clock of an episode);
  :func:`eha_not_started`.
- Routing (§9): :func:`step_up_route` → :class:`Route`; :func:`next_panel`;
  :func:`next_transfer_meeting` → :class:`TransferMeeting` (with its cut-off).
- :data:`RULE_IDS`, :class:`RuleSpec`, :class:`RuleTable`, :data:`DEFAULT_TABLE`:
  the rule IDs and the numbers in force (overridden by :mod:`ehtui.settings`).
"""

from ehtui.rules.engine import evaluate, evaluate_episode, evaluate_store, sort_findings, sort_key
from ehtui.rules.model import (
    ChildSnap,
    ContactSnap,
    EpisodeSnap,
    FamilySnap,
    Finding,
    OversightSnap,
    PractitionerSnap,
    RotaSnap,
    State,
    StoreSnap,
    TafSnap,
    VoiceSnap,
)
from ehtui.rules.routing import (
    Route,
    TransferMeeting,
    next_panel,
    next_transfer_meeting,
    step_up_route,
)
from ehtui.rules.status import Level, Status, eha_not_started, episode_status, next_due, upcoming
from ehtui.rules.table import DEFAULT_TABLE, RULE_IDS, RuleSpec, RuleTable

__all__ = [
    "DEFAULT_TABLE",
    "RULE_IDS",
    "ChildSnap",
    "ContactSnap",
    "EpisodeSnap",
    "FamilySnap",
    "Finding",
    "Level",
    "OversightSnap",
    "PractitionerSnap",
    "RotaSnap",
    "Route",
    "RuleSpec",
    "RuleTable",
    "State",
    "Status",
    "StoreSnap",
    "TafSnap",
    "TransferMeeting",
    "VoiceSnap",
    "eha_not_started",
    "episode_status",
    "evaluate",
    "evaluate_episode",
    "evaluate_store",
    "next_due",
    "next_panel",
    "next_transfer_meeting",
    "sort_findings",
    "sort_key",
    "step_up_route",
    "upcoming",
]
