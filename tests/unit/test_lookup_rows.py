"""The duty lookup's result rows (ehtui.lookup.rows) and the tracker's sparklines:
hits laid out in columns from a small hand-built store; blocks scaled as documented."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine

from ehtui.lookup import LookupIndex
from ehtui.lookup.rows import Facts, result_row
from tests.unit.builders import (
    add_rows,
    store_child,
    store_episode,
    store_family,
    store_practitioner,
)
from widgets.sparkline_cells import spark

AS_OF = datetime(2026, 3, 9, 23, 59, 59)


def build(engine: Engine) -> tuple[LookupIndex, Facts]:
    add_rows(
        engine,
        store_practitioner("P1", name="Ben Osei", phone="020 8359 1034"),
        store_practitioner("P2", name="Ava Stone", role="advanced_practitioner", phone=None),
        store_family("F00001", name="Khan", address="12 Example Road, N12 0AA"),
        store_child(
            "M00001", "F00001", first_name="Mohamed", last_name="Khan", dob=date(2016, 5, 2)
        ),
        store_child(
            "M00002",
            "F00001",
            first_name="Aisha",
            last_name="Khan",
            relationship="mother",
            dob=None,
        ),
        store_family("F00002", name="Hussain", address="3 Oak Lane, N1 2AB"),
        store_child("M00003", "F00002", first_name="Muhammad", last_name="Hussain"),
        store_episode("E00001", "F00001"),
        store_episode(
            "E00003", "F00001", type="universal_plus", lead="P2", referral_received=date(2026, 2, 2)
        ),
        store_episode("E00004", "F00001", referral_received=date(2026, 3, 20)),  # not yet
        store_episode("E00002", "F00002", closed=date(2026, 2, 1), closure_reason="moved_away"),
    )
    return LookupIndex.build(engine, AS_OF), Facts.build(engine, AS_OF)


def test_a_member_row_has_age_role_family_postcode_and_the_open_work(engine: Engine) -> None:
    index, facts = build(engine)
    row = result_row(index.search("Mohamed Khan")[0], facts)
    assert (row.kind, row.ref, row.family, row.name) == (
        "member",
        "M00001",
        "F00001",
        "Mohamed Khan",
    )
    assert (row.born, row.age, row.role) == (date(2016, 5, 2), 9, "Child")
    assert (row.family_name, row.postcode) == ("Khan F00001", "N12 0AA")
    # two open episodes (oldest referral first); one referred after the as-of day is not open
    assert row.work == "EHA · Ben Osei +1 more"
    assert row.episode == "E00001"
    assert [w.episode for w in facts.open_work["F00001"]] == ["E00001", "E00003"]
    assert facts.open_work["F00001"][1].lead_name == "Ava Stone"
    mother = result_row(index.search("Aisha")[0], facts)
    assert (mother.role, mother.born, mother.age) == ("Mother", None, None)


def test_closed_work_is_none_open_and_nothing_to_open(engine: Engine) -> None:
    index, facts = build(engine)
    row = result_row(index.search("Muhammad Hussain")[0], facts)
    assert row.family == "F00002"
    assert (row.work, row.episode) == ("none open", None)


def test_a_family_and_a_practitioner_row(engine: Engine) -> None:
    index, facts = build(engine)
    family = result_row(index.search("N12 0AA")[0], facts)
    assert (family.kind, family.role, family.family_name) == ("family", "the family", "Khan F00001")
    assert family.episode == "E00001"
    ben = result_row(index.search("Ben Osei")[0], facts)
    assert (ben.kind, ben.family, ben.episode) == ("practitioner", None, None)
    assert (ben.role, ben.family_name, ben.work) == (
        "EH practitioner",
        "West hub",
        "phone 020 8359 1034",
    )
    ava = result_row(index.search("Ava Stone")[0], facts)
    assert (ava.role, ava.work) == ("Advanced Practitioner", "no phone recorded")


def test_sparklines_scale_counts_to_their_peak_and_rates_to_one() -> None:
    assert spark([0, 1, 2, 4, 8]).plain == "▁▂▃▅█"
    assert spark([0, 0]).plain == "▁▁"
    assert spark([3, 3, 3]).plain == "███"
    assert spark([None, 0.5, 1.0, 0.0], top=1.0).plain == "·▅█▁"
    assert spark([0.9, 0.95], top=1.0).plain == "▇█"
