"""Recording management oversight (§26.1): supervision and the other kinds, with the decision.

Only supervision and systemic group supervision meet SUPERVISION-MONTHLY (the
rules' reading, PROTOCOL_RULES.md); the other kinds (a Hub Panel decision, a desk
discussion, QA sign-off, ...) are recorded as oversight all the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from ehtui.models import Oversight
from ehtui.recording.facts import EpisodeFacts, checked, event_moment
from ehtui.refs import new_ref
from ehtui.unit_of_work import write
from ehtui.vocab import OversightKind

MAX_DECISION = 20_000

KIND_KEYS: dict[str, OversightKind] = {
    "s": OversightKind.SUPERVISION,
    "g": OversightKind.GROUP_SUPERVISION,
    "t": OversightKind.TEAM_MEETING,
    "v": OversightKind.VIRTUAL_CONSULTATION,
    "p": OversightKind.PANEL_DECISION,
    "k": OversightKind.DESK_DISCUSSION,
    "d": OversightKind.DUTY_CONSULTATION,
    "f": OversightKind.TAF_DECISION,
    "a": OversightKind.TRANSFER_OUTCOME,
    "q": OversightKind.QA_SIGN_OFF,
}


def check_oversight(values: dict[str, Any], facts: EpisodeFacts, now: datetime) -> dict[str, str]:
    """Problems per field (``kind``, ``at``, ``decision``); empty when it can be saved."""
    problems: dict[str, str] = {}
    if values.get("kind") not in OversightKind.values():
        problems["kind"] = "Choose the kind of oversight (s supervision, g group supervision, ...)."
    _at, problem = event_moment(str(values.get("at") or ""), facts, now, field="at")
    if problem:
        problems["at"] = problem
    decision = str(values.get("decision") or "")
    if not decision.strip():
        problems["decision"] = "Write the decision made (what happens next, by whom, by when)."
    elif len(decision) > MAX_DECISION:
        problems["decision"] = f"Keep the decision under {MAX_DECISION:,} characters."
    return problems


def save_oversight(
    engine: Engine, *, user: str, episode: str, values: dict[str, Any], now: datetime
) -> str:
    """Check and write one oversight record by ``user`` (one audited transaction); its ref.
    Raises :class:`InputError` (``"field: words"``), writing nothing, when a check fails."""
    _facts, at = checked(engine, episode, values, now, check_oversight)
    ref = new_ref("oversight")
    with write(engine, user) as s:
        s.add(
            Oversight(
                ref=ref,
                episode=episode,
                at=at,
                kind=str(values["kind"]),
                by=user or None,
                decision=str(values["decision"]).strip(),
            )
        )
    return ref
