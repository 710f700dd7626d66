"""Loading snapshots from the store with a few set-based queries.

One query per table, filtered by the scope (a set of episodes, a
practitioner, a hub or the whole store), never a query per episode. Dates and
date-times are read as text and parsed here (SQLite keeps them as text; a
PostgreSQL driver hands back date objects, which pass through unchanged):
this is several times faster than SQLAlchemy's own row processing.

What each family of rules needs, and so what is loaded:

- episode rules: the episodes in scope with their family, children, contacts,
  voice records, TAF meetings and oversight. Episodes closed by the as-of
  date need their detail only for their ``late`` history (``history``);
  without it they are loaded bare (CLOSURE-REASON reads the episode row).
- caseload caps: every open episode of each practitioner in scope (for a set
  of episodes, of their Lead Professionals), whatever the episode scope, and
  every practitioner (AP-SUPERVISES-2 counts who names an AP as manager).
- hub checks: every OSR allocation (closed or not) and the rota, of the hub.

Soft-deleted rows (``deleted_at`` set) are ignored everywhere; an episode
whose family record is soft-deleted is ignored with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ehtui.rules.model import (
    ChildSnap,
    ContactSnap,
    EpisodeSnap,
    FamilySnap,
    OversightSnap,
    PractitionerSnap,
    RotaSnap,
    StoreSnap,
    TafSnap,
    VoiceSnap,
)
from ehtui.sql import Runner, json_value, reading

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

_MIDNIGHT = datetime.min.time()
_parse = datetime.fromisoformat


def moment(value: Any) -> datetime | None:
    """A date-or-date-time (text or value) as a date-time; a date alone means 00:00."""
    if type(value) is str and value:
        return _parse(value)  # the common case: SQLite's text
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, _MIDNIGHT)
    return datetime.fromisoformat(value)


def day(value: Any) -> date | None:
    """A date (text or value)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


# Conditions on ``episode`` rows, with parameters :today and :as_of.
OPEN_AT = "(episode.closed IS NULL OR episode.closed > :today)"
LIVE_FAMILY = "episode.family IN (SELECT ref FROM family WHERE deleted_at IS NULL)"
LIVE_EPISODE = f"episode.deleted_at IS NULL AND {LIVE_FAMILY}"


def _scope(
    as_of: datetime,
    practitioner: str | None,
    hub: str | None,
    episodes: Collection[str] | None,
    include_closed: bool,
) -> tuple[str, dict[str, Any]]:
    """The episodes in scope: an SQL condition and its parameters."""
    cond = [LIVE_EPISODE, "episode.referral_received <= :today"]
    params: dict[str, Any] = {"today": as_of.date(), "as_of": as_of}
    if practitioner is not None:
        cond.append("episode.lead = :practitioner")
        params["practitioner"] = practitioner
    if hub is not None:
        cond.append("episode.hub = :hub")
        params["hub"] = hub
    if episodes is not None:
        cond.append("episode.ref IN :episodes")
        params["episodes"] = list(episodes)
    if not include_closed:
        cond.append(OPEN_AT)
    return " AND ".join(cond), params


# An episode row, as :func:`episode_snap` reads it.
EPISODE_COLUMNS = (
    "ref",
    "family",
    "type",
    "disposal",
    "hub",
    "lead",
    "source",
    "referral_received",
    "allocated",
    "engagement_confirmed",
    "eha_completed",
    "assessment_completed",
    "stepdown_consultation",
    "stepdown_meeting",
    "extension_approved_until",
    "sessions_delivered",
    "doc_case_summary",
    "doc_chronology",
    "doc_genogram",
    "qa_completed",
    "closed",
    "closure_reason",
    "agreed_contacts_per_4_weeks",
)
SELECT_EPISODES = "SELECT " + ", ".join(f"episode.{c}" for c in EPISODE_COLUMNS) + " FROM episode"


def contacts_of(run: Runner, episodes: str, params: dict[str, Any]) -> dict[str, list[ContactSnap]]:
    """The contacts of the episodes ``episode IN {episodes}`` (SQL), in date order."""
    contacts: dict[str, list[ContactSnap]] = defaultdict(list)
    for episode, ref, at, recorded_at, method, outcome in run.rows(
        "SELECT episode, ref, at, recorded_at, method, outcome FROM contact"
        f" WHERE episode IN {episodes} AND deleted_at IS NULL ORDER BY episode, at, seq",
        **params,
    ):
        contacts[episode].append(ContactSnap(ref, moment(at), moment(recorded_at), method, outcome))  # type: ignore[arg-type]
    return contacts


def tafs_of(run: Runner, episodes: str, params: dict[str, Any]) -> dict[str, list[TafSnap]]:
    """The TAF meetings of the episodes ``episode IN {episodes}`` (SQL), in date order."""
    tafs: dict[str, list[TafSnap]] = defaultdict(list)
    for episode, ref, at, kind, radar, ratified in run.rows(
        "SELECT episode, ref, at, kind, radar_completed, plan_ratified_complete FROM taf_meeting"
        f" WHERE episode IN {episodes} AND deleted_at IS NULL ORDER BY episode, at, seq",
        **params,
    ):
        tafs[episode].append(TafSnap(ref, moment(at), kind, bool(radar), bool(ratified)))  # type: ignore[arg-type]
    return tafs


def load(
    run: Runner,
    as_of: datetime,
    *,
    practitioner: str | None = None,
    hub: str | None = None,
    episodes: Collection[str] | None = None,
    history: bool = False,
    include_closed: bool = True,
) -> StoreSnap:
    """Everything the engine needs for the scope, as it is in the store now.

    Returns a :class:`StoreSnap`: the episodes in scope (referred by
    ``as_of``; closed ones too unless ``include_closed`` is False), every
    practitioner, and the caseloads, OSR allocations and rota the caps need.
    ``history``: also load the detail of episodes closed by ``as_of`` (their
    ``late`` findings need it). The store's current values are returned; the
    engine applies the as-of view (:func:`ehtui.rules.view.as_of_view`).
    """
    scope, params = _scope(as_of, practitioner, hub, episodes, include_closed)
    detail = scope if history else f"{scope} AND {OPEN_AT}"
    detail_refs = f"(SELECT episode.ref FROM episode WHERE {detail})"

    ep_rows = run.rows(f"{SELECT_EPISODES} WHERE {scope} ORDER BY episode.seq", **params)
    families = {
        ref: FamilySnap(ref, name, address, phone, email, tuple(json_value(agencies) or ()))
        for ref, name, address, phone, email, agencies in run.rows(
            "SELECT ref, name, address, phone, email, agencies FROM family"
            f" WHERE ref IN (SELECT episode.family FROM episode WHERE {scope})",
            **params,
        )
    }
    children: dict[str, list[ChildSnap]] = defaultdict(list)
    for episode, *child in run.rows(
        "SELECT l.episode, m.ref, m.first_name, m.dob, m.ethnicity, m.religion, m.language,"
        " m.interpreter_needed, m.school, m.father_recorded"
        " FROM episode_child l JOIN member m ON m.ref = l.child"
        f" WHERE l.episode IN {detail_refs} AND m.deleted_at IS NULL"
        " ORDER BY l.episode, l.position",
        **params,
    ):
        ref, first, dob, ethnicity, religion, language, interpreter, school, father = child
        children[episode].append(
            ChildSnap(
                ref,
                first,
                day(dob),
                ethnicity,
                religion,
                language,
                None if interpreter is None else bool(interpreter),
                school,
                None if father is None else bool(father),
            )
        )
    contacts = contacts_of(run, detail_refs, params)
    voices: dict[str, list[VoiceSnap]] = defaultdict(list)
    for episode, ref, child_ref, at in run.rows(
        "SELECT episode, ref, child, at FROM voice_of_child"
        f" WHERE episode IN {detail_refs} AND deleted_at IS NULL ORDER BY episode, at, seq",
        **params,
    ):
        voices[episode].append(VoiceSnap(ref, child_ref, moment(at)))  # type: ignore[arg-type]
    tafs = tafs_of(run, detail_refs, params)
    oversights: dict[str, list[OversightSnap]] = defaultdict(list)
    for episode, ref, at, kind in run.rows(
        "SELECT episode, ref, at, kind FROM oversight"
        f" WHERE episode IN {detail_refs} AND deleted_at IS NULL ORDER BY episode, at, seq",
        **params,
    ):
        oversights[episode].append(OversightSnap(ref, moment(at), kind))  # type: ignore[arg-type]

    empty: tuple[Any, ...] = ()
    snaps = tuple(
        episode_snap(
            r,
            families,
            tuple(children.get(r[0], empty)),
            tuple(contacts.get(r[0], empty)),
            tuple(voices.get(r[0], empty)),
            tuple(tafs.get(r[0], empty)),
            tuple(oversights.get(r[0], empty)),
        )
        for r in ep_rows
    )
    practitioners = tuple(
        PractitionerSnap(*r)
        for r in run.rows(
            "SELECT ref, name, role, grade, hub, fte, manager FROM practitioner"
            " WHERE deleted_at IS NULL ORDER BY seq"
        )
    )
    if episodes is not None:  # a case: its leads' caps, no hub-level checks
        leads = sorted({s.lead for s in snaps if s.lead is not None})
        caseloads = _caseloads(run, as_of, leads) if leads else {}
        return StoreSnap(snaps, practitioners, (), (), caseloads, True, history, frozenset(leads))
    caps_for: frozenset[str] | None = None
    if practitioner is not None:
        in_hub = hub is None or any(p.ref == practitioner and p.hub == hub for p in practitioners)
        caps_for = frozenset({practitioner} if in_hub else ())
    elif hub is not None:
        caps_for = frozenset(p.ref for p in practitioners if p.hub == hub)
    rota, osr = _hub_checks(run, hub, practitioner)
    caseloads = _caseloads(run, as_of, None if practitioner is None else [practitioner])
    return StoreSnap(snaps, practitioners, rota, osr, caseloads, True, history, caps_for)


def episode_snap(
    r: Any,
    families: dict[str, FamilySnap],
    children: tuple[ChildSnap, ...],
    contacts: tuple[ContactSnap, ...],
    voices: tuple[VoiceSnap, ...],
    tafs: tuple[TafSnap, ...],
    oversights: tuple[OversightSnap, ...],
) -> EpisodeSnap:
    """An :class:`EpisodeSnap` from a row of :data:`SELECT_EPISODES` and its detail."""
    (
        ref,
        family,
        kind,
        disposal,
        hub,
        lead,
        source,
        referral,
        allocated,
        engagement,
        eha_completed,
        assessment,
        consultation,
        meeting,
        extension,
        sessions,
        summary,
        chronology,
        genogram,
        qa,
        closed,
        reason,
        agreed,
    ) = r
    return EpisodeSnap(
        ref,
        families.get(family) or FamilySnap(family, "", None, None, None, ()),
        kind,
        disposal,
        hub,
        lead,
        source,
        day(referral),  # type: ignore[arg-type]
        moment(allocated),
        day(engagement),
        day(eha_completed),
        moment(assessment),
        day(consultation),
        day(meeting),
        day(extension),
        sessions,
        bool(summary),
        bool(chronology),
        bool(genogram),
        moment(qa),
        day(closed),
        reason,
        agreed,
        children,
        contacts,
        voices,
        tafs,
        oversights,
    )


def _caseloads(
    run: Runner, as_of: datetime, leads: list[str] | None
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each lead's open episodes at ``as_of`` (allocated by then): (type, family) pairs."""
    held: dict[str, list[tuple[str, str]]] = defaultdict(list)
    sql = (
        "SELECT episode.lead, episode.type, episode.family FROM episode"
        f" WHERE {LIVE_EPISODE} AND episode.lead IS NOT NULL"
        f" AND episode.allocated <= :as_of AND {OPEN_AT}"
    )
    params: dict[str, Any] = {"as_of": as_of, "today": as_of.date()}
    if leads is not None:
        sql += " AND episode.lead IN :leads"
        params["leads"] = leads
    for lead, kind, family in run.rows(sql, **params):
        held[lead].append((kind, family))
    return {k: tuple(v) for k, v in held.items()}


def _hub_checks(
    run: Runner, hub: str | None, practitioner: str | None
) -> tuple[tuple[RotaSnap, ...], tuple[tuple[str, datetime], ...]]:
    """The OSR rota and every OSR allocation (closed or not), of one hub or all.

    For one practitioner: their rota entries, and no hub weeks (OSR-3-PER-WEEK
    is about a hub, not a person).
    """
    rota_where, osr_where = (
        ["1 = 1"],
        [
            LIVE_EPISODE,
            "episode.type = 'joint_work'",
            "episode.source = 'osr'",
            "episode.allocated IS NOT NULL",
        ],
    )
    params: dict[str, Any] = {}
    if hub is not None:
        rota_where.append("hub = :hub")
        osr_where.append("episode.hub = :hub")
        params["hub"] = hub
    if practitioner is not None:
        rota_where.append("practitioner = :practitioner")
        params["practitioner"] = practitioner
    rota = tuple(
        RotaSnap(*r)
        for r in run.rows(
            "SELECT hub, week, practitioner FROM osr_rota"
            f" WHERE {' AND '.join(rota_where)} ORDER BY seq",
            **params,
        )
    )
    if practitioner is not None:
        return rota, ()
    osr = tuple(
        (h, moment(at))
        for h, at in run.rows(
            f"SELECT episode.hub, episode.allocated FROM episode WHERE {' AND '.join(osr_where)}",
            **params,
        )
    )
    return rota, osr  # type: ignore[return-value]


def load_from(
    source: Engine | Connection | Runner,
    as_of: datetime,
    **scope: Any,
) -> StoreSnap:
    """:func:`load` from an engine (opening a connection), a connection or a runner."""
    with reading(source) as run:
        return load(run, as_of, **scope)
