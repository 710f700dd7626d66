"""Duty lookup matching: names by spelling and sound, dates of birth, postcodes,
phones, refs; ranking and the "why it matched" line. A small hand-built store."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine, select

from ehtui.lookup import Hit, LookupIndex
from ehtui.lookup.keys import name_tokens, parse_dob, phone_digits, postcode_of
from tests.unit.builders import (
    add_rows,
    store_child,
    store_episode,
    store_family,
    store_practitioner,
)

AS_OF = datetime(2026, 3, 9, 23, 59, 59)


def person(ref: str, family: str, first: str, last: str, **changes: object) -> object:
    return store_child(ref, family, first_name=first, last_name=last, **{"dob": None, **changes})


@pytest.fixture
def index(engine: Engine) -> LookupIndex:
    add_rows(
        engine,
        store_practitioner("P1", name="Ben Osei", phone="020 8359 1034"),
        store_family("F00001", name="Khan", address="12 Example Road, N12 0AA"),
        person("M00001", "F00001", "Mohamed", "Khan", dob=date(2016, 5, 2)),
        person("M00002", "F00001", "Aisha", "Khan", relationship="mother", dob=date(1988, 1, 9)),
        store_family(
            "F00002", name="Hussain", address="3 Oak Lane, N1 2AB", phone="+44 7700 900456"
        ),
        person("M00003", "F00002", "Muhammad", "Hussain", dob=date(2012, 7, 30)),
        person("M00004", "F00002", "Ayesha", "Hussain", dob=date(2014, 1, 3)),
        store_family("F00003", name="Ali", address="9 Birch Close, NW4 1WL", phone=None),
        person("M00005", "F00003", "Mohammed", "Ali", phone="07700 900789"),
        person("M00006", "F00003", "Katherine", "Ali"),
        store_family("F00004", name="Price", address="40 Hale Drive, NW7 3AA", phone=None),
        person("M00007", "F00004", "Karen", "Price"),
        person("M00008", "F00004", "Catherine", "Price"),
        person(
            "M00009",
            "F00004",
            "Gone",
            "Person",
            deleted_at=datetime(2026, 1, 1),
            deleted_reason="entered in error",
        ),
        store_episode("E00001", "F00001"),
        store_episode("E00002", "F00002", closed=date(2026, 2, 1), closure_reason="moved_away"),
    )
    return LookupIndex.build(engine, AS_OF)


def names(hits: list[Hit]) -> list[str]:
    return [h.name for h in hits]


# ------------------------------------------------------------------------- keys
def test_keys_fold_accents_apostrophes_and_hyphens() -> None:
    assert name_tokens("Zoë O'Brien-Smith") == ("zoe", "obrien", "smith", "obriensmith")
    assert phone_digits("+44 7700 900123") == "07700900123"
    assert phone_digits("0044 7700 900123") == "07700900123"
    assert phone_digits("07700-900-123") == "07700900123"
    assert postcode_of("12 Example Road, n12 0aa") == "N12 0AA"
    assert postcode_of("12 Example Road") is None


@pytest.mark.parametrize(
    "typed",
    ["2016-05-02", "02/05/2016", "2/5/16", "2 May 2016", "2nd May 2016", "2 may 16", "02.05.2016"],
)
def test_dates_of_birth_in_every_usual_form(typed: str) -> None:
    assert parse_dob(typed, date(2026, 3, 9)) == date(2016, 5, 2)


@pytest.mark.parametrize("typed", ["31/02/2016", "2 Smarch 2016", "2016", "Mohamed", "12/13/2016"])
def test_things_that_are_not_dates(typed: str) -> None:
    assert parse_dob(typed, date(2026, 3, 9)) is None


def test_two_digit_years_are_never_in_the_future() -> None:
    assert parse_dob("1/1/26", date(2026, 3, 9)) == date(2026, 1, 1)
    assert parse_dob("1/1/27", date(2026, 3, 9)) == date(1927, 1, 1)
    assert parse_dob("5/6/88", date(2026, 3, 9)) == date(1988, 6, 5)


# ------------------------------------------------------------------------ names
def test_mohamed_finds_every_spelling_exact_first(index: LookupIndex) -> None:
    hits = index.search("Mohamed")
    found = names(hits)
    assert found[0] == "Mohamed Khan"
    assert {"Mohammed Ali", "Muhammad Hussain"} <= set(found[1:])
    assert hits[0].why == 'name "Mohamed"'
    muhammad = next(h for h in hits if h.name == "Muhammad Hussain")
    assert muhammad.why == 'name "Muhammad" sounds like "mohamed"'
    assert muhammad.score < hits[0].score


@pytest.mark.parametrize("typed", ["Muhammad", "Mohammed", "muhamad"])
def test_each_spelling_finds_the_others(index: LookupIndex, typed: str) -> None:
    assert {"Mohamed Khan", "Mohammed Ali", "Muhammad Hussain"} <= set(names(index.search(typed)))


def test_catherine_finds_katherine_before_karen(index: LookupIndex) -> None:
    found = names(index.search("Catherine"))
    assert found[:2] == ["Catherine Price", "Katherine Ali"]
    assert "Karen Price" not in found  # not a spelling of Catherine
    assert names(index.search("Katherine"))[:2] == ["Katherine Ali", "Catherine Price"]


def test_aisha_and_ayesha(index: LookupIndex) -> None:
    assert names(index.search("Ayesha"))[:2] == ["Ayesha Hussain", "Aisha Khan"]
    assert names(index.search("aisha"))[:2] == ["Aisha Khan", "Ayesha Hussain"]


def test_surname_first_and_both_names(index: LookupIndex) -> None:
    hits = index.search("khan mohamed")
    assert hits[0].name == "Mohamed Khan"
    assert hits[0].why == 'name "Khan"; name "Mohamed"'
    # someone matching only one of the two words comes after everyone matching both
    both = [h for h in hits if "nothing like" not in h.why]
    assert hits[: len(both)] == both
    assert all(h.score < both[-1].score for h in hits[len(both) :])


def test_partial_names_as_you_type(index: LookupIndex) -> None:
    hits = index.search("moh")
    assert set(names(hits)[:2]) == {"Mohamed Khan", "Mohammed Ali"}
    assert hits[0].why.startswith('name "Moh') and hits[0].why.endswith('begins "moh"')
    # typing on, the spelling typed comes first at every keystroke
    for typed in ("moha", "moham", "mohame", "mohamed"):
        assert index.search(typed)[0].name == "Mohamed Khan", typed


def test_surname_finds_the_family_members_not_the_family_again(index: LookupIndex) -> None:
    hits = index.search("Hussain")
    assert names(hits) == ["Ayesha Hussain", "Muhammad Hussain"]
    assert all(h.family == "F00002" for h in hits)


def test_removed_people_are_not_found(index: LookupIndex) -> None:
    assert index.search("Gone Person") == []


def test_practitioners_are_found_without_a_family(index: LookupIndex) -> None:
    hits = index.search("osei")
    assert [(h.kind, h.ref, h.family) for h in hits] == [("practitioner", "P1", None)]


def test_empty_and_blank_queries(index: LookupIndex) -> None:
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("zzzzqqq") == []


def test_open_work_breaks_ties(engine: Engine) -> None:
    add_rows(
        engine,
        store_practitioner("P1"),
        store_family("F10", name="Smith"),
        person("M10", "F10", "Sam", "Smith"),
        store_family("F11", name="Smith"),
        person("M11", "F11", "Sam", "Smith"),
        store_episode("E11", "F11"),
    )
    hits = LookupIndex.build(engine, AS_OF).search("sam smith")
    assert [(h.ref, h.score) for h in hits] == [("M11", 100.0), ("M10", 100.0)]


def test_detail_says_age_and_open_work(index: LookupIndex) -> None:
    hit = index.search("Mohamed Khan")[0]
    assert "open: EHA" in hit.detail
    assert "born 2 May 2016 (9)" in hit.detail
    hussain = index.search("Ayesha Hussain")[0]
    assert "open:" not in hussain.detail  # their only episode closed in February


# ------------------------------------------------------------ other kinds of key
@pytest.mark.parametrize("typed", ["2016-05-02", "02/05/2016", "2/5/16", "2 May 2016"])
def test_date_of_birth_search(index: LookupIndex, typed: str) -> None:
    hits = index.search(typed)
    assert [(h.ref, h.why) for h in hits] == [("M00001", "date of birth 2 May 2016")]


def test_impossible_date_is_no_match_and_no_crash(index: LookupIndex) -> None:
    assert index.search("31/02/2016") == []


def test_postcode_district_partial_and_spacing(index: LookupIndex) -> None:
    district = index.search("n12")
    assert [h.family for h in district] == ["F00001", "F00002"]  # N12 0AA first, N1 2AB after
    assert district[0].why == "postcode N12 0AA (district N12)"
    assert [h.family for h in index.search("N12 0")] == ["F00001"]
    assert index.search("N12 0")[0].why == "postcode N12 0AA begins N12 0"
    assert [h.family for h in index.search("N1 2")] == ["F00002"]
    exact = index.search("n120aa")
    assert [(h.kind, h.family, h.why) for h in exact] == [("family", "F00001", "postcode N12 0AA")]
    assert [h.family for h in index.search("nw4 1wl")] == ["F00003"]


@pytest.mark.parametrize(
    "typed", ["07700 900456", "07700900456", "+44 7700 900456", "+447700900456"]
)
def test_phone_any_spacing_and_prefix(index: LookupIndex, typed: str) -> None:
    hits = index.search(typed)
    assert [(h.kind, h.ref, h.why) for h in hits] == [("family", "F00002", "phone +44 7700 900456")]
    assert hits[0].score == 100.0


def test_phone_in_part_and_a_members_phone(index: LookupIndex) -> None:
    assert [h.ref for h in index.search("900789")] == ["M00005"]
    assert [h.ref for h in index.search("8359 1034")] == ["P1"]
    assert index.search("1234") == []  # four digits is not enough to be a phone


def test_refs_exact_and_prefix(index: LookupIndex) -> None:
    exact = index.search("m00003")
    assert (exact[0].ref, exact[0].why) == ("M00003", "ref M00003")
    prefix = index.search("F0000")
    # equal scores: families with open work first, then by name (Ali, Hussain, Price)
    assert [h.ref for h in prefix] == ["F00001", "F00003", "F00002", "F00004"]
    assert prefix[0].why == "family ref F00001 begins F0000"
    episode = index.search("E00002")
    assert [(h.kind, h.family, h.why) for h in episode] == [
        ("family", "F00002", "episode ref E00002")
    ]


def test_address_words(index: LookupIndex) -> None:
    hits = index.search("oak lane")
    assert [(h.family, h.why) for h in hits] == [("F00002", "address 3 Oak Lane, N1 2AB")]
    assert [h.family for h in index.search("Birch")] == ["F00003"]


def test_limit(index: LookupIndex) -> None:
    assert len(index.search("m", limit=3)) == 3
    assert index.search("m", limit=0) == []


# ------------------------------------------------------------- the small demo store
def test_everyone_in_the_small_demo_is_found_by_name_and_birth(db_path: object) -> None:
    from ehtui.db import open_store
    from ehtui.demo import generate
    from ehtui.models import Member

    engine = open_store(str(db_path))
    generate(engine, "small", 1, date(2026, 3, 9))
    index = LookupIndex.build(engine, AS_OF)
    table = Member.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        members = conn.execute(
            select(table.c.ref, table.c.first_name, table.c.last_name, table.c.dob)
        ).all()
    assert len(members) > 100
    for ref, first, last, dob in members:
        by_name = index.search(f"{last} {first}", limit=50)
        assert ref in [h.ref for h in by_name if h.score == 100.0], (ref, first, last)
        if dob is not None:
            assert ref in [h.ref for h in index.search(dob.strftime("%d/%m/%Y"), limit=500)]


def test_core_modules_never_load_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import ehtui.lookup, ehtui.lookup.card, ehtui.lookup.text, ehtui.commands.lookup\n"
        "import ehtui.caseload, ehtui.osr, ehtui.tracker\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual']\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
