"""The unit of work: field-by-field audit rows, version checks, soft delete, reasons."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine, func, select, text
from sqlmodel import Session

from ehtui.audit import record_history, trail
from ehtui.errors import InputError
from ehtui.models import AuditEntry, Contact, Episode, EpisodeChild, Family, Member, Practitioner
from ehtui.unit_of_work import (
    HardDeleteRefused,
    StaleRecord,
    fetch,
    restore,
    soft_delete,
    write,
)

AT = datetime(2026, 3, 2, 9, 15)


def seed(engine: Engine) -> None:
    with write(engine, "P1", at=AT) as s:
        s.add(Practitioner(ref="P1", name="Amira Khan", role="practitioner", hub="West"))
        s.add(Family(ref="F1", name="Okafor", agencies=["School"]))
        s.add(
            Member(
                ref="C1",
                family="F1",
                relationship="child",
                first_name="Tolu",
                last_name="Okafor",
                dob=date(2016, 5, 2),
            )
        )
        s.add(
            Episode(
                ref="E1",
                family="F1",
                type="eha",
                hub="West",
                lead="P1",
                source="mash",
                referral_received=date(2026, 1, 2),
            )
        )
        s.add(EpisodeChild(episode="E1", child="C1", position=0))


def audit_rows(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.__table__.c.id)))  # type: ignore[attr-defined]


def test_inserts_are_audited_with_every_value_and_get_seq_and_version(engine: Engine) -> None:
    seed(engine)
    rows = audit_rows(engine)
    assert sorted((r.action, r.table, r.record) for r in rows) == [
        ("insert", "episode", "E1"),
        ("insert", "episode_child", "E1"),
        ("insert", "family", "F1"),
        ("insert", "member", "C1"),
        ("insert", "practitioner", "P1"),
    ]
    member = next(r for r in rows if r.record == "C1")
    assert member.user == "P1"
    assert member.at == AT
    assert member.changes["dob"] == {"old": None, "new": "2016-05-02"}
    assert member.changes["first_name"] == {"old": None, "new": "Tolu"}
    assert "seq" not in member.changes and "version" not in member.changes
    family = next(r for r in rows if r.record == "F1")
    assert family.changes["agencies"] == {"old": None, "new": ["School"]}
    with Session(engine) as s:
        episode = s.get(Episode, "E1")
        assert episode is not None
        assert (episode.seq, episode.version) == (1, 1)


def test_update_writes_old_and_new_per_changed_field_and_bumps_version(engine: Engine) -> None:
    seed(engine)
    later = datetime(2026, 3, 3, 14, 0)
    with write(engine, "P9", reason="typo in the school", at=later) as s:
        member = fetch(s, Member, "C1", version=1)
        member.school = "Example Primary"
        member.dob = date(2016, 5, 3)
        member.first_name = "Tolu"  # unchanged: not in the audit row
    history = record_history(engine, "C1")
    assert [h.action for h in history] == ["update", "insert"]
    update = history[0]
    assert update.user == "P9"
    assert update.at == later
    assert update.reason == "typo in the school"
    assert update.changes == {
        "dob": {"old": "2016-05-02", "new": "2016-05-03"},
        "school": {"old": None, "new": "Example Primary"},
    }
    with Session(engine) as s:
        member2 = s.get(Member, "C1")
        assert member2 is not None
        assert member2.version == 2
    assert "dob: '2016-05-02' → '2016-05-03'" in update.summary(width=200)


def test_an_action_with_no_real_change_writes_no_audit_row(engine: Engine) -> None:
    seed(engine)
    before = len(audit_rows(engine))
    with write(engine, "P1") as s:
        family = fetch(s, Family, "F1")
        family.name = "Okafor"
    assert len(audit_rows(engine)) == before


def test_two_sessions_editing_one_record_the_second_is_refused(engine: Engine) -> None:
    seed(engine)
    # Both open the episode at version 1 (two forms, or two app instances).
    with Session(engine, expire_on_commit=False) as s:
        mine = s.get(Episode, "E1")
    assert mine is not None and mine.version == 1
    with write(engine, "P2") as theirs:
        episode = fetch(theirs, Episode, "E1", version=1)
        episode.engagement_confirmed = date(2026, 1, 6)
    # My save, as a merged copy of what I opened, must not overwrite theirs.
    mine.sessions_planned = 6
    with pytest.raises(StaleRecord) as err, write(engine, "P1") as s:
        s.merge(mine)
    assert str(err.value) == (
        "This episode (E1) was changed by someone else since you opened it; reload and try again."
    )
    # And through fetch with the version the form was opened with.
    with pytest.raises(StaleRecord), write(engine, "P1") as s:
        fetch(s, Episode, "E1", version=1).sessions_planned = 6
    with Session(engine) as s:
        stored = s.get(Episode, "E1")
        assert stored is not None
        assert (stored.engagement_confirmed, stored.sessions_planned) == (date(2026, 1, 6), None)
        assert stored.version == 2
    assert [h.user for h in record_history(engine, "E1") if h.action == "update"] == ["P2"]


def test_the_version_check_is_made_against_the_store_at_write_time(engine: Engine) -> None:
    """A change committed between my read and my flush (another process) is caught."""
    seed(engine)
    with pytest.raises(StaleRecord), write(engine, "P1") as s:
        episode = fetch(s, Episode, "E1")
        assert episode.version == 1
        with engine.begin() as other:  # someone else's committed update
            other.execute(text("UPDATE episode SET hub = 'South', version = 2 WHERE ref = 'E1'"))
        episode.hub = "East/Central"
    with Session(engine) as s:
        stored = s.get(Episode, "E1")
        assert stored is not None and stored.hub == "South"


def test_soft_delete_keeps_the_row_with_its_reason_and_restore_brings_it_back(
    engine: Engine,
) -> None:
    seed(engine)
    with write(engine, "P1", at=AT) as s:
        s.add(
            Contact(
                ref="K1",
                episode="E1",
                at=datetime(2026, 1, 6, 10),
                method="telephone",
                outcome="completed",
                note="Introductory call.",
            )
        )
    with write(engine, "P1", at=AT) as s:
        soft_delete(s, fetch(s, Contact, "K1"), "recorded on the wrong family")
    with Session(engine) as s:
        contact = s.get(Contact, "K1")
        assert contact is not None
        assert contact.deleted_at == AT
        assert contact.deleted_reason == "recorded on the wrong family"
        assert contact.note == "Introductory call."
        assert contact.version == 2
    removal = record_history(engine, "K1")[0]
    assert removal.action == "delete"
    assert removal.reason == "recorded on the wrong family"
    assert removal.changes["deleted_at"] == {"old": None, "new": AT.isoformat()}

    with write(engine, "P1", at=AT) as s:
        restore(s, fetch(s, Contact, "K1"), "it was the right family after all")
    back = record_history(engine, "K1")[0]
    assert (back.action, back.reason) == ("restore", "it was the right family after all")
    with Session(engine) as s:
        contact = s.get(Contact, "K1")
        assert contact is not None and contact.deleted_at is None


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_removal_and_restoration_need_a_reason(engine: Engine, reason: str | None) -> None:
    seed(engine)
    with pytest.raises(InputError) as err, write(engine, "P1") as s:
        soft_delete(s, fetch(s, Family, "F1"), reason)  # type: ignore[arg-type]
    assert err.value.problems == ["reason: a reason is required to remove a record"]
    with pytest.raises(InputError), write(engine, "P1") as s:
        family = fetch(s, Family, "F1")
        family.deleted_at = AT  # set by hand, without a reason
    with Session(engine) as s:
        family2 = s.get(Family, "F1")
        assert family2 is not None and family2.deleted_at is None


def test_hard_delete_of_a_case_record_is_refused_and_nothing_changes(engine: Engine) -> None:
    seed(engine)
    before = len(audit_rows(engine))
    with pytest.raises(HardDeleteRefused, match="never deleted outright"), write(engine, "P1") as s:
        s.get(Member, "C1")
        s.delete(fetch(s, Family, "F1"))
    with Session(engine) as s:
        assert s.get(Family, "F1") is not None
    assert len(audit_rows(engine)) == before


def test_the_audit_trail_cannot_be_changed_or_deleted_through_the_unit_of_work(
    engine: Engine,
) -> None:
    seed(engine)
    with pytest.raises(HardDeleteRefused, match="append-only"), write(engine, "P1") as s:
        entry = s.scalars(select(AuditEntry).limit(1)).one()
        entry.user = "someone else"
    with pytest.raises(HardDeleteRefused, match="append-only"), write(engine, "P1") as s:
        s.delete(s.exec(select(AuditEntry).limit(1)).scalars().one())  # type: ignore[call-overload]
    assert {r.user for r in audit_rows(engine)} == {"P1"}


def test_a_failing_action_writes_nothing_at_all(engine: Engine) -> None:
    seed(engine)
    before = len(audit_rows(engine))
    with pytest.raises(InputError) as err, write(engine, "P1") as s:
        s.add(Family(ref="F2", name="Good"))
        fetch(s, Family, "F1").name = "Bad\x00name"
    assert err.value.problems == ["family F1: name: contains a NUL character"]
    with Session(engine) as s:
        assert s.get(Family, "F2") is None
        assert s.get(Family, "F1").name == "Okafor"  # type: ignore[union-attr]
    assert len(audit_rows(engine)) == before


def test_episode_children_links_are_audited_on_the_episode(engine: Engine) -> None:
    seed(engine)
    with write(engine, "P1") as s:
        link = s.get(EpisodeChild, ("E1", "C1"))
        s.delete(link)
    removal = record_history(engine, "E1")[0]
    assert (removal.table, removal.action) == ("episode_child", "delete")
    assert removal.changes["child"] == {"old": "C1", "new": None}


def test_trail_is_newest_first_and_filters_by_record_and_since(engine: Engine) -> None:
    seed(engine)
    with write(engine, "P1", at=datetime(2026, 3, 5, 8, 0)) as s:
        fetch(s, Family, "F1").phone = "07700 900123"
    entries = trail(engine)
    assert entries[0].record == "F1" and entries[0].action == "update"
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert [e.action for e in trail(engine, since=datetime(2026, 3, 4))] == ["update"]
    assert {e.record for e in trail(engine, record="C1")} == {"C1"}
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 6
