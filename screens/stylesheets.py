"""The screens' stylesheets (``screens/*.tcss``), read by the app itself rather than
when each screen is first shown.

Textual reads a screen's ``CSS_PATH`` when the screen is first shown, by parsing
every stylesheet again and restyling every widget of every screen: the first
case opened was the slowest by some 300 ms, and the loading screen and the work
tray each paid 15-40 ms of it at start. So the app lists the stylesheets of the
screens a start can show first (:data:`AT_START`) with its own, and reads the
rest (:data:`LATER`, some 12 ms of parsing) once the first screen is up. Both
are the absolute paths Textual makes of each screen's own ``CSS_PATH``: no
screen shown makes Textual read its file again.

Order matters where two rules are equally specific (the later wins): the forms'
shared stylesheet comes first, so each form's own file refines it, as when a form
listed ``[FORM_CSS, "its own.tcss"]`` and Textual read them in that order.
"""

from __future__ import annotations

from pathlib import Path

SHARED = ("form.tcss",)  # read before the screens' own files
FIRST_SCREENS = ("loading.tcss", "welcome.tcss", "tray.tcss", "case.tcss")
_HERE = Path(__file__).parent
_ALL = sorted(_HERE.glob("*.tcss"), key=lambda p: (p.name not in SHARED, p.name))
AT_START = tuple(str(path) for path in _ALL if path.name in FIRST_SCREENS)
LATER = tuple(str(path) for path in _ALL if path.name not in FIRST_SCREENS)
