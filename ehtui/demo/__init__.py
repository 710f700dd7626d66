"""``ehtui demo``: deterministic synthetic data that looks like a real service.

``generate(engine, size, seed, anchor)`` fills an empty store: practitioners
in hubs, families with every demographic field (some incomplete), episodes of
every type with contacts, voice of the child, TAF meetings and supervision at
the protocol's rhythms, and a mix of on-time, late, overdue and due-soon work
relative to ``anchor`` ("today"). Same size, seed and anchor: same store.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, func, select

from ehtui.audit import record_batch
from ehtui.demo.generate import SIZES, generate_rows
from ehtui.demo.writer import write_all
from ehtui.meta import set_meta
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

__all__ = ["SIZES", "generate", "store_is_empty"]


def store_is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        table = Practitioner.__table__  # type: ignore[attr-defined]
        return not conn.execute(select(func.count()).select_from(table)).scalar()


def generate(
    engine: Engine, size: str, seed: int, anchor: date, *, progress: bool = True
) -> dict[str, int]:
    """Generate and write the demo in one transaction; returns row counts per table.

    Nothing recorded lies after 17:00 on ``anchor``; when the anchor is today (or
    later), nothing lies after the machine's clock either, so the store never holds
    a future event. Only then is the clock read: a past anchor gives the same store
    on every run.
    """
    clock = datetime.now() if anchor >= date.today() else None
    g = generate_rows(size, seed, anchor, clock=clock, progress=progress)
    rows = g.episodes.rows
    tables = (
        (Practitioner, g.practitioners),
        (Family, g.families),
        (Member, g.members),
        (Episode, rows.episodes),
        (EpisodeChild, rows.links),
        (Contact, rows.contacts),
        (VoiceOfChild, rows.voices),
        (TafMeeting, rows.tafs),
        (Oversight, rows.oversights),
        (OsrRota, g.rota),
    )
    with engine.begin() as conn:
        counts = write_all(conn, tables, progress)
        set_meta(conn, "demo_user", g.me)
        set_meta(conn, "demo_anchor", anchor.isoformat())
        record_batch(
            conn,
            user=None,
            action="demo",
            counts=counts,
            source=f"demo {size} seed {seed} anchor {anchor.isoformat()}",
        )
    return counts
