"""Closing an episode: each refusal names its field and writes nothing; a closure is an
audited update checked against the version seen; a closed episode cannot close again.
Not while a contact note is in draft, not dated before the allocation or the latest
record, "plan completed" only on the latest TAF's ratification, and never a step-up."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.models import AuditEntry, Contact, Episode, Oversight, TafMeeting, VoiceOfChild
from ehtui.recording.closure import close_episode
from ehtui.unit_of_work import StaleRecord, fetch, write
from tests.unit.builders import seed_one_child_episode

NOW = datetime(2026, 11, 20, 15, 0)  # E1 (an EHA): referral Fri 2 Jan 2026


@pytest.fixture
def store(engine: Engine) -> Engine:
    return seed_one_child_episode(engine)  # type: ignore[no-any-return]


def closed_row(store: Engine) -> Any:
    t = Episode.__table__
    with store.connect() as conn:
        return conn.execute(select(t.c.closed, t.c.closure_reason, t.c.version)).one()


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"reason": "bored", "closed": "today"}, "reason", "Choose why the episode closes"),
        ({"reason": "plan_completed", "closed": "today"}, "reason", "ratified the plan"),
        ({"reason": "stepped_up_eha", "closed": "today"}, "reason", "Only Universal Plus"),
        ({"reason": "step_up_csc", "closed": "today"}, "reason", "recorded with Step up (u)"),
        ({"reason": "disengaged", "closed": "21/11/2026"}, "closed", "is in the future"),
        ({"reason": "disengaged", "closed": "1/1/2026"}, "closed", "before the episode's"),
    ],
)
def test_each_refusal_names_its_field(
    store: Engine, values: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(InputError) as refused:
        close_episode(store, user="P1", episode="E1", values=values, now=NOW)
    (line,) = [p for p in refused.value.problems if p.startswith(f"{field}: ")]
    assert words in line
    assert closed_row(store)[:2] == (None, None)


def test_a_closure_is_an_audited_update_of_the_version_seen(store: Engine) -> None:
    version = closed_row(store).version
    with pytest.raises(StaleRecord):
        close_episode(
            store,
            user="P1",
            episode="E1",
            values={"reason": "moved_away", "closed": "today"},
            now=NOW,
            version=version + 1,
        )
    close_episode(
        store,
        user="P1",
        episode="E1",
        values={"reason": "moved_away", "closed": "19/11/2026"},
        now=NOW,
        version=version,
    )
    assert closed_row(store)[:2] == (date(2026, 11, 19), "moved_away")
    with store.connect() as conn:
        audit = conn.execute(
            select(AuditEntry.__table__).where(AuditEntry.__table__.c.record == "E1")
        ).all()
    assert audit[-1].action == "update" and audit[-1].changes["closure_reason"]["new"] == (
        "moved_away"
    )
    with pytest.raises(InputError, match="was closed on Thu 19 Nov 2026"):
        close_episode(
            store,
            user="P1",
            episode="E1",
            values={"reason": "disengaged", "closed": "today"},
            now=NOW,
        )


def add(store: Engine, *records: Any) -> None:
    with write(store, "P1") as s:
        for record in records:
            s.add(record)


def contact(ref: str, at: datetime, *, draft: bool = False) -> Contact:
    recorded = None if draft else at
    return Contact(
        ref=ref, episode="E1", at=at, recorded_at=recorded, method="home_visit", outcome="completed"
    )


def taf(ref: str, at: datetime, kind: str, ratified: bool) -> TafMeeting:
    return TafMeeting(ref=ref, episode="E1", at=at, kind=kind, plan_ratified_complete=ratified)


def refusal(store: Engine, values: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as refused:
        close_episode(store, user="P1", episode="E1", values=values, now=NOW)
    assert closed_row(store)[:2] == (None, None)
    return refused.value.problems


def test_a_contact_note_in_draft_must_be_finalised_first(store: Engine) -> None:
    # Home visits Tue 10 Nov (draft) and Wed 11 Nov (draft), Thu 12 Nov (finalised).
    add(
        store,
        contact("K1", datetime(2026, 11, 10, 10, 0), draft=True),
        contact("K2", datetime(2026, 11, 11, 10, 0), draft=True),
        contact("K3", datetime(2026, 11, 12, 10, 0)),
    )
    values = {"reason": "disengaged", "closed": "today"}
    assert refusal(store, values) == [
        "closed: Finalise the 2 draft notes first (contact log: n, then tab to the list, "
        "f on each)."
    ]
    with write(store, "P1") as s:
        fetch(s, Contact, "K1").recorded_at = NOW
    assert refusal(store, values) == [
        "closed: Finalise the 1 draft note first (contact log: n, then tab to the list, f on it)."
    ]
    with write(store, "P1") as s:
        fetch(s, Contact, "K2").recorded_at = NOW
    close_episode(store, user="P1", episode="E1", values=values, now=NOW)
    assert closed_row(store)[:2] == (NOW.date(), "disengaged")


def test_plan_completed_needs_the_latest_taf_to_have_ratified_it(store: Engine) -> None:
    # Initial TAF Tue 10 Mar ratifies; the review of Mon 1 Jun finds further need.
    add(
        store,
        taf("T1", datetime(2026, 3, 10, 10, 0), "initial", True),
        taf("T2", datetime(2026, 6, 1, 10, 0), "review", False),
    )
    values = {"reason": "plan_completed", "closed": "02/06/2026"}
    assert refusal(store, values) == [
        'reason: Closing as "Plan completed" needs the latest TAF meeting to ratify the plan '
        "as achieved; the TAF of Mon 1 Jun 2026 10:00 did not: record it first (m, decision a)."
    ]
    # Closing before the review is refused too: the review is on the record.
    (line,) = refusal(store, {"reason": "plan_completed", "closed": "11/03/2026"})
    assert line == "closed: Wed 11 Mar 2026 is before the latest TAF meeting (Mon 1 Jun 2026 10:00)"
    # The review of Tue 1 Sep ratifies: closing on Wed 2 Sep is accepted.
    add(store, taf("T3", datetime(2026, 9, 1, 10, 0), "review", True))
    close_episode(
        store,
        user="P1",
        episode="E1",
        values={"reason": "plan_completed", "closed": "02/09/2026"},
        now=NOW,
    )
    assert closed_row(store)[:2] == (date(2026, 9, 2), "plan_completed")


@pytest.mark.parametrize(
    ("type_", "reason", "words"),
    [
        ("eha", "step_up_csc", "A step-up to Children's Social Care is recorded with Step up (u)"),
        ("eha", "stepped_up_eha", "Only Universal Plus work is stepped up to an EHA."),
        ("universal_plus", "stepped_up_eha", "A step-up to an EHA is recorded with Step up (u)"),
        ("universal_plus", "step_up_csc", "Universal Plus steps up to an EHA, with Step up (u)."),
        ("joint_work", "step_up_csc", "Joint work is not stepped up"),
    ],
)
def test_a_step_up_is_not_a_closure_reason(
    store: Engine, type_: str, reason: str, words: str
) -> None:
    with write(store, "P1") as s:
        fetch(s, Episode, "E1").type = type_
    (line,) = refusal(store, {"reason": reason, "closed": "today"})
    assert line.startswith(f"reason: {words}")


@pytest.mark.parametrize(
    ("record", "closed", "words"),
    [
        (None, "04/01/2026", "Sun 4 Jan 2026 is before the episode was allocated (Mon 5 Jan 2026)"),
        (
            lambda: contact("K1", datetime(2026, 11, 10, 10, 0)),
            "09/11/2026",
            "Mon 9 Nov 2026 is before the latest contact (Tue 10 Nov 2026 10:00)",
        ),
        (
            lambda: VoiceOfChild(
                ref="V1", episode="E1", child="C1", at=datetime(2026, 6, 3, 16, 0), method="direct"
            ),
            "02/06/2026",
            "Tue 2 Jun 2026 is before the latest voice of the child record (Wed 3 Jun 2026 16:00)",
        ),
        (
            lambda: taf("T1", datetime(2026, 3, 10, 10, 0), "initial", False),
            "09/03/2026",
            "Mon 9 Mar 2026 is before the latest TAF meeting (Tue 10 Mar 2026 10:00)",
        ),
        (
            lambda: Oversight(
                ref="S1", episode="E1", at=datetime(2026, 10, 1, 9, 0), kind="supervision", by="P1"
            ),
            "30/09/2026",
            "Wed 30 Sep 2026 is before the latest oversight record (Thu 1 Oct 2026 09:00)",
        ),
    ],
)
def test_a_closure_is_not_dated_before_the_allocation_or_the_latest_record(
    store: Engine, record: Any, closed: str, words: str
) -> None:
    # E1: referral Fri 2 Jan 2026, allocated Mon 5 Jan 2026 9:00.
    with write(store, "P1") as s:
        fetch(s, Episode, "E1").allocated = datetime(2026, 1, 5, 9, 0)
    # A new row for each store (an instance added to one store once is not new to the next).
    row = record() if record is not None else None
    if row is not None:
        add(store, row)
    assert refusal(store, {"reason": "disengaged", "closed": closed}) == [f"closed: {words}"]
    # The record's own day is fine.
    day = row.at.date() if row is not None else date(2026, 1, 5)
    close_episode(
        store,
        user="P1",
        episode="E1",
        values={"reason": "disengaged", "closed": f"{day:%d/%m/%Y}"},
        now=NOW,
    )
    assert closed_row(store)[:2] == (day, "disengaged")


def test_of_two_tafs_at_the_same_moment_the_one_recorded_last_counts(store: Engine) -> None:
    # An initial TAF and a review both entered for Thu 19 Nov 10:00; the review ratifies.
    at = datetime(2026, 11, 19, 10, 0)
    add(store, taf("T1", at, "initial", False))
    add(store, taf("T2", at, "review", True))
    values = {"reason": "plan_completed", "closed": "today"}
    close_episode(store, user="P1", episode="E1", values=values, now=NOW)
    assert closed_row(store)[:2] == (NOW.date(), "plan_completed")
