"""The app's own preferences in the config directory: the theme and user keys.

- ``app.json``: ``{"theme": "nord"}``, written when the theme is changed from
  the command palette, read at start-up.
- ``keys.toml``: user keymaps, binding id → keys, e.g.::

      [keys]
      "tray.filter" = "f"
      "app.tray" = "ctrl+w,f2"

  Every binding in the app has an id (the help screen, F1, lists them).

Plain files, no Textual here; the app applies them.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from ehtui import paths

_KEYS = re.compile(r"^[a-z0-9_+\-]+(,[a-z0-9_+\-]+)*$")


def _app_file() -> Path:
    return paths.config_dir() / "app.json"


def keys_file() -> Path:
    return paths.config_dir() / "keys.toml"


def _read_app() -> dict[str, Any]:
    try:
        data = json.loads(_app_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def saved_theme() -> str | None:
    theme = _read_app().get("theme")
    return theme if isinstance(theme, str) else None


def save_theme(name: str) -> None:
    data = _read_app()
    data["theme"] = name
    target = _app_file()
    paths.ensure_private_dir(target.parent)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, target)


def load_keymap(known: set[str] | None = None) -> tuple[dict[str, str], list[str]]:
    """The user's keymap (binding id → keys) and the problems found, each naming the
    file and the entry. Entries with a problem are left out; a missing file is no keymap."""
    path = keys_file()
    if not path.exists():
        return {}, []
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return {}, [f"{path.name}: cannot read it: {exc.strerror}"]
    except tomllib.TOMLDecodeError as exc:
        return {}, [f"{path.name}: not valid TOML: {exc}"]
    keys = data.get("keys")
    if not isinstance(keys, dict):
        return {}, [f"{path.name}: expected a [keys] table of binding id = keys"]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in keys.items():
        where = f"{path.name}: keys.{binding_id}"
        if known is not None and binding_id not in known:
            problems.append(f"{where}: no binding has this id")
        elif not isinstance(value, str) or not _KEYS.match(value.replace(" ", "")):
            problems.append(f'{where}: {value!r} is not a key list like "f" or "ctrl+w,f2"')
        else:
            keymap[binding_id] = value.replace(" ", "")
    return keymap, problems
