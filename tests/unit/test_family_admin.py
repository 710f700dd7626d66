"""Editing a family and its members: each refusal names its field; saves are audited
updates of the version seen; a new member is added to the family."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from ehtui.errors import InputError
from ehtui.family_admin import (
    check_family,
    check_member,
    save_family,
    save_member,
    stored_family,
    stored_members,
)
from ehtui.unit_of_work import StaleRecord
from tests.unit.builders import seed_one_child_episode

NOW = datetime(2026, 11, 20, 15, 0)


@pytest.fixture
def store(engine: Engine) -> Engine:
    return seed_one_child_episode(engine)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": " "}, "name", "surname"),
        ({"email": "mum at home"}, "email", "name@example.org"),
        ({"csc_team": "dats", "csc_closed": ""}, "csc_closed", "Give the date"),
        ({"csc_team": "dats", "csc_closed": "1/1/2027"}, "csc_closed", "in the future"),
        ({"csc_team": "police"}, "csc_team", "Choose d DATs"),
    ],
)
def test_family_checks(store: Engine, changes: dict[str, Any], field: str, words: str) -> None:
    stored = stored_family(store, "F1")
    assert stored is not None
    assert words in check_family({**stored.values, **changes}, NOW)[field]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"first_name": ""}, "first_name", "first name"),
        ({"relationship": "cousin"}, "relationship", "Choose who they are"),
        ({"dob": "1/1/2027"}, "dob", "in the future"),
        ({"interpreter": "maybe"}, "interpreter", "y yes"),
        ({"post18_route": "luck"}, "post18_route", "post-18 routes"),
    ],
)
def test_member_checks(store: Engine, changes: dict[str, Any], field: str, words: str) -> None:
    (tolu,) = stored_members(store, "F1")
    assert words in check_member({**tolu.values, **changes}, NOW)[field]


def test_saves_check_the_version_seen_and_add_members(store: Engine) -> None:
    stored = stored_family(store, "F1")
    assert stored is not None
    values = {
        **stored.values,
        "address": "4 Elm Road, NW9 1AA",
        "csc_team": "dats",
        "csc_closed": "2/11/2026",
    }
    with pytest.raises(StaleRecord):
        save_family(
            store, user="P1", family="F1", values=values, now=NOW, version=stored.version + 1
        )
    save_family(store, user="P1", family="F1", values=values, now=NOW, version=stored.version)
    again = stored_family(store, "F1")
    assert again is not None and again.values["csc_closed"] == "02/11/2026"
    (tolu,) = stored_members(store, "F1")
    save_member(
        store,
        user="P1",
        family="F1",
        member=tolu.ref,
        values={**tolu.values, "dob": "3/4/2016", "interpreter": "no"},
        now=NOW,
        version=tolu.version,
    )
    ref = save_member(
        store,
        user="P1",
        family="F1",
        member=None,
        now=NOW,
        values={"first_name": "Ada", "last_name": "O", "relationship": "mother"},
    )
    found = {m.ref: m.values for m in stored_members(store, "F1")}
    assert found[tolu.ref]["dob"] == "03/04/2016" and found[tolu.ref]["interpreter"] == "no"
    assert found[ref]["relationship"] == "mother"
    with pytest.raises(InputError, match="first_name: Give the first name"):
        save_member(
            store,
            user="P1",
            family="F1",
            member=None,
            now=NOW,
            values={"first_name": "", "last_name": "O", "relationship": "mother"},
        )
