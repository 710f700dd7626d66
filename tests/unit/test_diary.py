"""The diary: appointments planned only ahead (or today), the week's fixed meetings, a
missed appointment recorded as a contact that did not happen, nothing marked twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.diary import (
    cancel_appointment,
    diary,
    missed_appointment,
    plan_appointment,
    week_ahead,
)
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


def test_the_week_ahead_for_the_work_tray(store: Engine) -> None:
    """Fri 20 Nov 2026 15:00: today's appointments (kept or missed ones too) and the six
    days after (to Thu 26 Nov), the fixed meetings of that week, no cancelled ones."""
    missed = plan_appointment(store, user="P1", values=planned(at="today 10:00"), now=NOW)
    missed_appointment(store, user="P1", appointment=missed, version=1, now=NOW)
    plan_appointment(store, user="P1", values=planned(at="today 16:30", kind="telephone"), now=NOW)
    plan_appointment(store, user="P1", values=planned(), now=NOW)  # Mon 23 Nov 10:00
    dropped = plan_appointment(store, user="P1", values=planned(at="24/11 14:00"), now=NOW)
    cancel_appointment(store, user="P1", appointment=dropped, version=1)
    plan_appointment(store, user="P1", values=planned(at="26/11 11:00", kind="taf"), now=NOW)
    plan_appointment(store, user="P1", values=planned(at="27/11 09:00"), now=NOW)  # too far
    week = week_ahead(store, "P1", NOW)
    assert week.day == NOW.date()
    assert [(f"{line.at:%H:%M}", line.what, line.outcome) for line in week.today] == [
        ("10:00", "Home visit", "did_not_attend"),
        ("16:30", "Telephone/MS Teams", None),
    ]
    assert [(f"{line.at:%a %d %H:%M}", line.what) for line in week.week] == [
        ("Mon 23 10:00", "Home visit"),
        ("Tue 24 09:30", "Hub Panel"),
        ("Tue 24 12:00", "Transfer meeting agenda closes"),
        ("Wed 25 09:30", "Allocations/Transfer meeting"),
        ("Thu 26 11:00", "TAF meeting"),
    ]
    assert week.week[0].family == "Okafor" and week.week[0].episode == "E1"
    assert week_ahead(store, "P2", NOW).today == ()  # only my own appointments


def test_the_case_view_lists_the_episodes_appointments_still_planned(store: Engine) -> None:
    """Fri 20 Nov 2026 15:00: this morning's missed visit (recorded) and a cancelled one are
    gone; the call this afternoon and Monday's visit are planned, soonest first, with whom."""
    from ehtui.diary import planned_for
    from ehtui.store import case_view

    missed = plan_appointment(store, user="P1", values=planned(at="today 10:00"), now=NOW)
    missed_appointment(store, user="P1", appointment=missed, version=1, now=NOW)
    dropped = plan_appointment(store, user="P1", values=planned(at="24/11 14:00"), now=NOW)
    cancel_appointment(store, user="P1", appointment=dropped, version=1)
    plan_appointment(store, user="P1", values=planned(), now=NOW)  # Mon 23 Nov 10:00
    plan_appointment(store, user="P1", values=planned(at="today 16:30", kind="telephone"), now=NOW)
    lines = planned_for(store, "E1", NOW)
    assert [(f"{p.at:%a %d %H:%M}", p.what) for p in lines] == [
        ("Fri 20 16:30", "Telephone/MS Teams"),
        ("Mon 23 10:00", "Home visit"),
    ]
    assert all(p.who for p in lines)  # the practitioner's name
    assert planned_for(store, "E1", datetime(2026, 11, 24, 9, 0)) == ()  # Monday has gone
    view = case_view(store, "E1", NOW)
    assert view is not None and view.planned == lines
