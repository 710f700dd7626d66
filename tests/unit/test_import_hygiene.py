"""The core never loads Textual: commands like export and report stay light.

Runs in a subprocess so that what other tests imported does not count.
"""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "ehtui.models",
    "ehtui.db",
    "ehtui.calendar",
    "ehtui.vocab",
    "ehtui.context",
    "ehtui.cli",
]
OPTIONAL = ["ehtui.store", "ehtui.rules", "ehtui.interchange", "ehtui.demo", "ehtui.settings"]


def test_core_imports_without_textual() -> None:
    code = f"""
import importlib, importlib.util, sys
mods = {CORE!r} + [m for m in {OPTIONAL!r} if importlib.util.find_spec(m) is not None]
for m in mods:
    importlib.import_module(m)
from ehtui.cli import build_parser
build_parser()
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
assert not loaded, loaded
print(len(mods))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= len(CORE)


def test_the_app_paints_before_the_database_layer_loads() -> None:
    """The app, its loading screen and the work tray import no SQLAlchemy or SQLModel: the
    first paint must not wait for them (the store opens in a worker afterwards)."""
    code = """
import sys
import ehtui.app, screens.loading, screens.tray, widgets.footer
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "sqlmodel"))
assert not heavy, heavy[:5]
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
