"""The welcome screen's checks and "create me" (ehtui.store): field by field, all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from ehtui.errors import InputError
from ehtui.store import MeDraft, check_me, create_me, store_info


@pytest.mark.parametrize(
    ("draft", "problems"),
    [
        (MeDraft("Amira Khan", "practitioner", "West", "1"), {}),
        (MeDraft("Amira Khan", "social_worker", "East/Central", "0.6"), {}),
        (MeDraft("  ", "practitioner", "West", "1"), {"name": "Enter your name."}),
        (
            MeDraft("A\x1b[31m", "practitioner", "West", "1"),
            {"name": "The name has a control character in it."},
        ),
        (
            MeDraft("x" * 121, "practitioner", "West", "1"),
            {"name": "Keep the name under 120 characters."},
        ),
        (
            MeDraft("Amira", None, "North", "1"),
            {"role": "Choose your role.", "hub": "Choose your hub."},
        ),
        (
            MeDraft("Amira", "practitioner", "West", "0"),
            {"fte": "FTE is more than 0 and at most 1 (e.g. 0.6)."},
        ),
        (
            MeDraft("Amira", "practitioner", "West", "1.2"),
            {"fte": "FTE is more than 0 and at most 1 (e.g. 0.6)."},
        ),
        (
            MeDraft("Amira", "practitioner", "West", "full"),
            {"fte": "FTE is a number such as 1 or 0.6."},
        ),
        (
            MeDraft("Amira", "practitioner", "West", "nan"),
            {"fte": "FTE is more than 0 and at most 1 (e.g. 0.6)."},
        ),
    ],
)
def test_check_me(draft: MeDraft, problems: dict[str, str]) -> None:
    assert check_me(draft) == problems


def test_create_me_writes_one_audited_practitioner(engine: Engine) -> None:
    me = create_me(engine, MeDraft(" Amira Khan ", "practitioner", "South", "0.8"))
    assert (me.name, me.role, me.hub, me.fte) == ("Amira Khan", "practitioner", "South", 0.8)
    info = store_info(engine, me.ref)
    assert info.me == me and not info.empty
    with engine.connect() as conn:
        audit = conn.execute(text('SELECT action, "table", record FROM audit')).all()
    assert ("insert", "practitioner", me.ref) in [tuple(a) for a in audit]


def test_create_me_refuses_a_bad_draft_and_writes_nothing(engine: Engine) -> None:
    with pytest.raises(InputError) as caught:
        create_me(engine, MeDraft("", "boss", "West", "2"))
    assert caught.value.problems == [
        "name: Enter your name.",
        "role: Choose your role.",
        "fte: FTE is more than 0 and at most 1 (e.g. 0.6).",
    ]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM practitioner")).scalar() == 0
