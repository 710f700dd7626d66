"""Form drafts: a half-typed form kept as you type, offered back when it reopens.

A draft is not case data: it is never exported, never a finding, never audited
field by field. There is one draft per (form, target, user); saving replaces
it and finishing the form discards it. Each save is its own short transaction,
so a draft survives the program being killed the moment after.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, delete, insert, select, update

from ehtui.models import FormDraft

DRAFT = FormDraft.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Draft:
    form: str
    target: str
    user: str | None
    payload: dict[str, Any]
    updated_at: datetime


def _where(form: str, target: str, user: str | None) -> Any:
    who = DRAFT.c.user.is_(None) if user is None else DRAFT.c.user == user
    return and_(DRAFT.c.form == form, DRAFT.c.target == target, who)


def save_draft(
    engine: Engine,
    *,
    form: str,
    target: str,
    user: str | None,
    payload: dict[str, Any],
    now: datetime | None = None,
) -> None:
    """Keep ``payload`` (JSON-safe values) as the draft of ``form`` about ``target``."""
    at = now or datetime.now().replace(microsecond=0)
    with engine.begin() as conn:
        done = conn.execute(
            update(DRAFT).where(_where(form, target, user)).values(payload=payload, updated_at=at)
        )
        if not done.rowcount:
            conn.execute(
                insert(DRAFT).values(
                    form=form, target=target, user=user, payload=payload, updated_at=at
                )
            )


def load_draft(engine: Engine, *, form: str, target: str, user: str | None) -> Draft | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(DRAFT).where(_where(form, target, user)).order_by(DRAFT.c.updated_at.desc())
        ).first()
    if row is None:
        return None
    return Draft(row.form, row.target, row.user, dict(row.payload), row.updated_at)


def drafts_about(engine: Engine, target: str, user: str | None) -> list[Draft]:
    """Every draft this user has about ``target`` (the case view offers them back)."""
    who = DRAFT.c.user.is_(None) if user is None else DRAFT.c.user == user
    with engine.connect() as conn:
        rows = conn.execute(
            select(DRAFT).where(DRAFT.c.target == target, who).order_by(DRAFT.c.updated_at)
        ).all()
    return [Draft(r.form, r.target, r.user, dict(r.payload), r.updated_at) for r in rows]


def discard_draft(engine: Engine, *, form: str, target: str, user: str | None) -> None:
    """The form was saved (or the person threw the draft away)."""
    with engine.begin() as conn:
        conn.execute(delete(DRAFT).where(_where(form, target, user)))


def drafts_of(
    engine: Engine, *, form: str, user: str | None, targets: Collection[str]
) -> dict[str, Draft]:
    """This user's drafts of ``form`` about any of ``targets``, by target, in one query
    (a screen over many episodes, such as the supervision walk, offers each back)."""
    wanted = list(targets)
    if not wanted:
        return {}
    who = DRAFT.c.user.is_(None) if user is None else DRAFT.c.user == user
    with engine.connect() as conn:
        rows = conn.execute(
            select(DRAFT)
            .where(DRAFT.c.form == form, DRAFT.c.target.in_(wanted), who)
            .order_by(DRAFT.c.updated_at)
        ).all()
    return {r.target: Draft(r.form, r.target, r.user, dict(r.payload), r.updated_at) for r in rows}
