"""Diary: an appointment planned, then kept and recorded as its contact in one step; one
missed, recorded as "did not attend"; one ahead refused; the week's fixed meetings shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from ehtui.models import Appointment, Contact
from tests.appkit import AS_OF, make_app, screen_text, tray_loaded, wait_for

EPISODE = "E000015"


def appointments(app: Any) -> list[Any]:
    t = Appointment.__table__
    with app.session.engine.connect() as conn:
        return list(conn.execute(select(t).order_by(t.c.at)))


def contact(app: Any, ref: str) -> Any:
    t = Contact.__table__
    with app.session.engine.connect() as conn:
        return conn.execute(select(t).where(t.c.ref == ref)).one()


async def open_diary(pilot: Any) -> Any:
    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app) and app.session is not None)
    await pilot.press("f7")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "DiaryScreen" and app.screen.lines)
    return app.screen


async def plan(pilot: Any, diary: Any, when: str, kind: str) -> None:
    app = pilot.app
    await pilot.press("n")
    await wait_for(
        pilot, lambda: type(app.screen).__name__ == "PlanScreen" and app.screen.context is not None
    )
    form = app.screen
    form.query_one("#f-episode").value = EPISODE
    form.query_one("#f-kind").focus()
    await pilot.press(kind)
    form.query_one("#f-at").focus()
    await pilot.press(*when)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: app.screen is diary)


def select_row(diary: Any, ref: str) -> None:
    index = next(n for n, line in enumerate(diary.lines) if line.ref == ref)
    diary.query_one("#diary").move_cursor(row=index)


async def test_plan_keep_and_miss_appointments(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        diary = await open_diary(pilot)
        text = screen_text(app)
        assert "Hub Panel" in text and "Transfer meeting agenda closes" in text
        await plan(pilot, diary, "today 10:00", "h")
        await plan(pilot, diary, "today 11:30", "t")
        await plan(pilot, diary, "tomorrow 9:30", "h")
        await wait_for(pilot, lambda: sum(1 for line in diary.lines if line.planned) == 3)
        kept, missed, ahead = appointments(app)
        assert (kept.kind, kept.at, kept.outcome) == (
            "home_visit",
            AS_OF.replace(hour=10, minute=0, second=0, microsecond=0),
            None,
        )

        select_row(diary, ahead.ref)
        await pilot.press("k")
        assert "not happened yet" in str(diary.query_one("#diary-status").render())

        select_row(diary, kept.ref)
        await pilot.press("k")
        await wait_for(
            pilot,
            lambda: (
                type(app.screen).__name__ == "ContactLogScreen" and app.screen.context is not None
            ),
        )
        log = app.screen
        assert log.values()["method"] == "home_visit" and log.values()["at"] == "20/11/2026 10:00"
        await pilot.press(*"Saw mum and both children.", "ctrl+f")
        await wait_for(pilot, lambda: app.screen is diary)
        (kept_row,) = [a for a in appointments(app) if a.ref == kept.ref]
        assert kept_row.outcome == "kept" and kept_row.contact
        recorded = contact(app, kept_row.contact)
        assert (recorded.method, recorded.outcome, recorded.note) == (
            "home_visit",
            "completed",
            "Saw mum and both children.",
        )

        await wait_for(pilot, lambda: any(line.ref == missed.ref for line in diary.lines))
        select_row(diary, missed.ref)
        await pilot.press("d")
        await wait_for(
            pilot,
            lambda: next(a for a in appointments(app) if a.ref == missed.ref).outcome is not None,
        )
        (missed_row,) = [a for a in appointments(app) if a.ref == missed.ref]
        assert missed_row.outcome == "did_not_attend"
        dna = contact(app, missed_row.contact)
        assert (dna.method, dna.outcome, dna.children_seen) == ("telephone", "did_not_attend", [])
