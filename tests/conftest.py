"""Shared fixtures: every test gets its own store and its own config/data dirs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from ehtui.db import open_store


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the real user's config and data directories."""
    monkeypatch.setenv("EHTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EHTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("EHTUI_DB", raising=False)
    monkeypatch.delenv("EHTUI_AS_OF", raising=False)
    monkeypatch.delenv("EHTUI_PASSPHRASE", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def engine(db_path: Path) -> Iterator[Engine]:
    """A fresh, migrated, empty store."""
    eng = open_store(str(db_path))
    yield eng
    eng.dispose()
