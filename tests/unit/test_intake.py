"""A new referral: for a new family or one already in the store; the §7 eligibility checks
each refuse with the field named and nothing written; the episode lands unallocated."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from ehtui.errors import InputError
from ehtui.intake import check_referral, family_facts, save_referral
from ehtui.models import Episode, EpisodeChild, Family, Member
from tests.unit.builders import seed_one_child_episode

NOW = datetime(2026, 11, 20, 15, 0)


@pytest.fixture
def store(engine: Engine) -> Engine:
    return seed_one_child_episode(engine)  # type: ignore[no-any-return]


def new_family(**changes: Any) -> dict[str, Any]:
    values = {
        "type": "eha",
        "source": "mash",
        "hub": "West",
        "received": "today",
        "family_name": "Okoro",
        "address": "4 Elm Road, NW9 1AA",
        "agencies": "School, Health Visitor",
        "c1_first": "Ada",
        "c1_dob": "3/4/2016",
        "c2_first": "",
        "c2_dob": "",
    }
    return {**values, **changes}


def counts(store: Engine) -> tuple[int, int, int]:
    with store.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(select(func.count()).select_from(t.__table__)).scalar_one()
            for t in (Family, Member, Episode)
        )


def test_a_new_familys_referral_lands_unallocated_with_its_child(store: Engine) -> None:
    ref = save_referral(store, user="P1", family=None, values=new_family(), now=NOW)
    with store.connect() as conn:
        ep = conn.execute(select(Episode.__table__).where(Episode.__table__.c.ref == ref)).one()
        fam = conn.execute(
            select(Family.__table__).where(Family.__table__.c.ref == ep.family)
        ).one()
        kids = conn.execute(
            select(
                Member.__table__.c.first_name, Member.__table__.c.last_name, Member.__table__.c.dob
            )
            .join(EpisodeChild.__table__, EpisodeChild.__table__.c.child == Member.__table__.c.ref)
            .where(EpisodeChild.__table__.c.episode == ref)
        ).all()
    assert (ep.type, ep.source, ep.hub, ep.lead, ep.allocated) == (
        "eha",
        "mash",
        "West",
        None,
        None,
    )
    assert ep.referral_received == NOW.date()
    assert (fam.name, fam.agencies) == ("Okoro", ["School", "Health Visitor"])
    assert [tuple(k) for k in kids] == [("Ada", "Okoro", date(2016, 4, 3))]


def test_an_existing_familys_referral_reuses_its_children(store: Engine) -> None:
    facts = family_facts(store, "F1")
    assert facts is not None and [c.first_name for c in facts.children] == ["Tolu"]
    before = counts(store)
    values = {
        "type": "universal_plus",
        "source": "universal_plus_form",
        "hub": "West",
        "received": "today",
        "children": ["C1"],
        "agencies": "School, CAMHS, Police",
    }
    problems, advice = check_referral(values, facts, NOW)
    assert problems == {} and "an EHA may be needed" in advice[0]
    save_referral(store, user="P1", family="F1", values=values, now=NOW)
    assert counts(store) == (before[0], before[1], before[2] + 1)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"c1_dob": "3/4/2007"}, "c1_dob", "Ada: the young person is 19"),
        ({"c1_dob": "3/4/2008"}, "post18_route", "name a post-18 route"),
        (
            {"c1_dob": "3/4/2008", "type": "rhi", "post18_route": "early_help"},
            "c1_dob",
            "Return Home Interview is for a child under 18",
        ),
        ({"c1_dob": "3/4/2027"}, "c1_dob", "is in the future"),
        ({"received": "21/11/2026"}, "received", "is in the future"),
        ({"type": "out_of_court"}, "disposal", "Name the out-of-court disposal"),
        ({"family_name": " "}, "family_name", "surname"),
        ({"c1_first": "", "c1_dob": ""}, "c1_first", "Name the child"),
        ({"source": "rumour"}, "source", "Choose where the referral came from"),
    ],
)
def test_each_refusal_names_its_field_and_writes_nothing(
    store: Engine, changes: dict[str, Any], field: str, words: str
) -> None:
    before = counts(store)
    with pytest.raises(InputError) as refused:
        save_referral(store, user="P1", family=None, values=new_family(**changes), now=NOW)
    (line,) = [p for p in refused.value.problems if p.startswith(f"{field}: ")]
    assert words in line
    assert counts(store) == before


def test_at_18_a_post18_route_lets_the_referral_through(store: Engine) -> None:
    values = new_family(c1_dob="3/4/2008", post18_route="disability")
    problems, advice = check_referral(values, None, NOW)
    assert problems == {} and "post-18 route" in advice[0]
    save_referral(store, user="P1", family=None, values=values, now=NOW)
    with store.connect() as conn:
        route = conn.execute(
            select(Member.__table__.c.post18_route).where(Member.__table__.c.first_name == "Ada")
        ).scalar_one()
    assert route == "disability"
