"""New referral: search first (nobody entered twice), a new family's referral landing on the
hub's group tray, an existing family's referral from a misspelt search, and an 18-year-old
refused until a post-18 route is named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from ehtui.models import Episode, EpisodeChild, Family
from tests.appkit import AS_OF, case_loaded, make_app, screen_text, tray_loaded, wait_for


async def search(pilot: Any, text: str) -> Any:
    app = pilot.app
    await wait_for(pilot, lambda: tray_loaded(app) and app.session is not None)
    await pilot.press("f8")
    await wait_for(
        pilot,
        lambda: (
            type(app.screen).__name__ == "ReferralSearchScreen" and app.screen.index is not None
        ),
    )
    await pilot.press(*text)
    await pilot.pause()
    return app.screen


async def referral_form(pilot: Any, key: str) -> Any:
    app = pilot.app
    await pilot.press(key)
    await wait_for(
        pilot,
        lambda: type(app.screen).__name__ == "ReferralScreen" and app.screen._baseline != {},
    )
    return app.screen


async def fill(pilot: Any, form: Any, field: str, text: str) -> None:
    form.query_one(f"#f-{field}").focus()
    await pilot.press("ctrl+u", *text)


def episodes_of(app: Any, family: str) -> list[Any]:
    t = Episode.__table__
    with app.session.engine.connect() as conn:
        return list(conn.execute(select(t).where(t.c.family == family)))


async def test_a_new_familys_referral_lands_on_the_hub_tray(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        found = await search(pilot, "Zebedee Quartermain")
        assert "Nobody matches" in str(found.query_one("#referral-hint").render())
        form = await referral_form(pilot, "ctrl+n")
        await fill(pilot, form, "family_name", "Quartermain")
        await fill(pilot, form, "c1_first", "Zeb")
        await fill(pilot, form, "c1_dob", "3/4/2016")
        form.query_one("#f-type").focus()
        await pilot.press("e")  # EHA
        await pilot.press("m")  # (the focus moved on) referred by the MASH
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: case_loaded(app) and app.screen.episode.startswith("EHE-"))
        episode = app.screen.episode
        with app.session.engine.connect() as conn:
            fam = conn.execute(
                select(Family.__table__).where(Family.__table__.c.name == "Quartermain")
            ).one()
            kids = conn.execute(
                select(EpisodeChild.__table__).where(EpisodeChild.__table__.c.episode == episode)
            ).all()
        (ep,) = episodes_of(app, fam.ref)
        assert (ep.ref, ep.type, ep.source, ep.hub, ep.lead) == (
            episode,
            "eha",
            "mash",
            "West",
            None,
        )
        assert ep.referral_received == AS_OF.date() and len(kids) == 1
        assert "unallocated" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: tray_loaded(app))
        app.show_tab("hub")
        await wait_for(pilot, lambda: tray_loaded(app) and app.screen.tab == "hub")
        assert episode in [r.episode for r in app.screen.rows]


async def test_an_existing_family_found_by_a_misspelt_name(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        found = await search(pilot, "Elana Stan")  # Elena
        table = found.query_one("#referral-hits")
        assert table.row_count >= 1
        family = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        before = len(episodes_of(app, family))
        await pilot.press("down")
        form = await referral_form(pilot, "enter")
        assert form.family == family
        form.query_one("#f-children").focus()
        await pilot.press("space")  # the first child
        form.query_one("#f-type").focus()
        await pilot.press("u", "u")  # Universal Plus, from the Universal Plus e-form
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: case_loaded(app) and app.screen.episode.startswith("EHE-"))
        assert len(episodes_of(app, family)) == before + 1


async def test_an_18_year_old_needs_a_post18_route(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await search(pilot, "Nobody Here")
        form = await referral_form(pilot, "ctrl+n")
        await fill(pilot, form, "family_name", "Zanzibarova")
        await fill(pilot, form, "c1_first", "Tobi")
        await fill(pilot, form, "c1_dob", "1/1/2008")  # 18 on Fri 20 Nov 2026
        form.query_one("#f-type").focus()
        await pilot.press("e", "m", "ctrl+s")
        await wait_for(pilot, lambda: "-invalid" in form.rows["post18_route"].classes)
        assert "name a post-18 route" in str(
            form.rows["post18_route"].query_one(".field-error").render()
        )
        with app.session.engine.connect() as conn:
            assert (
                conn.execute(
                    select(Family.__table__).where(Family.__table__.c.name == "Zanzibarova")
                ).first()
                is None
            )
        form.query_one("#f-post18_route").focus()
        await pilot.press("6")  # a child with a disability
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: case_loaded(app) and app.screen.episode.startswith("EHE-"))
