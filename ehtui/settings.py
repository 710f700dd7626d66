"""Settings: ``settings.toml`` in the config directory, or ``--settings FILE``.

The protocol's numbers are defaults in :mod:`ehtui.rules.table`; a local
authority with other timescales overrides them here without touching code::

    [rules."UP-6W"]
    due = "8 weeks"
    warn = "10 days"

    [rules."CASELOAD-15"]
    limit = 16
    advice_at = 14

    [tray]
    critically_overdue_working_days = 10

    [contact_guide]
    minimum = [8, 4, 2, 1]

    [app]
    idle_lock_minutes = 10

    [store]
    encrypted = true     # new stores are made encrypted (SQLCipher), as --encrypted

Rule IDs never change; an unknown ID or key is refused, naming it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ehtui import paths
from ehtui.calendar import Span, Unit
from ehtui.errors import InputError
from ehtui.rules.table import DEFAULT_TABLE, RuleTable

_UNITS = {
    "working day": Unit.WORKING_DAYS,
    "working days": Unit.WORKING_DAYS,
    "day": Unit.DAYS,
    "days": Unit.DAYS,
    "week": Unit.WEEKS,
    "weeks": Unit.WEEKS,
    "month": Unit.MONTHS,
    "months": Unit.MONTHS,
    "year": Unit.YEARS,
    "years": Unit.YEARS,
    "hour": Unit.HOURS,
    "hours": Unit.HOURS,
}
RULE_KEYS = {
    "due": "span",
    "warn": "span",
    "limit": "number",
    "advice_at": "number",
    "extended_limit": "number",
}


@dataclass(frozen=True)
class Settings:
    table: RuleTable = field(default_factory=lambda: DEFAULT_TABLE)
    idle_lock_minutes: int = 10
    source: str | None = None
    encrypted: bool = False


def parse_span(text: Any) -> Span | None:
    """'7 working days', '6 weeks', '1 month', '48 hours' (underscores allowed)."""
    if not isinstance(text, str):
        return None
    amount, _, unit = text.strip().replace("_", " ").partition(" ")
    try:
        n = int(amount)
    except ValueError:
        return None
    found = _UNITS.get(unit.strip().lower())
    return Span(n, found) if found is not None and n >= 0 else None


def settings_path(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit)
    default = paths.config_dir() / "settings.toml"
    return default if default.exists() else None


def load_settings(explicit: str | None = None) -> Settings:
    """Settings from ``explicit`` (must exist) or the config directory (if present)."""
    path = settings_path(explicit)
    if path is None:
        return Settings()
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError([f"--settings: cannot read {path}: {exc.strerror}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError([f"{name}: not valid TOML: {exc}"]) from None
    return parse_settings(data, name)


def parse_settings(data: dict[str, Any], name: str = "settings.toml") -> Settings:
    problems: list[str] = []
    table = DEFAULT_TABLE
    overrides: dict[str, dict[str, Any]] = {}
    for rule_id, changes in (data.get("rules") or {}).items():
        if rule_id not in table.rules:
            problems.append(f"{name}: rules.{rule_id}: no such rule ID")
            continue
        if not isinstance(changes, dict):
            problems.append(f"{name}: rules.{rule_id}: expected a table of settings")
            continue
        for key, value in changes.items():
            where = f"{name}: rules.{rule_id}.{key}"
            kind = RULE_KEYS.get(key)
            if kind is None:
                problems.append(f"{where}: unknown setting (use one of {', '.join(RULE_KEYS)})")
            elif kind == "span":
                span = parse_span(value)
                if span is None:
                    problems.append(f'{where}: {value!r} is not a span like "6 weeks"')
                else:
                    overrides.setdefault(rule_id, {})[key] = span
            elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                problems.append(f"{where}: {value!r} is not a number")
            else:
                overrides.setdefault(rule_id, {})[key] = float(value)
    tray = data.get("tray") or {}
    critical = tray.get("critically_overdue_working_days", table.critically_overdue_working_days)
    if not isinstance(critical, int) or isinstance(critical, bool) or critical < 0:
        problems.append(
            f"{name}: tray.critically_overdue_working_days: {critical!r} is not a whole number"
        )
    guide = (data.get("contact_guide") or {}).get("minimum", list(table.contact_guide))
    if not (isinstance(guide, list) and guide and all(isinstance(n, int) for n in guide)):
        problems.append(f"{name}: contact_guide.minimum: {guide!r} is not a list of numbers")
    lock = (data.get("app") or {}).get("idle_lock_minutes", 10)
    if not isinstance(lock, int) or isinstance(lock, bool) or lock < 0:
        problems.append(f"{name}: app.idle_lock_minutes: {lock!r} is not a whole number")
    encrypted = (data.get("store") or {}).get("encrypted", False)
    if not isinstance(encrypted, bool):
        problems.append(f"{name}: store.encrypted: {encrypted!r} is not true or false")
    unknown = set(data) - {"rules", "tray", "contact_guide", "app", "store"}
    problems.extend(f"{name}: {key}: unknown section" for key in sorted(unknown))
    if problems:
        raise InputError(problems)
    from dataclasses import replace

    new_table = replace(
        table.with_overrides(overrides),
        critically_overdue_working_days=critical,
        contact_guide=tuple(guide),
    )
    return Settings(new_table, lock, name, encrypted)
