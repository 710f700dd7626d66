"""Shared fixtures: every test gets its own store and its own config/data dirs."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import Engine

from ehtui.db import open_store
from tests.pg import BACKENDS, fresh_database

# Property tests judge answers, not speed: a first example that loads the holiday
# calendar on a busy CI worker must not fail on Hypothesis's 200 ms deadline.
settings.register_profile("ehtui", deadline=None)
settings.load_profile("ehtui")


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the real user's config and data directories."""
    monkeypatch.setenv("EHTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EHTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("EHTUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EHTUI_DB", raising=False)
    monkeypatch.delenv("EHTUI_AS_OF", raising=False)
    monkeypatch.delenv("EHTUI_PASSPHRASE", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: a store test about SQLite files alone")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Store tests run on every backend: a unit test that asks for ``engine`` or
    ``store_target`` runs on SQLite and on PostgreSQL (see tests/pg.py), unless it
    also asks for ``db_path`` (it is about the SQLite file) or is marked ``sqlite_only``.
    """
    names = metafunc.fixturenames
    if "backend" not in names:
        return
    own = inspect.signature(metafunc.function).parameters
    on_file = "db_path" in own or metafunc.definition.get_closest_marker("sqlite_only")
    in_unit = "unit" in Path(str(metafunc.definition.path)).parts
    if in_unit and not on_file:  # elsewhere ``backend`` stays "sqlite", the ids unchanged
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``: the engine the store fixtures give this test."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def store_target(backend: str, db_path: Path) -> Iterator[str]:
    """A fresh, empty store's ``--db`` value: the file path, or a new database's URL."""
    if backend == "sqlite":
        yield str(db_path)
    else:
        with fresh_database() as url:
            yield url


@pytest.fixture
def engine(store_target: str) -> Iterator[Engine]:
    """A fresh, migrated, empty store (on each backend, see ``pytest_generate_tests``)."""
    eng = open_store(store_target)
    yield eng
    eng.dispose()
