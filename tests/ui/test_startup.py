"""Paint first: the app's start-up path imports no database code."""

from __future__ import annotations

import subprocess
import sys


def test_the_app_module_loads_no_database_code() -> None:
    code = (
        "import sys\n"
        "import ehtui.cli, ehtui.commands.app, ehtui.app, screens.loading\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'ehtui.db', 'ehtui.models', 'alembic')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
