"""Voice of the child: prompts fitted to the child's age, the child's words apart from the
practitioner's analysis, the VOC-4W clock cleared by the save, bad input refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ehtui.models import VoiceOfChild
from ehtui.recording.facts import episode_facts
from ehtui.recording.voice import voices_due
from ehtui.rules import evaluate_store
from tests.appkit import (
    AS_OF,
    case_loaded,
    make_app,
    open_case_form,
    screen_text,
    wait_for,
)

EPISODE = "E000015"  # Bella Cole's, in the small demo: Mihai and Elena


def voices(app: Any) -> list[Any]:
    t = VoiceOfChild.__table__
    with app.session.engine.connect() as conn:
        return list(conn.execute(select(t).where(t.c.episode == EPISODE)))


def problem(form: Any, field: str) -> str:
    return str(form.rows[field].query_one(".field-error").render())


async def open_voice(pilot: Any) -> Any:
    return await open_case_form(pilot, EPISODE, "v", "VoiceScreen")


def voc_states(app: Any) -> dict[str, str]:
    found = evaluate_store(app.session.engine, AS_OF, episodes=[EPISODE])
    return {f.child: str(f.state) for f in found if f.rule == "VOC-4W"}


async def test_the_most_due_child_comes_first_with_prompts_for_their_age(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_voice(pilot)
        facts, due = form.context
        assert [line.name for line in due] and {line.name for line in due} == {
            c.first_name for c in facts.children
        }
        values = form.values()
        assert values["child"] == due[0].child
        child = facts.child(values["child"])
        age = facts.age(child, AS_OF.date())
        expected = "under_5" if age < 5 else "5_to_11" if age < 12 else "12_plus"
        assert values["band"] == expected
        shown = {row.field for row in form.rows.values() if row.display}
        prompts = {"under_5": "p_play", "5_to_11": "p_house_of_worries", "12_plus": "p_who_helps"}
        assert prompts[expected] in shown
        assert not (set(prompts.values()) - {prompts[expected]}) & shown
        assert {"p_lived_experience", "p_culture", "p_discrimination"} <= shown
        text = screen_text(app)
        assert "Each child's voice" in text and due[0].name in text


async def test_hearing_a_child_keeps_words_and_analysis_apart_and_clears_the_clock(
    demo_db: Path,
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_voice(pilot)
        before = {v.ref for v in voices(app)}
        _facts, due = form.context
        child = due[0].child  # the most due child (chosen by number all the same)
        assert due[0].state in ("overdue", "due_soon")
        number = next(k for k, v, _ in form.query_one("#f-child").options if v == child)
        await pilot.press(number)  # the focus moves on to the band
        await pilot.press("f")  # the three houses, whatever the age
        assert form.values()["method"] == "three_houses"
        await pilot.press("tab", "tab")  # (on the method) when, then the child's words
        await pilot.press(*"I like my new school.")
        form.query_one("#f-p_house_of_worries").focus()
        await pilot.press(*"Mum shouting")
        form.query_one("#f-analysis").focus()
        await pilot.press(*"Settled at school; worried by conflict at home.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        (record,) = [v for v in voices(app) if v.ref not in before]
        assert record.child == child and record.method == "three_houses"
        assert record.words == "I like my new school."
        assert record.analysis == "Settled at school; worried by conflict at home."
        assert record.prompts == {"house_of_worries": "Mum shouting"}
        assert record.at == AS_OF.replace(second=0, microsecond=0)
        assert voc_states(app).get(child) not in ("overdue", "due_soon")
        facts = episode_facts(app.session.engine, EPISODE, AS_OF)
        line = next(v for v in voices_due(facts, AS_OF) if v.child == child)
        assert line.last == record.at and line.state == "running"
        next_due = line.due.date() if isinstance(line.due, datetime) else line.due
        assert next_due == (AS_OF + timedelta(weeks=4)).date()  # heard again in 4 weeks


async def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    demo_db: Path,
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_voice(pilot)
        before = len(voices(app))
        form.query_one("#f-at").focus()
        await pilot.press("ctrl+u", *"tomorrow 9:00")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(problem(form, "at")))
        assert "future" in problem(form, "at")
        assert "own words" in problem(form, "words")
        assert app.screen is form and len(voices(app)) == before


async def test_changing_the_band_keeps_what_was_written_on_show_and_saved(
    demo_db: Path,
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_voice(pilot)
        before = {v.ref for v in voices(app)}
        form.query_one("#f-band").focus()
        await pilot.press("u")  # under 5: observation
        form.query_one("#f-p_play").focus()
        await pilot.press(*"Built a tower with his sister")
        form.query_one("#f-band").focus()
        await pilot.press("t")  # his ability fits a conversation better
        await pilot.pause()
        shown = {row.field for row in form.rows.values() if row.display}
        assert {"p_play", "p_who_helps"} <= shown  # written, so still on show
        assert "p_attachment" not in shown and "p_house_of_worries" not in shown
        form.query_one("#f-p_who_helps").focus()
        await pilot.press(*"Nan")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form and case_loaded(app))
        (record,) = [v for v in voices(app) if v.ref not in before]
        assert record.method == "conversation"
        assert record.prompts == {"play": "Built a tower with his sister", "who_helps": "Nan"}
