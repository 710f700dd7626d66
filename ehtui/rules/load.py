"""Loading snapshots from the store with a few set-based queries.

One query per table, filtered by the scope (an episode, a practitioner, a hub
or the whole store), never a query per episode. Closed episodes' contacts,
voice records, meetings and oversight are loaded only when their ``late``
history is wanted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, or_, select

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


def _moment(value: Any) -> datetime | None:
    """A date-or-date-time string (or value) as a date-time; a date means 00:00."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    return datetime.fromisoformat(str(value))


def _open_at(as_of: datetime) -> Any:
    return or_(EP.c.closed.is_(None), EP.c.closed > as_of.date())


def _scope(
    as_of: datetime,
    practitioner: str | None,
    hub: str | None,
    episodes: Collection[str] | None,
) -> Any:
    cond = and_(EP.c.deleted_at.is_(None), EP.c.referral_received <= as_of.date())
    if practitioner is not None:
        cond = and_(cond, EP.c.lead == practitioner)
    if hub is not None:
        cond = and_(cond, EP.c.hub == hub)
    if episodes is not None:
        cond = and_(cond, EP.c.ref.in_(list(episodes)))
    return cond


def load(
    conn: Connection,
    as_of: datetime,
    *,
    practitioner: str | None = None,
    hub: str | None = None,
    episodes: Collection[str] | None = None,
    history: bool = False,
) -> StoreSnap:
    """Everything the engine needs for the scope, as it is in the store now.

    ``history``: also load the detail of episodes closed by ``as_of`` (their
    ``late`` findings need it). Caps, caseloads and hub checks are loaded
    unless the scope is a set of episodes.
    """
    r: Any  # one result row at a time
    scope = _scope(as_of, practitioner, hub, episodes)
    detail = scope if history else and_(scope, _open_at(as_of))
    detail_refs = select(EP.c.ref).where(detail)

    ep_rows = conn.execute(select(EP).where(scope).order_by(EP.c.seq)).all()
    family_refs = select(EP.c.family).where(scope)
    families = {
        r.ref: FamilySnap(r.ref, r.name, r.address, r.phone, r.email, tuple(r.agencies or ()))
        for r in conn.execute(
            select(
                FAM.c.ref, FAM.c.name, FAM.c.address, FAM.c.phone, FAM.c.email, FAM.c.agencies
            ).where(FAM.c.ref.in_(family_refs))
        )
    }
    children: dict[str, list[ChildSnap]] = defaultdict(list)
    for r in conn.execute(
        select(
            LINK.c.episode,
            MEM.c.ref,
            MEM.c.first_name,
            MEM.c.dob,
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
    ):
        children[r.episode].append(ChildSnap(*r[1:]))

    contacts: dict[str, list[ContactSnap]] = defaultdict(list)
    for r in conn.execute(
        select(CON.c.episode, CON.c.ref, CON.c.at, CON.c.recorded_at, CON.c.method, CON.c.outcome)
        .where(CON.c.episode.in_(detail_refs), CON.c.deleted_at.is_(None))
        .order_by(CON.c.episode, CON.c.at, CON.c.seq)
    ):
        contacts[r.episode].append(ContactSnap(r.ref, r.at, r.recorded_at, r.method, r.outcome))

    voices: dict[str, list[VoiceSnap]] = defaultdict(list)
    for r in conn.execute(
        select(VOC.c.episode, VOC.c.ref, VOC.c.child, VOC.c.at)
        .where(VOC.c.episode.in_(detail_refs), VOC.c.deleted_at.is_(None))
        .order_by(VOC.c.episode, VOC.c.at, VOC.c.seq)
    ):
        voices[r.episode].append(VoiceSnap(r.ref, r.child, r.at))

    tafs: dict[str, list[TafSnap]] = defaultdict(list)
    for r in conn.execute(
        select(
            TAF.c.episode,
            TAF.c.ref,
            TAF.c.at,
            TAF.c.kind,
            TAF.c.radar_completed,
            TAF.c.plan_ratified_complete,
        )
        .where(TAF.c.episode.in_(detail_refs), TAF.c.deleted_at.is_(None))
        .order_by(TAF.c.episode, TAF.c.at, TAF.c.seq)
    ):
        tafs[r.episode].append(
            TafSnap(r.ref, r.at, r.kind, bool(r.radar_completed), bool(r.plan_ratified_complete))
        )

    oversights: dict[str, list[OversightSnap]] = defaultdict(list)
    for r in conn.execute(
        select(OVS.c.episode, OVS.c.ref, OVS.c.at, OVS.c.kind)
        .where(OVS.c.episode.in_(detail_refs), OVS.c.deleted_at.is_(None))
        .order_by(OVS.c.episode, OVS.c.at, OVS.c.seq)
    ):
        oversights[r.episode].append(OversightSnap(r.ref, r.at, r.kind))

    snaps = tuple(
        _episode(r, families, children, contacts, voices, tafs, oversights) for r in ep_rows
    )
    with_caps = episodes is None
    practitioners: tuple[PractitionerSnap, ...] = ()
    rota: tuple[RotaSnap, ...] = ()
    osr: tuple[tuple[str, datetime], ...] = ()
    caseloads: dict[str, tuple[tuple[str, str], ...]] = {}
    if with_caps:
        practitioners, rota, osr, caseloads = _caps(conn, as_of, practitioner, hub)
    return StoreSnap(snaps, practitioners, rota, osr, caseloads, with_caps, history)


def _episode(
    r: Any,
    families: dict[str, FamilySnap],
    children: dict[str, list[ChildSnap]],
    contacts: dict[str, list[ContactSnap]],
    voices: dict[str, list[VoiceSnap]],
    tafs: dict[str, list[TafSnap]],
    oversights: dict[str, list[OversightSnap]],
) -> EpisodeSnap:
    ref = r.ref
    return EpisodeSnap(
        ref=ref,
        family=families.get(r.family) or FamilySnap(r.family, "", None, None, None, ()),
        type=r.type,
        disposal=r.disposal,
        hub=r.hub,
        lead=r.lead,
        source=r.source,
        referral_received=r.referral_received,
        allocated=r.allocated,
        engagement_confirmed=r.engagement_confirmed,
        eha_completed=r.eha_completed,
        assessment_completed=_moment(r.assessment_completed),
        stepdown_consultation=r.stepdown_consultation,
        stepdown_meeting=r.stepdown_meeting,
        extension_approved_until=r.extension_approved_until,
        sessions_delivered=r.sessions_delivered,
        doc_case_summary=bool(r.doc_case_summary),
        doc_chronology=bool(r.doc_chronology),
        doc_genogram=bool(r.doc_genogram),
        qa_completed=_moment(r.qa_completed),
        closed=r.closed,
        closure_reason=r.closure_reason,
        agreed_contacts_per_4_weeks=r.agreed_contacts_per_4_weeks,
        children=tuple(children.get(ref, ())),
        contacts=tuple(contacts.get(ref, ())),
        voices=tuple(voices.get(ref, ())),
        tafs=tuple(tafs.get(ref, ())),
        oversights=tuple(oversights.get(ref, ())),
    )


def _caps(
    conn: Connection, as_of: datetime, practitioner: str | None, hub: str | None
) -> tuple[
    tuple[PractitionerSnap, ...],
    tuple[RotaSnap, ...],
    tuple[tuple[str, datetime], ...],
    dict[str, tuple[tuple[str, str], ...]],
]:
    """Practitioners, the rota, every OSR allocation and each open caseload."""
    people = (
        select(PRA.c.ref, PRA.c.name, PRA.c.role, PRA.c.grade, PRA.c.hub, PRA.c.fte, PRA.c.manager)
        .where(PRA.c.deleted_at.is_(None))
        .order_by(PRA.c.seq)
    )
    practitioners = tuple(PractitionerSnap(*r) for r in conn.execute(people))
    rota_q = select(ROTA.c.hub, ROTA.c.week, ROTA.c.practitioner).order_by(ROTA.c.seq)
    if hub is not None:
        rota_q = rota_q.where(ROTA.c.hub == hub)
    rota = tuple(RotaSnap(*r) for r in conn.execute(rota_q))
    osr_q = select(EP.c.hub, EP.c.allocated).where(
        EP.c.deleted_at.is_(None),
        EP.c.type == "joint_work",
        EP.c.source == "osr",
        EP.c.allocated.is_not(None),
    )
    if hub is not None:
        osr_q = osr_q.where(EP.c.hub == hub)
    osr = tuple((r.hub, r.allocated) for r in conn.execute(osr_q))
    held: dict[str, list[tuple[str, str]]] = defaultdict(list)
    load_q = select(EP.c.lead, EP.c.type, EP.c.family).where(
        EP.c.deleted_at.is_(None),
        EP.c.lead.is_not(None),
        EP.c.allocated <= as_of,
        _open_at(as_of),
    )
    if practitioner is not None:
        load_q = load_q.where(EP.c.lead == practitioner)
    for r in conn.execute(load_q):
        held[r.lead].append((r.type, r.family))
    return practitioners, rota, osr, {k: tuple(v) for k, v in held.items()}


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
