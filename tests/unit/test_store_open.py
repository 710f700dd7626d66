"""Opening a store: created owner-only, migrated to head, reopened without Alembic."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import inspect

from ehtui.db import HEAD_REVISION, current_revision, open_store, resolve_target


def test_new_store_is_migrated_and_private(db_path: Path) -> None:
    engine = open_store(str(db_path))
    assert current_revision(engine) == HEAD_REVISION
    tables = set(inspect(engine).get_table_names())
    assert {"practitioner", "family", "member", "episode", "contact", "audit"} <= tables
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_pragmas_wal_and_foreign_keys(db_path: Path) -> None:
    engine = open_store(str(db_path))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_target_resolution(monkeypatch, tmp_path: Path) -> None:
    assert resolve_target("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_target(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setenv("EHTUI_DB", str(tmp_path / "env.db"))
    assert resolve_target(None).endswith("env.db")
    monkeypatch.delenv("EHTUI_DB")
    assert resolve_target(None).endswith("data/ehtui.db")
