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
from typing import Any

from sqlalchemy import Connection, Engine, String, and_, or_, select, type_coerce

from ehtui.models import (
    Contact,
    Episode,
    EpisodeChild,
    Family,
    Member,
    OsrRota,
    Oversight,
    Practitioner,
    TafMeeting,
    VoiceOfChild,
)
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


def _t(model: Any) -> Any:
    return model.__table__


EP, FAM, MEM, LINK = _t(Episode), _t(Family), _t(Member), _t(EpisodeChild)
CON, VOC, TAF, OVS = _t(Contact), _t(VoiceOfChild), _t(TafMeeting), _t(Oversight)
PRA, ROTA = _t(Practitioner), _t(OsrRota)

_MIDNIGHT = datetime.min.time()


def _text(column: Any) -> Any:
    """Select ``column`` without SQLAlchemy's result processing (parsed by us)."""
    return type_coerce(column, String).label(column.name)


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


def _open_at(as_of: datetime) -> Any:
    return or_(EP.c.closed.is_(None), EP.c.closed > as_of.date())


def _live_family() -> Any:
    alive = select(FAM.c.ref).where(FAM.c.deleted_at.is_(None))
    return EP.c.family.in_(alive)


def _scope(
    as_of: datetime,
    practitioner: str | None,
    hub: str | None,
    episodes: Collection[str] | None,
    include_closed: bool,
) -> Any:
    cond = and_(EP.c.deleted_at.is_(None), EP.c.referral_received <= as_of.date(), _live_family())
    if practitioner is not None:
        cond = and_(cond, EP.c.lead == practitioner)
    if hub is not None:
        cond = and_(cond, EP.c.hub == hub)
    if episodes is not None:
        cond = and_(cond, EP.c.ref.in_(list(episodes)))
    if not include_closed:
        cond = and_(cond, _open_at(as_of))
    return cond


_EPISODE_COLUMNS = (
    EP.c.ref,
    EP.c.family,
    EP.c.type,
    EP.c.disposal,
    EP.c.hub,
    EP.c.lead,
    EP.c.source,
    _text(EP.c.referral_received),
    _text(EP.c.allocated),
    _text(EP.c.engagement_confirmed),
    _text(EP.c.eha_completed),
    _text(EP.c.assessment_completed),
    _text(EP.c.stepdown_consultation),
    _text(EP.c.stepdown_meeting),
    _text(EP.c.extension_approved_until),
    EP.c.sessions_delivered,
    EP.c.doc_case_summary,
    EP.c.doc_chronology,
    EP.c.doc_genogram,
    _text(EP.c.qa_completed),
    _text(EP.c.closed),
    EP.c.closure_reason,
    EP.c.agreed_contacts_per_4_weeks,
)


def load(
    conn: Connection,
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
    scope = _scope(as_of, practitioner, hub, episodes, include_closed)
    detail = scope if history else and_(scope, _open_at(as_of))
    detail_refs = select(EP.c.ref).where(detail)

    ep_rows = conn.execute(select(*_EPISODE_COLUMNS).where(scope).order_by(EP.c.seq)).all()
    families = {
        ref: FamilySnap(ref, name, address, phone, email, tuple(agencies or ()))
        for ref, name, address, phone, email, agencies in conn.execute(
            select(
                FAM.c.ref, FAM.c.name, FAM.c.address, FAM.c.phone, FAM.c.email, FAM.c.agencies
            ).where(FAM.c.ref.in_(select(EP.c.family).where(scope)))
        )
    }
    children: dict[str, list[ChildSnap]] = defaultdict(list)
    for episode, *child in conn.execute(
        select(
            LINK.c.episode,
            MEM.c.ref,
            MEM.c.first_name,
            _text(MEM.c.dob),
            MEM.c.ethnicity,
            MEM.c.religion,
            MEM.c.language,
            MEM.c.interpreter_needed,
            MEM.c.school,
            MEM.c.father_recorded,
        )
        .join(MEM, MEM.c.ref == LINK.c.child)
        .where(LINK.c.episode.in_(detail_refs), MEM.c.deleted_at.is_(None))
        .order_by(LINK.c.episode, LINK.c.position)
    ).all():
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

    contacts: dict[str, list[ContactSnap]] = defaultdict(list)
    for episode, ref, at, recorded_at, method, outcome in conn.execute(
        select(
            CON.c.episode,
            CON.c.ref,
            _text(CON.c.at),
            _text(CON.c.recorded_at),
            CON.c.method,
            CON.c.outcome,
        )
        .where(CON.c.episode.in_(detail_refs), CON.c.deleted_at.is_(None))
        .order_by(CON.c.episode, CON.c.at, CON.c.seq)
    ).all():
        contacts[episode].append(ContactSnap(ref, moment(at), moment(recorded_at), method, outcome))  # type: ignore[arg-type]

    voices: dict[str, list[VoiceSnap]] = defaultdict(list)
    for episode, ref, child_ref, at in conn.execute(
        select(VOC.c.episode, VOC.c.ref, VOC.c.child, _text(VOC.c.at))
        .where(VOC.c.episode.in_(detail_refs), VOC.c.deleted_at.is_(None))
        .order_by(VOC.c.episode, VOC.c.at, VOC.c.seq)
    ).all():
        voices[episode].append(VoiceSnap(ref, child_ref, moment(at)))  # type: ignore[arg-type]

    tafs: dict[str, list[TafSnap]] = defaultdict(list)
    for episode, ref, at, kind, radar, ratified in conn.execute(
        select(
            TAF.c.episode,
            TAF.c.ref,
            _text(TAF.c.at),
            TAF.c.kind,
            TAF.c.radar_completed,
            TAF.c.plan_ratified_complete,
        )
        .where(TAF.c.episode.in_(detail_refs), TAF.c.deleted_at.is_(None))
        .order_by(TAF.c.episode, TAF.c.at, TAF.c.seq)
    ).all():
        tafs[episode].append(TafSnap(ref, moment(at), kind, bool(radar), bool(ratified)))  # type: ignore[arg-type]

    oversights: dict[str, list[OversightSnap]] = defaultdict(list)
    for episode, ref, at, kind in conn.execute(
        select(OVS.c.episode, OVS.c.ref, _text(OVS.c.at), OVS.c.kind)
        .where(OVS.c.episode.in_(detail_refs), OVS.c.deleted_at.is_(None))
        .order_by(OVS.c.episode, OVS.c.at, OVS.c.seq)
    ).all():
        oversights[episode].append(OversightSnap(ref, moment(at), kind))  # type: ignore[arg-type]

    empty: tuple[Any, ...] = ()
    snaps = tuple(
        _episode(
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
        for r in conn.execute(
            select(
                PRA.c.ref, PRA.c.name, PRA.c.role, PRA.c.grade, PRA.c.hub, PRA.c.fte, PRA.c.manager
            )
            .where(PRA.c.deleted_at.is_(None))
            .order_by(PRA.c.seq)
        )
    )
    if episodes is not None:  # a case: its leads' caps, no hub-level checks
        leads = sorted({s.lead for s in snaps if s.lead is not None})
        caseloads = _caseloads(conn, as_of, leads) if leads else {}
        return StoreSnap(snaps, practitioners, (), (), caseloads, True, history, frozenset(leads))
    caps_for: frozenset[str] | None = None
    if practitioner is not None:
        in_hub = hub is None or any(p.ref == practitioner and p.hub == hub for p in practitioners)
        caps_for = frozenset({practitioner} if in_hub else ())
    elif hub is not None:
        caps_for = frozenset(p.ref for p in practitioners if p.hub == hub)
    rota, osr = _hub_checks(conn, hub, practitioner)
    caseloads = _caseloads(conn, as_of, None if practitioner is None else [practitioner])
    return StoreSnap(snaps, practitioners, rota, osr, caseloads, True, history, caps_for)


def _episode(
    r: Any,
    families: dict[str, FamilySnap],
    children: tuple[ChildSnap, ...],
    contacts: tuple[ContactSnap, ...],
    voices: tuple[VoiceSnap, ...],
    tafs: tuple[TafSnap, ...],
    oversights: tuple[OversightSnap, ...],
) -> EpisodeSnap:
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
    conn: Connection, as_of: datetime, leads: list[str] | None
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each lead's open episodes at ``as_of`` (allocated by then): (type, family) pairs."""
    held: dict[str, list[tuple[str, str]]] = defaultdict(list)
    query = select(EP.c.lead, EP.c.type, EP.c.family).where(
        EP.c.deleted_at.is_(None),
        _live_family(),
        EP.c.lead.is_not(None),
        EP.c.allocated <= as_of,
        _open_at(as_of),
    )
    if leads is not None:
        query = query.where(EP.c.lead.in_(leads))
    for lead, kind, family in conn.execute(query):
        held[lead].append((kind, family))
    return {k: tuple(v) for k, v in held.items()}


def _hub_checks(
    conn: Connection, hub: str | None, practitioner: str | None
) -> tuple[tuple[RotaSnap, ...], tuple[tuple[str, datetime], ...]]:
    """The OSR rota and every OSR allocation (closed or not), of one hub or all.

    For one practitioner: their rota entries, and no hub weeks (OSR-3-PER-WEEK
    is about a hub, not a person).
    """
    rota_q = select(ROTA.c.hub, ROTA.c.week, ROTA.c.practitioner).order_by(ROTA.c.seq)
    osr_q = select(EP.c.hub, _text(EP.c.allocated)).where(
        EP.c.deleted_at.is_(None),
        _live_family(),
        EP.c.type == "joint_work",
        EP.c.source == "osr",
        EP.c.allocated.is_not(None),
    )
    if hub is not None:
        rota_q = rota_q.where(ROTA.c.hub == hub)
        osr_q = osr_q.where(EP.c.hub == hub)
    if practitioner is not None:
        rota_q = rota_q.where(ROTA.c.practitioner == practitioner)
    rota = tuple(RotaSnap(*r) for r in conn.execute(rota_q))
    if practitioner is not None:
        return rota, ()
    osr = tuple((h, moment(at)) for h, at in conn.execute(osr_q))
    return rota, osr  # type: ignore[return-value]


def load_from(
    source: Engine | Connection,
    as_of: datetime,
    **scope: Any,
) -> StoreSnap:
    """:func:`load` from an engine (opening a connection) or a connection."""
    if isinstance(source, Connection):
        return load(source, as_of, **scope)
    with source.connect() as conn:
        return load(conn, as_of, **scope)
