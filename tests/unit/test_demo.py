"""``ehtui demo``: deterministic, realistic, and every clock has something to say."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from ehtui.cli import main
from ehtui.db import open_store
from ehtui.demo import generate
from ehtui.interchange import dumps, export_document, import_document
from ehtui.meta import get_meta
from ehtui.rules import RULE_IDS, evaluate_store
from ehtui.vocab import ContactMethod, Disposal, EpisodeType, Outcome, Source

ANCHOR = date(2026, 11, 20)
TABLES = (
    "practitioner",
    "family",
    "member",
    "episode",
    "episode_child",
    "contact",
    "voice_of_child",
    "taf_meeting",
    "oversight",
    "osr_rota",
    "meta",
)


def dump(engine: Engine) -> dict[str, list[Any]]:
    with engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1, 2"))]
            for t in TABLES
        }


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = open_store(str(tmp_path_factory.mktemp("demo") / "small.db"))
    generate(engine, "small", 1, ANCHOR, progress=False)
    return engine


def test_same_seed_and_anchor_give_the_same_store(small: Engine, tmp_path: Path) -> None:
    again = open_store(str(tmp_path / "again.db"))
    generate(again, "small", 1, ANCHOR, progress=False)
    assert dump(again) == dump(small)
    other = open_store(str(tmp_path / "other.db"))
    generate(other, "small", 2, ANCHOR, progress=False)
    assert dump(other)["family"] != dump(small)["family"]


def test_small_counts_and_vocabulary(small: Engine) -> None:
    with small.connect() as conn:

        def count(sql: str) -> int:
            return int(conn.execute(text(sql)).scalar() or 0)

        assert count("SELECT count(*) FROM practitioner") == 7
        assert 55 <= count("SELECT count(*) FROM family") <= 80
        assert count("SELECT count(*) FROM episode") >= 60
        assert count("SELECT count(*) FROM contact") >= 300
        types = {r[0] for r in conn.execute(text("SELECT DISTINCT type FROM episode"))}
        methods = {r[0] for r in conn.execute(text("SELECT DISTINCT method FROM contact"))}
        outcomes = {r[0] for r in conn.execute(text("SELECT DISTINCT outcome FROM contact"))}
        sources = {r[0] for r in conn.execute(text("SELECT DISTINCT source FROM episode"))}
        disposals = {r[0] for r in conn.execute(text("SELECT DISTINCT disposal FROM episode"))}
    assert types == set(EpisodeType.values())
    assert methods >= set(ContactMethod.values()) - {"duty"}
    assert outcomes == set(Outcome.values())
    assert sources >= set(Source.values()) - {"self_referral", "reach", "yjs"}
    assert disposals - {None} <= set(Disposal.values())


def test_nothing_recorded_after_the_anchor_or_before_the_referral(small: Engine) -> None:
    end = "2026-11-20 23:59:59"
    checks = {
        "contact after anchor": f"SELECT count(*) FROM contact WHERE at > '{end}' "
        f"OR recorded_at > '{end}'",
        "voice after anchor": f"SELECT count(*) FROM voice_of_child WHERE at > '{end}'",
        "TAF after anchor": f"SELECT count(*) FROM taf_meeting WHERE at > '{end}'",
        "closure after anchor": "SELECT count(*) FROM episode WHERE closed > '2026-11-20'",
        "DOB after anchor": "SELECT count(*) FROM member WHERE dob > '2026-11-20'",
        "contact before referral": "SELECT count(*) FROM contact c JOIN episode e "
        "ON e.ref = c.episode WHERE date(c.at) < e.referral_received",
        "child not in the family": "SELECT count(*) FROM episode_child l JOIN episode e "
        "ON e.ref = l.episode JOIN member m ON m.ref = l.child WHERE m.family != e.family",
    }
    with small.connect() as conn:
        found = {name: conn.execute(text(sql)).scalar() for name, sql in checks.items()}
    assert found == dict.fromkeys(checks, 0)


def test_the_demo_user_has_a_real_caseload(small: Engine) -> None:
    me = get_meta(small, "demo_user")
    assert me is not None
    with small.connect() as conn:
        families = conn.execute(
            text("SELECT count(DISTINCT family) FROM episode WHERE lead = :me AND closed IS NULL"),
            {"me": me},
        ).scalar()
    assert 10 <= int(families or 0) <= 15
    found = evaluate_store(small, datetime(2026, 11, 20, 23, 59, 59), practitioner=me)
    states = Counter(str(f.state) for f in found)
    assert states["overdue"] >= 1 and states["due_soon"] >= 1


def test_most_rules_have_something_to_say(small: Engine) -> None:
    found = evaluate_store(small, datetime(2026, 11, 20, 23, 59, 59), history=True)
    rules = {f.rule for f in found}
    assert len(rules) >= 0.75 * len(RULE_IDS), sorted(set(RULE_IDS) - rules)


def test_export_round_trips_through_an_empty_store(small: Engine, tmp_path: Path) -> None:
    doc = export_document(small)
    assert len(doc["episodes"]) >= 20
    fresh = open_store(str(tmp_path / "fresh.db"))
    import_document(fresh, doc, user=None, now=datetime(2026, 11, 21))
    assert dumps(export_document(fresh)) == dumps(doc)


def test_the_command_refuses_a_store_with_data_unless_if_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "cli.db")
    assert main(["--db", db, "demo", "--size", "small", "--anchor", "2026-11-20"]) == 0
    assert main(["--db", db, "demo", "--size", "small", "--if-empty"]) == 0
    assert "already has data" in capsys.readouterr().out
    assert main(["--db", db, "demo", "--size", "small"]) == 2
    assert "already has data" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "x.db"), "demo", "--anchor", "20-11-2026"]) == 2
    assert "--anchor" in capsys.readouterr().err


def test_a_demo_made_today_records_nothing_later_than_now(tmp_path: Path) -> None:
    """With the default anchor (today) nothing may lie after the clock's time of day,
    so the demo's own export imports cleanly "as of now"."""
    engine = open_store(str(tmp_path / "today.db"))
    generate(engine, "small", 3, date.today(), progress=False)
    fresh = open_store(str(tmp_path / "fresh.db"))
    import_document(fresh, export_document(engine), user=None, now=datetime.now())
