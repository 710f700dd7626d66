"""``ehtui`` (the app command) tells an encrypted store by its file, before any import."""

from __future__ import annotations

from pathlib import Path

import pytest

from ehtui.commands.app import _encrypted_file
from ehtui.db import open_store


def test_encrypted_store_is_recognised_by_its_header(tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    open_store(str(plain)).dispose()
    scrambled = tmp_path / "scrambled.db"
    scrambled.write_bytes(b"\x8f\x12" * 2048)
    assert _encrypted_file(str(plain)) is False
    assert _encrypted_file(f"sqlite:///{plain}") is False
    assert _encrypted_file(str(scrambled)) is True
    assert _encrypted_file(str(tmp_path / "missing.db")) is False
    assert _encrypted_file("postgresql+psycopg://u@h/db") is False


def test_the_app_starts_with_what_is_imported_out_of_the_collectors_sight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start-up's allocations trigger a full collection: it must not walk Textual, Rich
    and the app's modules (some 40 ms just before the work tray's first paint)."""
    import gc

    from ehtui.app import EhtuiApp
    from ehtui.cli import main

    gc.unfreeze()  # an earlier app in this process (its warm-up) may have frozen some
    frozen: list[int] = []
    monkeypatch.setattr(EhtuiApp, "run", lambda self: frozen.append(gc.get_freeze_count()))
    try:
        assert main(["--db", str(tmp_path / "store.db")]) == 0
    finally:
        gc.unfreeze()
    assert frozen and frozen[0] > 10_000
