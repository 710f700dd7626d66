from __future__ import annotations

from pathlib import Path

import pytest

from tests.appkit import copy_store, make_demo_store


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo_store(tmp_path_factory.mktemp("demo-template"))


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    return copy_store(demo_template, tmp_path)
