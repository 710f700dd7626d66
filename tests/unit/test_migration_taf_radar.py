"""Migration 0002: a store made before TAF meetings kept the family's RADAR feedback
upgrades with its meetings intact (feedback null), and the table matches the model."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from ehtui.db import MIGRATIONS, make_engine, open_store


def test_a_0001_store_gains_radar_feedback_and_keeps_its_meetings(db_path: Path) -> None:
    engine = make_engine(f"sqlite:///{db_path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=OFF"))
        conn.execute(
            text(
                "INSERT INTO taf_meeting (ref, episode, at, kind, agencies, radar_completed, "
                "plan_ratified_complete, actions, seq, version) VALUES ('T1', 'E1', "
                "'2026-02-20 10:00:00', 'initial', '[]', 1, 0, '[]', 1, 1)"
            )
        )
    engine.dispose()

    upgraded = open_store(str(db_path))
    with upgraded.connect() as conn:
        row = conn.execute(text("SELECT ref, radar_feedback FROM taf_meeting")).one()
        assert tuple(row) == ("T1", None)
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert [d for d in differences if "taf_meeting" in repr(d)] == []
