"""The duty lookup's family card: what a duty officer needs in one read-only view.

Every family member (relationship, date of birth and age, school); each open
episode and each closed within the last 12 months, with its type, hub, Lead
Professional and their phone; the last contact (date, method, outcome, by whom);
the open findings on the family's episodes (from the protocol engine); and
where a step-up to Children's Social Care would go (§12.5-12.6) with the next
Allocations/Transfer meeting and its agenda cut-off (§12.8).

Viewing a card is logged as access in the audit trail (:func:`open_card`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from dateutil.relativedelta import relativedelta

from ehtui.calendar import age_on
from ehtui.rules import Finding, Level, State, episode_status, evaluate_store
from ehtui.rules.load import day as _day
from ehtui.rules.load import moment as _moment
from ehtui.rules.routing import Route, TransferMeeting, next_transfer_meeting, step_up_route
from ehtui.sql import Runner, reading
from ehtui.vocab import ClosureReason, ContactMethod, EpisodeType, Outcome, Relationship, label

if TYPE_CHECKING:
    from sqlalchemy import Engine

RECENT_MONTHS = 12  # closed episodes shown on the card: closed within this many months


class _EpisodeRow(NamedTuple):
    ref: str
    type: str
    hub: str
    lead: str | None
    referral_received: Any
    allocated: Any
    closed: Any
    closure_reason: str | None


class _ContactRow(NamedTuple):
    ref: str
    episode: str
    at: Any
    method: str
    outcome: str


@dataclass(frozen=True, slots=True)
class CardMember:
    ref: str
    name: str
    relationship: str
    relationship_label: str
    dob: date | None
    age: int | None
    school: str | None


@dataclass(frozen=True, slots=True)
class CardEpisode:
    """An open or recently closed episode; ``level`` is the tray word for an open one."""

    ref: str
    type: str
    type_label: str
    hub: str
    is_open: bool
    referral_received: date
    allocated: datetime | None
    closed: date | None
    closure_reason: str | None
    closure_label: str
    lead: str | None
    lead_name: str | None
    lead_phone: str | None
    level: Level | None


@dataclass(frozen=True, slots=True)
class CardContact:
    """The family's most recent contact; ``by`` is whoever recorded it in ehtui
    (from the audit trail) or, for imported history, the episode's Lead Professional."""

    ref: str
    episode: str
    at: datetime
    method: str
    method_label: str
    outcome: str
    outcome_label: str
    by: str | None
    by_name: str | None


@dataclass(frozen=True, slots=True)
class Card:
    ref: str
    name: str
    address: str | None
    phone: str | None
    email: str | None
    as_of: datetime
    members: tuple[CardMember, ...]
    episodes: tuple[CardEpisode, ...]  # open (oldest referral first), then closed (latest first)
    last_contact: CardContact | None
    findings: tuple[Finding, ...]  # open findings on the family's episodes, §10 order
    step_up: Route
    transfer: TransferMeeting


def family_card(
    source: Engine | Runner,
    family_ref: str,
    as_of: datetime,
    settings: Any = None,
    *,
    recent_months: int = RECENT_MONTHS,
) -> Card | None:
    """The card of family ``family_ref`` as of ``as_of``; None when there is no such
    family (or it was removed). Read-only: see :func:`open_card` to log the viewing."""
    today = as_of.date()
    since = today - relativedelta(months=recent_months)
    with reading(source) as run:
        found = run.rows(
            "SELECT ref, name, address, phone, email, last_csc_closure_team,"
            " last_csc_closure_date FROM family WHERE ref = :ref AND deleted_at IS NULL",
            ref=family_ref,
        )
        if not found:
            return None
        fam = found[0]
        members = tuple(
            CardMember(
                ref,
                f"{first} {last}".strip(),
                relationship,
                label(Relationship, relationship),
                _day(dob),
                age_on(_day(dob), today) if dob is not None else None,  # type: ignore[arg-type]
                school,
            )
            for ref, first, last, relationship, dob, school in run.rows(
                "SELECT ref, first_name, last_name, relationship, dob, school FROM member"
                " WHERE family = :ref AND deleted_at IS NULL ORDER BY seq",
                ref=family_ref,
            )
        )
        rows = [
            _EpisodeRow(*r)
            for r in run.rows(
                "SELECT ref, type, hub, lead, referral_received, allocated, closed, closure_reason"
                " FROM episode WHERE family = :ref AND deleted_at IS NULL"
                " AND referral_received <= :today AND (closed IS NULL OR closed >= :since)"
                " ORDER BY referral_received, seq",
                ref=family_ref,
                today=today,
                since=since,
            )
        ]
        people = {
            ref: (name, phone)
            for ref, name, phone in run.rows("SELECT ref, name, phone FROM practitioner")
        }
        refs = [r.ref for r in rows]
        last = None
        if refs:
            latest = run.rows(
                "SELECT ref, episode, at, method, outcome FROM contact"
                " WHERE episode IN :refs AND deleted_at IS NULL AND at <= :as_of"
                " ORDER BY at DESC, seq DESC LIMIT 1",
                refs=refs,
                as_of=as_of,
            )
            last = _ContactRow(*latest[0]) if latest else None
        recorder = None
        if last is not None:
            recorded = run.rows(
                'SELECT "user" FROM audit WHERE "table" = \'contact\' AND record = :ref'
                " AND action = 'insert' ORDER BY id LIMIT 1",
                ref=last.ref,
            )
            recorder = recorded[0][0] if recorded else None
    episodes_open = {r.ref for r in rows if (closed := _day(r.closed)) is None or closed > today}
    findings: list[Finding] = []
    if episodes_open:
        findings = [
            f
            for f in evaluate_store(
                source,
                as_of,
                episodes=sorted(episodes_open),
                include_closed=False,
                include_late=False,
                settings=settings,
            )
            if f.episode in episodes_open and f.state is not State.LATE
        ]
    episodes = []
    for r in rows:
        is_open = r.ref in episodes_open
        lead_name, lead_phone = people.get(r.lead, (None, None)) if r.lead else (None, None)
        level = (
            episode_status([f for f in findings if f.episode == r.ref], as_of, settings).level
            if is_open
            else None
        )
        episodes.append(
            CardEpisode(
                ref=r.ref,
                type=r.type,
                type_label=label(EpisodeType, r.type),
                hub=r.hub,
                is_open=is_open,
                referral_received=_day(r.referral_received),  # type: ignore[arg-type]
                allocated=_moment(r.allocated),
                closed=_day(r.closed) if not is_open else None,
                closure_reason=r.closure_reason if not is_open else None,
                closure_label=label(ClosureReason, r.closure_reason) if not is_open else "",
                lead=r.lead,
                lead_name=lead_name,
                lead_phone=lead_phone,
                level=level,
            )
        )
    # open first (in referral order, as read), then closed, the latest closure first
    episodes.sort(key=lambda e: (0, 0) if e.is_open else (1, -(e.closed or date.min).toordinal()))
    by_episode = {e.ref: e for e in episodes}
    contact = None
    if last is not None:
        ep = by_episode.get(last.episode)
        by = recorder if recorder in people else (ep.lead if ep else None)
        contact = CardContact(
            last.ref,
            last.episode,
            _moment(last.at),  # type: ignore[arg-type]
            last.method,
            label(ContactMethod, last.method),
            last.outcome,
            label(Outcome, last.outcome),
            by,
            people[by][0] if by in people else None,
        )
    return Card(
        ref=fam[0],
        name=fam[1],
        address=fam[2],
        phone=fam[3],
        email=fam[4],
        as_of=as_of,
        members=members,
        episodes=tuple(episodes),
        last_contact=contact,
        findings=tuple(findings),
        step_up=step_up_route(fam[5], _day(fam[6]), today),
        transfer=next_transfer_meeting(as_of),
    )


def open_card(
    source: Engine | Runner,
    family_ref: str,
    as_of: datetime,
    user: str | None,
    settings: Any = None,
) -> Card | None:
    """:func:`family_card`, logged as access by ``user`` in the audit trail
    ("duty lookup: family card"). Nothing is logged when there is no such family."""
    from ehtui.audit_access import log_access

    card = family_card(source, family_ref, as_of, settings)
    if card is not None:
        log_access(source, user, card.ref, "duty lookup: family card", table="family")
    return card
