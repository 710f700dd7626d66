"""A store made by the first migration opens and upgrades with its data intact."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from ehtui.db import HEAD_REVISION, MIGRATIONS, current_revision, make_engine, open_store


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def test_head_constant_matches_the_migration_scripts() -> None:
    assert ScriptDirectory.from_config(_config()).get_current_head() == HEAD_REVISION


def test_first_release_store_upgrades_and_keeps_its_data(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    engine = make_engine(url)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO practitioner (ref, name, role, hub, fte, seq, version) "
                "VALUES ('P1', 'Amira Khan', 'practitioner', 'West', 1.0, 1, 1)"
            )
        )
    engine.dispose()

    reopened = open_store(str(db_path))
    assert current_revision(reopened) == HEAD_REVISION
    with reopened.connect() as conn:
        assert conn.execute(text("SELECT name FROM practitioner WHERE ref='P1'")).scalar() == (
            "Amira Khan"
        )


def test_reopening_an_up_to_date_store_is_a_no_op(db_path: Path) -> None:
    open_store(str(db_path)).dispose()
    engine = open_store(str(db_path))
    assert current_revision(engine) == HEAD_REVISION
