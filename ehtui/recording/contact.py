"""Recording a contact: the quick-record form's checks and its audited save.

A contact saved "as draft" is real case data with its note not yet finalised
(``recorded_at`` null): RECORD-48H runs on it (STYLE.md). Finalising sets
``recorded_at`` to now. The half-typed form itself is a form draft
(:mod:`ehtui.drafts`), which is not case data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from ehtui.errors import InputError
from ehtui.models import Contact
from ehtui.recording.facts import EpisodeFacts, checked, event_moment
from ehtui.refs import new_ref
from ehtui.unit_of_work import fetch, write
from ehtui.vocab import ContactMethod, Outcome

MAX_NOTE = 20_000  # characters; a long note is about 3,000

# The quick-record form's one-key choices, in the protocol's order (§9.1).
METHOD_KEYS: dict[str, ContactMethod] = {
    "h": ContactMethod.HOME_VISIT,
    "o": ContactMethod.OFFICE_VISIT,
    "s": ContactMethod.SCHOOL_VISIT,
    "d": ContactMethod.DUTY,
    "t": ContactMethod.TELEPHONE,
    "v": ContactMethod.VIRTUAL,
    "p": ContactMethod.PARTNER_AGENCY,
}
OUTCOME_KEYS: dict[str, Outcome] = {
    "c": Outcome.COMPLETED,
    "n": Outcome.NO_ANSWER,
    "d": Outcome.DID_NOT_ATTEND,
    "x": Outcome.CANCELLED,
}


def check_contact(values: dict[str, Any], facts: EpisodeFacts, now: datetime) -> dict[str, str]:
    """Problems per field (``method``, ``at``, ``outcome``, ``children_seen``,
    ``children_seen_alone``, ``note``), in plain words; empty when the contact can be saved."""
    problems: dict[str, str] = {}
    if values.get("method") not in ContactMethod.values():
        problems["method"] = "Choose how the contact was made (h home visit, t telephone, ...)."
    _at, problem = event_moment(str(values.get("at") or ""), facts, now, field="at")
    if problem:
        problems["at"] = problem
    if values.get("outcome") not in Outcome.values():
        problems["outcome"] = (
            "Choose the outcome: completed, no answer, did not attend or cancelled."
        )
    children = {c.ref for c in facts.children}
    seen = list(values.get("children_seen") or [])
    alone = list(values.get("children_seen_alone") or [])
    if any(ref not in children for ref in seen):
        problems["children_seen"] = "Only the episode's children can be seen."
    elif values.get("outcome") != Outcome.COMPLETED and seen:
        problems["children_seen"] = "Nobody is seen at a contact that did not happen."
    if any(ref not in seen for ref in alone):
        problems["children_seen_alone"] = "A child seen alone must also be among the children seen."
    note = str(values.get("note") or "")
    if len(note) > MAX_NOTE:
        problems["note"] = f"Keep the note under {MAX_NOTE:,} characters."
    elif values.get("finalise") and values.get("outcome") == Outcome.COMPLETED and not note.strip():
        problems["note"] = "Write what happened before finalising (or save it as a draft)."
    if facts.snap.closed is not None:
        problems[""] = "This episode is closed: contacts cannot be added to it."
    return problems


def save_contact(
    engine: Engine,
    *,
    user: str,
    episode: str,
    values: dict[str, Any],
    now: datetime,
    appointment: str | None = None,
) -> str:
    """Check and write one contact (one audited transaction); its new ref.

    ``values``: ``method``, ``at`` (typed, e.g. "now" or "21/11/2026 14:30"), ``outcome``,
    ``children_seen``, ``children_seen_alone`` (member refs), ``note``, ``finalise``
    (True: the note is finalised now; False: saved with ``recorded_at`` null).
    ``appointment``: the diary appointment this contact is (marked kept, same transaction).
    Raises :class:`InputError` (``"field: words"``), writing nothing, when a check fails.
    """
    _facts, at = checked(engine, episode, values, now, check_contact)
    ref = new_ref("contact")
    with write(engine, user) as s:
        s.add(
            Contact(
                ref=ref,
                episode=episode,
                at=at,
                recorded_at=now.replace(microsecond=0) if values.get("finalise") else None,
                method=str(values["method"]),
                outcome=str(values["outcome"]),
                children_seen=list(values.get("children_seen") or []),
                children_seen_alone=list(values.get("children_seen_alone") or []),
                note=str(values.get("note") or ""),
            )
        )
        if appointment is not None:
            from ehtui.diary import mark_kept

            s.flush()
            mark_kept(s, appointment, ref)
    return ref


def finalise_contact(
    engine: Engine, *, user: str, contact: str, version: int, now: datetime
) -> None:
    """Finalise a contact saved as draft (``recorded_at`` = now), checked against the
    version the person saw (:class:`~ehtui.unit_of_work.StaleRecord` otherwise)."""
    with write(engine, user) as s:
        found = fetch(s, Contact, contact, version=version)
        if found.recorded_at is not None:
            raise InputError([f"contact: {contact} is already finalised"])
        if found.outcome == Outcome.COMPLETED and not found.note.strip():
            raise InputError(["note: write what happened before finalising"])
        found.recorded_at = now.replace(microsecond=0)


@dataclass(frozen=True)
class ContactEntry:
    """One contact in the log, with the engine's RECORD-48H state for it (None: on time)."""

    ref: str
    version: int
    at: datetime
    method: str
    outcome: str
    seen: tuple[str, ...]  # children's first names
    seen_alone: tuple[str, ...]
    note: str
    recorded_at: datetime | None
    record_state: str | None
    record_due: date | datetime | None

    @property
    def finalised(self) -> bool:
        return self.recorded_at is not None


def contact_log(
    engine: Engine, episode: str, now: datetime, table: Any = None
) -> list[ContactEntry]:
    """The episode's contacts, newest first, each with its RECORD-48H finding's state."""
    from sqlalchemy import select

    from ehtui.models import Member
    from ehtui.rules import evaluate_store

    con = Contact.__table__  # type: ignore[attr-defined]
    mem = Member.__table__  # type: ignore[attr-defined]
    found = evaluate_store(engine, now, episodes=[episode], table=table)
    record = {f.record: f for f in found if f.rule == "RECORD-48H" and f.record}
    with engine.connect() as conn:
        rows = conn.execute(
            select(con)
            .where(con.c.episode == episode, con.c.deleted_at.is_(None))
            .order_by(con.c.at.desc(), con.c.seq.desc())
        ).all()
        names: dict[str, str] = {
            r.ref: r.first_name for r in conn.execute(select(mem.c.ref, mem.c.first_name))
        }
    entries = []
    for r in rows:
        finding = record.get(r.ref)
        entries.append(
            ContactEntry(
                ref=r.ref,
                version=r.version,
                at=r.at,
                method=r.method,
                outcome=r.outcome,
                seen=tuple(names.get(c, c) for c in r.children_seen or ()),
                seen_alone=tuple(names.get(c, c) for c in r.children_seen_alone or ()),
                note=r.note or "",
                recorded_at=r.recorded_at,
                record_state=str(finding.state) if finding else None,
                record_due=finding.due if finding else None,
            )
        )
    return entries
