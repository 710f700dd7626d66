"""England and Wales bank holidays, from the ``holidays`` library, kept between runs.

``holidays.country_holidays("GB", subdiv="ENG")`` is the source. Importing the
library loads every country it knows, about a quarter of a second here: most of
what a one-shot command such as ``ehtui lookup`` would spend. So each year's
list, once computed, is kept in a small JSON file in the user's cache folder,
stamped with the installed library (its file's size and modification time);
a new ``holidays`` release, a damaged or missing file all mean computing afresh.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import date
from importlib.util import find_spec
from pathlib import Path

from ehtui import paths

FILE = "bank-holidays-GB-ENG.json"


def _library_stamp() -> str:
    """Which ``holidays`` is installed, without importing it."""
    spec = find_spec("holidays")
    if spec is None or spec.origin is None:
        return ""
    stat = Path(spec.origin).stat()
    return f"{spec.origin}:{stat.st_size}:{stat.st_mtime_ns}"


def _computed(year: int) -> list[date]:
    import holidays

    return sorted(holidays.country_holidays("GB", subdiv="ENG", years=year))


def _read(path: Path, stamp: str) -> dict[str, list[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("library") != stamp:
        return {}
    years = data.get("years")
    return years if isinstance(years, dict) else {}


def _write(path: Path, stamp: str, years: dict[str, list[str]]) -> None:
    """Atomically (several processes may write at once); a cache that cannot be
    written is simply not kept."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"library": stamp, "years": years}), encoding="utf-8")
        os.replace(tmp, path)


def england_bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in ``year``."""
    stamp = _library_stamp()
    path = paths.cache_dir() / FILE
    years = _read(path, stamp)
    kept = years.get(str(year))
    if isinstance(kept, list):
        try:
            return frozenset(date.fromisoformat(d) for d in kept)
        except (TypeError, ValueError):
            pass
    found = _computed(year)
    years[str(year)] = [d.isoformat() for d in found]
    _write(path, stamp, years)
    return frozenset(found)
