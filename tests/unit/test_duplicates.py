"""Duplicate people: spelling variants with the same date of birth are paired (across
families too), a different date of birth is not; a merge keeps every episode, contact
and voice of the child record, fills only the kept record's blanks, removes (never
deletes) the merged record and is audited; undo puts back exactly the rows before, and
refuses when later changes make that unsafe; bad refs are refused with nothing written.

Two people in different families are not merged (nothing written, both families
named): their families are merged first (every member and episode moves, the kept
family's blanks filled, the agencies joined, the merged family removed as merged,
one audit entry), after which the people merge and the store's export imports into
a fresh store (an episode's children are members of its family); the family merge's
undo restores exactly and refuses while a later person merge stands."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from ehtui.cli import main
from ehtui.db import open_store
from ehtui.duplicates import (
    family_outlines,
    find_duplicates,
    merge_families,
    merge_members,
    undo_merge,
)
from ehtui.errors import InputError
from ehtui.interchange import export_document, import_document
from ehtui.lookup.index import LookupIndex
from ehtui.models import (
    AuditEntry,
    Contact,
    Episode,
    EpisodeChild,
    Family,
    Member,
    TafMeeting,
    VoiceOfChild,
)
from ehtui.unit_of_work import StaleRecord, fetch, write
from tests.unit.builders import (
    add_rows,
    d,
    dt,
    store_child,
    store_contact,
    store_episode,
    store_family,
    store_link,
    store_practitioner,
)

NOW = datetime(2026, 11, 20, 15, 0)


def voice(ref: str, episode: str, child: str, at: str) -> VoiceOfChild:
    return VoiceOfChild(ref=ref, episode=episode, child=child, at=dt(at), method="direct_work")


def person(ref: str, family: str, first: str, last: str, dob: str | None, **more: Any) -> Member:
    return store_child(ref, family, first_name=first, last_name=last, dob=dob and d(dob), **more)


@pytest.fixture
def store(engine: Engine) -> Engine:
    """Tolu Okafor (C1, family F1, episode E1) entered again as "Tolu Okafur" (C2) under
    family F2 (episode E2, with a sibling C3 in both E2 and E3); C2 has two contacts
    (one seeing C2 alone), a voice of the child record and a TAF meeting on E2."""
    add_rows(
        engine,
        store_practitioner("P1"),
        store_family("F1"),
        store_family("F2", name="Adeyemi", address="3 Oak Lane, N12 8QQ"),
        store_child("C1", "F1", school=None, phone=None),
        person("C2", "F2", "Tolu", "Okafur", "2016-05-02", school="Oak Primary", language="Yoruba"),
        person("C3", "F2", "Bisi", "Adeyemi", "2018-09-09"),
        store_episode("E1", "F1"),
        store_episode("E2", "F2", referral_received=d("2026-02-02")),
        store_episode("E3", "F2", referral_received=d("2026-03-02")),
        store_link("E1", "C1"),
        store_link("E2", "C3", 0),
        store_link("E2", "C2", 1),
        store_link("E3", "C2", 0),
        store_link("E3", "C3", 1),
        store_contact("K1", "E1", "2026-01-07", children_seen=["C1"]),
        store_contact("K2", "E2", "2026-02-10", children_seen=["C3", "C2"]),
        store_contact(
            "K3", "E2", "2026-02-20", children_seen=["C2", "C3"], children_seen_alone=["C2"]
        ),
        voice("V1", "E1", "C1", "2026-01-09"),
        voice("V2", "E2", "C2", "2026-02-11"),
        TafMeeting(ref="T2", episode="E2", at=dt("2026-02-25"), kind="initial"),
    )
    return engine


@pytest.fixture
def one_family(store: Engine) -> Engine:
    """The store with the Adeyemi family (F2) merged into the Okafor family (F1): the
    household entered twice, so C1 and C2 (one child) are now in one family."""
    merge_families(store, "F1", "F2", "P1", NOW)
    return store


def rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every family, member, episode, link, contact and voice record as stored (less the
    version counter)."""
    out = {}
    with engine.connect() as conn:
        for model in (Family, Member, Episode, EpisodeChild, Contact, VoiceOfChild):
            table = model.__table__  # type: ignore[attr-defined]
            cols = [c for c in table.c if c.key != "version"]
            found = conn.execute(select(*cols).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in found]
    return out


def audit_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def links(engine: Engine) -> list[tuple[str, str, int]]:
    with engine.connect() as conn:
        t = EpisodeChild.__table__  # type: ignore[attr-defined]
        return [tuple(r) for r in conn.execute(select(t).order_by(t.c.episode, t.c.position))]


# ------------------------------------------------------------------ finding
def test_spelling_variants_with_the_same_birth_are_paired_across_families(
    store: Engine,
) -> None:
    (pair,) = find_duplicates(store)
    # C1 is in one episode, C2 in two: the record in more episodes is suggested to keep
    assert (pair.keep.ref, pair.other.ref) == ("C2", "C1")
    assert pair.reason == (
        'same date of birth (2 May 2016); same first name "Tolu"; '
        'last name "Okafur" sounds like "Okafor"; '
        "different families (Adeyemi F2, Okafor F1)"
    )
    assert 85 <= pair.score < 100
    assert pair.keep.episodes == ("E2", "E3") and pair.other.episodes == ("E1",)
    assert pair.keep.postcode == "N12 8QQ" and pair.other.family_name == "Okafor"


@pytest.mark.parametrize(
    ("first", "last", "dob", "words"),
    [
        ("Ayesha", "Khan", "2015-03-04", 'first name "Aisha" sounds like "Ayesha"'),
        ("Aisha", "Khan", None, "date of birth on D1 only (4 Mar 2015)"),
        ("Khan", "Aisha", "2015-03-04", 'names the other way round ("Aisha Khan" and "Khan'),
        ("Aisha", "Begum", "2015-03-04", 'differ ("Khan" and "Begum"); same postcode N12 0AA'),
        ("AISHA", "Khan-Ali", "2015-03-04", 'same last name "Khan"'),
    ],
)
def test_name_variants_are_found(
    engine: Engine, first: str, last: str, dob: str | None, words: str
) -> None:
    add_rows(
        engine,
        store_family("F1"),
        store_family("F2"),
        person("D1", "F1", "Aisha", "Khan", "2015-03-04"),
        person("D2", "F2", first, last, dob),
    )
    (pair,) = find_duplicates(engine)
    assert {pair.keep.ref, pair.other.ref} == {"D1", "D2"}
    assert words in pair.reason


def test_sounding_alike_and_scores_best_first(engine: Engine) -> None:
    add_rows(
        engine,
        store_family("F1"),
        person("M1", "F1", "Mohamed", "Ali", "2014-01-01"),
        person("M2", "F1", "Muhammad", "Ali", "2014-01-01"),
        person("M3", "F1", "Mohamed", "Ali", None),
    )
    pairs = find_duplicates(engine)
    assert [(p.keep.ref, p.other.ref) for p in pairs] == [("M1", "M2"), ("M1", "M3"), ("M2", "M3")]
    assert pairs[0].reason == (
        'same date of birth (1 Jan 2014); first name "Mohamed" sounds like "Muhammad"; '
        'same last name "Ali"; both in the Okafor family (F1)'
    )
    assert pairs[1].reason.startswith("date of birth on M1 only (1 Jan 2014); same first name")
    assert [p.score for p in pairs] == sorted((p.score for p in pairs), reverse=True)


@pytest.mark.parametrize(
    ("first", "last", "dob"),
    [
        ("Aisha", "Khan", "2015-03-05"),  # a day apart: someone else (a sibling born later)
        ("Aisha", "Khan", "2016-03-04"),
        ("Zara", "Khan", "2015-03-04"),  # a twin: same birthday, another name
        ("Aisha", "Begum", "2015-03-04"),  # another surname, living elsewhere
        ("Bola", "Smith", "2015-03-04"),
    ],
)
def test_a_different_birth_or_name_is_not_paired(
    engine: Engine, first: str, last: str, dob: str
) -> None:
    add_rows(
        engine,
        store_family("F1"),
        store_family("F2", address="3 Oak Lane, N12 8QQ"),
        person("D1", "F1", "Aisha", "Khan", "2015-03-04"),
        person("D2", "F2", first, last, dob),
    )
    assert find_duplicates(engine) == []


def test_no_birth_date_on_either_is_not_paired_and_removed_people_are_left_out(
    engine: Engine,
) -> None:
    add_rows(
        engine,
        store_family("F1"),
        store_family("F9", deleted_at=NOW, deleted_reason="entered in error"),
        person("D1", "F1", "Aisha", "Khan", None),
        person("D2", "F1", "Aisha", "Khan", None),
        person("D3", "F1", "Sam", "Lee", "2015-03-04"),
        person("D4", "F1", "Sam", "Lee", "2015-03-04", deleted_at=NOW, deleted_reason="x"),
        person("D5", "F9", "Sam", "Lee", "2015-03-04"),
    )
    assert find_duplicates(engine) == []


# ------------------------------------------------------------------ merging
def test_a_merge_keeps_everything_and_is_audited(one_family: Engine) -> None:
    store = one_family
    result = merge_members(store, "C1", "C2", "P1", NOW)
    assert (result.links_moved, result.links_dropped) == (2, 0)
    assert (result.voice_moved, result.contacts_changed) == (1, 2)
    assert result.filled == ("school",)  # C1's blank school from C2; C1's language kept
    # every episode keeps its children, C2's places taken by C1 in the same positions
    assert links(store) == [
        ("E1", "C1", 0),
        ("E2", "C3", 0),
        ("E2", "C1", 1),
        ("E3", "C1", 0),
        ("E3", "C3", 1),
    ]
    with write(store, "P1") as s:
        k2, k3 = fetch(s, Contact, "K2"), fetch(s, Contact, "K3")
        assert (k2.children_seen, k2.children_seen_alone) == (["C3", "C1"], [])
        assert (k3.children_seen, k3.children_seen_alone) == (["C1", "C3"], ["C1"])
        assert fetch(s, VoiceOfChild, "V2").child == "C1"
        assert fetch(s, VoiceOfChild, "V1").child == "C1"
        assert fetch(s, TafMeeting, "T2").episode == "E2"
        merged = fetch(s, Member, "C2")
        assert merged.deleted_at == NOW
        assert merged.deleted_reason == "merged into C1 (the same person entered twice)"
        assert (merged.first_name, merged.school, merged.family) == ("Tolu", "Oak Primary", "F1")
    # nothing is lost: three contacts, two voice records, five links, three members
    counts = {name: len(r) for name, r in rows(store).items()}
    assert counts == {
        "family": 2,
        "member": 3,
        "episode": 3,
        "episode_child": 5,
        "contact": 3,
        "voice_of_child": 2,
    }
    # the merge is one audit entry with what undo needs, beside the field-by-field entries
    with store.connect() as conn:
        entry = conn.execute(select(AuditEntry).where(AuditEntry.id == result.audit_id)).one()
    assert (entry.action, entry.table, entry.record, entry.user, entry.at) == (
        "merge",
        "member",
        "C2",
        "P1",
        NOW,
    )
    assert entry.changes["episode_child"] == [
        {"episode": "E2", "position": 1, "moved": True},
        {"episode": "E3", "position": 0, "moved": True},
    ]
    assert entry.changes["voice_of_child"] == ["V2"]
    assert [c["ref"] for c in entry.changes["contacts"]] == ["K2", "K3"]
    # C2 no longer shows in the lookup or as a duplicate
    index = LookupIndex.build(store, NOW)
    assert "C2" not in [h.ref for h in index.search("Okafur")]
    assert [h.ref for h in index.search("Tolu") if h.kind == "member"] == ["C1"]
    assert find_duplicates(store) == []


def test_blank_fields_are_filled_and_kept_values_never_overwritten(engine: Engine) -> None:
    add_rows(
        engine,
        store_family("F1"),
        person("A1", "F1", "Amy", "Ray", None, school=None, language="English", phone=None),
        person("A2", "F1", "Amie", "Ray", "2017-06-01", school="Elm", language="Polish"),
    )
    result = merge_members(engine, "A1", "A2", "P1", NOW)
    assert result.filled == ("dob", "school")
    with write(engine, "P1") as s:
        kept = fetch(s, Member, "A1")
    assert (kept.dob, kept.school, kept.language, kept.phone) == (
        date(2017, 6, 1),
        "Elm",
        "English",
        None,
    )
    undo_merge(engine, result.audit_id, "P1", NOW)
    with write(engine, "P1") as s:
        kept = fetch(s, Member, "A1")
    assert (kept.dob, kept.school) == (None, None)


def test_a_link_to_an_episode_both_are_in_is_dropped_and_put_back(engine: Engine) -> None:
    add_rows(
        engine,
        store_practitioner("P1"),
        store_family("F1"),
        store_child("C1", "F1"),
        store_child("C2", "F1", first_name="Tollu"),
        store_episode("E1", "F1"),
        store_link("E1", "C1", 0),
        store_link("E1", "C2", 1),
        store_contact("K1", "E1", "2026-01-07", children_seen=["C1", "C2"]),
    )
    before = rows(engine)
    result = merge_members(engine, "C1", "C2", "P1", NOW)
    assert (result.links_moved, result.links_dropped) == (0, 1)
    assert links(engine) == [("E1", "C1", 0)]
    with write(engine, "P1") as s:
        assert fetch(s, Contact, "K1").children_seen == ["C1"]
    undo_merge(engine, result.audit_id, "P1", NOW)
    assert rows(engine) == before


def test_undo_restores_the_exact_rows_once(one_family: Engine) -> None:
    store = one_family
    before = rows(store)
    result = merge_members(store, "C1", "C2", "P1", NOW)
    assert rows(store) != before
    undone = undo_merge(store, result.audit_id, "P2", datetime(2026, 11, 21, 9, 0))
    assert rows(store) == before
    assert find_duplicates(store)[0].other.ref == "C1"
    with store.connect() as conn:
        entry = conn.execute(select(AuditEntry).where(AuditEntry.id == undone.audit_id)).one()
    assert (entry.action, entry.record, entry.user) == ("unmerge", "C2", "P2")
    assert entry.changes["undoes"] == result.audit_id
    # once only
    count = audit_count(store)
    with pytest.raises(InputError, match=f"audit_id: the merge in audit entry {result.audit_id} "):
        undo_merge(store, result.audit_id, "P1", NOW)
    assert audit_count(store) == count and rows(store) == before
    # and it can be merged again, the other way round
    merge_members(store, "C2", "C1", "P1", NOW)
    assert [link[1] for link in links(store)] == ["C2", "C3", "C2", "C2", "C3"]


def test_undo_is_refused_after_later_changes_with_nothing_written(one_family: Engine) -> None:
    store = one_family
    result = merge_members(store, "C1", "C2", "P1", NOW)
    with write(store, "P1") as s:
        fetch(s, VoiceOfChild, "V2").words = "I like my school"
    with write(store, "P1") as s:
        s.add(voice("V9", "E3", "C1", "2026-11-20"))
    state, count = rows(store), audit_count(store)
    with pytest.raises(InputError) as refused:
        undo_merge(store, result.audit_id, "P1", NOW)
    assert refused.value.problems == [
        "audit_id: the merge of C2 into C1 cannot be undone: voice of the child record V2 "
        "has changed since the merge",
        "audit_id: the merge of C2 into C1 cannot be undone: voice of the child record V9 was "
        "recorded for C1 after the merge on an episode the merge moved",
    ]
    assert rows(store) == state and audit_count(store) == count


@pytest.mark.parametrize(
    ("keep", "merged", "message"),
    [
        ("C9", "C2", "keep: no family member with ref 'C9' in the store"),
        ("C1", "", "merged: give a family member's ref"),
        ("C1", "C1", "merged: 'C1' is the record kept; choose two different people"),
        ("C1", "E1", "merged: no family member with ref 'E1' in the store"),
    ],
)
def test_bad_refs_are_refused_with_nothing_written(
    store: Engine, keep: str, merged: str, message: str
) -> None:
    before, count = rows(store), audit_count(store)
    with pytest.raises(InputError) as refused:
        merge_members(store, keep, merged, "P1", NOW)
    assert refused.value.problems == [message]
    assert rows(store) == before and audit_count(store) == count


def test_a_merged_record_cannot_be_merged_again_or_a_stale_one_merged(one_family: Engine) -> None:
    store = one_family
    merge_members(store, "C1", "C2", "P1", NOW)
    with pytest.raises(InputError, match=r"merged: C2 was removed \(merged into C1"):
        merge_members(store, "C3", "C2", "P1", NOW)
    with pytest.raises(StaleRecord):
        merge_members(store, "C1", "C3", "P1", NOW, merge_version=99)


@pytest.mark.parametrize("bad", ["abc", "99999", "1"])
def test_undo_of_something_not_a_merge_is_refused(store: Engine, bad: str) -> None:
    with write(store, "P1") as s:
        fetch(s, Member, "C3").school = "Elm"
    count = audit_count(store)
    with pytest.raises(InputError, match=r"^audit_id: "):
        undo_merge(store, bad, "P1", NOW)
    assert audit_count(store) == count


# ------------------------------------------------------------------ the commands
def test_the_commands_list_merge_and_unmerge(
    store: Engine, store_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", store_target, "--user", "P1", "--as-of", "2026-11-20"]
    assert main([*db, "duplicates"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Likely duplicates (1), best first:"
    assert "C2         Tolu Okafur" in out and "born 2 May 2016" in out
    assert "different families: first ehtui merge-families F2 F1, then ehtui merge C2 C1" in out
    # the people first: refused, both families named
    assert main([*db, "merge", "C1", "C2"]) == 2
    assert capsys.readouterr().err.strip() == (
        "ehtui: merged: C2 and C1 are in different families (F1 Okafor, F2 Adeyemi): "
        "merge the families first."
    )
    assert main([*db, "merge-families", "F1", "F2"]) == 0
    out = capsys.readouterr().out
    family_audit = int(out.splitlines()[-1].split()[-1])
    assert out.startswith(
        "Family F2 merged into F1: 2 member(s) moved (C2, C3); 2 episode(s) moved (E2, E3)"
    )
    assert main([*db, "duplicates"]) == 0
    assert "merge with: ehtui merge C2 C1" in capsys.readouterr().out
    assert main([*db, "merge", "C1", "C2"]) == 0
    out = capsys.readouterr().out
    audit_id = int(out.splitlines()[-1].split()[-1])
    assert out.startswith("C2 merged into C1: 2 episode link(s); 1 voice of the child")
    assert main([*db, "duplicates"]) == 0
    assert capsys.readouterr().out == "No likely duplicates.\n"
    # undo in the other order: the family merge waits for the person merge's undo
    assert main([*db, "unmerge", str(family_audit)]) == 2
    assert "C2 was removed (merged into C1" in capsys.readouterr().err
    assert main([*db, "unmerge", str(audit_id)]) == 0
    assert "Merge undone: C2 and C1 are two records again" in capsys.readouterr().out
    assert main([*db, "unmerge", str(family_audit)]) == 0
    assert "Merge undone: families F2 and F1 are two families again" in capsys.readouterr().out
    assert main([*db, "duplicates", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"ref": "C2"' in out and '"family": "F2"' in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["merge", "C1", "NOPE"], "ehtui: merged: no family member with ref 'NOPE' in the store"),
        (["merge", "NOPE", "C2"], "ehtui: keep: no family member with ref 'NOPE' in the store"),
        (["unmerge", "x1"], "ehtui: audit_id: 'x1' is not an audit entry's number"),
        (
            ["merge", "C2", "C1"],
            "ehtui: merged: C1 and C2 are in different families (F2 Adeyemi, F1 Okafor): "
            "merge the families first.",
        ),
        (["merge-families", "F1", "NOPE"], "ehtui: merged: no family with ref 'NOPE' in the store"),
        (["merge-families", "C1", "F2"], "ehtui: keep: no family with ref 'C1' in the store"),
        (
            ["merge-families", "F1", "F1"],
            "ehtui: merged: 'F1' is the family kept; choose two different families",
        ),
        (["duplicates", "--limit", "0"], "ehtui: --limit: 0 is not between 1 and 1000"),
    ],
)
def test_bad_command_input_exits_2_with_nothing_written(
    store: Engine,
    store_target: str,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    before, count = rows(store), audit_count(store)
    assert main(["--db", store_target, "--user", "P1", *argv]) == 2
    assert capsys.readouterr().err.strip() == message
    assert rows(store) == before and audit_count(store) == count


# ------------------------------------------------------------------ two families
def test_a_merge_across_two_families_is_refused_with_nothing_written(store: Engine) -> None:
    before, count = rows(store), audit_count(store)
    with pytest.raises(InputError) as refused:
        merge_members(store, "C1", "C2", "P1", NOW)
    assert refused.value.problems == [
        "merged: C2 and C1 are in different families (F1 Okafor, F2 Adeyemi): "
        "merge the families first."
    ]
    assert rows(store) == before and audit_count(store) == count


def test_a_family_merge_moves_everything_fills_blanks_and_is_audited(store: Engine) -> None:
    with write(store, "P1") as s:
        f1, f2 = fetch(s, Family, "F1"), fetch(s, Family, "F2")
        f1.email, f1.agencies = None, ["School", "Health Visitor"]
        f2.email, f2.phone, f2.agencies = "adeyemi@example.org", "07700 900999", ["GP", "School"]
        f2.last_csc_closure_team, f2.last_csc_closure_date = "dats", d("2026-01-15")
        s.add(person("C4", "F2", "Old", "Record", "2010-01-01"))
        s.add(store_episode("E4", "F2", closed=d("2026-03-01"), closure_reason="moved_away"))
    with write(store, "P1") as s:  # a removed member moves too: nothing left in F2
        removed = fetch(s, Member, "C4")
        removed.deleted_at, removed.deleted_reason = NOW, "entered in error"
    outline = family_outlines(store, ["F2"])["F2"]
    assert outline.members == ("Tolu Okafur C2 (Child)", "Bisi Adeyemi C3 (Child)")
    assert outline.episodes[-1] == "E4 EHA, closed 1 Mar 2026"

    result = merge_families(store, "F1", "F2", "P2", NOW)
    assert (result.members, result.episodes) == (("C2", "C3"), ("E2", "E3", "E4"))
    assert result.filled == (
        "email",
        "last_csc_closure_team",
        "last_csc_closure_date",
        "agencies",
    )
    with write(store, "P1") as s:
        kept, merged = fetch(s, Family, "F1"), fetch(s, Family, "F2")
        assert [fetch(s, Member, m).family for m in ("C1", "C2", "C3", "C4")] == ["F1"] * 4
        assert [fetch(s, Episode, e).family for e in ("E1", "E2", "E3", "E4")] == ["F1"] * 4
        # blanks filled, kept values never overwritten, the agencies joined
        assert (kept.email, kept.phone, kept.address) == (
            "adeyemi@example.org",
            "07700 900123",
            "12 Example Road, N12 0AA",
        )
        assert (kept.last_csc_closure_team, kept.last_csc_closure_date) == ("dats", d("2026-01-15"))
        assert kept.agencies == ["School", "Health Visitor", "GP"]
        assert (merged.deleted_at, merged.deleted_reason) == (
            NOW,
            "merged into F1 (one household entered twice)",
        )
        assert (merged.name, merged.phone) == ("Adeyemi", "07700 900999")
        assert fetch(s, Member, "C4").deleted_reason == "entered in error"
    # children, contacts and meetings stay on their episodes
    assert links(store)[1:3] == [("E2", "C3", 0), ("E2", "C2", 1)]
    with store.connect() as conn:
        entry = conn.execute(select(AuditEntry).where(AuditEntry.id == result.audit_id)).one()
    assert (entry.action, entry.table, entry.record, entry.user) == ("merge", "family", "F2", "P2")
    assert entry.changes["members"] == [
        {"ref": "C2", "removed": False},
        {"ref": "C3", "removed": False},
        {"ref": "C4", "removed": True},
    ]
    assert entry.changes["episodes"] == ["E2", "E3", "E4"]
    assert entry.changes["filled"]["agencies"] == {
        "old": ["School", "Health Visitor"],
        "new": ["School", "Health Visitor", "GP"],
    }
    # the pair is now in one family
    (pair,) = find_duplicates(store)
    assert pair.reason.endswith("both in the Okafor family (F1)")


def test_a_family_merge_then_a_person_merge_exports_and_imports_into_a_fresh_store(
    store: Engine, tmp_path: Any
) -> None:
    merge_families(store, "F1", "F2", "P1", NOW)
    merge_members(store, "C1", "C2", "P1", NOW)
    doc = export_document(store)
    assert [f["ref"] for f in doc["families"]] == ["F1"]
    assert [m["ref"] for m in doc["families"][0]["members"]] == ["C1", "C3"]
    assert {e["ref"]: (e["family"], e["children"]) for e in doc["episodes"]} == {
        "E1": ("F1", ["C1"]),
        "E2": ("F1", ["C3", "C1"]),
        "E3": ("F1", ["C1", "C3"]),
    }
    fresh = open_store(str(tmp_path / "fresh.db"))
    try:
        result = import_document(fresh, doc, user="P1", now=NOW)
        assert result is not None
        assert export_document(fresh) == doc
    finally:
        fresh.dispose()


def test_undo_of_a_family_merge_restores_exactly_and_waits_for_a_later_person_merge(
    store: Engine,
) -> None:
    with write(store, "P1") as s:  # blanks to fill and agencies to join, all put back
        f1, f2 = fetch(s, Family, "F1"), fetch(s, Family, "F2")
        f1.email, f2.email, f2.agencies = None, "adeyemi@example.org", ["GP"]
        f2.last_csc_closure_team, f2.last_csc_closure_date = "i_and_p", d("2026-02-01")
    before = rows(store)
    family = merge_families(store, "F1", "F2", "P1", NOW)
    assert len(family.filled) == 4
    person_merge = merge_members(store, "C1", "C2", "P1", NOW)
    state, count = rows(store), audit_count(store)
    with pytest.raises(InputError) as refused:
        undo_merge(store, family.audit_id, "P1", NOW)
    assert refused.value.problems == [
        "audit_id: the merge of family F2 into F1 cannot be undone: member C2 was removed "
        "(merged into C1 (the same person entered twice)) after the merge: undo that first",
        "audit_id: the merge of family F2 into F1 cannot be undone: episode E2 (back to "
        "family F2) would name C1, a member of family F1",
        "audit_id: the merge of family F2 into F1 cannot be undone: episode E3 (back to "
        "family F2) would name C1, a member of family F1",
    ]
    assert rows(store) == state and audit_count(store) == count
    undo_merge(store, person_merge.audit_id, "P1", NOW)
    undone = undo_merge(store, family.audit_id, "P2", NOW)
    assert rows(store) == before
    assert (undone.kind, undone.keep, undone.merged) == ("family", "F1", "F2")
    with store.connect() as conn:
        entry = conn.execute(select(AuditEntry).where(AuditEntry.id == undone.audit_id)).one()
    assert (entry.action, entry.table, entry.record, entry.user) == (
        "unmerge",
        "family",
        "F2",
        "P2",
    )
    assert entry.changes["undoes"] == family.audit_id
    with pytest.raises(InputError, match=f"the merge in audit entry {family.audit_id} was undone"):
        undo_merge(store, family.audit_id, "P1", NOW)


def test_undo_of_a_family_merge_is_refused_after_later_changes(store: Engine) -> None:
    with write(store, "P1") as s:
        fetch(s, Family, "F2").email = "adeyemi@example.org"
        fetch(s, Family, "F1").email = None
    result = merge_families(store, "F1", "F2", "P1", NOW)
    with write(store, "P1") as s:
        fetch(s, Family, "F1").email = "okafor@example.org"
        s.add(store_episode("E9", "F1"))
        s.add(store_link("E9", "C1", 0))
        s.add(store_link("E9", "C3", 1))  # a child from F2, on an episode F1 keeps
    state, count = rows(store), audit_count(store)
    with pytest.raises(InputError) as refused:
        undo_merge(store, result.audit_id, "P1", NOW)
    assert refused.value.problems == [
        "audit_id: the merge of family F2 into F1 cannot be undone: family F1: email was "
        "changed after the merge filled it",
        "audit_id: the merge of family F2 into F1 cannot be undone: episode E9 (back to "
        "family F1) would name C3, a member of family F2",
    ]
    assert rows(store) == state and audit_count(store) == count


@pytest.mark.parametrize(
    ("keep", "merged", "message"),
    [
        ("F9", "F2", "keep: no family with ref 'F9' in the store"),
        ("F1", "", "merged: give a family's ref"),
        ("F1", "F1", "merged: 'F1' is the family kept; choose two different families"),
        ("F1", "C1", "merged: no family with ref 'C1' in the store"),
        ("F1", "F8", "merged: F8 was removed (entered in error)"),
    ],
)
def test_bad_family_refs_are_refused_with_nothing_written(
    store: Engine, keep: str, merged: str, message: str
) -> None:
    add_rows(store, store_family("F8", deleted_at=NOW, deleted_reason="entered in error"))
    before, count = rows(store), audit_count(store)
    with pytest.raises(InputError) as refused:
        merge_families(store, keep, merged, "P1", NOW)
    assert refused.value.problems == [message]
    assert rows(store) == before and audit_count(store) == count
