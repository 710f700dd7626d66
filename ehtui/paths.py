"""Where ehtui keeps things: platformdirs locations, with environment overrides.

``EHTUI_DATA_DIR``, ``EHTUI_CONFIG_DIR`` and ``EHTUI_CACHE_DIR`` override the
platform directories (tests point them at a temporary folder).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

APP = "ehtui"


def data_dir() -> Path:
    override = os.environ.get("EHTUI_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    override = os.environ.get("EHTUI_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Where computed facts are kept between runs (nothing there is case data)."""
    override = os.environ.get("EHTUI_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False))


def default_store() -> Path:
    return data_dir() / "ehtui.db"


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) owner-only: these are children's records."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        path.chmod(0o700)


def store_url(target: str | os.PathLike[str] | None = None) -> str:
    """Turn ``--db`` / ``EHTUI_DB`` / the default into an SQLAlchemy URL."""
    raw = str(target) if target is not None else os.environ.get("EHTUI_DB") or ""
    if not raw:
        raw = str(default_store())
    if "://" in raw:
        return raw
    return f"sqlite:///{Path(raw).expanduser().absolute()}"


def settings_file(explicit: str | None) -> Path | None:
    """The settings file in force: ``explicit``, else the config directory's, if present."""
    if explicit:
        return Path(explicit)
    default = config_dir() / "settings.toml"
    return default if default.exists() else None
