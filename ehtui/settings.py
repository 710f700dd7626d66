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
    eha_not_started_working_days = 7

    [contact_guide]
    minimum = [8, 4, 2, 1]

    [app]
    idle_lock_minutes = 10
    as_of = "2026-01-15"   # optional: a fixed "now" (a date means its end of day)

    [store]
    encrypted = true     # new stores are made encrypted (SQLCipher), as --encrypted

Rule IDs never change; an unknown ID or key is refused, naming it.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ehtui import paths
from ehtui.calendar import Span, Unit
from ehtui.context import parse_as_of
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
    as_of: datetime | None = None  # [app] as_of: used when no --as-of is given


def shown(value: Any) -> str:
    """A setting's value as TOML writes it, for messages: "eight weeks", true, -1."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


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
    return paths.settings_file(explicit)


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


def _allowed_keys(rule_id: str) -> tuple[str, ...]:
    """The numbers a rule has (a clock's span and window, a cap's limits)."""
    spec = DEFAULT_TABLE[rule_id]
    keys = [k for k in RULE_KEYS if getattr(spec, k) is not None]
    if spec.due is not None and "warn" not in keys:
        keys.insert(1, "warn")
    return tuple(keys)


def _section(data: dict[str, Any], key: str, name: str, problems: list[str]) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        problems.append(f"{name}: {key}: expected a table, like [{key}]")
        return {}
    return value


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


TRAY_KEYS = ("critically_overdue_working_days", "eha_not_started_working_days")
APP_KEYS = ("idle_lock_minutes", "as_of")


def _as_of(value: Any, where: str, problems: list[str]) -> datetime | None:
    """``as_of``: a TOML date or local date-time, or either as a string (as ``--as-of``)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value
        problems.append(f"{where}: {value.isoformat()} has a UTC offset; give a local date-time")
        return None
    if isinstance(value, date):
        value = value.isoformat()  # a date means its end of day, as --as-of
    if isinstance(value, str):
        try:
            return parse_as_of(value, field_name=where)
        except InputError as exc:
            problems.extend(exc.problems)
            return None
    problems.append(f"{where}: {shown(value)} is not a date (YYYY-MM-DD) or date-time")
    return None


def parse_settings(data: dict[str, Any], name: str = "settings.toml") -> Settings:
    """Settings from a parsed TOML document; every bad key is named in an :class:`InputError`."""
    problems: list[str] = []
    table = DEFAULT_TABLE
    overrides: dict[str, dict[str, Any]] = {}
    for rule_id, changes in _section(data, "rules", name, problems).items():
        if rule_id not in table.rules:
            problems.append(f"{name}: rules.{rule_id}: no such rule ID")
            continue
        if not isinstance(changes, dict):
            problems.append(f"{name}: rules.{rule_id}: expected a table of settings")
            continue
        allowed = _allowed_keys(rule_id)
        for key, value in changes.items():
            where = f"{name}: rules.{rule_id}.{key}"
            kind = RULE_KEYS.get(key)
            if kind is None or key not in allowed:
                problems.append(f"{where}: unknown setting (use one of {', '.join(allowed)})")
            elif kind == "span":
                span = parse_span(value)
                if span is None:
                    problems.append(f'{where}: {shown(value)} is not a span like "6 weeks"')
                else:
                    overrides.setdefault(rule_id, {})[key] = span
            elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                problems.append(f"{where}: {shown(value)} is not a number")
            else:
                overrides.setdefault(rule_id, {})[key] = float(value)
    tray = _section(data, "tray", name, problems)
    problems.extend(
        f"{name}: tray.{key}: unknown setting (use one of {', '.join(TRAY_KEYS)})"
        for key in tray
        if key not in TRAY_KEYS
    )
    critical = tray.get("critically_overdue_working_days", table.critically_overdue_working_days)
    if not _whole(critical):
        problems.append(
            f"{name}: tray.critically_overdue_working_days: {shown(critical)} is not a whole number"
        )
    not_started = tray.get("eha_not_started_working_days", table.eha_not_started_working_days)
    if not _whole(not_started):
        problems.append(
            f"{name}: tray.eha_not_started_working_days: {shown(not_started)} is not a whole number"
        )
    guide_section = _section(data, "contact_guide", name, problems)
    problems.extend(
        f"{name}: contact_guide.{key}: unknown setting (use minimum)"
        for key in guide_section
        if key != "minimum"
    )
    guide = guide_section.get("minimum", list(table.contact_guide))
    if not (isinstance(guide, list) and guide and all(_whole(n) for n in guide)):
        problems.append(
            f"{name}: contact_guide.minimum: {shown(guide)} is not a list of whole numbers"
        )
    app = _section(data, "app", name, problems)
    problems.extend(
        f"{name}: app.{key}: unknown setting (use one of {', '.join(APP_KEYS)})"
        for key in app
        if key not in APP_KEYS
    )
    lock = app.get("idle_lock_minutes", 10)
    if not isinstance(lock, int) or isinstance(lock, bool) or lock < 0:
        problems.append(f"{name}: app.idle_lock_minutes: {shown(lock)} is not a whole number")
    as_of = _as_of(app.get("as_of"), f"{name}: app.as_of", problems)
    encrypted = _section(data, "store", name, problems).get("encrypted", False)
    if not isinstance(encrypted, bool):
        problems.append(f"{name}: store.encrypted: {shown(encrypted)} is not true or false")
    unknown = set(data) - {"rules", "tray", "contact_guide", "app", "store"}
    problems.extend(f"{name}: {key}: unknown section" for key in sorted(unknown))
    if problems:
        raise InputError(problems)
    from dataclasses import replace

    new_table = replace(
        table.with_overrides(overrides),
        critically_overdue_working_days=critical,
        eha_not_started_working_days=not_started,
        contact_guide=tuple(guide),
    )
    return Settings(new_table, lock, name, encrypted, as_of)
