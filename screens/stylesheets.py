"""The screens' stylesheets (``screens/*.tcss``), read once with the app's (see
:class:`ehtui.app.EhtuiApp`): as the absolute paths Textual makes of each screen's
own ``CSS_PATH``, so a screen shown never makes Textual read them again.

Order matters where two rules are equally specific (the later wins): the forms'
shared stylesheet comes first, so each form's own file refines it, as when a form
listed ``[FORM_CSS, "its own.tcss"]`` and Textual read them in that order.
"""

from __future__ import annotations

from pathlib import Path

SHARED = ("form.tcss",)  # read before the screens' own files
_HERE = Path(__file__).parent
SCREEN_CSS = tuple(
    str(path) for path in sorted(_HERE.glob("*.tcss"), key=lambda p: (p.name not in SHARED, p.name))
)
