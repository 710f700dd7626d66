"""Hostile values through the unit of work (every form's way into the store).

Huge strings, control characters, ANSI escape sequences, NULs, unpaired
surrogates, impossible dates, wrong types, refs that point nowhere: each
action either saves exactly what was given or is refused with an
:class:`InputError` (or :class:`StaleRecord`), and then the store is unchanged
to the last byte of every row. Never a traceback from the driver.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

from ehtui.crypto import fingerprint
from ehtui.db import open_store
from ehtui.errors import InputError
from ehtui.models import (
    Contact,
    Episode,
    Family,
    Member,
    Practitioner,
    TafMeeting,
    VoiceOfChild,
)
from ehtui.safe_text import safe_text
from ehtui.unit_of_work import StaleRecord, fetch, write

BASE: dict[type[SQLModel], dict[str, Any]] = {
    Practitioner: {"ref": "P2", "name": "Sam Lee", "role": "practitioner", "hub": "South"},
    Family: {"ref": "F2", "name": "Smith"},
    Member: {
        "ref": "C2",
        "family": "F1",
        "relationship": "child",
        "first_name": "Ada",
        "last_name": "Okafor",
    },
    Episode: {
        "ref": "E2",
        "family": "F1",
        "type": "eha",
        "hub": "West",
        "source": "mash",
        "referral_received": date(2026, 1, 2),
    },
    Contact: {
        "ref": "K2",
        "episode": "E1",
        "at": datetime(2026, 1, 6, 10),
        "method": "telephone",
        "outcome": "completed",
    },
    VoiceOfChild: {
        "ref": "V2",
        "episode": "E1",
        "child": "C1",
        "at": datetime(2026, 1, 7, 15),
        "method": "direct_work",
    },
    TafMeeting: {"ref": "T2", "episode": "E1", "at": datetime(2026, 2, 1, 10), "kind": "initial"},
}
EXISTING = {Practitioner: "P1", Family: "F1", Member: "C1", Episode: "E1", Contact: "K1"}
EXISTING.update({VoiceOfChild: "V1", TafMeeting: "T1"})

SKIP = {"seq", "version"}
FIELDS = [
    (model, column.key)
    for model in BASE
    for column in model.__table__.columns  # type: ignore[attr-defined]
    if column.key not in SKIP
]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), max_size=20),
    st.sampled_from(
        [
            "\x1b[2J\x1b[H",
            "\x1b]0;owned\x07",
            "\x9b6n",
            "\x00",
            "Okafor\x00; DROP TABLE family;--",
            "\ud800",
            "a\udfffb",
            "\u202eevil",
            "",
            "   ",
            "x" * 250_000,
            "é" * 199_999,
            "2026-02-30",
            "2026-13-01",
            "0000-00-00",
            "2026-01-06T25:61",
            "yesterday",
        ]
    ),
)
wrong_types = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63, max_value=2**80),
    st.floats(),
    st.decimals(allow_nan=True),
    st.binary(max_size=8),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(UTC)),
    st.just(date(2026, 2, 28) + timedelta(days=1)),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
    st.lists(st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2), max_size=2),
    st.dictionaries(st.one_of(st.text(max_size=3), st.integers()), st.integers(), max_size=2),
    st.tuples(st.text(max_size=3)),
    st.sets(st.integers(), max_size=2),
    st.just([float("nan")]),
    st.just(["\x00"]),
    st.just(list(range(20_000))),
    st.just(Decimal("1.5")),
    st.just(object()),
)
values = st.one_of(hostile_text, wrong_types)


def seed(engine: Engine) -> None:
    with write(engine, "P1") as s:
        s.add(Practitioner(ref="P1", name="Amira Khan", role="practitioner", hub="West"))
        s.add(Family(ref="F1", name="Okafor"))
        s.add(
            Member(
                ref="C1", family="F1", relationship="child", first_name="Tolu", last_name="Okafor"
            )
        )
        s.add(
            Episode(
                ref="E1",
                family="F1",
                type="eha",
                hub="West",
                source="mash",
                referral_received=date(2026, 1, 2),
            )
        )
        s.add(
            Contact(
                ref="K1",
                episode="E1",
                at=datetime(2026, 1, 6, 10),
                method="telephone",
                outcome="completed",
            )
        )
        s.add(
            VoiceOfChild(
                ref="V1", episode="E1", child="C1", at=datetime(2026, 1, 7), method="direct_work"
            )
        )
        s.add(TafMeeting(ref="T1", episode="E1", at=datetime(2026, 2, 1, 10), kind="initial"))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Path]]:
    path = tmp_path_factory.mktemp("fuzz") / "store.db"
    engine = open_store(path)
    seed(engine)
    yield engine, path
    engine.dispose()


def snapshot(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return fingerprint(conn)
    finally:
        conn.close()


def same(stored: Any, given_value: Any) -> bool:
    if isinstance(stored, float) or isinstance(given_value, float):
        return float(stored) == float(given_value)
    return bool(stored == given_value)


def attempt(engine: Engine, path: Path, model: type[SQLModel], field: str, value: Any, new: bool):
    before = snapshot(path)
    ref = BASE[model]["ref"] if new else EXISTING[model]
    try:
        with write(engine, "P1") as s:
            if new:
                record = model(**BASE[model])
                setattr(record, field, value)
                s.add(record)
            else:
                record = fetch(s, model, ref)
                setattr(record, field, value)
            if field == "ref":
                ref = value
    except (InputError, StaleRecord) as exc:
        event(f"refused: {type(exc).__name__}")
        assert snapshot(path) == before, "a refused action changed the store"
        for message in getattr(exc, "problems", [str(exc)]):
            assert "\x1b" not in safe_text(message)
        return
    # Saved: exactly what was given, then put things back for the next example.
    event("saved")
    with Session(engine) as s:
        stored = s.get(model, ref)
        assert stored is not None
        assert same(getattr(stored, field), value), (getattr(stored, field), value)
    if new:
        conn = sqlite3.connect(path)
        with conn:
            table = model.__table__.name  # type: ignore[attr-defined]
            conn.execute(f'DELETE FROM "{table}" WHERE ref = ?', (ref,))
        conn.close()


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.sampled_from(FIELDS), values, st.booleans())
def test_hostile_values_are_saved_exactly_or_refused_without_a_trace(
    store: tuple[Engine, Path], target: tuple[type[SQLModel], str], value: Any, new: bool
) -> None:
    engine, path = store
    model, field = target
    attempt(engine, path, model, field, value, new)


@pytest.mark.parametrize(
    ("model", "field", "value", "problem"),
    [
        (Family, "name", "a\x00b", "family F2: name: contains a NUL character"),
        (Family, "name", "x" * 250_000, "family F2: name: is too long"),
        (Family, "name", None, "family F2: name: is required"),
        (Family, "name", 42, "family F2: name: 42 is not text"),
        (Member, "dob", "2026-02-30", "family member C2: dob: '2026-02-30' is not a date"),
        (Episode, "allocated", date(2026, 1, 5), "episode E2: allocated: "),
        (Contact, "children_seen", "C1", "contact K2: children_seen: 'C1' is not a list"),
        (Practitioner, "fte", float("inf"), "practitioner P2: fte: inf is not a number"),
        (Family, "ref", "F1", "family F1: ref: already in the store"),
        (Family, "ref", " ", "family: ref: is empty"),
        (Member, "family", "NOPE", "the store refused the change (FOREIGN KEY"),
    ],
)
def test_refusals_name_the_record_and_field(
    store: tuple[Engine, Path], model: type[SQLModel], field: str, value: Any, problem: str
) -> None:
    engine, path = store
    before = snapshot(path)
    with pytest.raises(InputError) as err, write(engine, "P1") as s:
        record = model(**BASE[model])
        setattr(record, field, value)
        s.add(record)
    assert any(p.startswith(problem) for p in err.value.problems), err.value.problems
    assert snapshot(path) == before


def test_a_ref_cannot_be_changed(store: tuple[Engine, Path]) -> None:
    engine, path = store
    before = snapshot(path)
    with pytest.raises(InputError, match="ref cannot change"), write(engine, "P1") as s:
        fetch(s, Family, "F1").ref = "F9"
    assert snapshot(path) == before
