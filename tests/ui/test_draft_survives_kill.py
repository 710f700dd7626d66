"""The note being typed survives the program being killed: a child process runs the app,
opens the contact log, types a note and says so; the parent kills it (SIGKILL, no
clean-up of any kind); the next start offers the note back, word for word."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ehtui.db import open_store
from ehtui.drafts import load_draft
from tests.appkit import case_loaded, make_app, open_case_form, tray_loaded, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

EPISODE = "E000015"
NOTE = "Mum said the boiler is fixed; Elena back at school"

CHILD = """
import asyncio, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from ehtui.db import open_store
from ehtui.drafts import load_draft
from tests.appkit import make_app, open_case_form

async def main() -> None:
    app = make_app(Path(sys.argv[1]))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_case_form(pilot, sys.argv[3], "n", "ContactLogScreen")
        await pilot.press("h", *sys.argv[4])
        engine = open_store(sys.argv[1])
        for _ in range(500):  # the draft is kept a moment after the last keystroke
            await pilot.pause(0.01)
            found = load_draft(engine, form="contact", target=sys.argv[3], user="P003")
            if found is not None and found.payload.get("note") == sys.argv[4]:
                break
        print("TYPED", flush=True)
        await asyncio.sleep(3600)  # still typing, as far as anyone knows

asyncio.run(main())
"""


async def test_a_killed_app_loses_not_a_word_of_the_note(demo_db: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(demo_db), str(root), EPISODE, NOTE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "TYPED", child.stderr.read() if child.stderr else line
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()
    assert child.returncode == -signal.SIGKILL

    kept = load_draft(open_store(str(demo_db)), form="contact", target=EPISODE, user="P003")
    assert (
        kept is not None and kept.payload["note"] == NOTE and kept.payload["method"] == "home_visit"
    )
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: tray_loaded(app))
        app.open_case(EPISODE)
        await wait_for(pilot, lambda: case_loaded(app))
        waiting = str(app.screen.query_one("#case-drafts").render())
        assert "Draft kept: Record contact" in waiting and "n to carry on" in waiting
        await app.screen.run_action("back")
        form = await open_case_form(pilot, EPISODE, "n", "ContactLogScreen")
        await wait_for(pilot, lambda: form.values()["note"] == NOTE)
        assert form.values()["method"] == "home_visit"
        assert "Your draft from" in str(form.query_one("#form-status").render())
