"""What every command and the app share: the store, "me", the as-of moment.

"Me" is a client setting remembered per store in the config directory
(``--user`` overrides; a store made by ``ehtui demo`` suggests its demo user
the first time it is opened).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehtui import paths
from ehtui.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ehtui.sql import Runner


def parse_as_of(text: str | None, *, field_name: str = "--as-of") -> datetime | None:
    """A date means the end of that day (23:59:59); a date-time is taken as is."""
    if text is None or text == "":
        return None
    try:
        if "T" in text:
            return datetime.fromisoformat(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(
            [f"{field_name}: {text!r} is not a date (YYYY-MM-DD) or date-time"]
        ) from None
    return datetime.combine(day, datetime.max.time()).replace(microsecond=0)


def _prefs_file() -> Path:
    return paths.config_dir() / "stores.json"


def _read_prefs() -> dict[str, Any]:
    try:
        data = json.loads(_prefs_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered_user(url: str) -> str | None:
    entry = _read_prefs().get(url)
    return entry.get("user") if isinstance(entry, dict) else None


def remember_user(url: str, user: str | None) -> None:
    prefs = _read_prefs()
    prefs.setdefault(url, {})["user"] = user
    target = _prefs_file()
    paths.ensure_private_dir(target.parent)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(prefs, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, target)


@dataclass
class Context:
    """The resolved global options."""

    db: str | None = None
    user: str | None = None
    as_of: datetime | None = None
    settings_file: str | None = None
    encrypted: bool = False
    _engine: Engine | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: Any) -> Context:
        as_of = getattr(args, "as_of", None) or os.environ.get("EHTUI_AS_OF")
        return cls(
            db=getattr(args, "db", None),
            user=getattr(args, "user", None),
            as_of=parse_as_of(as_of),
            settings_file=getattr(args, "settings", None),
            encrypted=bool(getattr(args, "encrypted", False)),
        )

    @property
    def url(self) -> str:
        return paths.store_url(self.db)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from ehtui.crypto import store_passphrase
            from ehtui.db import open_store
            from ehtui.settings import load_settings

            encrypted = self.encrypted or load_settings(self.settings_file).encrypted
            passphrase = store_passphrase(self.url, encrypted=encrypted)
            self._engine = open_store(self.db, passphrase=passphrase)
        return self._engine

    def now(self) -> datetime:
        """The as-of moment: ``--as-of`` (or ``EHTUI_AS_OF``), else the local clock."""
        return self.as_of or datetime.now().replace(microsecond=0)

    def me(self, run: Runner | None = None) -> str | None:
        """The current user's ref: ``--user``, else remembered, else the demo's suggestion
        (read through ``run`` when given, else through the engine)."""
        if self.user:
            return self.user
        remembered = remembered_user(self.url)
        if remembered:
            return remembered
        from ehtui.meta import get_meta

        return get_meta(run if run is not None else self.engine, "demo_user")
