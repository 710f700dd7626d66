"""England's bank holidays come from the ``holidays`` library and are kept between runs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import holidays
import pytest

from ehtui import bank_holidays as bh
from ehtui import paths


def kept_file() -> Path:
    return paths.cache_dir() / bh.FILE


def test_the_list_is_the_librarys_and_is_kept_for_the_next_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=2026))
    assert bh.england_bank_holidays(2026) == expected
    assert date(2026, 12, 28) in expected  # Boxing Day substitute
    data = json.loads(kept_file().read_text(encoding="utf-8"))
    assert sorted(data["years"]["2026"]) == sorted(d.isoformat() for d in expected)

    def no_library(year: int) -> list[date]:
        raise AssertionError("the kept list should have been used")

    monkeypatch.setattr(bh, "_computed", no_library)
    assert bh.england_bank_holidays(2026) == expected


def test_a_new_library_or_a_damaged_file_means_computing_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bh.england_bank_holidays(2027)
    data = json.loads(kept_file().read_text(encoding="utf-8"))
    data["years"]["2027"] = ["2027-01-02"]  # what an older library might have said
    kept_file().write_text(json.dumps(data), encoding="utf-8")
    assert bh.england_bank_holidays(2027) == frozenset([date(2027, 1, 2)])

    monkeypatch.setattr(bh, "_library_stamp", lambda: "holidays, upgraded")
    assert date(2027, 1, 1) in bh.england_bank_holidays(2027)
    assert json.loads(kept_file().read_text(encoding="utf-8"))["library"] == "holidays, upgraded"

    kept_file().write_text("{not json", encoding="utf-8")
    assert date(2027, 12, 27) in bh.england_bank_holidays(2027)


def test_a_cache_folder_that_cannot_be_written_is_no_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("EHTUI_CACHE_DIR", str(blocked))
    assert date(2028, 12, 25) in bh.england_bank_holidays(2028)
