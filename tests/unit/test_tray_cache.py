"""The kept work tray: painted at start-up only while it still holds, read without SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from ehtui.db import open_store
from ehtui.levels import Level
from ehtui.models import Episode
from ehtui.rules import DEFAULT_TABLE
from ehtui.sql import sqlite_file
from ehtui.store import store_info, tray_for
from ehtui.tray_cache import DAYS_AHEAD, keep_ahead, my_tray, peek_tray
from ehtui.unit_of_work import fetch, write
from tests.unit.builders import seed_one_episode

NOW = datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def store(tmp_path: Path) -> tuple[str, object]:
    path = tmp_path / "store.db"
    seed_one_episode(str(path))
    engine = open_store(str(path))
    return f"sqlite:///{path}", engine


def keep(engine: object, settings: str = "-") -> object:
    info = store_info(engine, "P1")  # type: ignore[arg-type]
    assert info.me is not None
    return my_tray(engine, NOW, info.me, info.team, DEFAULT_TABLE, settings)


def keep_week(engine: object) -> int:
    info = store_info(engine, "P1")  # type: ignore[arg-type]
    assert info.me is not None
    return keep_ahead(engine, NOW, info.me, info.team, DEFAULT_TABLE, "-")


def test_the_kept_tray_comes_back_exactly(store: tuple[str, object]) -> None:
    url, engine = store
    assert peek_tray(url, "P1", NOW.date(), "-") is None  # nothing kept yet
    load = keep(engine)
    peeked = peek_tray(url, "P1", NOW.date(), "-")
    assert peeked is not None
    assert peeked.load == load
    assert [r.episode for r in peeked.load.rows] == ["E1"]
    assert peeked.me.ref == "P1" and peeked.me.name == "Amira Khan"


def test_any_change_to_case_data_makes_it_stale(store: tuple[str, object]) -> None:
    url, engine = store
    keep(engine)
    with write(engine, "P1") as s:  # type: ignore[arg-type]
        fetch(s, Episode, "E1").hub = "South"
    assert peek_tray(url, "P1", NOW.date(), "-") is None
    keep(engine)
    assert peek_tray(url, "P1", NOW.date(), "-") is not None


def test_settings_user_or_a_day_not_kept_make_it_stale(store: tuple[str, object]) -> None:
    url, engine = store
    keep(engine, settings="abc")
    assert peek_tray(url, "P1", NOW.date(), "abc") is not None
    assert peek_tray(url, "P1", date(2026, 11, 19), "abc") is None  # before it was kept
    assert peek_tray(url, "P1", date(2026, 11, 21), "abc") is None  # the days ahead: not yet
    assert peek_tray(url, "P1", NOW.date(), "other") is None  # the rules table changed
    assert peek_tray(url, "P2", NOW.date(), "abc") is None


def test_a_later_day_gets_the_tray_the_engine_gives_for_that_day(
    store: tuple[str, object],
) -> None:
    """Kept on Friday 20 Nov, opened on Monday 23 Nov with nothing changed: Monday's
    tray, exactly as the engine computes it on Monday (days open, ages, levels)."""
    url, engine = store
    with write(engine, "P1") as s:  # type: ignore[arg-type]
        fetch(s, Episode, "E1").allocated = datetime(2026, 11, 18, 9, 0)  # first contact due Fri
    keep(engine)
    assert keep_week(engine) == DAYS_AHEAD + 1
    assert peek_tray(url, "P1", date(2026, 11, 27), "-") is not None  # a week on
    assert peek_tray(url, "P1", date(2026, 11, 28), "-") is None  # not kept
    monday = datetime(2026, 11, 23, 10, 0)
    info = store_info(engine, "P1")  # type: ignore[arg-type]
    assert info.me is not None
    fresh = tray_for(engine, monday, info.me, "mine", info.team, DEFAULT_TABLE)  # type: ignore[arg-type]
    peeked = peek_tray(url, "P1", monday.date(), "-")
    assert peeked is not None and peeked.load == fresh
    friday = peek_tray(url, "P1", NOW.date(), "-")
    assert friday is not None
    (mon_row,), (fri_row,) = peeked.load.rows, friday.load.rows
    assert mon_row.days_open is not None and fri_row.days_open is not None
    assert (fri_row.days_open, mon_row.days_open) == (2, 5)
    assert (fri_row.level, mon_row.level) == (Level.DUE_SOON, Level.OVERDUE)
    with write(engine, "P1") as s:  # type: ignore[arg-type]
        fetch(s, Episode, "E1").hub = "South"
    assert peek_tray(url, "P1", monday.date(), "-") is None  # any change: every day is stale


def test_only_a_plain_sqlite_file_is_peeked(store: tuple[str, object], tmp_path: Path) -> None:
    _url, engine = store
    keep(engine)
    assert sqlite_file("postgresql+psycopg://u@h/db") is None
    assert sqlite_file("sqlite:///:memory:") is None
    garbage = tmp_path / "encrypted.db"
    garbage.write_bytes(b"\x8f" * 4096)  # an SQLCipher file has no plain header
    assert peek_tray(f"sqlite:///{garbage}", "P1", NOW.date(), "-") is None
    assert peek_tray(f"sqlite:///{tmp_path / 'absent.db'}", "P1", NOW.date(), "-") is None


def test_a_damaged_entry_is_ignored(store: tuple[str, object]) -> None:
    url, engine = store
    keep(engine)
    from ehtui.meta import set_meta

    with engine.begin() as conn:  # type: ignore[attr-defined]
        set_meta(conn, "tray_cache:P1", '{"format": 1, "rows": [')
    assert peek_tray(url, "P1", NOW.date(), "-") is None


def test_the_start_up_path_loads_no_sqlalchemy() -> None:
    code = """
import sys
import ehtui.app, ehtui.tray_cache, screens.tray, screens.loading
loaded = sorted(m for m in sys.modules if m == "sqlalchemy" or m.startswith("sqlalchemy."))
assert not loaded, loaded[:5]
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_todays_refresh_keeps_the_days_ahead_while_nothing_changes(
    store: tuple[str, object],
) -> None:
    url, engine = store
    keep(engine)
    assert keep_week(engine) == DAYS_AHEAD + 1
    assert keep_week(engine) == 0  # already kept: nothing computed
    keep(engine)  # the tray refreshed today (say the confirming load at start-up)
    assert peek_tray(url, "P1", date(2026, 11, 23), "-") is not None
    with write(engine, "P1") as s:  # type: ignore[arg-type]
        fetch(s, Episode, "E1").hub = "South"
    keep(engine)  # after a change: today only, until the days ahead are computed again
    assert peek_tray(url, "P1", NOW.date(), "-") is not None
    assert peek_tray(url, "P1", date(2026, 11, 23), "-") is None
    assert keep_week(engine) == DAYS_AHEAD + 1
    assert peek_tray(url, "P1", date(2026, 11, 23), "-") is not None
