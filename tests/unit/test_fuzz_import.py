"""A malicious or broken import document costs no data.

Random mutations of a valid ehtui/1 document (values replaced by hostile ones,
keys removed or added, list items duplicated, the JSON text cut or a byte
flipped) are imported with ``ehtui import``: each either imports fully (a
second import of the same document then finds nothing to add or update) or is
refused with exit status 2 and the store unchanged to the last byte of every
row. Never a traceback, and never an escape sequence in the messages.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from ehtui.cli import main
from ehtui.crypto import fingerprint
from ehtui.db import open_store
from ehtui.interchange import import_document
from tests.unit.test_interchange import sample

NOW = datetime(2026, 3, 1, 23, 59, 59)

Path_ = tuple[str | int, ...]

hostile = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(10**400),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Cs"]), max_size=10),
    st.sampled_from(
        [
            "\x1b[2J\x1b[H",
            "\x1b]0;owned\x07",
            "\x00",
            "\ud800",
            "",
            "x" * 100_000,
            "2026-02-30",
            "2026-02-30T10:00",
            "2026-01-06T10:00Z",
            "2026-01-06 10:00",
            "2099-01-01",
            "2025-12-31T23:59",
            "E1",
            "F1",
            "C1",
            "P1",
            "K1",
            "West",
            "eha",
        ]
    ),
    st.lists(st.text(max_size=4), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def paths(node: Any, here: Path_ = ()) -> Iterator[Path_]:
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from paths(value, (*here, i))


def parent_of(doc: Any, path: Path_) -> Any:
    node = doc
    for step in path[:-1]:
        node = node[step]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A document text with one to three mutations; returns (what was done, bytes)."""
    doc = sample()
    done = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        where = draw(st.sampled_from([p for p in paths(doc) if p]))
        kind = draw(st.sampled_from(["replace", "remove", "add_key", "duplicate"]))
        parent = parent_of(doc, where)
        key = where[-1]
        if kind == "replace":
            parent[key] = draw(hostile)
        elif kind == "remove":
            del parent[key]
        elif kind == "add_key" and isinstance(parent[key], dict):
            parent[key][draw(st.text(min_size=1, max_size=8))] = draw(hostile)
        elif kind == "duplicate" and isinstance(parent, list) and isinstance(key, int):
            parent.append(copy.deepcopy(parent[key]))
        done.append(kind)
    data = json.dumps(doc, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    byte_level = draw(st.sampled_from(["none", "none", "truncate", "flip"]))
    if byte_level == "truncate":
        data = data[: draw(st.integers(min_value=0, max_value=len(data) - 1))]
    elif byte_level == "flip":
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    done.append(byte_level)
    return ",".join(done), data


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Path, Path]]:
    folder = tmp_path_factory.mktemp("import-fuzz")
    path = folder / "store.db"
    engine = open_store(path)
    import_document(engine, sample(), user="P1", now=NOW, source="sample")
    yield engine, path, folder
    engine.dispose()


def snapshot(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return fingerprint(conn)
    finally:
        conn.close()


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=mutated())
def test_a_mutated_document_imports_fully_or_changes_nothing(
    store: tuple[Engine, Path, Path],
    case: tuple[str, bytes],
    capsys: pytest.CaptureFixture[str],
) -> None:
    engine, path, folder = store
    _what, data = case
    doc = folder / "doc.json"
    doc.write_bytes(data)
    before = snapshot(path)
    capsys.readouterr()
    code = main(["--as-of", "2026-03-01", "--db", str(path), "import", str(doc)])
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "Traceback" not in err
    assert code in (0, 2), (code, err)
    if code == 2:
        event("refused")
        assert err.startswith("ehtui: ")
        assert snapshot(path) == before, "a refused import changed the store"
        return
    event("imported")
    again = import_document(engine, json.loads(data), user="P1", now=NOW)
    assert not any(again.added.values()), again.added
    assert not any(again.updated.values()), again.updated
