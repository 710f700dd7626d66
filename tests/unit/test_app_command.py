"""``ehtui`` (the app command) tells an encrypted store by its file, before any import."""

from __future__ import annotations

from pathlib import Path

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
