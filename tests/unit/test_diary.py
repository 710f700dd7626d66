"""The diary: appointments planned only ahead (or today), the week's fixed meetings, a
missed appointment recorded as a contact that did not happen, nothing marked twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.diary import cancel_appointment, diary, missed_appointment, plan_appointment
from ehtui.errors import InputError
from ehtui.models import Appointment, Contact
from tests.unit.builders import seed_one_child_episode

NOW = datetime(2026, 11, 20, 15, 0)  # a Friday


@pytest.fixture
def store(engine: Engine) -> Engine:
    return seed_one_child_episode(engine)  # type: ignore[no-any-return]


def planned(**changes: Any) -> dict[str, Any]:
    return {"episode": "E1", "kind": "home_visit", "at": "23/11/2026 10:00", "note": "", **changes}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"episode": ""}, "episode", "Choose the episode"),
        ({"episode": "E9"}, "episode", "There is no episode E9"),
        ({"kind": "lunch"}, "kind", "Choose the kind"),
        ({"at": "10/11/2026 10:00"}, "at", "record what happened as a contact"),
        ({"at": "23/11/2026"}, "at", "has no time"),
    ],
)
def test_each_refusal_names_its_field(
    store: Engine, changes: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(InputError) as refused:
        plan_appointment(store, user="P1", values=planned(**changes), now=NOW)
    assert any(p.startswith(f"{field}: ") and words in p for p in refused.value.problems)


def test_the_diary_lists_appointments_and_the_fixed_meetings(store: Engine) -> None:
    plan_appointment(store, user="P1", values=planned(), now=NOW)
    lines = diary(store, "P1", NOW.date(), 7, NOW)
    assert [(f"{line.at:%a %H:%M}", line.what) for line in lines] == [
        ("Mon 10:00", "Home visit"),
        ("Tue 09:30", "Hub Panel"),
        ("Tue 12:00", "Transfer meeting agenda closes"),
        ("Wed 09:30", "Allocations/Transfer meeting"),
    ]
    assert lines[0].planned and lines[0].family == "Okafor"


def test_a_missed_appointment_becomes_a_did_not_attend_contact(store: Engine) -> None:
    ref = plan_appointment(store, user="P1", values=planned(at="today 10:00"), now=NOW)
    with pytest.raises(InputError, match="not happened yet"):
        later = plan_appointment(store, user="P1", values=planned(), now=NOW)
        missed_appointment(store, user="P1", appointment=later, version=1, now=NOW)
    contact = missed_appointment(store, user="P1", appointment=ref, version=1, now=NOW)
    with store.connect() as conn:
        row = conn.execute(
            select(Contact.__table__).where(Contact.__table__.c.ref == contact)
        ).one()
        ap = conn.execute(
            select(Appointment.__table__).where(Appointment.__table__.c.ref == ref)
        ).one()
    assert (row.outcome, row.method, row.at) == (
        "did_not_attend",
        "home_visit",
        datetime(2026, 11, 20, 10, 0),
    )
    assert (ap.outcome, ap.contact) == ("did_not_attend", contact)
    with pytest.raises(InputError, match="already marked did not attend"):
        cancel_appointment(store, user="P1", appointment=ref, version=ap.version)
