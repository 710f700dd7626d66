"""Dates typed the way people type them, problems keyed by field, and form drafts."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine

from ehtui.drafts import discard_draft, drafts_about, load_draft, save_draft
from ehtui.forms import parse_count, parse_day, parse_moment, parse_time, problems_by_field

NOW = datetime(2026, 11, 20, 15, 42, 31)  # Fri 20 Nov 2026
TODAY = NOW.date()


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", date(2026, 11, 20)),
        ("yesterday", date(2026, 11, 19)),
        ("-3", date(2026, 11, 17)),
        ("21/11/2026", date(2026, 11, 21)),
        ("3/2/27", date(2027, 2, 3)),
        ("19/11", date(2026, 11, 19)),
        ("2026-11-02", date(2026, 11, 2)),
        ("2 Nov 2026", date(2026, 11, 2)),
        ("2 november", date(2026, 11, 2)),
        (" 29 Feb 2028 ", date(2028, 2, 29)),
    ],
)
def test_days_as_people_type_them(text: str, day: date) -> None:
    assert parse_day(text, TODAY) == day


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Enter a date"),
        ("31/11/2026", "not a real date"),
        ("29 Feb 2027", "not a real date"),
        ("next week", "is not a date"),
        ("2 Nob 2026", "is not a date"),
    ],
)
def test_a_bad_day_says_why(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_day(text, TODAY)


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("now", datetime(2026, 11, 20, 15, 42)),
        ("14:30", datetime(2026, 11, 20, 14, 30)),
        ("9.15", datetime(2026, 11, 20, 9, 15)),
        ("2pm", datetime(2026, 11, 20, 14, 0)),
        ("12am", datetime(2026, 11, 20, 0, 0)),
        ("today 9:15", datetime(2026, 11, 20, 9, 15)),
        ("yesterday 16:00", datetime(2026, 11, 19, 16, 0)),
        ("19/11/2026 10:05", datetime(2026, 11, 19, 10, 5)),
        ("2026-11-19T10:05", datetime(2026, 11, 19, 10, 5)),
        ("2026-11-19 10:05:00", datetime(2026, 11, 19, 10, 5)),
        ("18 Nov 2:30pm", datetime(2026, 11, 18, 14, 30)),
    ],
)
def test_moments_as_people_type_them(text: str, moment: datetime) -> None:
    assert parse_moment(text, NOW) == moment


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Enter a date and time"),
        ("19/11/2026", "has no time"),
        ("today 25:00", "not a time of day"),
        ("today 13pm", "is not a time"),
        ("today noonish", "is not a time"),
    ],
)
def test_a_bad_moment_says_why(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_moment(text, NOW)


def test_times_and_counts() -> None:
    assert parse_time("0930").hour == 9 and parse_time("0930").minute == 30
    assert parse_count("", field_words="Sessions") is None
    assert parse_count("6", field_words="Sessions", high=12) == 6
    with pytest.raises(ValueError, match="Sessions is a whole number"):
        parse_count("six", field_words="Sessions")
    with pytest.raises(ValueError, match="between 0 and 12"):
        parse_count("13", field_words="Sessions", high=12)


def test_problems_are_keyed_by_their_field() -> None:
    lines = [
        "at: Sat 21 Nov 2026 10:00 is in the future",
        "at: a second problem with the same field",
        "note: Write the note.",
        "This contact (K1) was changed by someone else since you opened it: reload",
    ]
    assert problems_by_field(lines) == {
        "at": "Sat 21 Nov 2026 10:00 is in the future",
        "note": "Write the note.",
        "": lines[3],
    }


def test_a_draft_is_kept_replaced_and_discarded(engine: Engine) -> None:
    kept = datetime(2026, 11, 20, 10, 0)
    save_draft(engine, form="contact", target="E1", user="P1", payload={"note": "Mum"}, now=kept)
    later = datetime(2026, 11, 20, 10, 1)
    save_draft(
        engine, form="contact", target="E1", user="P1", payload={"note": "Mum said"}, now=later
    )
    save_draft(engine, form="contact", target="E1", user="P2", payload={"note": "other"})
    draft = load_draft(engine, form="contact", target="E1", user="P1")
    assert draft is not None
    assert draft.payload == {"note": "Mum said"} and draft.updated_at == later
    assert [d.user for d in drafts_about(engine, "E1", "P1")] == ["P1"]
    assert load_draft(engine, form="voice", target="E1", user="P1") is None
    discard_draft(engine, form="contact", target="E1", user="P1")
    assert load_draft(engine, form="contact", target="E1", user="P1") is None
    assert load_draft(engine, form="contact", target="E1", user="P2") is not None
