"""What finding, merging and undoing duplicates share: the tables, the two records, blanks."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from ehtui.errors import InputError
from ehtui.models import AuditEntry, Contact, Episode, EpisodeChild, Family, Member, VoiceOfChild
from ehtui.unit_of_work import fetch

LINK = EpisodeChild.__table__  # type: ignore[attr-defined]
VOICE = VoiceOfChild.__table__  # type: ignore[attr-defined]
CON = Contact.__table__  # type: ignore[attr-defined]
AUDIT = AuditEntry.__table__  # type: ignore[attr-defined]
FAM = Family.__table__  # type: ignore[attr-defined]
MEM = Member.__table__  # type: ignore[attr-defined]
EPI = Episode.__table__  # type: ignore[attr-defined]

R = TypeVar("R", Member, Family)


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def live_pair(
    s: Any,
    model: type[R],
    what: str,
    keep: Any,
    merge: Any,
    keep_version: int | None,
    merge_version: int | None,
) -> tuple[R, R]:
    """The records to keep and to merge (``what``: "family member" or "family"), at the
    versions seen; the problems with both at once (:class:`~ehtui.errors.InputError`)."""
    problems = []
    kept = merged = None
    try:
        kept = _live(s, model, what, keep, "keep", keep_version)
    except InputError as exc:
        problems.extend(exc.problems)
    try:
        merged = _live(s, model, what, merge, "merged", merge_version)
    except InputError as exc:
        problems.extend(exc.problems)
    if problems or kept is None or merged is None:
        raise InputError(problems)
    return kept, merged


def _live(s: Any, model: type[R], what: str, ref: Any, field: str, version: int | None) -> R:
    if not isinstance(ref, str) or not ref.strip():
        raise InputError([f"{field}: give a {what}'s ref"])
    row = s.get(model, ref, populate_existing=True)
    if row is None:
        raise InputError([f"{field}: no {what} with ref {ref!r} in the store"])
    if row.deleted_at is not None:
        raise InputError(
            [f"{field}: {ref} was removed ({row.deleted_reason or 'no reason given'})"]
        )
    return fetch(s, model, ref, version=version)
