"""The protocol engine: every check of PROTOCOL_RULES.md, as pure functions.

Public API:

- :class:`Finding`, :class:`State`: what the engine says.
- :func:`evaluate_store`: load a scope (one case, a practitioner, a hub, the
  borough) with a few set-based queries and evaluate it, sorted per §10.
- :func:`evaluate`: the same over a :class:`StoreSnap` built by hand (tests).
- :func:`episode_status`: the work-tray words for one episode's findings.
- :mod:`ehtui.rules.routing`: step-up routing, Panel and Transfer-meeting dates.
- :data:`RULE_IDS`, :class:`RuleTable`: the rule IDs and the numbers in force.
"""

from ehtui.rules.engine import evaluate, evaluate_episode, evaluate_store, sort_findings
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
from ehtui.rules.status import Level, Status, episode_status
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
    "RuleSpec",
    "RuleTable",
    "State",
    "Status",
    "StoreSnap",
    "TafSnap",
    "VoiceSnap",
    "episode_status",
    "evaluate",
    "evaluate_episode",
    "evaluate_store",
    "sort_findings",
]
