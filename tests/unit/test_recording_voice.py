"""Recording the voice of the child: bands by age, only the chosen band's prompts kept,
each check naming its field, nothing written on refusal, an audited save."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from ehtui.errors import InputError
from ehtui.models import AuditEntry, VoiceOfChild
from ehtui.recording.facts import episode_facts
from ehtui.recording.voice import answers, band_for_age, check_voice, save_voice, voices_due
from tests.unit.builders import seed_one_child_episode

NOW = datetime(2026, 11, 20, 15, 0)  # E1's referral: Fri 2 Jan 2026


@pytest.fixture
def store(engine: Engine) -> Engine:
    return seed_one_child_episode(engine)  # type: ignore[no-any-return]


def heard(**changes: Any) -> dict[str, Any]:
    values = {
        "child": "C1",
        "band": "5_to_11",
        "method": "three_houses",
        "at": "today 10:30",
        "words": "I want my own room.",
        "analysis": "",
    }
    return {**values, **changes}


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "under_5"),
        (4, "under_5"),
        (5, "5_to_11"),
        (11, "5_to_11"),
        (12, "12_plus"),
        (17, "12_plus"),
        (None, "12_plus"),
    ],
)
def test_the_band_follows_the_age(age: int | None, band: str) -> None:
    assert band_for_age(age).value == band


def test_every_prompt_answered_is_kept_whatever_the_band_chosen() -> None:
    """Written under the under-5 prompts, then the band changed for the child's ability:
    what was written is kept, never dropped; blank answers are left out."""
    values = heard(
        p_house_of_worries=" Dad's drinking ",
        p_play="Built a tower with his sister",
        p_culture="Romanian at home",
        p_who_helps="",
    )
    assert answers(values) == {
        "house_of_worries": "Dad's drinking",
        "play": "Built a tower with his sister",
        "culture": "Romanian at home",
    }


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"child": "C9"}, "child", "Choose the child"),
        ({"band": "teen"}, "band", "Choose the prompts"),
        ({"method": "telepathy"}, "method", "Choose how the child was heard"),
        ({"at": "21/11/2026 10:00"}, "at", "is in the future"),
        ({"at": "1/1/2026 10:00"}, "at", "before the episode's referral"),
        ({"words": " ", "p_house_of_dreams": ""}, "words", "in their own words"),
        ({"analysis": "x" * 20_001}, "analysis", "under 20,000 characters"),
    ],
)
def test_each_check_names_its_field(
    store: Engine, changes: dict[str, Any], field: str, words: str
) -> None:
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    assert words in check_voice(heard(**changes), facts, NOW)[field]
    with pytest.raises(InputError) as refused:
        save_voice(store, user="P1", episode="E1", values=heard(**changes), now=NOW)
    assert any(p.startswith(f"{field}: ") for p in refused.value.problems)
    with store.connect() as conn:
        assert conn.execute(select(VoiceOfChild.__table__)).all() == []


def test_an_answered_prompt_alone_is_enough(store: Engine) -> None:
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    assert check_voice(heard(words="", p_house_of_dreams="A dog"), facts, NOW) == {}


def test_a_saved_voice_is_audited_and_restarts_the_childs_clock(store: Engine) -> None:
    ref = save_voice(
        store,
        user="P1",
        episode="E1",
        values=heard(analysis="Wants space of his own.", p_house_of_worries="Noise"),
        now=NOW,
    )
    with store.connect() as conn:
        (row,) = conn.execute(select(VoiceOfChild.__table__)).all()
        audit = conn.execute(
            select(AuditEntry.__table__).where(AuditEntry.__table__.c.record == ref)
        ).all()
    assert (row.child, row.method, row.words) == ("C1", "three_houses", "I want my own room.")
    assert row.analysis == "Wants space of his own."
    assert row.prompts == {"house_of_worries": "Noise"}
    assert row.at == datetime(2026, 11, 20, 10, 30)
    assert [(a.action, a.user) for a in audit] == [("insert", "P1")]
    facts = episode_facts(store, "E1", NOW)
    assert facts is not None
    (line,) = voices_due(facts, NOW)
    assert (line.name, line.last) == ("Tolu", datetime(2026, 11, 20, 10, 30))
